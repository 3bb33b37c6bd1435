"""Behaviour of the single-estimate methods beyond the PHE reference cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from jamlik.stats import (
    ESP2013,
    ESP2013_AGE_BANDS,
    count_ci,
    dsr,
    isr,
    isratio,
    mean_ci,
    proportion_ci,
    rate_ci,
)


def test_confidence_accepts_fraction_or_percent_and_998() -> None:
    a = proportion_ci(20, 100, 0.95)
    b = proportion_ci(20, 100, 95)
    c = proportion_ci(20, 100, 99.8)
    assert (a.lower, a.upper) == (b.lower, b.upper)
    assert c.confidence == pytest.approx(0.998)
    assert c.lower < a.lower < a.upper < c.upper


@pytest.mark.parametrize("confidence", [0.5, 0.8, 1.0, 100, 150, -95, float("nan")])
def test_confidence_outside_range_is_rejected_in_swedish(confidence: float) -> None:
    with pytest.raises(ValueError, match="konfidensgrad"):
        proportion_ci(20, 100, confidence)


@pytest.mark.parametrize(
    ("x", "n", "fragment"),
    [
        (-1, 100, "negativt"),
        (101, 100, "större än nämnaren"),
        (5, 0, "större än 0"),
        (float("nan"), 100, "saknat"),
        (None, 100, "saknas"),
        ("tio", 100, "inte ett tal"),
    ],
)
def test_proportion_rejects_invalid_input(x: object, n: object, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        proportion_ci(x, n)  # type: ignore[arg-type]


def test_proportion_zero_and_all_stay_within_bounds() -> None:
    none = proportion_ci(0, 50, multiplier=100)
    every = proportion_ci(50, 50, multiplier=100)
    assert none.value == 0 and none.lower == 0 and 0 < none.upper < 100
    assert every.value == 100 and every.upper == 100 and 0 < every.lower < 100


def test_count_ci_switches_from_exact_to_byars_at_ten() -> None:
    assert count_ci(9).method == "Exact"
    assert count_ci(10).method == "Byars"


def test_exact_poisson_limits_match_the_gamma_definition() -> None:
    # Exact limits are the gamma quantiles: lower Γ⁻¹(α/2; O), upper Γ⁻¹(1 − α/2; O + 1).
    for o in range(1, 10):
        est = count_ci(o, 0.95)
        assert est.lower == pytest.approx(sps.gamma.ppf(0.025, o), rel=1e-10)
        assert est.upper == pytest.approx(sps.gamma.ppf(0.975, o + 1), rel=1e-10)


def test_count_ci_of_zero_has_lower_limit_zero() -> None:
    est = count_ci(0)
    assert est.lower == 0
    assert est.upper == pytest.approx(-math.log(0.025), rel=1e-10)  # 3.689: the classic value


def test_count_ci_rejects_negative_count_and_unknown_method() -> None:
    with pytest.raises(ValueError, match="negativt"):
        count_ci(-3)
    with pytest.raises(ValueError, match="okänd metod"):
        count_ci(3, method="Wald")


def test_rate_ci_divides_count_limits_by_denominator() -> None:
    est = rate_ci(45, 30_000)
    c = count_ci(45)
    assert est.value == pytest.approx(150.0)
    assert est.lower == pytest.approx(c.lower / 30_000 * 100_000)
    assert est.upper == pytest.approx(c.upper / 30_000 * 100_000)
    assert est.method == "Byars"
    assert rate_ci(4, 30_000, multiplier=1000).method == "Exact"


def test_rate_ci_rejects_zero_denominator() -> None:
    with pytest.raises(ValueError, match="nämnaren"):
        rate_ci(3, 0)


def test_mean_ci_matches_students_t() -> None:
    values = [4.1, 5.3, 6.2, 5.9, 4.8, 5.5]
    est = mean_ci(values, 95)
    lo, hi = sps.t.interval(0.95, len(values) - 1, loc=np.mean(values), scale=sps.sem(values))
    assert est.value == pytest.approx(np.mean(values))
    assert (est.lower, est.upper) == pytest.approx((lo, hi))
    assert est.method == "Student's t"


@pytest.mark.parametrize(
    ("values", "fragment"),
    [([], "tom"), ([3.0], "minst 2"), ([1.0, float("nan"), 2.0], "position 2"), (None, "saknas")],
)
def test_mean_ci_rejects_empty_short_and_nan(values: object, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        mean_ci(values)  # type: ignore[arg-type]


def test_esp2013_has_19_bands_summing_to_100000() -> None:
    assert len(ESP2013) == len(ESP2013_AGE_BANDS) == 19
    assert sum(ESP2013) == 100_000
    assert ESP2013_AGE_BANDS[0] == "0-4" and ESP2013_AGE_BANDS[-1] == "90+"


def test_dsr_of_a_population_shaped_like_the_standard_equals_the_crude_rate() -> None:
    pops = [w * 3 for w in ESP2013]
    counts = [round(p * 0.01) for p in pops]
    est = dsr(counts, pops)
    assert est.value == pytest.approx(sum(counts) / sum(pops) * 100_000)


def test_dsr_rejects_mismatched_lengths_and_wrong_standard() -> None:
    with pytest.raises(ValueError, match="olika längd"):
        dsr([10, 20], [100, 200, 300], standard=[1, 1, 1])
    with pytest.raises(ValueError, match="19 grupper"):
        dsr([10, 20], [100, 200])


def test_dsr_non_independent_needs_consistent_frequencies() -> None:
    counts, pops, std = [30, 40], [1000, 1000], [1, 1]
    with pytest.raises(ValueError, match="kräver frekvenser"):
        dsr(counts, pops, std, independent=False)
    with pytest.raises(ValueError, match="ska vara lika med antalet"):
        dsr(counts, pops, std, independent=False, frequencies=[[30, 0], [30, 1]])
    with pytest.raises(ValueError, match="bara för icke-oberoende"):
        dsr(counts, pops, std, frequencies=[[30, 0], [40, 0]])
    single = dsr(counts, pops, std, independent=False, frequencies=[[30, 0], [40, 0]])
    plain = dsr(counts, pops, std)
    repeated = dsr(counts, pops, std, independent=False, frequencies=[[10, 10], [20, 10]])
    # One event per person is the independent case; repeat events widen the limits.
    assert (single.lower, single.upper) == pytest.approx((plain.lower, plain.upper))
    assert repeated.value == plain.value
    assert repeated.upper - repeated.lower > plain.upper - plain.lower


def test_isr_rejects_a_reference_without_events() -> None:
    with pytest.raises(ValueError, match="förväntade antalet är 0"):
        isratio([3, 4], [100, 100], [0, 0], [1000, 1000])


def test_isr_uses_exact_limits_below_ten_events() -> None:
    est = isr([2, 3], [100, 100], [50, 50], [1000, 1000])
    assert est.method == "Exact"
    assert est.lower < est.value < est.upper
