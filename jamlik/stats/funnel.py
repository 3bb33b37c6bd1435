"""Funnel-plot control limits (Spiegelhalter 2005), for comparing many areas with a target
against their size.

Reference: D. J. Spiegelhalter, "Funnel plots for comparing institutional performance",
Statistics in Medicine 24 (2005) 1185–1202, Appendix A.1 (exact limits with interpolation);
the method PHE/OHID's Fingertips funnel charts use (APHO technical briefing 2, "Statistical
process control methods in public health intelligence", 2008).

For a target θ and a size n (denominator; for a rate, person-years), the p-limit of the
observed proportion (or rate) y = r/n is found from the count R ~ Binomial(n, θ) (proportion)
or R ~ Poisson(nθ) (rate):

    r_p = the smallest integer r with P(R ≤ r) ≥ p
    α   = (P(R ≤ r_p) − p) / (P(R ≤ r_p) − P(R ≤ r_p − 1))
    y_p = (r_p − α) / n

which interpolates between the discrete counts so the limits are smooth in n; at r_p = 0 the
interpolation can fall below zero, so limits are clipped to [0, 1] (proportion) or ≥ 0 (rate). For a two-sided
95 % funnel p = 0.025 and 0.975; for 99.8 % p = 0.001 and 0.999. An area outside the 99.8 %
limits differs from the target by more than chance ("special-cause variation").
``normal_limit`` is the large-n approximation θ ± z·√(θ(1−θ)/n) (proportion) or θ ± z·√(θ/n)
(rate). Tested against an independent pure-Python implementation (direct summation of the
probability mass) and against the normal approximation at large n (tests/stats/test_funnel.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jamlik.stats import _validate as v

KINDS = ("proportion", "rate")


def _cdf(kind: str, r: float, n: float, theta: float) -> float:
    from scipy import stats as _st  # imported on first use (scipy.stats ≈ 1 s)

    if r < 0:
        return 0.0
    if kind == "proportion":
        return float(_st.binom.cdf(r, int(round(n)), theta))
    return float(_st.poisson.cdf(r, n * theta))


def _ppf(kind: str, p: float, n: float, theta: float) -> float:
    from scipy import stats as _st  # imported on first use (scipy.stats ≈ 1 s)

    if kind == "proportion":
        return float(_st.binom.ppf(p, int(round(n)), theta))
    return float(_st.poisson.ppf(p, n * theta))


def funnel_limit(theta: float, n: float, p: float, kind: str = "proportion") -> float:
    """The p-quantile control limit (Spiegelhalter 2005, A.1.1/A.1.2) of y = r/n at size n.

    theta: the target as a fraction (proportion, 0–1) or per unit of n (rate); n > 0 (for a
    proportion rounded to whole cases); p in (0, 1). Returns a fraction/rate per unit of n.
    """
    if kind not in KINDS:
        raise ValueError(f"okänd typ {kind!r}: använd proportion eller rate")
    n = v.positive(n, "storleken n")
    p = v.number(p, "sannolikheten p")
    if not 0 < p < 1:
        raise ValueError("sannolikheten p ska ligga mellan 0 och 1")
    theta = v.number(theta, "målvärdet θ")
    if kind == "proportion" and not 0 <= theta <= 1:
        raise ValueError("målvärdet θ för en andel ska ligga mellan 0 och 1")
    if kind == "rate" and theta < 0:
        raise ValueError("målvärdet θ för en kvot kan inte vara negativt")
    if kind == "proportion":
        n = float(max(1, int(round(n))))
    r = _ppf(kind, p, n, theta)
    if math.isnan(r):
        return math.nan
    upper_cdf = _cdf(kind, r, n, theta)
    lower_cdf = _cdf(kind, r - 1, n, theta)
    alpha = 0.0 if upper_cdf == lower_cdf else (upper_cdf - p) / (upper_cdf - lower_cdf)
    limit = max(0.0, (r - alpha) / n)
    return min(limit, 1.0) if kind == "proportion" else limit


def normal_limit(theta: float, n: float, z: float, kind: str = "proportion") -> float:
    """The normal approximation θ + z·√(θ(1−θ)/n) (proportion) or θ + z·√(θ/n) (rate)."""
    n = v.positive(n, "storleken n")
    var = theta * (1 - theta) if kind == "proportion" else theta
    return float(theta + z * math.sqrt(max(var, 0.0) / n))


@dataclass(frozen=True)
class FunnelLimits:
    """Control limits at each size: lower/upper 95 % and 99.8 %, as fractions/rates."""

    n: tuple[float, ...]
    lower95: tuple[float, ...]
    upper95: tuple[float, ...]
    lower998: tuple[float, ...]
    upper998: tuple[float, ...]


def _limits_array(theta: float, sizes: np.ndarray, p: float, kind: str) -> np.ndarray:
    """``funnel_limit`` for many sizes at once (the same formula, vectorised)."""
    from scipy import stats as _st  # imported on first use (scipy.stats ≈ 1 s)

    n = np.asarray(sizes, dtype=float)
    if kind == "proportion":
        n = np.maximum(1.0, np.round(n))
        dist = _st.binom(n, theta)
    else:
        dist = _st.poisson(n * theta)
    r = dist.ppf(p)
    hi, lo = dist.cdf(r), np.where(r >= 1, dist.cdf(r - 1), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = np.where(hi == lo, 0.0, (hi - p) / (hi - lo))
    limit = np.maximum(0.0, (r - alpha) / n)
    return np.minimum(limit, 1.0) if kind == "proportion" else limit


def funnel_limits(theta: float, sizes: Sequence[float], kind: str = "proportion"
                  ) -> FunnelLimits:
    """95 % and 99.8 % funnel limits (``funnel_limit`` at p = .025/.975 and .001/.999)."""
    if kind not in KINDS:
        raise ValueError(f"okänd typ {kind!r}: använd proportion eller rate")
    ns = np.asarray([v.positive(s, "storleken n") for s in sizes], dtype=float)
    out = [tuple(float(x) for x in _limits_array(theta, ns, p, kind))
           for p in (0.025, 0.975, 0.001, 0.999)]
    return FunnelLimits(tuple(float(s) for s in ns), *out)


def funnel_positions(values: Sequence[float], sizes: Sequence[float], theta: float,
                     kind: str = "proportion") -> list[str]:
    """``funnel_position`` for many areas at once."""
    lim = funnel_limits(theta, sizes, kind)
    out = []
    for y, lo95, hi95, lo998, hi998 in zip(values, lim.lower95, lim.upper95, lim.lower998,
                                           lim.upper998, strict=True):
        out.append("above_998" if y > hi998 else "above_95" if y > hi95 else
                   "below_998" if y < lo998 else "below_95" if y < lo95 else "within")
    return out


def funnel_position(value: float, n: float, theta: float, kind: str = "proportion") -> str:
    """Where an area lies: 'above_998', 'above_95', 'within', 'below_95' or 'below_998'."""
    if value > funnel_limit(theta, n, 0.999, kind):
        return "above_998"
    if value > funnel_limit(theta, n, 0.975, kind):
        return "above_95"
    if value < funnel_limit(theta, n, 0.001, kind):
        return "below_998"
    if value < funnel_limit(theta, n, 0.025, kind):
        return "below_95"
    return "within"
