"""HEAT summary measures of inequality: hand-computed values and dimension rules."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jamlik.stats import (
    DIMENSIONS,
    ORDERED_DIMENSIONS,
    Uncertainty,
    absolute_concentration_index,
    between_group_variance,
    difference,
    index_of_disparity,
    inequality_measures,
    is_ordered,
    mean_difference_from_best,
    mean_difference_from_mean,
    mean_log_deviation,
    population_attributable_fraction,
    population_attributable_risk,
    ratio,
    relative_concentration_index,
    sii,
    theil_index,
)

# Three groups; μ = Σ pⱼyⱼ = 0.1·20 + 0.2·30 + 0.7·50 = 43 (worked by hand).
Y = [20.0, 30.0, 50.0]
POP = [100, 200, 700]
P = np.array(POP) / 1000
MU = 43.0


def test_dimensions_and_ordering() -> None:
    assert set(DIMENSIONS) == {
        "sex",
        "education",
        "birth_region",
        "age",
        "income_quintile",
        "area_type",
    }
    assert ORDERED_DIMENSIONS == {"education", "income_quintile", "area_type"}
    assert is_ordered("education") and not is_ordered("sex") and not is_ordered("birth_region")
    with pytest.raises(ValueError, match="okänd uppdelning"):
        is_ordered("religion")


def test_difference_and_ratio_with_limits() -> None:
    d = difference(50, 20, 2, 1)
    half = 1.959963984540054 * math.sqrt(5)
    assert (d.value, d.lower, d.upper) == pytest.approx((30, 30 - half, 30 + half))
    r = ratio(50, 20, 2, 1)
    se_log = math.sqrt((2 / 50) ** 2 + (1 / 20) ** 2)
    assert r.value == pytest.approx(2.5)
    assert r.lower == pytest.approx(2.5 * math.exp(-1.959963984540054 * se_log))
    assert difference(50, 20).lower is None
    with pytest.raises(ValueError, match="båda grupperna"):
        difference(50, 20, 2)
    with pytest.raises(ValueError, match="större än 0"):
        ratio(50, 0)


def test_complex_measures_match_hand_computation() -> None:
    assert between_group_variance(Y, POP).value == pytest.approx(121.0)
    assert mean_difference_from_mean(Y, POP).value == pytest.approx(9.8)
    assert mean_difference_from_mean(Y, POP, weighted=False).value == pytest.approx(43 / 3)
    assert mean_difference_from_best(Y, POP, favourable=False).value == pytest.approx(23.0)
    assert mean_difference_from_best(Y, POP, favourable=True).value == pytest.approx(
        0.1 * 30 + 0.2 * 20
    )
    assert index_of_disparity(Y, POP).value == pytest.approx(43 / 3 / MU * 100)
    assert index_of_disparity(Y, POP, weighted=True).value == pytest.approx(9.8 / MU * 100)
    r = np.array(Y) / MU
    assert theil_index(Y, POP).value == pytest.approx(float(np.sum(P * r * np.log(r))) * 1000)
    assert mean_log_deviation(Y, POP).value == pytest.approx(float(np.sum(P * -np.log(r))) * 1000)


def test_par_and_paf_use_best_group_and_are_zero_when_no_gain() -> None:
    assert population_attributable_risk(Y, POP, favourable=True).value == pytest.approx(7.0)
    assert population_attributable_risk(Y, POP, favourable=False).value == pytest.approx(-23.0)
    assert population_attributable_fraction(Y, POP, favourable=True).value == pytest.approx(
        700 / 43
    )
    # Ordered: the reference is the most advantaged (last) group even if it is not the best.
    par = population_attributable_risk([50, 30, 20], POP, favourable=True, dimension="education")
    assert par.value == 0.0


def test_concentration_indices_match_hand_computation() -> None:
    aci = absolute_concentration_index(Y, POP, dimension="income_quintile")
    assert aci.value == pytest.approx(5.1)  # 0.1·(−0.9)·20 + 0.2·(−0.6)·30 + 0.7·0.3·50
    rci = relative_concentration_index(Y, POP, dimension="income_quintile")
    assert rci.value == pytest.approx(5.1 / MU * 100)


def test_equal_groups_show_no_inequality() -> None:
    y, pop = [10.0, 10.0, 10.0], [5, 7, 9]
    for measure in (between_group_variance, theil_index, mean_log_deviation):
        assert measure(y, pop).value == pytest.approx(0.0, abs=1e-12)
    assert absolute_concentration_index(y, pop).value == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("dimension", ["sex", "birth_region"])
def test_ordered_measures_refuse_non_ordered_dimensions(dimension: str) -> None:
    with pytest.raises(ValueError, match="naturlig ordning"):
        absolute_concentration_index(Y, POP, dimension=dimension)
    with pytest.raises(ValueError, match="naturlig ordning"):
        relative_concentration_index(Y, POP, dimension=dimension)
    with pytest.raises(ValueError, match="naturlig ordning"):
        sii(Y, POP, se=[1, 1, 1], dimension=dimension, repetitions=1000)


@pytest.mark.parametrize("dimension", sorted(ORDERED_DIMENSIONS))
def test_non_ordered_measures_refuse_ordered_dimensions(dimension: str) -> None:
    for measure in (between_group_variance, theil_index, mean_log_deviation, index_of_disparity):
        with pytest.raises(ValueError, match="utan ordning"):
            measure(Y, POP, dimension=dimension)


def test_simulated_limits_contain_estimate_and_are_reproducible() -> None:
    u = Uncertainty(se=[1.0, 1.5, 2.0], confidence=95, seed=7)
    a = mean_difference_from_mean(Y, POP, uncertainty=u)
    b = mean_difference_from_mean(Y, POP, uncertainty=u)
    assert a == b
    assert a.lower < a.value < a.upper
    assert "simulerade" in a.method
    assert "analytiska" in between_group_variance(Y, POP, uncertainty=u).method


def test_inequality_measures_picks_the_measures_of_the_dimension() -> None:
    unordered = inequality_measures("birth_region", Y, POP, favourable=False)
    assert {"D", "R", "PAR", "PAF", "BGV", "MDMW", "MDBU", "IDISW", "TI", "MLD"} <= set(unordered)
    assert "ACI" not in unordered
    assert unordered["D"].value == pytest.approx(30.0)  # highest − lowest
    ordered = inequality_measures(
        "education",
        [50.0, 30.0, 20.0],
        POP,
        favourable=True,
        uncertainty=Uncertainty([1, 1, 1], seed=1),
    )
    assert {"D", "R", "PAR", "PAF", "ACI", "RCI"} == set(ordered)
    assert ordered["D"].value == pytest.approx(-30.0)  # most advantaged (last) − first
    assert ordered["D"].lower is not None


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"values": [1.0], "populations": [5]}, "minst 2"),
        ({"values": [1.0, 2.0], "populations": [5, 5, 5]}, "olika längd"),
        ({"values": [1.0, float("nan")], "populations": [5, 5]}, "saknar värde"),
        ({"values": [1.0, 2.0], "populations": [5, -5]}, "negativt"),
    ],
)
def test_invalid_groups_are_rejected(kwargs: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        between_group_variance(**kwargs)


def test_log_measures_refuse_non_positive_values() -> None:
    with pytest.raises(ValueError, match="logaritmer"):
        mean_log_deviation([0.0, 2.0], [1, 1])
    with pytest.raises(ValueError, match="logaritmer"):
        theil_index([-1.0, 2.0], [1, 1])
