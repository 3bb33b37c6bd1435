from __future__ import annotations

import pandas as pd

from jamlik import catalog


def test_all_290_municipalities_and_21_regions_and_the_nation():
    areas = catalog.areas()
    assert (areas["type"] == "municipality").sum() == 290
    assert (areas["type"] == "county").sum() == 21
    assert areas.loc[areas["type"] == "nation", "code"].tolist() == ["0000"]
    falun = areas.set_index("code").loc["2080"]
    assert (falun["name"], falun["parent"], falun["kolada_code"]) == ("Falun", "20", "2080")
    dalarna = areas.set_index("code").loc["20"]
    assert dalarna["kolada_code"] == "0020"


def test_dalarna_has_its_15_municipalities():
    dalarna = catalog.municipalities("20")
    assert len(dalarna) == 15
    assert {"2080", "2081", "2062", "2021", "2085"} <= set(dalarna["code"])
    assert len(catalog.municipalities("0020")) == 15


def test_eight_target_areas_plus_health_outcomes_and_17_sdgs():
    ta = catalog.target_areas()
    assert ta["id"].tolist() == list(range(9))
    assert ta.set_index("id").at[1, "title_sv"] == "Det tidiga livets villkor"
    assert len(catalog.sdg_goals()) == 17
    assert catalog.sdg_goals().set_index("goal").at[3, "title_sv"] == "Hälsa och välbefinnande"


def test_samling_has_four_themes():
    themes = catalog.samling_themes()
    themes = themes[themes["kind"] == "theme"]
    assert themes["title_sv"].iloc[0] == "Ge alla barn en bra start i livet"
    assert len(themes) == 4


def test_catalogue_indicators_have_polarity_and_no_invented_kolada_ids():
    indicators = {i.id: i for i in catalog.catalogue_indicators()}
    assert str(indicators["N00957"].polarity) == "lower_is_better"
    assert 0 in indicators["N00957"].target_areas
    assert indicators["U01405"].margin_indicator == "U01511"
    assert indicators["U01405"].period_span == 4
    assert indicators["N00923"].period_span == 5
    core_ids = set(catalog.core_indicators()["kolada_id"]) - {""}
    kolada_ids = {i for i in indicators if i[0] in "NU" and i[1:].isdigit()}
    assert core_ids <= kolada_ids
    # Every Kolada-shaped id comes from the curated list or from real sample data.
    sample_ids = set(pd.read_parquet(catalog.sample_path(), columns=["indicator"])["indicator"])
    sample_ids |= set(pd.read_parquet(catalog.denominators_path(),
                                      columns=["indicator"])["indicator"])
    assert kolada_ids <= core_ids | sample_ids
    # Composites name only real source KPIs (N65870–N65874 are in Kolada's catalogue).
    composite_sources = {c.source_kpi for i in indicators.values() for c in i.components}
    assert composite_sources <= kolada_ids | {f"N6587{q}" for q in range(5)}


def test_composites_declare_their_source_kpis():
    le = {i.id: i for i in catalog.catalogue_indicators()}["medellivslangd"]
    assert {(c.source_kpi, c.category) for c in le.components} == {("N00925", "K"),
                                                                   ("N00923", "M")}


def test_sample_loads_real_falun_ohalsotal(sample_store):
    df = sample_store.observations("N00957", areas="2080", years=2022)
    assert dict(zip(df["sex"], df["value"], strict=True)) == {"K": 25.94, "M": 15.47, "T": 20.66}
    assert set(df["source"]) == {"Kolada (RKA)"}


def test_sample_similar_municipalities_group(sample_store):
    gid = sample_store.similar_group("2080", "socioekonomi")
    assert gid is not None
    members = sample_store.group_members(gid)
    assert len(members) == 7 and "2080" not in members


def test_sample_survey_values_are_four_year_spans(sample_store):
    df = sample_store.observations("U01405", areas="2080", years=2022, sex="T")
    assert df["period_label"].tolist() == ["2019–2022"]
