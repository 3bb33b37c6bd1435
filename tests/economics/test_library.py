"""The parameter library (source, price year, licence; own values shown as such) and target
groups from the store."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import jamlik
from jamlik.economics import (
    library,
    load_case,
    resolve,
    run_case,
    target_group_from_store,
    with_target_group,
)

CASE = Path(str(resources.files("jamlik.economics") / "examples" / "foraldrastod.toml"))


@pytest.fixture(scope="module")
def store(sample_db_path: Path):
    s = jamlik.open(sample_db_path, read_only=True)
    yield s
    s.close()


def test_every_library_value_has_source_and_licence():
    lib = library()
    assert {"npv_gymnasiebehorighet", "npv_gymnasieexamen"} <= set(lib)
    for v in lib.values():
        assert v.source and v.licence and v.origin == "bibliotek"
    assert lib["npv_gymnasiebehorighet"].value == 1_100_000
    assert lib["npv_gymnasieexamen"].value == 1_600_000
    assert "Hultkrantz" in lib["npv_gymnasieexamen"].source


def test_price_year_missing_is_said_not_guessed():
    with pytest.raises(ValueError, match="prisåret saknas i källan"):
        library()["npv_gymnasieexamen"].in_price_year(2023)
    v, how = library()["wsipp_iy_parent_bcr"].in_price_year(2023)
    assert v == 6.28 and "KPI" in how


def test_own_values_override_and_are_shown_as_such():
    rows = {r.key: r for r in resolve({"npv_gymnasieexamen": {"value": 1_700_000,
                                                               "source": "egen beräkning",
                                                               "price_year": 2023},
                                       "placering_hvb_dygn": 4200})}
    assert rows["npv_gymnasieexamen"].origin == "eget värde"
    assert rows["npv_gymnasieexamen"].value == 1_700_000
    assert rows["npv_gymnasieexamen"].source == "egen beräkning"
    assert rows["npv_gymnasiebehorighet"].origin == "bibliotek"
    assert rows["placering_hvb_dygn"].origin == "eget värde"
    with pytest.raises(ValueError, match="inget ändligt tal"):
        resolve({"x": float("nan")})


def test_children_0_5_in_falun_from_the_store(store):
    v = target_group_from_store(store, "2080")
    # Kolada N01952, Falun (2080), 2022: 3 970 children 0–5 (the bundled sample)
    assert (v.indicator, v.area, v.period, v.value) == ("N01952", "2080", 2022, 3970.0)
    assert "invånare 0–5 år i 2080 2022: 3\u202f970" in v.sentence
    assert target_group_from_store(store, "2080", year=2020).value == 4126.0
    with pytest.raises(ValueError, match="finns inte i databasen"):
        target_group_from_store(store, "2080", year=1901)
    with pytest.raises(ValueError, match="ingen befolkningsserie"):
        target_group_from_store(store, "2080", "N00957")


def test_a_case_sized_from_the_store_keeps_the_link(store):
    case = with_target_group(load_case(CASE), target_group_from_store(store, "2080"), 0.15)
    assert case.target_group.value == pytest.approx(595.5)
    assert "N01952" in case.target_group_source and "andel 0,15" in case.target_group_source
    r = run_case(case, draws=2000, seed=3)
    assert r.case.target_group.source == case.target_group_source
    with pytest.raises(ValueError, match="mellan 0 och 1"):
        with_target_group(load_case(CASE), target_group_from_store(store, "2080"), 1.5)
