"""Comparing estimates: two estimates with each other, and an area with a benchmark.

- ``compare_estimates``: z test on the difference of two independent estimates (two periods,
  two groups such as women and men) from their standard errors or 95 % limits.
- ``ratio_of_estimates``: the ratio a/b with log-scale limits.
- ``margin_limits``: Kolada's osäkerhetstal (margin) → value ± margin as 95 % limits.
- ``benchmark_p_value``: the two-sided p-value that goes with that comparison (for ranking).
- ``benchmark_significance``: the Fingertips comparison of an area's confidence limits with a
  benchmark value (inside the 95 % limits → similar; outside → better/worse; outside the 99.8 %
  limits too → the darker shade), polarity-aware.
Reference: Altman DG, Bland JM (2003) BMJ 326:219 ("Interaction revisited: the difference between
two estimates"); OHID/PHE Fingertips technical guidance, "Benchmarking".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from jamlik.stats import _validate as v
from jamlik.stats.estimate import Estimate, clamp_limits, normalise_confidence, z_value

_z = cache(z_value)  # profiles compare thousands of pairs; the quantile is the same each time


__all__ = [
    "BENCHMARK_CODES", "Comparison", "benchmark_p_value", "benchmark_significance",
    "compare_estimates",
    "margin_limits", "ratio_of_estimates", "se_of", "widen_limits", "with_benchmark_se",
]  # fmt: skip


@dataclass(frozen=True)
class Comparison:
    """Difference a − b with its limits, z statistic and two-sided p-value."""

    difference: float
    lower: float
    upper: float
    z: float
    p_value: float
    confidence: float

    @property
    def significant(self) -> bool:
        return self.p_value < 1 - self.confidence


def se_of(estimate: Estimate) -> float:
    """Standard error implied by an estimate's limits: (upper − lower) / (2·z).

    Raises ValueError when the estimate has no limits.
    """
    if not estimate.has_limits or estimate.value is None:
        raise ValueError(
            "skattningen saknar konfidensintervall — skillnaden kan inte testas; "
            "ange gränser, standardfel eller osäkerhetstal."
        )
    return (float(estimate.upper) - float(estimate.lower)) / (2 * _z(estimate.confidence))  # type: ignore[arg-type]


def compare_estimates(a: Estimate, b: Estimate, confidence: float = 0.95) -> Comparison:
    """z test for the difference of two independent estimates.

    d = a − b;  SE(d) = √(SE_a² + SE_b²), SEᵢ = (Uᵢ − Lᵢ)/(2·z_i) from each estimate's limits;
    z = d / SE(d), p = 2·(1 − Φ(|z|)); limits d ∓ z_{conf}·SE(d).
    Reference: Altman & Bland (2003) BMJ 326:219.

    Assumes independence (not valid for overlapping pooled periods of the same area: compare
    non-overlapping periods). Raises ValueError when either estimate lacks limits or both SEs are 0.
    """
    level = normalise_confidence(confidence)
    se = math.hypot(se_of(a), se_of(b))
    if se <= 0:
        raise ValueError("båda skattningarna har standardfelet 0 — skillnaden kan inte testas.")
    d = float(a.value) - float(b.value)  # type: ignore[arg-type]
    z = d / se
    half = _z(level) * se
    return Comparison(d, d - half, d + half, z, math.erfc(abs(z) / math.sqrt(2)), level)


def ratio_of_estimates(a: Estimate, b: Estimate, confidence: float = 0.95) -> Estimate:
    """Ratio a / b with limits from the log scale.

    SE(log r) = √((SE_a/a)² + (SE_b/b)²);  limits r·exp(∓z·SE(log r)).
    Raises ValueError when a value is ≤ 0 or limits are missing.
    """
    av = v.positive(a.value, "täljarskattningen")
    bv = v.positive(b.value, "nämnarskattningen")
    level = normalise_confidence(confidence)
    ratio = av / bv
    se_log = math.hypot(se_of(a) / av, se_of(b) / bv)
    half = _z(level) * se_log
    return Estimate(ratio, ratio * math.exp(-half), ratio * math.exp(half), level, "log-ratio")


def margin_limits(
    value: float,
    margin: float,
    *,
    confidence: float = 0.95,
    lowest: float | None = None,
    highest: float | None = None,
) -> Estimate:
    """Limits from a published margin of error (Kolada's osäkerhetstal): value ∓ margin.

    Kolada publishes the survey KPIs' osäkerhetstal as the half-width of a 95 % interval.
    lowest/highest: the measure's range (``value_range``), e.g. 0 and 100 for a share in per
    cent; the limits are clamped to it (3 % ± 5 → 0–8, not −2–8).
    Raises ValueError for a negative or missing margin.
    """
    x = v.number(value, "värdet")
    m = v.non_negative(margin, "osäkerhetstalet")
    e = Estimate(x, x - m, x + m, normalise_confidence(confidence), "margin")
    return clamp_limits(e, lowest, highest)


def widen_limits(estimate: Estimate, confidence: float) -> Estimate:
    """Symmetric limits at another confidence level from an estimate's SE (e.g. 95 % → 99.8 %).

    value ∓ z_{new}·SE. Used when the source gives only 95 % limits; exact methods (Wilson,
    Poisson) should be recomputed at the new level instead.
    """
    se = se_of(estimate)
    half = _z(confidence) * se
    x = float(estimate.value)  # type: ignore[arg-type]
    return Estimate(
        x, x - half, x + half, normalise_confidence(confidence), estimate.method + ", normal"
    )


def with_benchmark_se(estimate: Estimate, benchmark: float, benchmark_se: float) -> Estimate:
    """The area's limits widened by a benchmark's own standard error, for comparing the area
    with an *estimated* benchmark (e.g. the mean of similar municipalities) by the Fingertips
    rule (benchmark outside the returned limits ⇔ significant).

    On the side facing the benchmark, SE_a = |value − limit| / z (this keeps Wilson's and
    Poisson's asymmetry) and the limit moves to value ∓ z·√(SE_a² + SE_b²): the benchmark lies
    outside exactly when the two-sided z test of (value − benchmark) with
    SE = √(SE_a² + SE_b²) is significant at the estimate's confidence (Altman & Bland 2003).
    The far side is left unchanged. SE_b = 0 returns the estimate unchanged.
    Raises ValueError for a negative or missing SE_b or an estimate without limits.
    """
    sb = v.non_negative(benchmark_se, "jämförelsevärdets standardfel")
    if estimate.lower is None or estimate.upper is None or estimate.value is None:
        raise ValueError("skattningen saknar konfidensgränser")
    if sb == 0:
        return estimate
    z = _z(estimate.confidence)
    x = float(estimate.value)
    lower, upper = float(estimate.lower), float(estimate.upper)
    if benchmark < x:
        lower = x - z * math.hypot((x - lower) / z, sb)
    else:
        upper = x + z * math.hypot((upper - x) / z, sb)
    return Estimate(x, lower, upper, estimate.confidence, estimate.method + ", benchmark SE")


#: Codes returned by ``benchmark_significance``.
BENCHMARK_CODES = (
    "better_998", "better", "similar", "worse", "worse_998", "higher", "lower", "not_compared",
)  # fmt: skip


def benchmark_significance(
    benchmark: float | None,
    lower95: float | None,
    upper95: float | None,
    polarity: str,
    *,
    lower998: float | None = None,
    upper998: float | None = None,
) -> str:
    """Fingertips' comparison of an area with a benchmark value.

    The benchmark inside the area's 95 % limits → "similar"; below the lower limit → the area is
    higher, above the upper limit → lower. Higher/lower become "better"/"worse" by polarity
    ("higher_is_better", "lower_is_better"); outside the 99.8 % limits as well → "better_998" /
    "worse_998". No-judgement indicators give "higher"/"lower"/"similar". Missing limits or
    benchmark → "not_compared".
    """
    if benchmark is None or lower95 is None or upper95 is None:
        return "not_compared"
    if any(isinstance(x, float) and math.isnan(x) for x in (benchmark, lower95, upper95)):
        return "not_compared"
    if lower95 <= benchmark <= upper95:
        return "similar"
    higher = benchmark < lower95
    if polarity == "no_judgement":
        return "higher" if higher else "lower"
    better = higher == (polarity == "higher_is_better")
    strong = False
    if lower998 is not None and upper998 is not None:
        strong = benchmark < lower998 if higher else benchmark > upper998
    word = "better" if better else "worse"
    return f"{word}_998" if strong else word


def benchmark_p_value(
    value: float, lower: float, upper: float, benchmark: float, *, confidence: float = 0.95
) -> float:
    """Two-sided p-value of an area's value against a benchmark value, from the area's limits.

    SE from the half-width on the benchmark's side (limits may be asymmetric, e.g. Wilson):
    SE = (value − lower)/z when the benchmark is below the value, (upper − value)/z otherwise;
    p = 2·(1 − Φ(|value − benchmark|/SE)). So p < 1 − confidence exactly when the benchmark lies
    outside the limits — the same decision as ``benchmark_significance``, with a strength
    attached for ranking and multiplicity. p = 1 when value equals the benchmark.
    Reference: Fingertips "Benchmarking" (the decision); Altman DG, Bland JM (2011) BMJ 343:d2304
    ("How to obtain the P value from a confidence interval").
    Raises ValueError for missing numbers, reversed limits or a value outside its limits.
    """
    x = v.number(value, "värdet")
    lo = v.number(lower, "den nedre gränsen")
    hi = v.number(upper, "den övre gränsen")
    b = v.number(benchmark, "jämförelsevärdet")
    if not lo <= x <= hi:
        raise ValueError(
            f"värdet {x:g} ligger utanför sina gränser {lo:g}–{hi:g} — kontrollera indata."
        )
    if x == b:
        return 1.0
    half = (x - lo) if b < x else (hi - x)
    if half <= 0:
        return 0.0
    z = abs(x - b) / (half / _z(normalise_confidence(confidence)))
    return math.erfc(z / math.sqrt(2))
