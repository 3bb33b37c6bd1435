"""PxWeb v1/v2 against the local fake: JSON-stat2 decoding, TOML mappings, sync."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jamlik.sources import (
    PxWebClient,
    SyncError,
    jsonstat_to_frame,
    load_mapping,
    sync_log,
    sync_pxweb,
)
from jamlik.sources.pxweb import mapping_from_dict, parse_period
from tests.sources.sources_fake import FOLKMANGD

DATA = Path(__file__).parent / "data"

# A Folkhälsodata-style table: pooled 4-year periods, education breakdown, limits, a "..".
HALSA = {
    "label": "Självskattat hälsotillstånd", "updated": "2024-06-01", "time": "Ar",
    "dims": {
        "Region": {"2080": "Falun", "2062": "Mora"},
        "Kon": {"T": "Totalt", "K": "Kvinnor", "M": "Män"},
        "Utbildning": {"tot": "Totalt", "forgymn": "Förgymnasial", "eftergymn": "Eftergymnasial"},
        "Ar": {"2018-2021": "2018–2021"},
        "Matt": {"andel": "Andel (%)", "ki_nedre": "KI nedre", "ki_ovre": "KI övre"},
    },
    "cells": {},
}
for region, base in (("2080", 71.0), ("2062", 73.0)):
    for i, sex in enumerate(("T", "K", "M")):
        for j, edu in enumerate(("tot", "forgymn", "eftergymn")):
            v = base - i + 3 * j
            HALSA["cells"][(region, sex, edu, "2018-2021", "andel")] = v
            HALSA["cells"][(region, sex, edu, "2018-2021", "ki_nedre")] = v - 4
            HALSA["cells"][(region, sex, edu, "2018-2021", "ki_ovre")] = v + 4
for m in ("andel", "ki_nedre", "ki_ovre"):  # too few answers: suppressed
    HALSA["cells"][("2062", "M", "forgymn", "2018-2021", m)] = ".."


@pytest.fixture
def px(fake):
    fake.state.px_tables["TAB638"] = FOLKMANGD
    fake.state.px_tables["Halsa/halsa.px"] = HALSA
    return fake


def test_jsonstat2_is_row_major_with_sparse_status():
    # JSON-stat 2.0: the last dimension varies fastest; value may be an array, status an object
    ds = {"version": "2.0", "class": "dataset", "id": ["a", "b"], "size": [2, 2],
          "dimension": {"a": {"category": {"index": ["x", "y"]}},
                        "b": {"category": {"index": {"p": 0, "q": 1}}}},
          "value": [1, 2, None, 4], "status": {"2": ".."}}
    frame = jsonstat_to_frame(ds).fillna({"value": -1.0, "status": ""})
    assert frame.values.tolist() == [["x", "p", 1, ""], ["x", "q", 2, ""],
                                     ["y", "p", -1, ".."], ["y", "q", 4, ""]]
    sparse = dict(ds, value={"0": 1.5, "3": 2.5})
    del sparse["status"]
    assert jsonstat_to_frame(sparse)["value"].fillna(-1).tolist() == [1.5, -1, -1, 2.5]


def test_jsonstat2_size_mismatch_is_a_clear_error():
    ds = {"id": ["a"], "size": [3], "dimension": {"a": {"category": {"index": ["x"]}}}}
    with pytest.raises(SyncError, match="size 3"):
        jsonstat_to_frame(ds)


def test_scb_v2_table_maps_sex_codes_and_region_codes(px, http, store):
    mapping = load_mapping(DATA / "scb_folkmangd.toml")
    summary = sync_pxweb(store, f"{px.url}/px/v2", "TAB638", mapping, http=http)
    assert summary.inserted == 18 and summary.batches_total == 2  # period_chunk = 1
    obs = store.observations("SCB_FOLKMANGD", areas="2080", years=2022).set_index("sex")
    assert obs["value"].to_dict() == {"K": 30161.0, "M": 29657.0, "T": 59818.0}
    assert set(store.observations("SCB_FOLKMANGD").area) == {"0000", "20", "2080"}
    assert store.indicator("SCB_FOLKMANGD").title_sv == "Folkmängd 31 december"
    post = [r for r in px.state.requests if r[0] == "POST"]
    assert post[0][1] == "/px/v2/tables/TAB638/data"
    assert post[0][2]["outputFormat"] == ["json-stat2"]
    again = sync_pxweb(store, f"{px.url}/px/v2", "TAB638", mapping, http=http)
    assert again.changed == 0 and again.unchanged == 18


def test_v1_table_with_pooled_period_breakdown_limits_and_suppression(px, http, store):
    mapping = load_mapping(DATA / "fohm_halsa.toml")
    sync_pxweb(store, f"{px.url}/px/v1/sv/FHM", "Halsa/halsa.px", mapping, http=http)
    total = store.observations("FOHM_HALSA", areas="2080", sex="T").iloc[0]
    assert (total.period, total.period_start, total.period_label) == (2021, 2018, "2018–2021")
    assert (total.value, total.lower, total.upper) == (71.0, 67.0, 75.0)
    edu = store.observations("FOHM_HALSA", areas="2080", sex="K", breakdown="education")
    assert dict(zip(edu.breakdown_cat, edu.value, strict=True)) == {
        "forgymnasial": 73.0, "eftergymnasial": 76.0}
    hidden = store.observations("FOHM_HALSA", areas="2062", sex="M", breakdown="education")
    hidden = hidden[hidden.breakdown_cat == "forgymnasial"].iloc[0]
    assert hidden.suppressed and hidden.suppression_reason == "confidential"
    post = [r for r in px.state.requests if r[0] == "POST"][0]
    assert post[1] == "/px/v1/sv/FHM/Halsa/halsa.px"


def test_browse_and_variables_in_both_api_versions(px, http):
    v1 = PxWebClient(http, f"{px.url}/px/v1/sv/FHM")
    assert v1.api == "v1"
    assert {t["id"] for t in v1.browse()} == {"TAB638", "Halsa/halsa.px"}
    assert [v["code"] for v in v1.variables("Halsa/halsa.px")] == [
        "Region", "Kon", "Utbildning", "Ar", "Matt"]
    v2 = PxWebClient(http, f"{px.url}/px/v2")
    assert v2.api == "v2"
    variables = {v["code"]: v for v in v2.variables("TAB638")}
    assert variables["Kon"]["values"] == ["1", "2", "1+2"]
    assert variables["Tid"]["time"] is True
    assert v2.search("folkmängd")[0]["id"] == "TAB638"


def test_since_skips_a_table_not_updated_since(px, http, store):
    mapping = load_mapping(DATA / "scb_folkmangd.toml")
    summary = sync_pxweb(store, f"{px.url}/px/v2", "TAB638", mapping, http=http,
                         since=date(2025, 6, 1))
    assert summary.inserted == 0 and "uppdaterades 2025-02-21" in summary.warnings[0]


def test_revised_pxweb_value_lands_in_history(px, http, store):
    mapping = load_mapping(DATA / "scb_folkmangd.toml")
    sync_pxweb(store, f"{px.url}/px/v2", "TAB638", mapping, http=http)
    FOLKMANGD_REVISED = dict(FOLKMANGD, cells=dict(FOLKMANGD["cells"]))
    FOLKMANGD_REVISED["cells"][("2080", "1+2", "2022", "BE0101N1")] = 59820.0
    px.state.px_tables["TAB638"] = FOLKMANGD_REVISED
    summary = sync_pxweb(store, f"{px.url}/px/v2", "TAB638", mapping, http=http)
    assert summary.updated == 1
    assert store.history("SCB_FOLKMANGD", "2080").value.tolist() == [59818.0]
    assert sync_log(store).iloc[0].updated == 1


def test_unknown_area_codes_are_skipped_with_a_warning(px, http, store):
    table = dict(FOLKMANGD, dims=dict(FOLKMANGD["dims"]), cells=dict(FOLKMANGD["cells"]))
    table["dims"]["Region"] = {**FOLKMANGD["dims"]["Region"], "2081": "Borlänge"}
    table["cells"][("2081", "1+2", "2022", "BE0101N1")] = 51000.0  # not in this store
    px.state.px_tables["TAB638"] = table
    raw = {"indicator": {"id": "X"}, "variables": {"area": "Region", "period": "Tid",
           "sex": "Kon", "measure": "ContentsCode"}, "measures": {"BE0101N1": "value"},
           "query": {"Region": ["*"], "Tid": ["2022"]}}
    summary = sync_pxweb(store, f"{px.url}/px/v2", "TAB638", mapping_from_dict(raw), http=http)
    assert summary.inserted == 9  # 00 (riket), 20 and 2080 x 3 sexes
    assert any("2081" in w and "translate.area" in w for w in summary.warnings)


def test_mapping_errors_name_the_problem_in_swedish(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[indicator]\ntitle_sv = "x"\n[variables]\narea = "Region"\n'
                   '[measures]\n"A" = "värde"\n', encoding="utf-8")
    with pytest.raises(SyncError) as err:
        load_mapping(bad)
    text = str(err.value)
    assert "id saknas" in text and "period saknas" in text and "okänd kolumn 'värde'" in text
    with pytest.raises(SyncError, match="finns inte"):
        load_mapping(tmp_path / "nope.toml")


def test_mapping_naming_a_missing_variable_fails_before_writing(px, http, store):
    raw = {"indicator": {"id": "X"}, "variables": {"area": "Region", "period": "År"}}
    with pytest.raises(SyncError, match="'År' som inte finns"):
        sync_pxweb(store, f"{px.url}/px/v2", "TAB638", mapping_from_dict(raw), http=http)
    assert store.observations("X").empty


def test_period_texts_keep_months_quarters_and_spans_apart():
    assert parse_period("2022") == (2022, None, "")
    assert parse_period("2018-2021") == (2021, 2018, "")
    assert parse_period("2018–2021") == (2021, 2018, "")
    assert parse_period("2020M03") == (2020, None, "M03")
    assert parse_period("2026M1") == (2026, None, "M01")
    assert parse_period("2026K1") == parse_period("2026Q1") == (2026, None, "K1")
    assert parse_period("2025H2") == (2025, None, "H2")
    for bad in ("2025/26", "2026M13", "2026K5", "20", "år 2020"):
        with pytest.raises(ValueError):
            parse_period(bad)


def test_an_unmapped_variable_with_several_codes_is_named(px, http, store):
    raw = {"indicator": {"id": "X"}, "variables": {"area": "Region", "period": "Tid"},
           "query": {"Region": ["2080"], "Tid": ["2022"]}}  # Kon left open: 3 values per key
    with pytest.raises(SyncError, match="variabeln Kon .koderna '1' och '2'. är inte mappad"):
        sync_pxweb(store, f"{px.url}/px/v2", "TAB638", mapping_from_dict(raw), http=http)
    assert store.observations("X").empty


def test_non_finite_and_absurd_pxweb_values_are_stored_as_missing_with_a_swedish_warning(px, http, store):
    table = dict(FOLKMANGD, cells=dict(FOLKMANGD["cells"]))
    table["cells"][("2080", "1+2", "2022", "BE0101N1")] = float("inf")
    table["cells"][("2080", "1", "2022", "BE0101N1")] = 1e300
    px.state.px_tables["TAB638"] = table
    mapping = load_mapping(DATA / "scb_folkmangd.toml")
    summary = sync_pxweb(store, f"{px.url}/px/v2", "TAB638", mapping, http=http)
    falun = store.observations("SCB_FOLKMANGD", areas="2080", years=2022).set_index("sex")
    assert falun.loc["K", "value"] == 30161.0
    # the total and the men are stored as missing values, never as inf or 1e300
    assert falun.loc[["T", "M"], "value"].isna().all() and falun.loc["T", "suppressed"]
    assert store.scalar("SELECT count(*) FROM observations WHERE NOT isfinite(value) "
                        "OR abs(value) > 1e15") == 0
    assert any("2 värden var inget ändligt tal inom rimliga gränser och sparades som saknade"
               in w for w in summary.warnings)
