"""Where a value's limits come from (source, margin, Wilson, Poisson) and when there are none."""

from __future__ import annotations

import pytest

from jamlik.analysis import limits_for
from jamlik.stats import count_ci, proportion_ci, rate_ci


def test_source_limits_win_and_are_widened_to_998():
    e95, e998, source = limits_for(10.0, {"lower": 9.0, "upper": 11.0, "margin": 5.0},
                                   "mean", 1.0)
    assert (e95.lower, e95.upper, source) == (9.0, 11.0, "source")
    assert e998.upper - 10 == pytest.approx(3.090232 / 1.959964, rel=1e-5)


def test_margin_gives_limits_when_the_source_has_none():
    e95, _, source = limits_for(70.8, {"margin": 3.1}, "proportion", 100.0)
    assert (e95.lower, e95.upper, source) == (pytest.approx(67.7), pytest.approx(73.9), "margin")


def test_counts_give_wilson_and_poisson_limits_that_match_jamlik_stats():
    e95, e998, source = limits_for(25.0, {"numerator": 50, "denominator": 200}, "proportion", 100)
    assert source == "wilson" and e95 == proportion_ci(50, 200, 0.95, 100)
    assert e998 == proportion_ci(50, 200, 0.998, 100)
    e95, _, source = limits_for(250.0, {"numerator": 25, "denominator": 10_000}, "rate", 100_000)
    assert source == "poisson" and e95 == rate_ci(25, 10_000, 0.95, 100_000)
    e95, _, source = limits_for(7.0, {"numerator": 7}, "count", 1)
    assert source == "poisson" and e95 == count_ci(7, 0.95)


def test_counts_that_do_not_reproduce_the_value_give_no_limits():
    # An age-standardised rate published with crude counts must not get crude Poisson limits.
    assert limits_for(310.0, {"numerator": 25, "denominator": 10_000}, "rate", 100_000) == (
        None, None, None)
    assert limits_for(None, {"lower": 1.0, "upper": 2.0}, "mean", 1) == (None, None, None)
    assert limits_for(20.7, {}, "mean", 1) == (None, None, None)


def test_margin_limits_of_a_share_are_clamped_to_0_100_at_the_analysis_boundary():
    # SYNTHETIC: a survey share of 3 % with an osäkerhetstal of 5 points.
    from jamlik.analysis import limits_for

    e95, e998, source = limits_for(3.0, {"margin": 5.0}, "proportion", 100)
    assert source == "margin"
    assert (e95.lower, e95.upper) == (0.0, 8.0)
    assert e998.lower == 0.0 and e998.upper > 8.0  # widened from ±5 before clamping
    e95, _, _ = limits_for(97.0, {"lower": 90.0, "upper": 104.0}, "proportion", 100)
    assert e95.upper == 100.0
    e95, _, _ = limits_for(-1.0, {"margin": 5.0}, "mean", 1)  # a mean may be negative
    assert e95.lower == -6.0
