"""Comparison of two estimates, margins as limits, and benchmark significance."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamlik.stats.compare import (
    benchmark_significance,
    compare_estimates,
    margin_limits,
    ratio_of_estimates,
    widen_limits,
)
from jamlik.stats.estimate import Estimate

Z95 = 1.959963984540054


def _est(value: float, se: float) -> Estimate:
    return Estimate(value, value - Z95 * se, value + Z95 * se, 0.95, "test")


def test_difference_z_test_matches_hand_calculation():
    # Hand calculation with the formula of Altman & Bland (2003) BMJ 326:219:
    # d = 0.25 − 0.10, SE = √(0.05² + 0.04²) = 0.0640, z = 2.34, p = 0.019.
    res = compare_estimates(_est(0.25, 0.05), _est(0.10, 0.04))
    assert res.difference == pytest.approx(0.15)
    assert res.z == pytest.approx(0.15 / 0.0640312, rel=1e-5)
    assert res.p_value == pytest.approx(0.0190, abs=5e-4)
    assert res.significant
    assert res.lower == pytest.approx(0.15 - Z95 * 0.0640312, rel=1e-5)


def test_difference_without_limits_is_refused_in_swedish():
    with pytest.raises(ValueError, match="konfidensintervall"):
        compare_estimates(Estimate(1.0, None, None, 0.95, "x"), _est(1, 0.1))


def test_margin_gives_symmetric_95_limits():
    est = margin_limits(70.8, 3.1)
    assert (est.lower, est.upper, est.confidence, est.method) == (
        pytest.approx(67.7),
        pytest.approx(73.9),
        0.95,
        "margin",
    )


def test_widen_to_998_uses_z_3_09():
    est = widen_limits(_est(10, 1), 0.998)
    assert est.upper - est.value == pytest.approx(3.090232, rel=1e-5)


def test_ratio_limits_on_log_scale():
    r = ratio_of_estimates(_est(20, 1), _est(10, 1))
    assert r.value == 2
    assert r.lower < 2 < r.upper
    assert r.lower * r.upper == pytest.approx(4, rel=1e-9)  # symmetric on the log scale


@pytest.mark.parametrize(
    ("bench", "polarity", "code"),
    [
        (10.0, "higher_is_better", "similar"),
        (8.5, "higher_is_better", "better"),
        (8.5, "lower_is_better", "worse"),
        (5.0, "higher_is_better", "better_998"),
        (15.0, "higher_is_better", "worse_998"),
        (15.0, "lower_is_better", "better_998"),
        (11.5, "no_judgement", "lower"),
        (None, "higher_is_better", "not_compared"),
    ],
)
def test_benchmark_significance_codes(bench, polarity, code):
    got = benchmark_significance(bench, 9.0, 11.0, polarity, lower998=7.0, upper998=13.0)
    assert got == code


_swap = {"better": "worse", "worse": "better", "better_998": "worse_998", "worse_998": "better_998"}


@given(st.floats(-100, 100), st.floats(-100, 100), st.floats(0.1, 10), st.floats(0, 10))
def test_polarity_flips_significance_colour(bench, value, half, extra):
    lo, hi = value - half, value + half
    a = benchmark_significance(
        bench, lo, hi, "higher_is_better", lower998=lo - extra, upper998=hi + extra
    )
    b = benchmark_significance(
        bench, lo, hi, "lower_is_better", lower998=lo - extra, upper998=hi + extra
    )
    assert b == _swap.get(a, a)
