"""Sourced Swedish unit costs: Kolada (RKA) values copied from the real dump, SCB's totals,
an area's own value against Riket's, and cases that take their amounts from the library."""

from __future__ import annotations

import tomllib
from importlib import resources

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamlik.economics import CaseError, library, load_case, run_case
from jamlik.economics.library import (
    KOLADA_UNIT_COSTS,
    _kolada,
    _percentile,
    apply_unit_costs,
    unit_cost,
    unit_costs,
)

EXAMPLES = resources.files("jamlik.economics") / "examples"


def test_every_kolada_value_names_kpi_area_year_and_price_year() -> None:
    lib = library()
    for kpi, (key, label, unit, payer, _) in KOLADA_UNIT_COSTS.items():
        v = lib[key]
        assert v.source.startswith(f"Källa: Kolada (RKA), KPI {kpi}, Riket, 2022")
        assert "ddf--kolada--dump @8501d5c" in v.source and "Kolada (RKA)" in v.licence
        assert (v.label_sv, v.unit, v.payer) == (label, unit, payer)
        if unit.startswith("kr"):
            assert v.price_year == 2022 and "prisår 2022" in v.source
        else:
            assert v.price_year is None
            with pytest.raises(ValueError, match="inget belopp"):
                v.in_price_year(2023)
        assert v.low <= v.value <= v.high


def test_transcribed_values_equal_the_dump() -> None:
    # read from kolada_observations.parquet (gender T, 2022) with DuckDB when the file was
    # made; a change of the CSV shows here
    assert unit_cost("forsorjningsstod_hushall_ar").value == pytest.approx(65248.22756864)
    assert unit_cost("forsorjningsstod_hushall_ar", "2080").value == pytest.approx(68014.62585812)
    assert unit_cost("anpassad_grundskola_elev_ar").value == 483700.0
    assert unit_cost("grundskola_elev_ar", "2080").value == pytest.approx(119940.233785)
    assert unit_cost("gymnasieskola_elev_ar").value == pytest.approx(126366.278)
    assert unit_cost("placerade_hvb_per_1000").value == pytest.approx(2.628186)
    assert unit_cost("halso_sjukvard_per_invanare", "20").value == 30689.1
    counts = {key: len(by_area) for key, (_, by_area) in _kolada().items()}
    assert counts["grundskola_elev_ar"] == 291 and counts["halso_sjukvard_per_invanare"] == 22


def test_own_area_value_has_no_range_and_a_missing_area_falls_back_to_riket() -> None:
    own = unit_cost("forsorjningsstod_hushall_ar", "2080")
    assert own.low is None and own.high is None
    assert "KPI N31006, 2080, 2022" in own.source and "Riket 65\u202f248" in own.note
    missing = unit_cost("forsorjningsstod_hushall_ar", "9999")
    assert missing.value == unit_cost("forsorjningsstod_hushall_ar").value
    assert "9999 saknar värde 2022; Rikets värde används" in missing.note
    riket = unit_cost("forsorjningsstod_hushall_ar")
    assert "10:e–90:e percentilen bland 287 kommuner 2022" in riket.note
    with pytest.raises(KeyError, match="ingen enhetskostnad"):
        unit_cost("bup_besok")


@given(st.lists(st.floats(-1e9, 1e9), min_size=1, max_size=60), st.floats(0, 1))
def test_percentile_equals_numpy(xs: list[float], q: float) -> None:
    # independent implementation: numpy's default ("linear", Hyndman & Fan type 7)
    assert _percentile(xs, q) == pytest.approx(float(np.percentile(xs, q * 100)), abs=1e-6)


def test_scb_totals_are_sourced_and_convert_with_kpi() -> None:
    v = library()["hvb_barn_unga_riket_total"]
    assert (v.value, v.price_year) == (6520, 2016) and "Räkenskapssammandraget" in v.source
    converted, how = v.in_price_year(2022)
    assert converted == pytest.approx(6520 * 392.74 / 334.13, rel=1e-3) and "KPI" in how
    assert library()["familjehem_barn_unga_riket_total"].value == 6910


def test_hultkrantz_price_year_still_refused() -> None:
    with pytest.raises(ValueError, match="prisåret saknas i källan"):
        library()["npv_gymnasieexamen"].in_price_year(2022)


def test_cases_take_amounts_from_the_library() -> None:
    data = tomllib.loads((EXAMPLES / "skolfullfoljd.toml").read_text(encoding="utf-8"))
    # the example's written amounts are Riket's library values (its file can be run alone)
    file_amounts = [o["amount"]["value"] for o in data["outcome"][:2]]
    riket = apply_unit_costs(tomllib.loads((EXAMPLES / "skolfullfoljd.toml").read_text(
        encoding="utf-8")))
    assert [o["amount"]["value"] for o in riket["outcome"][:2]] == pytest.approx(file_amounts)
    falun = apply_unit_costs(data, "2080")
    seat, support = falun["outcome"][0]["amount"], falun["outcome"][1]["amount"]
    assert seat["value"] == pytest.approx(-122015.143)  # N17007 Falun × −1
    assert "N17007, 2080" in seat["source"] and "× −1" in seat["source"]
    assert support["value"] == pytest.approx(68014.62585812) and "low" not in support
    assert run_case(load_case(EXAMPLES / "skolfullfoljd.toml"), draws=1000).base
    with pytest.raises(CaseError, match="ingen enhetskostnad"):
        apply_unit_costs({"outcome": [{"library": "okänd"}]})
    with pytest.raises(CaseError, match="inget belopp"):
        apply_unit_costs({"outcome": [{"library": "placerade_hvb_per_1000"}]})
    assert "placerade_hvb_per_1000" not in unit_costs()
