"""Segregation measures: hand-worked cases, an independent implementation's numbers, invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jamlik.stats import (
    dissimilarity,
    exposure,
    income_unevenness,
    isolation,
    multigroup_theil_h,
    theil_h,
)

FAST = settings(max_examples=200, deadline=None)


def test_complete_separation_gives_one_and_even_mix_gives_zero() -> None:
    assert dissimilarity([10, 0], [10, 10]) == pytest.approx(1)
    assert isolation([10, 0], [10, 10]) == pytest.approx(1)
    assert exposure([10, 0], [10, 10]) == pytest.approx(0)
    assert theil_h([10, 0], [10, 10]) == pytest.approx(1)
    assert dissimilarity([5, 5], [10, 10]) == pytest.approx(0)
    assert isolation([5, 5], [10, 10]) == pytest.approx(0.5)
    assert theil_h([5, 5], [10, 10]) == pytest.approx(0)


def test_hand_worked_two_unit_case() -> None:
    # x = (2, 8), t = (10, 10): D = ½(|0.2 − 0.8| + |0.8 − 0.2|) = 0.6;
    # xPx* = 0.2·0.2 + 0.8·0.8 = 0.68; xPy* = 0.2·0.8 + 0.8·0.2 = 0.32;
    # H = (ln 2 − E(0.2)) / ln 2 with E(0.2) = −(0.2 ln 0.2 + 0.8 ln 0.8) = 0.500402.
    assert dissimilarity([2, 8], [10, 10]) == pytest.approx(0.6)
    assert isolation([2, 8], [10, 10]) == pytest.approx(0.68)
    assert exposure([2, 8], [10, 10]) == pytest.approx(0.32)
    e = -(0.2 * math.log(0.2) + 0.8 * math.log(0.8))
    assert theil_h([2, 8], [10, 10]) == pytest.approx((math.log(2) - e) / math.log(2))


def test_hand_worked_unequal_units() -> None:
    # x = (30, 10, 0), t = (50, 100, 50): X = 40, Y = 160, y = (20, 90, 50).
    # D = ½(|0.75 − 0.125| + |0.25 − 0.5625| + |0 − 0.3125|) = 0.625
    # xPx* = 0.75·0.6 + 0.25·0.1 = 0.475
    x, t = [30, 10, 0], [50, 100, 50]
    assert dissimilarity(x, t) == pytest.approx(0.625)
    assert isolation(x, t) == pytest.approx(0.475)
    assert exposure(x, t) == pytest.approx(0.525)


def test_empty_units_are_dropped() -> None:
    assert dissimilarity([2, 8, 0], [10, 10, 0]) == pytest.approx(0.6)
    assert isolation([2, 0, 8], [10, 0, 10]) == pytest.approx(0.68)


def test_multigroup_h_reduces_to_two_group_h() -> None:
    x, t = np.array([30, 10, 0]), np.array([50, 100, 50])
    assert multigroup_theil_h(np.column_stack([x, t - x])) == pytest.approx(theil_h(x, t))


def test_multigroup_h_complete_separation_of_three_groups() -> None:
    assert multigroup_theil_h([[5, 0, 0], [0, 7, 0], [0, 0, 9]]) == pytest.approx(1)
    assert multigroup_theil_h([[1, 2, 3], [2, 4, 6]]) == pytest.approx(0)


def test_income_unevenness_is_dissimilarity_of_low_and_high() -> None:
    assert income_unevenness([10, 0], [0, 10]) == pytest.approx(1)
    assert income_unevenness([3, 1], [6, 2]) == pytest.approx(0)
    # ½(|0.5 − 0.2| + |0.5 − 0.8|) = 0.3
    assert income_unevenness([5, 5], [2, 8]) == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("group", "total", "message"),
    [
        ([11, 0], [10, 10], "större än"),
        ([-1, 2], [10, 10], "negativt"),
        ([1, 2], [10], "olika längd"),
        ([0, 0], [10, 10], "ingen"),
        ([10, 10], [10, 10], "alla"),
        ([1, float("nan")], [10, 10], "saknar värde"),
    ],
)
def test_bad_input_is_refused_in_swedish(group, total, message) -> None:
    with pytest.raises(ValueError, match=message):
        dissimilarity(group, total)


def test_isolation_and_h_refuse_undefined_settings() -> None:
    with pytest.raises(ValueError, match="ingen"):
        isolation([0, 0], [5, 5])
    with pytest.raises(ValueError, match="alla"):
        theil_h([5, 5], [5, 5])
    with pytest.raises(ValueError, match="en grupp"):
        multigroup_theil_h([[5, 0], [3, 0]])
    with pytest.raises(ValueError, match="hög"):
        income_unevenness([1, 2], [0, 0])


# --- invariants ----------------------------------------------------------------------------

units = st.lists(
    st.tuples(st.integers(0, 5_000), st.integers(0, 5_000)), min_size=1, max_size=30
).map(lambda rows: (np.array([a for a, _ in rows]), np.array([a + b for a, b in rows])))


def _defined(x: np.ndarray, t: np.ndarray) -> bool:
    return x.sum() > 0 and (t - x).sum() > 0


@FAST
@given(units)
def test_measures_stay_in_their_ranges(xt) -> None:
    x, t = xt
    assume(_defined(x, t))
    d, h, iso = dissimilarity(x, t), theil_h(x, t), isolation(x, t)
    assert -1e-12 <= d <= 1 + 1e-12
    assert -1e-12 <= h <= 1 + 1e-12
    assert x.sum() / t.sum() - 1e-12 <= iso <= 1 + 1e-12
    assert iso + exposure(x, t) == pytest.approx(1)


@FAST
@given(units, st.integers(2, 1000))
def test_measures_do_not_change_when_all_counts_are_scaled(xt, k) -> None:
    x, t = xt
    assume(_defined(x, t))
    for f in (dissimilarity, isolation, exposure, theil_h):
        assert f(x * k, t * k) == pytest.approx(f(x, t), abs=1e-9)


@FAST
@given(units)
def test_d_and_h_are_symmetric_in_the_two_groups(xt) -> None:
    x, t = xt
    assume(_defined(x, t))
    assert dissimilarity(t - x, t) == pytest.approx(dissimilarity(x, t), abs=1e-12)
    assert theil_h(t - x, t) == pytest.approx(theil_h(x, t), abs=1e-9)


@FAST
@given(
    st.lists(st.integers(1, 10_000), min_size=1, max_size=30),
    st.integers(1, 9),
)
def test_proportional_distribution_gives_zero_d_and_h(sizes, tenth) -> None:
    t = np.array(sizes, dtype=float) * 10
    x = t * tenth / 10
    assert dissimilarity(x, t) == pytest.approx(0, abs=1e-12)
    assert theil_h(x, t) == pytest.approx(0, abs=1e-9)
    assert isolation(x, t) == pytest.approx(tenth / 10)


@FAST
@given(units, st.permutations(range(30)))
def test_measures_do_not_depend_on_unit_order(xt, order) -> None:
    x, t = xt
    assume(_defined(x, t))
    idx = [i for i in order if i < len(x)]
    assert dissimilarity(x[idx], t[idx]) == pytest.approx(dissimilarity(x, t), abs=1e-12)
    assert theil_h(x[idx], t[idx]) == pytest.approx(theil_h(x, t), abs=1e-9)


def test_matches_pysal_segregation_package() -> None:
    # Reference values computed with the independent PySAL `segregation` package 2.5.4
    # (BSD-3; not a dependency of jamlik): singlegroup.Dissim, Isolation, Interaction and
    # multigroup.MultiInfoTheory on these tables (script in docs/AREAS.md).
    x = [30, 10, 0, 120, 45, 7, 300]
    t = [50, 100, 50, 400, 60, 90, 310]
    assert dissimilarity(x, t) == pytest.approx(0.6503050866788321, rel=1e-12)
    assert isolation(x, t) == pytest.approx(0.7414395021281361, rel=1e-12)
    assert exposure(x, t) == pytest.approx(0.2585604978718638, rel=1e-12)
    assert theil_h(x, t) == pytest.approx(0.43739894689066755, rel=1e-12)
    three = [[5, 20, 7], [10, 5, 7], [40, 1, 7], [3, 30, 70]]
    assert multigroup_theil_h(three) == pytest.approx(0.30883418307338234, rel=1e-12)


def test_area_types_follow_the_mean_plus_sd_cut_offs() -> None:
    from jamlik.stats import socioeconomic_area_types

    # index = (v1 + v2 + v3)/3 = 0, 0, 0, 0, 0, 0, 0, 0, 0, 30: μ = 3, σ (population) = 9
    v = [0.0] * 9 + [30.0]
    r = socioeconomic_area_types(v, v, v)
    assert r.mean == pytest.approx(3) and r.sd == pytest.approx(9)
    assert r.types == (4,) * 9 + (1,)  # 0 ∈ [μ−σ, μ); 30 ≥ μ + 2σ = 21
    hand = socioeconomic_area_types([10, 20, 30, 40], [10, 20, 30, 40], [10, 20, 30, 40])
    # index 10, 20, 30, 40: μ = 25, σ = √125 ≈ 11.18; cut-offs 13.8, 25, 36.2, 47.4 → 5, 4, 3, 2
    assert hand.types == (5, 4, 3, 2)
    weighted = socioeconomic_area_types([0, 30], [0, 30], [0, 30], weights=[3, 1])
    assert weighted.mean == pytest.approx(7.5)


def test_area_types_refuse_equal_indices() -> None:
    from jamlik.stats import socioeconomic_area_types

    with pytest.raises(ValueError, match="σ = 0"):
        socioeconomic_area_types([5, 5], [5, 5], [5, 5])
