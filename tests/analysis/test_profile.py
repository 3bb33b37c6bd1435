"""Area profiles on the real Kolada sample (Falun) and on synthetic stores."""

from __future__ import annotations

import json

import pytest
from analysis_synthetic import build_synthetic_store, synthetic_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamlik.analysis import LEGENDS, breakdown_gap, legends, profile, profile_many
from jamlik.store import Indicator, MeasureType, Polarity

CONTRACT_KEYS = {
    "indicator", "title", "unit", "polarity", "data_kind", "period", "period_label", "period_note",
    "value", "lower", "upper", "limits_source", "nation_value", "county_value", "similar_value",
    "vs_nation", "vs_county", "vs_similar", "vs_nation_label", "vs_county_label",
    "vs_similar_label", "rank", "rank_of", "rank_colour", "trend", "trend_direction",
    "trend_label", "trend_test", "trend_p_value", "sex_gap", "flags", "verdict", "source",
    "attribution",
}  # fmt: skip
VS_CODES = {"better", "better_998", "similar", "worse", "worse_998", "higher", "lower",
            "not_compared"}


@pytest.fixture(scope="module")
def falun(sample_store):
    return {r.indicator: r for r in profile(sample_store, "2080")}


def test_falun_ohalsotal_matches_kolada(falun):
    # Kolada N00957 Ohälsotal, Falun 2022: T 20.66, K 25.94, M 15.47 (transcribed from Kolada).
    row = falun["N00957"]
    assert (row.period, row.value) == (2022, pytest.approx(20.66))
    gap = row.sex_gap
    assert gap["women"] == pytest.approx(25.94) and gap["men"] == pytest.approx(15.47)
    assert gap["difference"] == pytest.approx(10.47)
    assert gap["ratio"] == pytest.approx(25.94 / 15.47)
    assert row.polarity == "lower_is_better"


def test_falun_benchmarks_are_nation_county_and_unweighted_similar_mean(sample_store, falun):
    row = falun["N00957"]
    obs = sample_store.observations("N00957", years=2022, sex="T").set_index("area")["value"]
    assert row.nation_value == pytest.approx(obs["0000"])
    assert row.county_value == pytest.approx(obs["20"])
    members = sample_store.group_members(sample_store.similar_group("2080", "socioekonomi"))
    assert "2080" not in members
    assert row.similar_value == pytest.approx(obs[members].mean())
    assert row.similar_n == len(members)


def test_falun_without_limits_falls_back_honestly_to_rank(falun):
    # The sample carries no source limits; only indicators with a catalogue denominator get
    # (derived) limits, every other value falls back to the rank colouring and says why.
    for row in falun.values():
        if row.value is None or row.limits_source == "derived":
            continue
        assert row.lower is None and row.limits_source is None
        assert "no_limits" in row.flags and not row.tested and row.untested_reason
        assert {row.vs_nation, row.vs_county, row.vs_similar} == {"not_compared"}
        assert "Osäkerheten är okänd" in row.verdict and row.untested_reason in row.verdict


def test_rank_colour_follows_quartiles_and_polarity(sample_store, falun):
    row = falun["N00957"]
    obs = sample_store.observations("N00957", years=2022, sex="T")
    muni = obs[obs["area_type"] == "municipality"]
    assert row.rank_of == len(muni)
    assert row.rank == int((muni["value"] < row.value).sum()) + 1  # lower is better
    quarter = row.rank_of // 4  # 72 of 290
    expected = "green" if row.rank <= quarter else (
        "red" if row.rank > row.rank_of - quarter else "yellow")
    assert row.rank_colour == expected
    assert falun["N01951"].rank_colour == "grey"  # population: no judgement


def test_pooled_survey_trend_uses_only_non_overlapping_periods(falun):
    row = falun["U01405"]  # self-rated health, 4-year moving averages
    assert row.period_label == "2019–2022"
    assert {"survey", "pooled_period"} <= set(row.flags)
    assert row.trend == "cannot_be_calculated"
    assert row.trend_periods == [2010, 2014, 2018, 2022]
    assert "överlappar" in row.verdict


def test_register_trend_says_which_test_was_used(falun):
    row = falun["N00957"]
    assert row.trend_test == "mann_kendall"
    assert row.trend in {"increasing", "decreasing", "no_significant_change"}
    assert "Mann–Kendall" in row.verdict and "Mann–Kendall" in row.trend_test_label


def test_composite_by_sex_only_has_no_total_but_a_gap(falun):
    row = falun["medellivslangd"]
    assert row.value is None
    assert row.sex_gap["women"] == pytest.approx(85.22) and row.sex_gap["men"] == pytest.approx(82.4)
    assert "kvinnor och män" in row.verdict


def test_to_dict_has_contract_keys_and_is_json(falun):
    for row in falun.values():
        d = row.to_dict()
        assert CONTRACT_KEYS <= d.keys()
        assert {d["vs_nation"], d["vs_county"], d["vs_similar"]} <= VS_CODES
        assert d["rank_colour"] in {"green", "yellow", "red", "grey"}
        assert d["trend"] in {"increasing", "decreasing", "no_significant_change", "cannot_be_calculated"}
        assert d["attribution"] == "Källa: Kolada (RKA), CC BY 4.0"
        json.dumps(d)


def test_profile_many_equals_single_profiles(sample_store, falun):
    many = profile_many(sample_store, ["2080", "2081"], indicators=["N00957", "U01405"])
    assert [r.indicator for r in many["2080"]] == ["N00957", "U01405"]
    assert many["2080"][0].to_dict() == falun["N00957"].to_dict()


def test_county_profile_ranks_among_counties(sample_store):
    rows = profile(sample_store, "Dalarnas län", indicators=["N00957"])
    assert rows[0].rank_of == 21 and rows[0].county_value is None


def test_margin_kpi_gives_limits_and_significance(synthetic_store):
    row = {r.indicator: r for r in profile(synthetic_store, "2080")}["SYN_SURVEY"]
    # SYNTHETIC: value 36.0 with osäkerhetstal 1.0 → 95 % limits 35.0–37.0.
    assert (row.lower, row.upper, row.limits_source) == (35.0, 37.0, "margin")
    assert row.vs_nation == "worse_998"  # lower is better, riket 25
    assert row.trend_test == "weighted_regression" and row.trend_direction == "worse"
    assert row.sex_gap["trend"] == "widening"
    assert row.sex_gap["lower"] < row.sex_gap["difference"] < row.sex_gap["upper"]


def test_counts_give_wilson_limits_and_chi2_trend(synthetic_store):
    row = {r.indicator: r for r in profile(synthetic_store, "2080")}["SYN_COUNT"]
    assert row.limits_source == "wilson"
    assert row.trend_test == "chi2_trend" and row.trend == "increasing"
    assert "1\u202f000 personer" in row.verdict  # shared Swedish thousands separator


def test_small_count_is_suppressed_everywhere(synthetic_store):
    # SYNTHETIC: Falun's women in 2022 have 3 cases (< 5) → no value and no gap.
    rows = profile(synthetic_store, "2080", sex="K")
    row = {r.indicator: r for r in rows}["SYN_COUNT"]
    assert row.value is None and row.lower is None and "suppressed" in row.flags
    assert row.rank is None and row.rank_colour == "grey"
    assert "redovisas inte" in row.verdict
    total = {r.indicator: r for r in profile(synthetic_store, "2080")}["SYN_COUNT"]
    assert total.sex_gap is None


def test_no_judgement_uses_higher_lower_and_grey(synthetic_store):
    row = {r.indicator: r for r in profile(synthetic_store, "2080")}["SYN_NOJ"]
    assert row.vs_nation == "higher" and row.vs_similar == "lower"
    assert row.rank_colour == "grey" and row.trend_direction is None


def test_legends_cover_every_code_with_swedish_text():
    codes = VS_CODES | {"green", "yellow", "red", "grey"}
    assert codes <= LEGENDS.keys()
    for entry in LEGENDS.values():
        assert entry["label"] and entry["explanation"] and entry["colour"].startswith("#")
    assert "relativ" in LEGENDS["red"]["explanation"].lower()
    assert legends("traffic_light")["worse"]["colour"] != LEGENDS["worse"]["colour"]


_swap_rank = {"green": "red", "red": "green"}
_swap_vs = {"better": "worse", "worse": "better", "better_998": "worse_998",
            "worse_998": "better_998"}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 1000), min_size=8, max_size=8, unique=True),
       st.floats(0.5, 50))
def test_polarity_flips_both_colourings(values, half_width):
    """SYNTHETIC: the same values under the opposite polarity swap green/red and better/worse."""
    areas = ["0000", "20", "2080", "2081", "2082", "2083", "2084"]
    rows = [dict(indicator="SYN_P", area=a, period=2022, sex="T", value=float(v),
                 lower=v - half_width, upper=v + half_width)
            for a, v in zip(areas, values, strict=False)]
    colours = {}
    for polarity in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER):
        ind = Indicator("SYN_P", "SYNTETISK", measure_type=MeasureType.MEAN, polarity=polarity)
        store = build_synthetic_store(rows, indicators=[ind])
        try:
            colours[polarity] = {
                code: (r[0].rank_colour, r[0].vs_nation, r[0].vs_similar)
                for code, r in profile_many(store, areas[2:]).items()
            }
        finally:
            store.close()
    for code, (rank_c, nation, similar) in colours[Polarity.HIGHER_IS_BETTER].items():
        flipped = colours[Polarity.LOWER_IS_BETTER][code]
        assert flipped[0] == _swap_rank.get(rank_c, rank_c)
        assert flipped[1] == _swap_vs.get(nation, nation)
        assert flipped[2] == _swap_vs.get(similar, similar)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 12), min_size=5, max_size=5), st.integers(1, 10))
def test_suppression_never_shows_a_value_under_the_threshold(cases, threshold):
    rows = [r for r in synthetic_rows() if r["indicator"] == "SYN_COUNT" and r["sex"] == "T"]
    munis = ["2080", "2081", "2082", "2083", "2084"]
    for r in rows:
        if r["area"] in munis and r["period"] == 2022:
            r["numerator"] = float(cases[munis.index(r["area"])])
            r["value"] = r["numerator"] / r["denominator"] * 100
    store = build_synthetic_store(rows)
    try:
        for code, prof in profile_many(store, munis, threshold=threshold).items():
            (row,) = prof
            count = cases[munis.index(code)]
            # 1 … threshold−1 cases are hidden; a true zero is a fact and is shown.
            if 0 < count < threshold:
                assert row.value is None and "suppressed" in row.flags
                assert "visas aldrig" in row.verdict
            else:
                assert row.value == pytest.approx(count / 10)
            # The similar mean never includes a suppressed member.
            if code == "2080" and row.similar_value is not None:
                shown = [cases[munis.index(m)] for m in ("2081", "2082", "2083")
                         if not 0 < cases[munis.index(m)] < threshold]
                assert row.similar_value == pytest.approx(sum(shown) / len(shown) / 10)
    finally:
        store.close()


def test_change_since_start_of_trend_window_uses_z_test_when_limits_exist(synthetic_store):
    row = {r.indicator: r for r in profile(synthetic_store, "2080")}["SYN_SURVEY"]
    # SYNTHETIC: 28.0 ± 1 (2018) → 36.0 ± 1 (2022): d = 8, SE = √2·(1/1.96).
    assert row.change["from_period"] == 2018 and row.change["difference"] == pytest.approx(8.0)
    assert row.change["upper"] - row.change["difference"] == pytest.approx(2 ** 0.5, rel=1e-6)
    assert row.change["significant"] and "Skillnaden mot 2018 (+8 procentenheter)"  # no padded zeros in row.verdict


def test_nation_profile_has_no_rank_and_no_self_benchmark(synthetic_store):
    rows = profile(synthetic_store, "0000")
    assert all(r.rank is None and r.rank_colour == "grey" for r in rows)
    assert all(r.nation_value is None and r.vs_nation == "not_compared" for r in rows)


def test_breakdown_gap_for_education():
    # SYNTHETIC: low vs high education, counts with Wilson limits; the gap grows each year.
    rows = []
    for year in range(2016, 2023):
        k = year - 2016
        for cat, cases in (("low", 300 + 30 * k), ("high", 200)):
            rows.append(dict(indicator="SYN_COUNT", area="2080", period=year, sex="T",
                             breakdown_dim="education", breakdown_cat=cat, numerator=cases,
                             denominator=1000.0, value=cases / 10))
    store = build_synthetic_store(rows)
    try:
        gap = breakdown_gap(store, "Falun", "SYN_COUNT", "education", "low", "high")
    finally:
        store.close()
    assert gap.period == 2022 and gap.difference == pytest.approx(28.0)
    assert gap.lower < 28 < gap.upper and gap.p_value < 0.001
    assert gap.trend == "widening" and gap.trend_test == "weighted_regression"
    assert gap.to_dict()["trend_label"] == "växande skillnad"


_obs = st.fixed_dictionaries({
    "area": st.sampled_from(["0000", "20", "2080", "2081", "2082", "2083"]),
    "period": st.integers(2010, 2022),
    "sex": st.sampled_from(["T", "K", "M"]),
    "numerator": st.one_of(st.none(), st.integers(0, 40)),
    "suppressed": st.booleans(),
    "pooled": st.booleans(),
    "limits": st.booleans(),
})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_obs, min_size=1, max_size=60,
                unique_by=lambda o: (o["area"], o["period"], o["sex"])))
def test_profiles_of_messy_synthetic_data_are_json_and_never_leak_small_counts(obs):
    """SYNTHETIC fuzz: gaps, suppression, small counts, pooled periods, partial limits."""
    rows = []
    for o in obs:
        n = o["numerator"]
        value = None if o["suppressed"] else (n / 40 * 100 if n is not None else 50.0)
        rows.append(dict(indicator="SYN_COUNT", area=o["area"], period=o["period"], sex=o["sex"],
                         period_start=o["period"] - 3 if o["pooled"] else o["period"],
                         numerator=n, denominator=40.0 if n is not None else None, value=value,
                         suppressed=o["suppressed"],
                         lower=value - 5 if o["limits"] and value is not None else None,
                         upper=value + 5 if o["limits"] and value is not None else None))
    store = build_synthetic_store(rows)
    try:
        for code, prof in profile_many(store, ["2080", "2081", "20", "0000"]).items():
            for row in prof:
                d = json.loads(json.dumps(row.to_dict()))
                # 1–4 cases never show; a true zero is a fact and does.
                if row.numerator is not None:
                    assert row.numerator == 0 or row.numerator >= 5
                if row.value is not None:
                    src = [o for o in obs if o["area"] == code and o["period"] == row.period
                           and o["sex"] == "T"]
                    assert src and not src[0]["suppressed"]
                    assert src[0]["numerator"] is None or not 0 < src[0]["numerator"] < 5
                assert d["verdict"]
    finally:
        store.close()
