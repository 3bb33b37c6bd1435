"""Real uncertainty on the real Kolada sample: limits derived from a denominator series, margins
from the source, coverage, the similar-mean SE, part-vs-whole, one threshold per statement."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import chi2, norm
from statsmodels.stats.proportion import proportion_confint

import jamlik
from jamlik.analysis import coverage, profile, profile_many
from jamlik.catalog import load_sample
from jamlik.stats.compare import benchmark_significance, with_benchmark_se
from jamlik.stats.estimate import Estimate


@pytest.fixture(scope="module")
def falun(sample_store):
    return {r.indicator: r for r in profile(sample_store, "2080")}


def _pop(store, kpi: str, area: str = "2080", period: int = 2022, sex: str = "T") -> float:
    obs = store.observations(kpi, areas=[area], years=period, sex=sex)
    return float(obs["value"].iloc[0])


def test_share_of_inhabitants_20_64_gets_derived_wilson_limits(sample_store, falun):
    # N66078 "Invånare, 20-64 år, med låg ekonomisk standard, andel (%)", Falun 2022 = 11 %;
    # its base is N01955 "Invånare 20-64 år, antal" (Falun 2022: 31 787, in the sample).
    row = falun["N66078"]
    base = _pop(sample_store, "N01955")
    assert base == 31_787
    assert (row.limits_source, row.limits_method, row.limits_base) == ("derived", "Wilson", base)
    x = round(11.0 * base / 100)
    lo, hi = proportion_confint(x, base, alpha=0.05, method="wilson")  # independent: statsmodels
    assert row.lower == pytest.approx(100 * lo, rel=1e-9)
    assert row.upper == pytest.approx(100 * hi, rel=1e-9)
    assert row.tested and row.vs_nation != "not_compared"
    # Method and denominator are named on the row and in the verdict.
    assert "Wilsons metod" in row.limits_note and "N01955" in row.limits_note
    assert "härlett" in row.verdict and "N01955" in row.verdict
    assert "Kolada (RKA)" in row.limits_note


def test_age_band_base_is_the_sum_of_kolada_bands(sample_store, falun):
    # N66077 (0-19 år med låg ekonomisk standard): base = N01952 + N01953 + N01954 (0-5, 6-15,
    # 16-19 år), Falun 2022: 3 970 + 7 318 + 2 842 = 14 130.
    row = falun["N66077"]
    bands = sum(_pop(sample_store, k) for k in ("N01952", "N01953", "N01954"))
    assert bands == 14_130 and row.limits_base == bands
    assert "0–19 år" in row.limits_note


def test_rate_per_100000_gets_derived_poisson_limits(sample_store, falun):
    # N07403 "Anmälda våldsbrott, antal/100 000 inv", Falun 2022 = 662.0 per 100 000 of
    # N01951 = 59 818 → 396 crimes; Byar's limits ≈ exact Poisson (scipy χ²) at this size.
    row = falun["N07403"]
    n = _pop(sample_store, "N01951")
    x = round(row.value * n / 100_000)
    assert x == 396 and row.limits_method == "Byars"
    exact_lo = chi2.ppf(0.025, 2 * x) / 2 / n * 100_000
    exact_hi = chi2.ppf(0.975, 2 * x + 2) / 2 / n * 100_000
    assert row.lower == pytest.approx(exact_lo, rel=2e-3)
    assert row.upper == pytest.approx(exact_hi, rel=2e-3)
    assert "Byars metod" in row.limits_note and "N01951" in row.limits_note


def test_indicators_without_an_honest_base_say_why(falun):
    # Medians (N00905 kronor), days per inhabitant (N00957 ohälsotal), age-standardised rates
    # (N01451) and an index (N00997 Gini) get no limits; the catalogue's reason is shown.
    for kpi, word in (("N00905", "median"), ("N00957", "dagar"), ("N01451", "åldersstandard"),
                      ("N00997", "index")):
        row = falun[kpi]
        assert not row.tested and row.lower is None
        assert word in row.untested_reason
        assert row.untested_reason in row.verdict


def test_survey_without_margin_data_points_to_the_margin_kpi(falun):
    # U01405 (self-rated health, HLV): Kolada publishes its osäkerhetstal as U01511, which the
    # sample does not contain; the reason names it and how to fetch it.
    row = falun["U01405"]
    assert not row.tested
    assert "U01511" in row.untested_reason and "--preset core" in row.untested_reason


def test_margin_kpi_from_the_source_becomes_limits(tmp_path):
    # A margin value as `jamlik sync kolada --preset core` would store it (U01511 for U01405).
    store = jamlik.open(tmp_path / "m.duckdb")
    try:
        load_sample(store)
        store.upsert_observations(pd.DataFrame([{
            "indicator": "U01511", "area": "2080", "period": 2022, "period_start": 2019,
            "sex": "T", "value": 2.5}]), source="Kolada (RKA)")
        (row,) = profile(store, "2080", ["U01405"])
        assert row.limits_source == "margin" and row.tested
        assert (row.lower, row.upper) == (pytest.approx(70.8 - 2.5), pytest.approx(70.8 + 2.5))
        assert "osäkerhetstal" in row.verdict
    finally:
        store.close()


def test_falun_coverage_counts_tested_indicators_and_defaults_to_rank(falun):
    cov = coverage(falun.values())
    # Before derived limits none of Falun's 65 rows could be tested; now the 13 population
    # shares and rates with a Kolada base can.
    assert cov["total"] == 65 and cov["tested"] == 13
    assert cov["by_method"] == {"derived_wilson": 12, "derived_poisson": 1}
    assert cov["default_colouring"] == "rank"  # 13 < 65 / 2
    assert cov["text"].startswith("13 av 65 indikatorer kunde signifikanstestas")
    assert "relativ" in cov["text"]
    assert sum(u["count"] for u in cov["untested"]) == 52
    # The 16 HLV survey KPIs wait for their osäkerhetstal (one reason, whatever KPI it names).
    assert cov["untested"][0]["count"] == 16
    assert "osäkerhetstal" in cov["untested"][0]["reason"]


def test_similar_mean_standard_error_enters_the_comparison(sample_store, falun):
    # N31807 (ekonomiskt bistånd, andel av invånare): the SE of the unweighted mean of Falun's
    # similar municipalities is √Σ SEᵢ² / k with SEᵢ = 100·√(pᵢ(1 − pᵢ)/nᵢ), nᵢ = N01951.
    row = falun["N31807"]
    members = sample_store.group_members(sample_store.similar_group("2080", "socioekonomi"))
    ses = []
    for m in members:
        p = _pop(sample_store, "N31807", m) / 100
        ses.append(100 * math.sqrt(p * (1 - p) / _pop(sample_store, "N01951", m)))
    assert row.similar_se == pytest.approx(math.sqrt(sum(s * s for s in ses)) / len(ses))
    # The verdict equals a z test of (value − mean) with both SEs.
    se_area = (row.value - row.lower) / 1.959963984540054
    z = abs(row.value - row.similar_value) / math.hypot(se_area, row.similar_se)
    assert (row.vs_similar != "similar") == (z > norm.ppf(0.975))


@given(st.floats(1, 99), st.floats(0.01, 5), st.floats(1, 99), st.floats(0, 5))
def test_benchmark_se_widening_equals_the_z_test(x, se_a, bench, se_b):
    e = Estimate(x, x - 1.959963984540054 * se_a, x + 1.959963984540054 * se_a, 0.95, "t")
    w = with_benchmark_se(e, bench, se_b)
    z = abs(x - bench) / math.hypot(se_a, se_b)
    inside = benchmark_significance(bench, w.lower, w.upper, "no_judgement") == "similar"
    if abs(z - 1.959963984540054) > 1e-6:
        assert inside == (z <= 1.959963984540054)
    assert w.lower <= e.lower + 1e-12 and w.upper >= e.upper - 1e-12


def test_gotland_is_not_compared_with_its_own_county(sample_store):
    # Gotland (0980) is the only municipality of Gotlands län (09): the same population.
    rows = profile(sample_store, "0980")
    assert rows
    for r in rows:
        assert r.vs_county == "not_compared"
        assert r.vs_county_label == "Ej tillämpligt: kommunen utgör hela länet"


_LEVEL = re.compile(r"(95|99,8) % konfidensgrad")


def test_one_threshold_per_statement_on_dalarna(sample_store):
    codes = list(sample_store.areas(type="municipality", parent="20")["code"])
    checked = 0
    for rows in profile_many(sample_store, codes).values():
        for r in rows:
            v = r.verdict
            # Never "not significant" and "significant" about the same change in one text.
            said_not = "inte statistiskt säkerställd" in v
            said_yes = ("visar en statistiskt säkerställd" in v
                        or "Skillnaden mot" in v and ") är statistiskt säkerställd" in v)
            assert not (said_not and said_yes), v
            # Every sentence that states a test result names its confidence level.
            for sentence in re.split(r"(?<=\.) ", v):
                if "statistiskt säkerställ" in sentence or "ingen säkerställd skillnad" in sentence:
                    assert _LEVEL.search(sentence), sentence
                    checked += 1
    assert checked > 100


def test_multiplicity_p_for_the_similar_mean_agrees_with_the_verdict(falun):
    # The q-value ranking uses the same test as the colour: the similar mean's SE included.
    from jamlik.analysis import multiplicity

    m = multiplicity(list(falun.values()))
    checked = 0
    for r in falun.values():
        key = (r.indicator, "vs_similar")
        if key not in m.p_values:
            continue
        checked += 1
        assert (m.p_values[key] < 0.05) == (r.vs_similar != "similar"), r.indicator
        side = (r.value - r.lower) if r.similar_value < r.value else (r.upper - r.value)
        z = abs(r.value - r.similar_value) / math.hypot(side / 1.959963984540054, r.similar_se)
        assert m.p_values[key] == pytest.approx(2 * norm.sf(z), rel=1e-6, abs=1e-12)
    assert checked >= 10
