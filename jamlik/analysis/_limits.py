"""Where a published value's 95 % and 99.8 % limits come from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from jamlik.analysis._series import as_float
from jamlik.stats.compare import margin_limits, widen_limits
from jamlik.stats.counts import count_ci, rate_ci
from jamlik.stats.estimate import Estimate, clamp_limits, value_range, z_value
from jamlik.stats.limits_many import count_ci_many, proportion_ci_many, rate_ci_many
from jamlik.stats.proportion import proportion_ci


def _consistent(value: float, expected: float) -> bool:
    # Counts only yield limits when they reproduce the published value (a standardised rate
    # published with crude counts must not get crude Poisson limits).
    return abs(value - expected) <= max(0.02 * abs(expected), 1e-9)


def limits_for(
    value: float | None, obs: dict[str, Any], measure_type: str, multiplier: float,
    *, with_998: bool = True,
) -> tuple[Estimate | None, Estimate | None, str | None]:
    """(95 % estimate, 99.8 % estimate, limits_source) for one published value.

    Order: the source's limits, the margin KPI (value ± margin), Wilson for proportions with
    counts, Poisson for rates/counts with counts. Limits from the source or a margin are clamped
    to the measure's range (``value_range``: a share 0–100, a rate ≥ 0); the 99.8 % limits are
    widened from the unclamped 95 % ones first. Last come limits *derived* from the catalogue's
    denominator series (``obs["base"]``, the population of the base over the period, e.g.
    invånare 20–64 år): numerator = round(value × base / multiplier), then Wilson (proportions)
    or exact/Byar's Poisson (rates), ``limits_source = "derived"``. None when nothing gives
    limits. The estimate's ``method`` names the method ("Wilson", "Byars", "Exact", "margin" …).
    """
    if value is None:
        return None, None, None
    lo, hi = as_float(obs.get("lower")), as_float(obs.get("upper"))
    if lo is not None and hi is not None and hi >= lo:
        e = Estimate(value, lo, hi, 0.95, "source")
        wide = (widen_limits(e, 0.998) if hi > lo else e) if with_998 else None
        return _in_range(e, wide, measure_type, multiplier, "source")
    margin = as_float(obs.get("margin"))
    if margin is not None and margin >= 0:
        e = margin_limits(value, margin)
        wide = (widen_limits(e, 0.998) if margin > 0 else e) if with_998 else None
        return _in_range(e, wide, measure_type, multiplier, "margin")
    num, den = as_float(obs.get("numerator")), as_float(obs.get("denominator"))
    if num is None:
        return _derived(value, as_float(obs.get("base")), measure_type, multiplier, with_998)
    try:
        if measure_type == "proportion" and den and _consistent(value, num / den * multiplier):
            return (proportion_ci(num, den, 0.95, multiplier),
                    proportion_ci(num, den, 0.998, multiplier) if with_998 else None, "wilson")
        if measure_type == "rate" and den and _consistent(value, num / den * multiplier):
            return (rate_ci(num, den, 0.95, multiplier),
                    rate_ci(num, den, 0.998, multiplier) if with_998 else None, "poisson")
        if measure_type == "count" and _consistent(value, num):
            return count_ci(num, 0.95), count_ci(num, 0.998) if with_998 else None, "poisson"
    except ValueError:
        return None, None, None
    return None, None, None


def _in_range(e95: Estimate, e998: Estimate | None, measure_type: str, multiplier: float,
              source: str) -> tuple[Estimate, Estimate | None, str]:
    lowest, highest = value_range(measure_type, multiplier)
    return (clamp_limits(e95, lowest, highest),
            clamp_limits(e998, lowest, highest) if e998 is not None else None, source)


def derived_counts(value: float, base: float | None, multiplier: float) -> tuple[float, float] | None:
    """(numerator, denominator) implied by a published share or rate and its base population:
    numerator = round(value × base / multiplier). None without a positive base."""
    if base is None or not base > 0 or not multiplier > 0:
        return None
    return float(round(value * base / multiplier)), float(base)


def _derived(value: float, base: float | None, measure_type: str, multiplier: float,
             with_998: bool) -> tuple[Estimate | None, Estimate | None, str | None]:
    counts = derived_counts(value, base, multiplier) if measure_type in ("proportion", "rate") \
        else None
    if counts is None:
        return None, None, None
    num, den = counts
    try:
        if measure_type == "proportion":
            if num > den:
                return None, None, None
            return (proportion_ci(num, den, 0.95, multiplier),
                    proportion_ci(num, den, 0.998, multiplier) if with_998 else None, "derived")
        return (rate_ci(num, den, 0.95, multiplier),
                rate_ci(num, den, 0.998, multiplier) if with_998 else None, "derived")
    except ValueError:
        return None, None, None


#: ``PointLimits.source`` codes: index into this tuple (0: no limits).
SOURCES = (None, "source", "margin", "wilson", "poisson", "derived")


@dataclass(frozen=True)
class PointLimits:
    """``limits_for`` of many published values at once, as arrays (NaN: no limit).

    value: the estimate's value (the published value for limits from the source or a margin;
    recomputed from the counts for Wilson and Poisson, as ``limits_for``'s estimates are);
    lower/upper: the 95 % limits, lower_998/upper_998 the 99.8 % ones; source: the index of
    ``limits_source`` in ``SOURCES`` (0: none); exact: Poisson limits by the exact method
    ("Exact", else "Byars"); the method of every other source follows from it."""

    value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    lower_998: np.ndarray
    upper_998: np.ndarray
    source: np.ndarray
    exact: np.ndarray

    def method(self, k: int) -> str | None:
        """``Estimate.method`` of the 95 % limits of value k (None without limits)."""
        code = int(self.source[k])
        if code == 0:
            return None
        if code in (1, 2):
            return SOURCES[code]
        if code == 3 or (code == 5 and self.exact[k] == -1):
            return "Wilson"
        return "Exact" if self.exact[k] == 1 else "Byars"

    def estimate(self, k: int) -> Estimate | None:
        """The 95 % ``Estimate`` of value k, as ``limits_for(..., with_998=False)[0]`` gives it."""
        if not self.source[k]:
            return None
        lo, hi = float(self.lower[k]), float(self.upper[k])
        return Estimate(float(self.value[k]), None if lo != lo else lo, hi, 0.95,
                        self.method(k) or "")


def limits_many(value: np.ndarray, lower: np.ndarray, upper: np.ndarray, margin: np.ndarray,
                numerator: np.ndarray, denominator: np.ndarray, base: np.ndarray,
                measure: np.ndarray, multiplier: np.ndarray) -> PointLimits:
    """``limits_for`` of every value at once (NaN: missing; measure and multiplier per value):
    the same order of sources (the source's limits, the margin, counts that reproduce the
    value, limits derived from the base population) and the same formulas, clamped to the
    measure's range the same way (``stats.limits_many`` for Wilson and Poisson, bit for bit
    the per-value functions). ``tests/analysis/test_limits_many.py`` compares both."""
    v = np.asarray(value, dtype=float)
    size = v.shape
    lo, hi = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    mg = np.asarray(margin, dtype=float)
    num, den = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    bs = np.asarray(base, dtype=float)
    m = np.asarray(multiplier, dtype=float)
    prop, rate, count = measure == "proportion", measure == "rate", measure == "count"
    has_v = np.isfinite(v)
    by_source = has_v & np.isfinite(lo) & np.isfinite(hi) & (hi >= lo)
    by_margin = has_v & ~by_source & np.isfinite(mg) & (mg >= 0)
    rest = has_v & ~by_source & ~by_margin
    counted = rest & np.isfinite(num)
    derived = rest & ~np.isfinite(num)

    out_v = np.full(size, np.nan)
    l95, u95, l998, u998 = (np.full(size, np.nan) for _ in range(4))
    source = np.zeros(size, dtype=np.int8)
    exact = np.zeros(size, dtype=np.int8)  # 1 exact Poisson, 0 Byar's, −1 Wilson
    z95, z998 = z_value(0.95), z_value(0.998)

    # The source's limits and the margin: value ± …, 99.8 % widened from the unclamped 95 %.
    a_lo = np.where(by_source, lo, v - mg)
    a_hi = np.where(by_source, hi, v + mg)
    given = by_source | by_margin
    width = np.where(by_source, hi > lo, mg > 0)
    se = (a_hi - a_lo) / (2 * z95)
    half = z998 * se
    w_lo = np.where(width, v - half, a_lo)
    w_hi = np.where(width, v + half, a_hi)
    low = np.where(prop | rate | count | (measure == "ratio") | (measure == "years"), 0.0, np.nan)
    high = np.where(prop, m, np.nan)
    for a, b, dst_lo, dst_hi in ((a_lo, a_hi, l95, u95), (w_lo, w_hi, l998, u998)):
        c_lo, c_hi = _clamp(v, a, b, low, high)
        dst_lo[given], dst_hi[given] = c_lo[given], c_hi[given]
    out_v[given] = v[given]
    source[by_source] = 1
    source[by_margin] = 2

    # Counts that reproduce the published value (|value − expected| ≤ max(2 %, 1e-9)).
    with np.errstate(divide="ignore", invalid="ignore"):
        share = num / den * m
    den_ok = np.isfinite(den) & (den != 0)
    wilson = counted & prop & den_ok & _consistent_many(v, share)
    poisson_rate = counted & rate & den_ok & _consistent_many(v, share)
    poisson_count = counted & count & _consistent_many(v, num)
    # Limits derived from the base population: numerator = round(value × base / multiplier).
    made = derived & (prop | rate) & np.isfinite(bs) & (bs > 0) & (m > 0)
    with np.errstate(invalid="ignore"):
        d_num = np.where(made, np.round(np.where(made, v, 0.0) * np.where(made, bs, 0.0)
                                        / np.where(made, m, 1.0)), np.nan)
    d_wilson = made & prop & (d_num <= bs)
    d_rate = made & rate

    for pick, x, n, code in ((wilson, num, den, 3), (d_wilson, d_num, bs, 5)):
        if pick.any():
            for conf, dst_lo, dst_hi in ((0.95, l95, u95), (0.998, l998, u998)):
                ev, el, eu = proportion_ci_many(x[pick], n[pick], conf, m[pick])
                dst_lo[pick], dst_hi[pick] = el, eu
            ok = pick.copy()
            ok[pick] = np.isfinite(ev)
            out_v[ok] = ev[np.isfinite(ev)]
            source[ok] = code
            exact[ok] = -1
    poisson: tuple[tuple[np.ndarray, np.ndarray, np.ndarray | None, int], ...] = (
        (poisson_rate, num, den, 4), (d_rate, d_num, bs, 5), (poisson_count, num, None, 4))
    for pick, x, n_or_none, code in poisson:
        if pick.any():
            for conf, dst_lo, dst_hi in ((0.95, l95, u95), (0.998, l998, u998)):
                if n_or_none is None:
                    el, eu, ex = count_ci_many(x[pick], conf)
                    ev = np.where(np.isfinite(eu), x[pick], np.nan)
                else:
                    ev, el, eu, ex = rate_ci_many(x[pick], n_or_none[pick], conf, m[pick])
                dst_lo[pick], dst_hi[pick] = el, eu
                if conf == 0.95:
                    ex95 = ex
            ok = pick.copy()
            ok[pick] = np.isfinite(ev)
            out_v[ok] = ev[np.isfinite(ev)]
            source[ok] = code
            exact[ok] = ex95[np.isfinite(ev)].astype(np.int8)
    none = source == 0
    for arr in (l95, u95, l998, u998):
        arr[none] = np.nan
    return PointLimits(out_v, l95, u95, l998, u998, source, exact)


def _consistent_many(value: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``_consistent`` for arrays."""
    with np.errstate(invalid="ignore"):
        return np.abs(value - expected) <= np.maximum(0.02 * np.abs(expected), 1e-9)


def _clamp(x: np.ndarray, lower: np.ndarray, upper: np.ndarray, lowest: np.ndarray,
           highest: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``clamp_limits`` for arrays (NaN lowest/highest: open; a limit never passes the value)."""
    floor = np.where(lowest < x, lowest, x)  # min(lowest, x)
    has_low = ~np.isnan(lowest)
    lower = np.where(has_low & (floor > lower), floor, lower)
    upper = np.where(has_low & (floor > upper), floor, upper)
    ceiling = np.where(highest > x, highest, x)  # max(highest, x)
    has_high = ~np.isnan(highest)
    lower = np.where(has_high & (ceiling < lower), ceiling, lower)
    upper = np.where(has_high & (ceiling < upper), ceiling, upper)
    return lower, upper
