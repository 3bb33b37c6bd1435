"""Limits stay inside the measure's range (a share 0–100, a rate ≥ 0)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamlik.stats import Estimate, clamp_limits, margin_limits, value_range

NUM = st.floats(min_value=-200, max_value=300, allow_nan=False)


def test_margin_limits_of_a_small_share_do_not_go_below_zero():
    e = margin_limits(3.0, 5.0, lowest=0, highest=100)
    assert (e.lower, e.upper) == (0.0, 8.0)
    e = margin_limits(98.0, 5.0, lowest=0, highest=100)
    assert (e.lower, e.upper) == (93.0, 100.0)
    assert margin_limits(3.0, 5.0).lower == -2.0  # no range given: as published


def test_value_range_by_measure_type():
    assert value_range("proportion", 100) == (0.0, 100.0)
    assert value_range("proportion", 1) == (0.0, 1.0)
    assert value_range("rate", 100_000) == (0.0, None)
    assert value_range("mean") == (None, None)
    assert value_range("currency") == (None, None)


@given(NUM, st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_clamped_limits_stay_in_range_and_keep_the_value_inside(value, below, above):
    e = clamp_limits(Estimate(value, value - below, value + above, 0.95, "x"), 0.0, 100.0)
    assert e.lower <= e.value <= e.upper
    if 0 <= value <= 100:
        assert 0 <= e.lower and e.upper <= 100
    assert e.value == value


def test_estimates_without_limits_are_left_alone():
    e = Estimate(5.0, None, None, 0.95, "x")
    assert clamp_limits(e, 0, 100) is e
    inside = Estimate(5.0, 4.0, 6.0, 0.95, "x")
    assert clamp_limits(inside, 0, 100) is inside


@pytest.mark.parametrize("measure", ["rate", "count"])
def test_rates_and_counts_are_at_least_zero(measure):
    lowest, highest = value_range(measure, 1000)
    e = clamp_limits(Estimate(1.0, -3.0, 5.0, 0.95, "x"), lowest, highest)
    assert (e.lower, e.upper) == (0.0, 5.0)
