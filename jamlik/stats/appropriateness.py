"""RAND/UCLA appropriateness classification of one proposal's panel ratings (median + IPRAS)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from jamlik.stats import _validate as v
from jamlik.stats._validate import ArrayLike

IPR_SYMMETRIC = 2.35  # IPRr: the IPR that means disagreement when ratings are symmetric
ASYMMETRY_FACTOR = 1.5  # CFAI: correction factor for asymmetry
CLASS_SV = {"appropriate": "lämplig", "uncertain": "osäker", "inappropriate": "olämplig"}


@dataclass(frozen=True)
class RandClassification:
    """One proposal's RAND/UCLA result.

    median, p30, p70 and iprcp are in the round's scale; ipr, asymmetry_index and ipras are on the
    manual's 1–9 scale (equal to the round's scale when it is 1–9), so ipr > ipras reads directly.

    classification: "appropriate", "uncertain" or "inappropriate" (``label_sv``: lämplig, osäker,
    olämplig). disagreement is the IPRAS rule (IPR > IPRAS); disagreement_panel_rule is the
    classic count rule (at least ``panel_threshold`` ratings in each extreme third) reported beside
    it — the classification uses the IPRAS rule, as the manual recommends.
    """

    n: int
    median: float
    p30: float
    p70: float
    ipr: float
    iprcp: float
    asymmetry_index: float
    ipras: float
    disagreement: bool
    disagreement_panel_rule: bool
    panel_threshold: int
    classification: str
    scale: tuple[float, float]
    note: str | None = None

    @property
    def label_sv(self) -> str:
        return CLASS_SV[self.classification]


def _percentile(sorted_x: np.ndarray, p: float) -> float:
    """Linear interpolation between order statistics at position (n − 1)p (0-based)."""
    pos = (sorted_x.size - 1) * p
    lo = math.floor(pos)
    hi = min(lo + 1, sorted_x.size - 1)
    return float(sorted_x[lo] + (pos - lo) * (sorted_x[hi] - sorted_x[lo]))


def rand_classification(
    ratings: ArrayLike, *, scale: tuple[float, float] = (1, 9)
) -> RandClassification:
    """RAND/UCLA appropriateness: median, IPR, IPRAS, disagreement and class.

    On the 1–9 scale: P30, P70 = 30th and 70th percentiles; IPR = P70 − P30;
    IPRCP = (P30 + P70)/2; AI = |5 − IPRCP|; IPRAS = 2.35 + 1.5 · AI; disagreement when IPR > IPRAS.
    Class: median ≥ 7 without disagreement → appropriate; median ≤ 3 without disagreement →
    inappropriate; otherwise (median strictly between 3 and 7, e.g. 3.5 or 6.5, or disagreement)
    → uncertain. Reference: Fitch K et al. (2001), The RAND/UCLA Appropriateness Method User's
    Manual, RAND MR-1269, ch. 8 (worked example n = 15: median 7, P30 7, P70 8, IPR 1,
    IPRAS 6.1, no disagreement → appropriate).

    Percentiles: linear interpolation between order statistics, position (n − 1)·p + 1 in the
    sorted ratings (Hyndman & Fan type 7, Excel PERCENTILE/PERCENTILE.INC, numpy's default). The
    manual gives no interpolation rule in the passages jamlik could check; this one reproduces the
    manual's worked example, and the choice is printed in docs/PRIORITISATION.md.
    Panel rule (reported, not used for the class): disagreement when at least k ratings fall in
    1–3 and at least k in 7–9, k = ⌊(n + 1)/3⌋ (the manual's table: panels of 8–10 → 3, 11–13 → 4,
    14–16 → 5; jamlik extends the same formula to other sizes and says so in ``note``).

    scale: (low, high) of the round's scale; other scales than 1–9 (e.g. 1–5) are mapped linearly
    onto 1–9 for the IPRAS constants and the thirds, and the results are mapped back
    (jamlik's choice; the manual defines the method for 1–9 only).
    Raises ValueError for an empty list, non-numbers, or a rating outside the scale.
    """
    lo_s, hi_s = (v.number(x, "skalans gräns") for x in scale)
    if not hi_s > lo_s:
        raise ValueError(f"skalan {scale} ska anges som (lägsta, högsta) med lägsta < högsta.")
    x = v.array(ratings, "betygen")
    outside = np.flatnonzero((x < lo_s) | (x > hi_s))
    if outside.size:
        i = int(outside[0])
        raise ValueError(
            f"betyg {i + 1} är {x[i]:g}, utanför skalan {lo_s:g}–{hi_s:g} — rätta betyget."
        )
    to9 = 1 + 8 * (x - lo_s) / (hi_s - lo_s)
    back = (hi_s - lo_s) / 8
    s = np.sort(to9)
    n = s.size
    med9 = float(np.median(s))
    p30, p70 = _percentile(s, 0.30), _percentile(s, 0.70)
    ipr = p70 - p30
    iprcp = (p30 + p70) / 2
    ai = abs(5 - iprcp)
    ipras = IPR_SYMMETRIC + ASYMMETRY_FACTOR * ai
    disagreement = ipr > ipras + 1e-12
    k = (n + 1) // 3
    panel = bool(k > 0 and (s <= 3).sum() >= k and (s >= 7).sum() >= k)
    if disagreement:
        cls = "uncertain"
    elif med9 >= 7:
        cls = "appropriate"
    elif med9 <= 3:
        cls = "inappropriate"
    else:
        cls = "uncertain"
    notes = []
    if not 8 <= n <= 16:
        notes.append(
            f"panelregeln är definierad för 8–16 bedömare; här {n}, gränsen {k} är utökad."
        )
    if (lo_s, hi_s) != (1.0, 9.0):
        notes.append(f"skalan {lo_s:g}–{hi_s:g} räknades om till 1–9 för IPRAS.")

    def orig(y: float) -> float:
        return lo_s + (y - 1) * back

    return RandClassification(
        n=n,
        median=orig(med9),
        p30=orig(p30),
        p70=orig(p70),
        ipr=ipr,
        iprcp=orig(iprcp),
        asymmetry_index=ai,
        ipras=ipras,
        disagreement=bool(disagreement),
        disagreement_panel_rule=panel,
        panel_threshold=k,
        classification=cls,
        scale=(lo_s, hi_s),
        note=" ".join(notes) or None,
    )


__all__ = ["CLASS_SV", "RandClassification", "rand_classification"]
