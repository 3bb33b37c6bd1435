"""Limits of the HEAT summary measures: analytic where WHO HEAT gives an SE, simulated otherwise;
every interval contains its estimate and stays in the measure's range."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jamlik.stats import (
    Uncertainty,
    between_group_variance,
    index_of_disparity,
    mean_difference_from_best,
    mean_difference_from_mean,
    mean_log_deviation,
    population_attributable_risk,
    theil_index,
)
from jamlik.stats import inequality as ineq

Y = [20.0, 30.0, 50.0]
POP = [100, 200, 700]
SE = [0.4, 0.5, 0.3]


def _simulated_sd(measure, y, pop, se, **kw) -> float:
    rng = np.random.default_rng(5)
    draws = np.asarray(y) + rng.standard_normal((20000, len(y))) * np.asarray(se)
    return float(np.std([measure(d, pop, **kw).value for d in draws[:4000]], ddof=1))


@pytest.mark.parametrize("measure", [between_group_variance, theil_index, mean_log_deviation])
@pytest.mark.parametrize("mean", [None, 40.0])
def test_analytic_se_agrees_with_simulation(measure, mean):
    # Independent check of the HEAT/delta-method SEs: the SD of the measure over draws
    # yⱼ ~ N(yⱼ, SEⱼ) (small SEs, so the delta method holds).
    est = measure(Y, POP, mean=mean, uncertainty=Uncertainty(SE))
    se = (est.upper - est.lower) / (2 * 1.959963984540054)
    assert se == pytest.approx(_simulated_sd(measure, Y, POP, SE, mean=mean), rel=0.06)
    assert "analytiska" in est.method


def test_bgv_matches_heat_formula_by_hand():
    # HEAT technical notes: SE² = 4Σp²s²(y−μ)² + 2[(Σp²s²)² − Σp⁴s⁴ + Σp²(1−p)²s⁴]
    p = np.array(POP) / sum(POP)
    y, s2 = np.array(Y), np.array(SE) ** 2
    mu = p @ y
    var = 4 * np.sum(p**2 * s2 * (y - mu) ** 2) + 2 * (
        np.sum(p**2 * s2) ** 2 - np.sum(p**4 * s2**2) + np.sum(p**2 * (1 - p) ** 2 * s2**2))
    est = between_group_variance(Y, POP, uncertainty=Uncertainty(SE))
    assert est.upper - est.value == pytest.approx(1.959963984540054 * np.sqrt(var), rel=1e-12)


def test_equal_groups_keep_zero_inside_the_limits():
    # HEAT's percentile interval would exclude 0 here: every simulated MDM is > 0.
    u = Uncertainty([1.0, 1.0, 1.0], seed=3)
    for measure in (mean_difference_from_mean, index_of_disparity):
        est = measure([10.0, 10.0, 10.0], POP, uncertainty=u)
        assert est.value == pytest.approx(0.0, abs=1e-12)
        assert est.lower == 0.0 < est.upper
    bgv = between_group_variance([10.0, 10.0, 10.0], POP, uncertainty=u)
    assert bgv.lower == 0.0 <= bgv.value <= bgv.upper


GROUPS = st.lists(st.floats(min_value=0.5, max_value=100), min_size=2, max_size=5)


@settings(max_examples=40, deadline=None)
@given(GROUPS, st.floats(min_value=0.01, max_value=20), st.booleans())
@example([0.5, 0.5000000000000001], 1.0, False)  # MLD was −1e−13 by rounding
def test_every_interval_contains_its_estimate_and_stays_in_range(values, se, favourable):
    pop = [100 + 10 * i for i in range(len(values))]
    u = Uncertainty([se] * len(values), seed=1, repetitions=1000)
    ests = [
        between_group_variance(values, pop, uncertainty=u),
        mean_difference_from_mean(values, pop, uncertainty=u),
        mean_difference_from_best(values, pop, favourable=favourable, uncertainty=u),
        index_of_disparity(values, pop, uncertainty=u),
        theil_index(values, pop, uncertainty=u),
        mean_log_deviation(values, pop, uncertainty=u),
    ]
    for e in ests:
        assert e.lower <= e.value <= e.upper, e
        assert e.lower >= 0, e
    par = population_attributable_risk(values, pop, favourable=favourable, uncertainty=u)
    assert par.lower <= par.value <= par.upper
    assert (par.lower >= 0) if favourable else (par.upper <= 0)


def test_non_finite_draws_are_counted_or_refused():
    y = np.array([1.0, 2.0])
    # A measure undefined for negative draws: with SE 0.3 a few draws go below 0.
    few = ineq._estimate(lambda d: np.sqrt(d).sum(axis=-1), y, Uncertainty([0.4, 0.01], seed=2),
                         "Testmått")
    assert few.note and "simuleringar gav inget ändligt värde" in few.note
    with pytest.raises(ValueError, match="kan inte simuleras pålitligt"):
        ineq._estimate(lambda d: np.sqrt(d).sum(axis=-1), y, Uncertainty([2.0, 0.01], seed=2),
                       "Testmått")
