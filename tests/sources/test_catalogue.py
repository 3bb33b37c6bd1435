"""The source catalogue, its shipped presets and `jamlik sync preset folkhalsa`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from jamlik.cli import _load_commands, app
from jamlik.sources import SyncError
from jamlik.sources.catalogue import BUNDLES, catalogue, preset_mapping, source, sync_preset
from jamlik.store import Area, AreaType, Store
from tests.sources.sources_fake import recorded

runner = CliRunner()
_load_commands()


@pytest.fixture
def uppsala() -> Store:
    store = Store(":memory:")
    store.upsert_areas([Area("0000", "Riket", AreaType.NATION, None, "0000"),
                        Area("03", "Uppsala län", AreaType.COUNTY, "0000", "0003"),
                        Area("0330", "Knivsta", AreaType.MUNICIPALITY, "03", "0330"),
                        Area("0380", "Uppsala", AreaType.MUNICIPALITY, "03", "0380")])
    yield store
    store.close()


def test_every_entry_states_what_it_fetches_its_licence_cadence_and_verification():
    entries = catalogue()
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids))
    assert {"kolada-core", "scb-folkmangd-kon", "scb-folkmangd-totalt"} <= set(ids)
    for e in entries:
        assert e.fetches and e.licence and e.cadence and e.verified
        assert e.shipped or e.reason_sv  # nothing unshipped without a reason
    for bundle in BUNDLES.values():
        assert all(source(i).shipped for i in bundle)
    with pytest.raises(SyncError, match="okänd källa"):
        source("nope")


def test_shipped_presets_are_valid_mappings_for_a_county(uppsala):
    for e in catalogue():
        if e.preset_file:
            mapping = preset_mapping(uppsala, e, "03")
            assert mapping.query["Region"] == ["0330", "0380", "03", "00"]
            assert mapping.indicator.startswith("SCB_FOLKMANGD")
            assert mapping.measure_type == "count" and mapping.source == "SCB"


def test_folkhalsa_preset_syncs_kolada_and_scb_for_a_county(fake, http, uppsala):
    fake.state.auto_kpis = True
    fake.state.px_tables["TAB638"] = {"data": recorded(
        "scb_v2_TAB638_knivsta_uppsala_1998_2005.json")}
    # TAB5557 in the recorded codes (the recorded body is Stockholm's; this one is shaped so).
    fake.state.px_tables["TAB5557"] = {
        "label": "Folkmängd efter region, civilstånd, ålder, kön och år", "updated": "2026-02-24",
        "time": "Tid",
        "dims": {"Region": {"0330": "Knivsta", "0380": "Uppsala"},
                 "Civilstand": {"SC": "totalt, samtliga civilstånd"},
                 "Alder": {"TotSA": "totalt, samtliga åldrar"},
                 "Kon": {"1": "män", "2": "kvinnor", "TotSa": "totalt, samtliga män och kvinnor"},
                 "ContentsCode": {"000007ME": "Folkmängd"}, "Tid": {"2025": "2025"}},
        "cells": {("0380", "SC", "TotSA", "TotSa", "000007ME", "2025"): 250001.0,
                  ("0380", "SC", "TotSA", "1", "000007ME", "2025"): 124000.0,
                  ("0380", "SC", "TotSA", "2", "000007ME", "2025"): 126003.0}}
    steps = []
    px = f"{fake.url}/px/v2"
    summaries = sync_preset(uppsala, "folkhalsa", "03", http=http, years=[2022],
                            on_step=lambda e: steps.append(e.id),
                            base_urls={"kolada-core": fake.kolada, "scb-folkmangd-kon": px,
                                       "scb-folkmangd-totalt": px, "scb-folkmangd-2025": px})
    assert steps == list(BUNDLES["folkhalsa"]) and len(summaries) == 4
    y2025 = uppsala.observations("SCB_FOLKMANGD", areas="0380", years=2025)
    assert y2025.set_index("sex")["value"].to_dict() == {"K": 126003, "M": 124000, "T": 250001}
    kolada_areas = {a for _, p, _ in fake.data_requests() if "/v3/" in p
                    for a in p.split("/")[6].split(",")}
    assert kolada_areas == {"0330", "0380", "0003", "0000"}
    obs = uppsala.observations("SCB_FOLKMANGD", years=2002).set_index(["area", "sex"])["value"]
    # The recorded TAB638 cells summed over civil status (men, women) and over sex too:
    assert obs[("0380", "M")] == 87323 and obs[("0380", "K")] == 92350
    assert obs[("0380", "T")] == 87323 + 92350
    assert len(uppsala.observations("SCB_FOLKMANGD", years=range(1998, 2006))) == 2 * 3 * 8
    # The recorded body has no county or Riket rows: the sync says so instead of failing.
    assert any("03, 00" in w or "00, 03" in w for w in summaries[1].warnings)


def test_sources_cli_lists_and_describes(tmp_path):
    listed = runner.invoke(app, ["sources", "list"])
    assert listed.exit_code == 0, listed.output
    assert "kolada-core" in listed.output and "scb-folkmangd-kon" in listed.output
    described = runner.invoke(app, ["sources", "describe", "scb-folkmangd-kon"])
    assert described.exit_code == 0 and "CC0" in described.output
    assert "jamlik sync preset folkhalsa" in described.output
    unknown = runner.invoke(app, ["sources", "describe", "x"])
    assert unknown.exit_code != 0 and "okänd källa" in unknown.output
    bad = runner.invoke(app, ["sync", "preset", "nope", "--db", str(tmp_path / "j.duckdb")])
    assert bad.exit_code != 0 and "folkhalsa" in bad.output


def test_monthly_preset_matches_the_real_tab6471_metadata(fake, http, uppsala):
    # The recorded metadata (312 regions, 134 ages) answers; its codes are the preset's.
    from jamlik.sources import PxWebClient

    meta = recorded("scb_v2_TAB6471_metadata.json")
    fake.state.px_tables["TAB6471"] = {"data": recorded("scb_v2_TAB6471_data.json"),
                                       "metadata": meta}
    entry = source("scb-folkmangd-manad")
    mapping = preset_mapping(uppsala, entry, "03")
    variables = {v["code"]: set(v["values"])
                 for v in PxWebClient(http, f"{fake.url}/px/v2").variables("TAB6471")}
    for var, codes in mapping.query.items():
        assert codes == ["*"] or set(codes) <= variables[var], var
    assert BUNDLES["folkmangd-manad"] == ("scb-folkmangd-manad",)
