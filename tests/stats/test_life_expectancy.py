"""Life expectancy (Chiang II, Silcocks limits) against PHEindicatormethods' own test case.

Source of the expected numbers: tests/stats/data/life_expectancy.csv (PHEindicatormethods,
testLifeExpectancy.R, df1/answer1; see the file's header for the commit).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jamlik.stats import Estimate, life_expectancy, life_expectancy_gap

DATA = Path(__file__).parent / "data" / "life_expectancy.csv"
with open(DATA, newline="", encoding="utf-8") as fh:
    ROWS = list(csv.DictReader(line for line in fh if not line.startswith("#")))
AGES = [int(r["start_age"]) for r in ROWS]
POPS = [int(r["population"]) for r in ROWS]
DEATHS = [int(r["deaths"]) for r in ROWS]


@pytest.mark.parametrize("row", ROWS, ids=[r["start_age"] for r in ROWS])
def test_life_expectancy_matches_phe_at_every_age(row):
    est = life_expectancy(AGES, DEATHS, POPS, at_age=int(row["start_age"]))
    assert est.value == pytest.approx(float(row["value"]), abs=1e-6)
    assert est.lower == pytest.approx(float(row["lower"]), abs=1e-4)
    assert est.upper == pytest.approx(float(row["upper"]), abs=1e-4)
    assert est.confidence == 0.95 and "Chiang" in est.method


def test_band_order_does_not_matter_and_95_equals_0_95():
    order = list(reversed(range(len(AGES))))
    shuffled = life_expectancy([AGES[i] for i in order], [DEATHS[i] for i in order],
                               [POPS[i] for i in order], at_age=25, confidence=95)
    assert shuffled.value == pytest.approx(55.78835987, abs=1e-6)


def test_wider_confidence_gives_wider_limits():
    e95 = life_expectancy(AGES, DEATHS, POPS)
    e998 = life_expectancy(AGES, DEATHS, POPS, confidence=0.998)
    assert e998.lower < e95.lower < e95.value < e95.upper < e998.upper


def test_small_population_is_not_published():
    est = life_expectancy(AGES, [1] * len(AGES), [250] * len(AGES))  # 5 000 people in total
    assert est.value is None and "underlag" in est.note


@pytest.mark.parametrize(
    ("ages", "deaths", "pops", "message"),
    [
        ([1, 5, 10], [1, 1, 1], [100, 100, 100], "börja vid 0"),
        ([0, 1, 1], [1, 1, 1], [100, 100, 100], "två gånger"),
        ([0, 1, 5], [1, -1, 1], [100, 100, 100], "negativt"),
        ([0, 1, 5], [1, 1, 1], [100, 0, 100], "0 eller negativ"),
        ([0, 1, 5], [1, 200, 1], [100, 100, 100], "fler döda"),
        ([0, 1, 5], [1, 1, 0], [100, 100, 100], "öppna sista"),
    ],
)
def test_bad_input_is_refused_in_swedish(ages, deaths, pops, message):
    with pytest.raises(ValueError, match=message):
        life_expectancy(ages, deaths, pops)


def test_at_age_must_be_a_start_age():
    with pytest.raises(ValueError, match="startålder"):
        life_expectancy(AGES, DEATHS, POPS, at_age=30.5)


def test_gap_of_independent_estimates_adds_variances():
    a = Estimate(84.0, 83.0, 85.0, 0.95, "x")
    b = Estimate(80.0, 79.5, 80.5, 0.95, "x")
    gap = life_expectancy_gap(a, b)
    half = ((1.0**2 + 0.5**2) ** 0.5)  # the SEs' z cancels: half-widths add in quadrature
    assert gap.value == pytest.approx(4.0)
    assert gap.lower == pytest.approx(4.0 - half) and gap.upper == pytest.approx(4.0 + half)


def test_gap_between_two_real_tables_contains_the_difference():
    men = life_expectancy(AGES, DEATHS, POPS, at_age=30)
    women_deaths = [round(d * 0.8) for d in DEATHS]
    women = life_expectancy(AGES, women_deaths, POPS, at_age=30)
    gap = life_expectancy_gap(women, men)
    assert gap.value == pytest.approx(women.value - men.value)
    assert gap.lower < gap.value < gap.upper


def test_gap_refuses_mixed_confidence_and_says_when_limits_are_missing():
    a = Estimate(84.0, 83.0, 85.0, 0.95, "x")
    with pytest.raises(ValueError, match="konfidensgrad"):
        life_expectancy_gap(a, Estimate(80.0, 79.0, 81.0, 0.998, "x"))
    assert life_expectancy_gap(a, Estimate(80.0, None, None, 0.95, "x")).lower is None
    assert life_expectancy_gap(a, Estimate(None, None, None, 0.95, "x")).value is None


def test_the_gap_trend_is_a_weighted_regression_on_the_gaps_with_limits():
    # SYNTHETIC: remaining life expectancy at 30, short vs long education, five periods; the
    # short group's deaths fall more slowly, so the gap widens.
    from jamlik.stats import Trend, TrendTest, recent_trend

    periods, gaps = [2014, 2016, 2018, 2020, 2022], []
    for k in range(5):
        long_ = life_expectancy(AGES, [round(d * (0.70 - 0.02 * k)) for d in DEATHS], POPS,
                                at_age=30)
        short = life_expectancy(AGES, [round(d * 1.3) for d in DEATHS], POPS, at_age=30)
        gaps.append(life_expectancy_gap(long_, short))
    res = recent_trend(periods, [g.value for g in gaps], lower=[g.lower for g in gaps],
                       upper=[g.upper for g in gaps])
    assert res.test == TrendTest.WEIGHTED_REGRESSION
    assert res.trend == Trend.INCREASING
