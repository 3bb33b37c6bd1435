"""PxWeb 2 against SCB's real recorded responses, replayed from 127.0.0.1.

The bodies and where they come from: tests/sources/data/recorded/README.md. Each test names the
body it replays; numbers in assertions are read from those bodies.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.sources import HttpClient, PxWebClient, SyncError, sync_pxweb
from jamlik.sources.pxweb import mapping_from_dict, selection_cells, split_selection
from jamlik.store import Area, AreaType, Store
from tests.sources.sources_fake import codelist_from, fast_config, recorded

TAB6471 = recorded("scb_v2_TAB6471_data.json")  # pxwebpy tests/responses/TAB6471_data.json
TAB6471_META = recorded("scb_v2_TAB6471_metadata.json")
TAB638 = recorded("scb_v2_TAB638_knivsta_uppsala_1998_2005.json")  # atlas290 kitchen/raw
MONTHS = ["2026M01", "2026M02", "2026M03", "2026M04"]


@pytest.fixture
def scb(fake):
    fake.state.px_tables["TAB6471"] = {"data": TAB6471, "metadata": TAB6471_META}
    fake.state.px_tables["TAB638"] = {"data": TAB638}
    # The codelists the recorded TAB6471 body was fetched with (named in its metadata), in the
    # shape of the recorded codelist agg_Ålder10årJ.
    fake.state.px_codelists["vs_CKM02Län"] = codelist_from(TAB6471, "Region", "vs_CKM02Län",
                                                           "län")
    fake.state.px_codelists["vs_CKM0410årN"] = codelist_from(TAB6471, "Alder", "vs_CKM0410årN",
                                                             "10-årsklasser 0-100+")
    return fake


@pytest.fixture
def counties(store: Store) -> Store:
    labels = TAB6471["dimension"]["Region"]["category"]["label"]
    store.upsert_areas([Area(code, name, AreaType.COUNTY, "0000", f"00{code}")
                        for code, name in labels.items() if code != "20"])
    store.upsert_areas([Area("0330", "Knivsta", AreaType.MUNICIPALITY, "03", "0330"),
                        Area("0380", "Uppsala", AreaType.MUNICIPALITY, "03", "0380")])
    return store


def _tab6471_mapping(**extra):
    raw = {
        "indicator": {"id": "SCB_FOLKMANGD_MANAD", "title_sv": "Folkmängd per månad",
                      "unit": "antal", "measure_type": "count", "source": "SCB"},
        "variables": {"area": "Region", "period": "Tid", "sex": "Kon", "breakdown": "Alder",
                      "breakdown_dim": "age", "measure": "ContentsCode"},
        "measures": {"000007SF": "value"},
        "codelists": {"Region": "vs_CKM02Län", "Alder": "vs_CKM0410årN"},
        "query": {"Region": ["*"], "Alder": ["*"], "Kon": ["*"], "ContentsCode": ["000007SF"],
                  "Tid": MONTHS},
    }
    for key, value in extra.items():
        raw[key] = {**raw.get(key, {}), **value}
    return mapping_from_dict(raw)


def test_real_tab6471_syncs_every_cell_with_months_ages_and_totals_apart(scb, http, counties):
    summary = sync_pxweb(counties, f"{scb.url}/px/v2", "TAB6471", _tab6471_mapping(), http=http)
    assert summary.fetched == 2772 == 21 * 11 * 3 * 4  # the body's size: regions×ages×sex×months
    assert summary.inserted == 2772 and not summary.warnings
    obs = counties.observations("SCB_FOLKMANGD_MANAD", breakdown="*", subperiod="*")
    assert len(obs) == 2772
    assert sorted(obs.subperiod.unique()) == ["M01", "M02", "M03", "M04"]
    assert set(obs.period) == {2026} and set(obs.sex) == {"T", "K", "M"}
    assert obs.breakdown_cat.nunique() == 11
    # Stockholm (01), 0–9 years: the body's first values, total (TotSa) then men then women.
    sthlm = obs[(obs.area == "01") & (obs.breakdown_cat == "0-9")].set_index(["sex", "subperiod"])
    assert sthlm.loc[("T", "M01"), "value"] == 245284
    assert sthlm.loc[("T", "M04"), "value"] == 251635
    assert sthlm.loc[("M", "M01"), "value"] == 125373
    assert sthlm.loc[("K", "M01"), "value"] == 119906
    # SCB's total is kept as published (with its CKM noise), not rebuilt from the parts.
    assert sthlm.loc[("T", "M01"), "value"] != 125373 + 119906
    assert sthlm.loc[("T", "M01"), "period_label"] == "2026M01"
    # Whole-year readers see nothing of a monthly table by default.
    assert counties.observations("SCB_FOLKMANGD_MANAD", breakdown="*").empty
    meta = [r for r in scb.state.requests if r[1].endswith("/metadata")]
    assert meta and all(set(q) == {"lang"} for _, _, q in meta)  # no outputFormat
    post = [r for r in scb.state.requests if r[0] == "POST"]
    assert all(r[1] == "/px/v2/tables/TAB6471/data" for r in post)
    again = sync_pxweb(counties, f"{scb.url}/px/v2", "TAB6471", _tab6471_mapping(), http=http)
    assert again.changed == 0 and again.unchanged == 2772


def test_codelists_are_sent_in_the_selection(scb, counties):
    bodies = []
    http = HttpClient(fast_config())
    original = http.post_json

    def spy(url, body, params=None, **kw):
        bodies.append(body)
        return original(url, body, params, **kw)

    http.post_json = spy  # type: ignore[method-assign]
    sync_pxweb(counties, f"{scb.url}/px/v2", "TAB6471", _tab6471_mapping(), http=http)
    http.close()
    sel = {s["variableCode"]: s for s in bodies[0]["selection"]}
    assert sel["Alder"]["codelist"] == "vs_CKM0410årN"
    assert sel["Region"]["codelist"] == "vs_CKM02Län"
    assert "codelist" not in sel["Kon"]


def test_a_codelist_the_table_does_not_offer_is_refused_before_writing(scb, http, counties):
    mapping = _tab6471_mapping(codelists={"Alder": "agg_Ålder10årJ"})
    with pytest.raises(SyncError, match="agg_Ålder10årJ.*finns inte för tabellen TAB6471"):
        sync_pxweb(counties, f"{scb.url}/px/v2", "TAB6471", mapping, http=http)
    assert counties.observations("SCB_FOLKMANGD_MANAD", breakdown="*", subperiod="*").empty


def test_a_subperiod_rule_is_explicit_and_refuses_incomplete_years(scb, http, counties):
    april = sync_pxweb(counties, f"{scb.url}/px/v2", "TAB6471",
                       _tab6471_mapping(subperiods={"rule": "M04"}), http=http)
    assert april.inserted == 693  # 21 × 11 × 3: only April stands for 2026
    assert any("andra månader" in w for w in april.warnings)
    row = counties.observations("SCB_FOLKMANGD_MANAD", areas="01", sex="T", breakdown="age")
    row = row[row.breakdown_cat == "0-9"].iloc[0]
    assert (row.period, row.subperiod, row.value) == (2026, "", 251635)
    assert "M04" in row.note
    mean = sync_pxweb(counties, f"{scb.url}/px/v2", "TAB6471",
                      _tab6471_mapping(indicator={"id": "MEAN"}, subperiods={"rule": "mean"}),
                      http=http)
    assert mean.inserted == 0  # four months are not a year: nothing is made up
    assert any("ofullständiga år hoppades över (2026)" in w for w in mean.warnings)


def test_months_mapped_onto_one_year_name_the_cause(scb, http, counties):
    mapping = _tab6471_mapping(translate={"period": {m: "2026" for m in MONTHS}})
    with pytest.raises(SyncError, match="variabeln Tid har koderna '2026M01' och '2026M02'"):
        sync_pxweb(counties, f"{scb.url}/px/v2", "TAB6471", mapping, http=http)


def _tab638_mapping(**extra):
    raw = {
        "indicator": {"id": "SCB_FOLKMANGD", "measure_type": "count", "source": "SCB"},
        "variables": {"area": "Region", "period": "Tid", "sex": "Kon",
                      "measure": "ContentsCode"},
        "measures": {"BE0101N1": "value"},
        "query": {"Region": ["0330", "0380"], "Alder": ["tot"], "Kon": ["1", "2"],
                  "Civilstand": ["OG", "G", "SK", "ÄNKL"], "ContentsCode": ["BE0101N1"],
                  "Tid": [str(y) for y in range(1998, 2006)]},
    }
    raw.update(extra)
    return mapping_from_dict(raw)


def test_real_tab638_civil_status_is_summed_only_when_the_mapping_says_so(scb, http, counties):
    # Without a rule the four civil-status cells per sex collide, and the error says why.
    with pytest.raises(SyncError, match="variabeln Civilstand .koderna 'OG' och 'G'. är inte "
                                        "mappad"):
        sync_pxweb(counties, f"{scb.url}/px/v2", "TAB638", _tab638_mapping(), http=http)
    summed = _tab638_mapping(aggregate={"sum": ["Civilstand"]})
    summary = sync_pxweb(counties, f"{scb.url}/px/v2", "TAB638", summed, http=http)
    assert summary.fetched == 128 and summary.inserted == 32  # 128 cells -> 2 areas × 2 sexes × 8 y
    obs = counties.observations("SCB_FOLKMANGD", years=2002).set_index(["area", "sex"])["value"]
    # Sums of the recorded cells (ogifta + gifta + skilda + änkor/änklingar), 31 Dec 2002:
    assert obs[("0380", "M")] == 50850 + 28494 + 6390 + 1589 == 87323
    assert obs[("0380", "K")] == 48312 + 28741 + 9084 + 6213 == 92350
    assert obs[("0330", "M")] == 3464 + 2333 + 433 + 87 == 6317
    # Knivsta was formed 2003-01-01; SCB reports 0 before 2002 (division of 1 Jan the next year).
    assert counties.observations("SCB_FOLKMANGD", areas="0330", years=2001).value.tolist() == [
        0.0, 0.0]


def test_real_tab638_civil_status_as_a_breakdown(scb, http, counties):
    mapping = _tab638_mapping(variables={"area": "Region", "period": "Tid", "sex": "Kon",
                                         "measure": "ContentsCode", "breakdown": "Civilstand",
                                         "breakdown_dim": "civil_status"})
    summary = sync_pxweb(counties, f"{scb.url}/px/v2", "TAB638", mapping, http=http)
    assert summary.inserted == 128  # every recorded cell
    obs = counties.observations("SCB_FOLKMANGD", areas="0380", years=2005, sex="K",
                                breakdown="civil_status").set_index("breakdown_cat")["value"]
    assert obs.to_dict() == {"G": 29070.0, "OG": 49449.0, "SK": 9430.0, "ÄNKL": 5977.0}


@given(st.lists(st.integers(1, 6), min_size=1, max_size=4), st.integers(1, 200),
       st.booleans())
@settings(max_examples=200, deadline=None)
def test_split_parts_never_exceed_the_limit_and_cover_each_cell_once(sizes, limit, star):
    known = {f"v{i}": [f"c{j}" for j in range(n)] for i, n in enumerate(sizes)}
    sel = {v: (["*"] if star and i == 0 else list(c)) for i, (v, c) in enumerate(known.items())}
    parts = split_selection(sel, known, limit, prefer="v0")
    assert all(selection_cells(p, known) <= limit for p in parts)
    cells = [cell for p in parts for cell in itertools.product(
        *((known[v] if p[v] == ["*"] else p[v]) for v in known))]
    assert sorted(cells) == sorted(itertools.product(*known.values()))  # each exactly once


def test_split_selection_covers_exactly_the_same_cells():
    known = {"a": list("abcdefg"), "b": ["1", "2", "3"], "t": ["2020", "2021", "2022"]}
    sel = {"a": ["*"], "b": ["1", "2", "3"], "t": ["2020", "2021", "2022"]}
    for limit in (1, 2, 5, 7, 20, 63, 100):
        parts = split_selection(sel, known, limit, prefer="t")
        assert all(selection_cells(p, known) <= limit for p in parts)
        cells = [(a, b, t) for p in parts for a in (known["a"] if p["a"] == ["*"] else p["a"])
                 for b in p["b"] for t in p["t"]]
        assert sorted(cells) == sorted((a, b, t) for a in known["a"] for b in known["b"]
                                       for t in known["t"])
    assert split_selection(sel, known, 63) == [sel]
    with pytest.raises(SyncError, match="färre koder"):
        split_selection({"a": ["top(3)"]}, known, 2)


def _frame(store: Store):
    return (store.observations("SCB_FOLKMANGD_MANAD", breakdown="*", subperiod="*")
            .drop(columns=["retrieved_at"]).reset_index(drop=True))


def test_a_query_over_max_data_cells_is_split_paced_and_reassembled_exactly(scb, counties):
    whole = Store(":memory:")
    whole.upsert_areas(counties.sql("SELECT * FROM areas").itertuples(index=False))
    with HttpClient(fast_config()) as http:
        sync_pxweb(whole, f"{scb.url}/px/v2", "TAB6471", _tab6471_mapping(), http=http)
    # The recorded /config (maxDataCells, and 3 calls per 1 s window), with a small cell limit,
    # enforced by the server: 403 above the limit, 429 above the window.
    scb.state.px_config = {**recorded("scb_v2_config.json"), "maxDataCells": 700}
    scb.state.max_cells = 700
    scb.state.window = (3, 1.0)
    scb.state.cells_served.clear()
    with HttpClient(fast_config()) as http:  # real sleeps for the window
        summary = sync_pxweb(counties, f"{scb.url}/px/v2", "TAB6471", _tab6471_mapping(),
                             http=http)
        assert http.stats.retries == 0  # paced: the server never had to say 429
    assert summary.batches_total >= 4 and max(scb.state.cells_served) <= 700
    assert sum(scb.state.cells_served) == 2772
    assert summary.inserted == 2772
    import pandas as pd

    pd.testing.assert_frame_equal(_frame(counties), _frame(whole))
    whole.close()


def test_a_403_for_too_many_cells_halves_the_query(scb, http, counties):
    scb.state.max_cells = 1000  # the server is stricter than its /config says (150 000)
    summary = sync_pxweb(counties, f"{scb.url}/px/v2", "TAB6471", _tab6471_mapping(), http=http)
    assert summary.inserted == 2772 and summary.batches_total == 1
    assert any("403" in w and "delades" in w for w in summary.warnings)
    assert max(scb.state.cells_served) <= 1000 and sum(scb.state.cells_served) == 2772
    scb.state.max_cells = 0
    with pytest.raises(SyncError, match="403"):
        sync_pxweb(counties, f"{scb.url}/px/v2", "TAB6471",
                   _tab6471_mapping(indicator={"id": "OTHER"}), http=http)


def test_search_follows_pages_and_browse_uses_table_paths(scb, http):
    client = PxWebClient(http, f"{scb.url}/px/v2")
    assert {t["id"] for t in client.search("folkmängd", page_size=1)} == {"TAB6471", "TAB638"}
    pages = [q.get("pageNumber") for _, p, q in scb.state.requests if p == "/px/v2/tables"]
    assert pages == [["1"], ["2"]]
    assert client.browse() == [{"id": "BE", "type": "folder", "text": "Befolkning"}]
    assert {t["id"] for t in client.browse("BE")} == {"TAB6471", "TAB638"}
    assert not any("/navigation" in p for _, p, _ in scb.state.requests)


def test_recorded_search_and_table_list_bodies_parse(fake, http):
    # pxwebpy tests/responses/search.json and tables.json: SCB's paging and paths as served.
    search = recorded("scb_v2_search.json")
    assert search["page"]["totalPages"] == 1 and len(search["tables"]) == 10
    listing = recorded("scb_v2_tables.json")
    assert listing["page"]["totalPages"] == 213
    assert all(t["paths"] and t["id"].startswith("TAB") for t in listing["tables"])
    assert {t["timeUnit"] for t in search["tables"]} == {"Annual", "Monthly"}


def test_recorded_config_paces_the_client(fake):
    conf = recorded("scb_v2_config.json")
    fake.state.px_config = conf
    with HttpClient(fast_config()) as http:
        limits = PxWebClient(http, f"{fake.url}/px/v2").pace_by_config()
        assert (limits.max_cells, limits.calls, limits.window) == (150000, 3, 1.0)
        assert http._window == (3, 1.0)


TAB5974 = recorded("scb_v2_TAB5974_riket_2026_age0.json")  # rOpenGov/pxweb tests/testthat
TAB638_RIKET = recorded("scb_v2_TAB638_riket_2024_men_age0_ogifta.json")  # rOpenGov/pxweb


def test_real_tab5974_without_region_syncs_with_a_fixed_area(fake, http, store):
    # SCB's real TAB5974 body (a national table: no region variable at all).
    assert "Region" not in TAB5974["id"]
    fake.state.px_tables["TAB5974"] = {"data": TAB5974}
    raw = {"indicator": {"id": "SCB_FOLKMANGD_INRUTR", "measure_type": "count", "source": "SCB"},
           "variables": {"period": "Tid", "sex": "Kon", "measure": "ContentsCode"},
           "measures": {"000005NO": "value"}, "fixed": {"area": "0000"},
           "query": {"InrikesUtrikes": ["83"], "Alder": ["0"], "Kon": ["*"],
                     "ContentsCode": ["000005NO"], "Tid": ["2026"]}}
    summary = sync_pxweb(store, f"{fake.url}/px/v2", "TAB5974", mapping_from_dict(raw), http=http)
    assert (summary.fetched, summary.inserted) == (2, 2)
    obs = store.observations("SCB_FOLKMANGD_INRUTR", years=2026).set_index("sex")["value"]
    assert obs.to_dict() == {"K": 47361.0, "M": 50080.0}  # the body's two cells, 0-year-olds
    assert set(store.observations("SCB_FOLKMANGD_INRUTR").area) == {"0000"}
    # Without [fixed] area the mapping is refused before anything is fetched, naming the fix.
    with pytest.raises(SyncError, match=r"\[fixed\] area = \"0000\""):
        mapping_from_dict({"indicator": {"id": "X"}, "variables": {"period": "Tid"}})
    unknown = dict(raw, fixed={"area": "9999"})
    with pytest.raises(SyncError, match="'9999' är ingen känd områdeskod"):
        sync_pxweb(store, f"{fake.url}/px/v2", "TAB5974", mapping_from_dict(unknown), http=http)


def test_real_tab638_riket_men_2024(fake, http, store):
    # SCB's real TAB638 body for Riket (region code "00"), unmarried men aged 0, 2024.
    fake.state.px_tables["TAB638"] = {"data": TAB638_RIKET}
    raw = {"indicator": {"id": "SCB_FOLKMANGD", "measure_type": "count", "source": "SCB"},
           "variables": {"area": "Region", "period": "Tid", "sex": "Kon",
                         "measure": "ContentsCode"},
           "measures": {"BE0101N1": "value"},
           "translate": {"area": {"00": "0000"}},
           "query": {"Region": ["00"], "Civilstand": ["OG"], "Alder": ["0"], "Kon": ["1"],
                     "ContentsCode": ["BE0101N1"], "Tid": ["2024"]}}
    summary = sync_pxweb(store, f"{fake.url}/px/v2", "TAB638", mapping_from_dict(raw), http=http)
    assert summary.inserted == 1
    row = store.observations("SCB_FOLKMANGD").iloc[0]
    assert (row.area, row.sex, row.period, row.value) == ("0000", "M", 2024, 50937)


def test_upstream_changes_are_warnings_not_silence(fake, http, store):
    from tests.sources.sources_fake import FOLKMANGD

    fake.state.px_tables["TAB638"] = dict(FOLKMANGD, discontinued=True)
    raw = {"indicator": {"id": "X", "measure_type": "count"},
           "variables": {"area": "Region", "period": "Tid", "sex": "Kon",
                         "measure": "ContentsCode"},
           "measures": {"BE0101N1": "value"},
           "query": {"Region": ["2080", "2081"], "Tid": ["2022"], "Kon": ["*"]}}
    summary = sync_pxweb(store, f"{fake.url}/px/v2", "TAB638", mapping_from_dict(raw), http=http)
    assert summary.inserted == 3
    assert any("avslutad" in w for w in summary.warnings)
    assert any("2081" in w and "finns inte (längre)" in w for w in summary.warnings)
    from jamlik.sources import sync_log

    logged = sync_log(store).iloc[0].warnings
    assert "avslutad" in logged and "2081" in logged  # kept in the sync log, not only printed
    renamed = dict(raw, variables={**raw["variables"], "sex": "Kön"})
    with pytest.raises(SyncError, match="'Kön' som inte finns i tabellen TAB638.*bytt "
                                        "variabelkod"):
        sync_pxweb(store, f"{fake.url}/px/v2", "TAB638", mapping_from_dict(renamed), http=http)


TAB5557 = recorded("scb_v2_TAB5557_stockholm_2025_ages.json")  # atlas290 kitchen/raw


def _tab5557_mapping(ages):
    return mapping_from_dict({
        "indicator": {"id": "SCB_FOLKMANGD_ALDER", "measure_type": "count", "source": "SCB"},
        "variables": {"area": "Region", "period": "Tid", "sex": "Kon", "breakdown": "Alder",
                      "breakdown_dim": "age", "measure": "ContentsCode"},
        "measures": {"000007ME": "value"},
        "query": {"Region": ["0180"], "Civilstand": ["SC"], "Alder": ages, "Kon": ["TotSa"],
                  "ContentsCode": ["000007ME"], "Tid": ["2025"]}})


def test_real_tab5557_four_age_totals_are_named_and_ckm_totals_kept(fake, http, store):
    fake.state.px_tables["TAB5557"] = {"data": TAB5557}
    store.upsert_areas([Area("0180", "Stockholm", AreaType.MUNICIPALITY, "01", "0180")])
    # All 137 codes: TotSA, TOT1, TOT5 and TOT10 are four totals of the same thing.
    with pytest.raises(SyncError, match="variabeln Alder har koderna 'TotSA' och 'TOT1' som "
                                        "blir samma nyckel – två totalkoder"):
        sync_pxweb(store, f"{fake.url}/px/v2", "TAB5557", _tab5557_mapping(["*"]), http=http)
    singles = [str(a) for a in range(100)] + ["100+1"]
    summary = sync_pxweb(store, f"{fake.url}/px/v2", "TAB5557",
                         _tab5557_mapping([*singles, "TotSA"]), http=http)
    assert summary.inserted == 102
    total = store.observations("SCB_FOLKMANGD_ALDER", areas="0180").iloc[0]
    assert (total.sex, total.period, total.value) == ("T", 2025, 999239)
    ages = store.observations("SCB_FOLKMANGD_ALDER", areas="0180", breakdown="age")
    # CKM (the body's note): the published total is not the sum of the published parts, and
    # jamlik stores SCB's total rather than the sum (atlas290's notes give the same 999,237).
    assert ages.value.sum() == 999237 != total.value
