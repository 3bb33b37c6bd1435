"""Recent-trend tests: Fingertips chi-squared/weighted regression and the Mann–Kendall fallback."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import kendalltau, theilslopes
from statsmodels.stats.contingency_tables import Table

from jamlik.stats.trend import (
    Trend,
    TrendTest,
    chi2_trend,
    mann_kendall,
    non_overlapping,
    recent_trend,
    trend_direction,
    trend_label_sv,
    weighted_regression_trend,
)


def test_chi2_trend_matches_r_prop_trend_test():
    # R documentation example for prop.trend.test (smokers among patients):
    # prop.trend.test(c(83, 90, 129, 70), c(86, 93, 136, 82)) → X-squared = 8.2249, p = 0.004132
    res = chi2_trend([83, 90, 129, 70], [86, 93, 136, 82])
    assert res.statistic == pytest.approx(8.2249, abs=5e-4)
    assert res.p_value == pytest.approx(0.004132, abs=5e-6)
    assert res.slope < 0


def test_chi2_trend_equals_linear_by_linear_association_scaled():
    # Independent cross-check: Mantel's M² = (N − 1)r² from statsmodels; Armitage χ² = M²·N/(N − 1).
    r = np.array([120, 131, 150, 170, 181])
    n = np.array([1000, 1010, 990, 1005, 1002])
    res = chi2_trend(r, n, [2018, 2019, 2020, 2021, 2022])
    table = Table(np.c_[r, n - r]).test_ordinal_association(
        row_scores=np.arange(5), col_scores=np.array([0, 1])
    )
    assert res.statistic == pytest.approx(table.zscore**2 * n.sum() / (n.sum() - 1), rel=1e-9)


def test_weighted_regression_slope_and_variance():
    t = np.array([2018, 2019, 2020, 2021, 2022], dtype=float)
    y = np.array([10.0, 10.5, 11.2, 11.9, 12.1])
    se = np.array([0.3, 0.25, 0.3, 0.4, 0.35])
    lo, hi = y - 1.959963984540054 * se, y + 1.959963984540054 * se
    res = weighted_regression_trend(y, lo, hi, t)
    w = 1 / se**2
    slope = np.polyfit(t, y, 1, w=np.sqrt(w))[0]  # WLS slope
    var = 1 / np.sum(w * (t - np.average(t, weights=w)) ** 2)
    assert res.slope == pytest.approx(slope, rel=1e-9)
    assert res.statistic == pytest.approx(slope**2 / var, rel=1e-9)


def test_mann_kendall_exact_p_matches_scipy_without_ties():
    y = [3, 1, 4, 1.5, 5, 9, 2.6, 6, 5.3]
    res = mann_kendall(y, range(2014, 2023))
    ref = kendalltau(range(9), y, method="exact")
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    assert res.slope == pytest.approx(theilslopes(y, range(9)).slope)


def test_mann_kendall_with_ties_uses_tie_corrected_normal_approximation():
    y = [1, 2, 2, 3, 3, 3, 4, 5]
    res = mann_kendall(y)
    n, s = 8, res.statistic
    var = (n * (n - 1) * (2 * n + 5) - (2 * 1 * 9) - (3 * 2 * 11)) / 18
    z = (s - 1) / math.sqrt(var)
    assert res.p_value == pytest.approx(2 * (1 - 0.5 * (1 + math.erf(z / math.sqrt(2)))), rel=1e-9)


def test_non_overlapping_keeps_every_fourth_moving_average():
    periods = [2010, 2012, 2014, 2016, 2018, 2020, 2021, 2022]
    starts = [p - 3 for p in periods]
    kept = [periods[i] for i in non_overlapping(periods, starts)]
    assert kept == [2010, 2014, 2018, 2022]


def test_pooled_series_with_too_few_independent_points_cannot_be_calculated():
    periods = list(range(2010, 2023))
    res = recent_trend(periods, [float(p) for p in periods], period_starts=[p - 3 for p in periods])
    assert res.trend == Trend.CANNOT_BE_CALCULATED
    assert "överlappar" in res.reason
    assert res.periods == (2010, 2014, 2018, 2022)


def test_register_series_without_limits_uses_mann_kendall_over_10_points():
    periods = list(range(2008, 2023))
    values = [20 - 0.5 * i for i in range(len(periods))]
    res = recent_trend(periods, values)
    assert res.test == TrendTest.MANN_KENDALL
    assert res.trend == Trend.DECREASING
    assert len(res.periods) == 10 and res.periods[-1] == 2022
    assert res.slope == pytest.approx(-0.5)


def test_counts_use_chi2_trend_on_last_five_points():
    periods = list(range(2015, 2023))
    num = [100, 110, 120, 150, 180, 210, 240, 270]
    den = [1000] * 8
    res = recent_trend(periods, [x / 10 for x in num], numerators=num, denominators=den)
    assert res.test == TrendTest.CHI2_TREND
    assert res.trend == Trend.INCREASING
    assert res.periods == (2018, 2019, 2020, 2021, 2022)
    assert res.p_value < 0.002


def test_leave_one_out_sign_check_rejects_a_trend_driven_by_one_point():
    # Flat, slightly falling series with one huge last point: significant overall, but the
    # direction flips without the last point.
    periods = [2018, 2019, 2020, 2021, 2022]
    num = [500, 495, 490, 485, 900]
    res = recent_trend(periods, [x / 10 for x in num], numerators=num, denominators=[5000] * 5)
    assert res.test == TrendTest.CHI2_TREND
    assert res.p_value < 0.002
    assert res.trend == Trend.NO_SIGNIFICANT_CHANGE
    assert "2022" in res.reason


def test_limits_use_weighted_regression():
    periods = [2018, 2019, 2020, 2021, 2022]
    values = [10.0, 11.0, 12.0, 13.0, 14.0]
    res = recent_trend(
        periods, values, lower=[v - 0.2 for v in values], upper=[v + 0.2 for v in values]
    )
    assert res.test == TrendTest.WEIGHTED_REGRESSION
    assert res.trend == Trend.INCREASING


def test_missing_values_are_dropped_and_short_series_cannot_be_calculated():
    res = recent_trend([2019, 2020, 2021, 2022], [1.0, None, 2.0, 3.0])
    assert res.trend == Trend.CANNOT_BE_CALCULATED
    assert res.test is None


def test_polarity_turns_direction_into_better_or_worse():
    assert trend_direction("decreasing", "lower_is_better") == "better"
    assert trend_direction("decreasing", "higher_is_better") == "worse"
    assert trend_direction("increasing", "no_judgement") is None
    assert trend_label_sv("decreasing", "lower_is_better") == "minskande och blir bättre"
    assert (
        trend_label_sv("no_significant_change", "lower_is_better") == "ingen säkerställd förändring"
    )


_series = st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=5, max_size=12)
_flip = {Trend.INCREASING: Trend.DECREASING, Trend.DECREASING: Trend.INCREASING}


@settings(max_examples=60, deadline=None)
@given(_series)
def test_trend_is_symmetric_under_negation_mann_kendall(values):
    periods = list(range(2000, 2000 + len(values)))
    a = recent_trend(periods, values)
    b = recent_trend(periods, [-x for x in values])
    assert b.trend == _flip.get(a.trend, a.trend)
    assert b.p_value == pytest.approx(a.p_value)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 500), min_size=5, max_size=5))
def test_trend_is_symmetric_under_complement_chi2(cases):
    periods = list(range(2018, 2023))
    den = [500] * 5
    a = recent_trend(periods, cases, numerators=cases, denominators=den)
    comp = [500 - c for c in cases]
    b = recent_trend(periods, comp, numerators=comp, denominators=den)
    assert b.trend == _flip.get(a.trend, a.trend)
    assert b.p_value == pytest.approx(a.p_value)


@settings(max_examples=40, deadline=None)
@given(_series.filter(lambda x: len(x) == 5), st.floats(0.01, 10))
def test_trend_is_symmetric_under_negation_weighted_regression(values, half):
    periods = list(range(2018, 2023))
    lo, hi = [x - half for x in values], [x + half for x in values]
    a = recent_trend(periods, values, lower=lo, upper=hi)
    b = recent_trend(periods, [-x for x in values], lower=[-x for x in hi], upper=[-x for x in lo])
    assert b.trend == _flip.get(a.trend, a.trend)
    assert b.p_value == pytest.approx(a.p_value)


@pytest.mark.parametrize(("trend", "polarity", "swedish", "english"), [
    ("decreasing", "lower_is_better", "minskande och blir bättre", "decreasing and getting better"),
    ("increasing", "lower_is_better", "ökande och blir sämre", "increasing and getting worse"),
    ("increasing", "no_judgement", "ökande", "increasing"),
    ("no_significant_change", "higher_is_better", "ingen säkerställd förändring",
     "no significant change"),
    ("cannot_be_calculated", "higher_is_better", "kan inte beräknas", "cannot be calculated"),
])
def test_trend_label_in_both_languages_from_the_same_words(trend, polarity, swedish, english):
    from jamlik.stats.trend import trend_label

    assert trend_label(trend, polarity) == trend_label_sv(trend, polarity) == swedish
    assert trend_label(trend, polarity, "sv") == swedish
    assert trend_label(trend, polarity, "en") == english
