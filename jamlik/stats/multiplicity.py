"""Many tests at once: Benjamini–Hochberg q-values and the number of chance findings to expect.

A profile makes about 60 comparisons and 40 trend tests per area; at the 5 % level about one in
twenty "säkerställda" results is expected by chance alone even when nothing differs.
Reference: Benjamini Y, Hochberg Y (1995) J R Stat Soc B 57:289–300; Storey JD (2003) Ann Stat
31:2013–2035 (q-values). Tested against statsmodels ``multipletests(method="fdr_bh")``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jamlik.stats import _validate as v

__all__ = ["benjamini_hochberg", "expected_chance_findings"]


def benjamini_hochberg(p_values: Sequence[float]) -> tuple[float, ...]:
    """Benjamini–Hochberg adjusted p-values (q-values), in the order given.

    With the m p-values sorted p₍₁₎ ≤ … ≤ p₍ₘ₎: q₍ᵢ₎ = min_{j ≥ i} min(1, m·p₍ⱼ₎ / j).
    A result with q < α belongs to a set of findings whose expected share of false discoveries
    is at most α (independent or positively dependent tests). q ≥ p, and q keeps p's order.
    Reference: Benjamini & Hochberg (1995). Returns () for no p-values.
    Raises ValueError for a p-value outside 0–1 or missing.
    """
    if len(p_values) == 0:
        return ()
    p = v.array(p_values, "p-värdena")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("ett p-värde ligger utanför 0–1 — kontrollera indata.")
    m = p.size
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(scaled[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    return tuple(float(x) for x in q)


def expected_chance_findings(levels: Sequence[float]) -> float:
    """Expected number of "significant" results when no effect is real: Σ αᵢ.

    levels: the significance level αᵢ each test was judged at (0.05 for 95 %, 0.002 for 99.8 %).
    Raises ValueError for a level outside 0–1.
    """
    if len(levels) == 0:
        return 0.0
    a = v.array(levels, "signifikansnivåerna")
    if np.any((a < 0) | (a > 1)):
        raise ValueError("en signifikansnivå ligger utanför 0–1.")
    return float(a.sum())
