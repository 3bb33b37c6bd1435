"""Where a published value's 95 % and 99.8 % limits come from."""

from __future__ import annotations

from typing import Any

from jamlik.analysis._series import as_float
from jamlik.stats.compare import margin_limits, widen_limits
from jamlik.stats.counts import count_ci, rate_ci
from jamlik.stats.estimate import Estimate, clamp_limits, value_range
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
