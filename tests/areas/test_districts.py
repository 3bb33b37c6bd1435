"""DeSO/RegSO in the store: vintages, keys, områdestyp, segregation per municipality, CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from jamlik.areas import districts as d
from jamlik.areas.segregation import segregation


def _count(store, sql: str, params=()) -> int:
    return int(store.scalar(sql, list(params)))


def test_shipped_vintages_and_keys(store) -> None:
    q = "SELECT count(*) FROM district_areas WHERE kind = ? AND vintage = ?"
    assert _count(store, q, ("deso", 2018)) == 5984
    assert _count(store, q, ("regso", 2020)) == 3363
    assert _count(store, q, ("deso", 2025)) == 175  # Dalarna only
    assert _count(store, q, ("regso", 2025)) == 119
    assert _count(store, "SELECT count(*) FROM district_keys WHERE relation = 'unchanged'") == 294
    assert _count(store, "SELECT sum(value) FROM district_counts WHERE variable = 'population'") \
        == 10_521_556  # Sweden 31 Dec 2022 (Kolada N01951)


def test_published_area_type_counts(store) -> None:
    # National counts of SCB's områdestyp per RegSO (table 000005QX): 2022 160/289/855/1770/289,
    # 2023 162/293/835/1781/292 (shared/data/deso_regso/README §2); Dalarna 2022 9/5/39/64/2.
    for year, expected in ((2022, [160, 289, 855, 1770, 289]), (2023, [162, 293, 835, 1781, 292])):
        counts = d.area_type_counts(store, year)
        assert counts.groupby("area_type")["regso"].sum().tolist() == expected
        assert counts["county"].nunique() == 21
    dalarna = d.area_type_counts(store, 2022).query("county == '20'")
    assert dalarna["regso"].tolist() == [9, 5, 39, 64, 2]


def test_borlange_districts_newest_vintage_with_area_types_through_the_key(store) -> None:
    deso = d.districts(store, "deso", "2081")
    assert len(deso) == 27 and set(deso["vintage"]) == {2025}
    assert deso["area_type"].notna().all()
    regso = d.districts(store, "regso", "2081", year=2022)
    assert len(regso) == 17
    assert (regso["area_type"] == 1).sum() == 5  # the five typ-1 RegSO in Borlänge, 2022
    old = d.districts(store, "deso", "2081", vintage=2018)
    assert set(old["parent"]) == set(regso["code"])


def test_cross_vintage_join_refused_without_unchanged_key(store) -> None:
    assert d.translate(store, "deso", ["2081C1140"], 2018, 2025) == {"2081C1140": "2081C1140"}
    with pytest.raises(ValueError, match="ingen nyckel"):
        d.translate(store, "deso", ["0114C1010"], 2018, 2025)
    store.execute("UPDATE district_keys SET relation = 'changed' WHERE from_code = '2081C1010'")
    try:
        with pytest.raises(ValueError, match="har ändrats"):
            d.translate(store, "deso", ["2081C1010"], 2018, 2025)
    finally:
        store.execute("UPDATE district_keys SET relation = 'unchanged' WHERE from_code = '2081C1010'")


def test_unknown_municipality_and_vintage_are_swedish_errors(store) -> None:
    with pytest.raises(ValueError, match="har inga DeSO-områden"):
        d.districts(store, "deso", "9999")
    with pytest.raises(ValueError, match="DeSO 2025 finns inte för 0114"):
        d.districts(store, "deso", "0114", vintage=2025)
    with pytest.raises(ValueError, match="okänd områdesindelning"):
        d.districts(store, "nyko", "2081")


def test_segregation_matches_pysal_for_borlange_and_avesta(store) -> None:
    # Reference: PySAL `segregation` 2.5.4 (Dissim, Isolation, MultiInfoTheory) on the shipped
    # DeSO 2018 counts, year 2022, RegSO as sums of their DeSO.
    rows = {(r["area"], r["unit"], r["measure"]): r["value"]
            for r in segregation(store, "20", year=2022)}
    ref = {
        ("2081", "deso"): (0.4805440794426348, 0.4464444426088407, 0.21753695379586035),
        ("2081", "regso"): (0.47738215994463473, 0.44556644610862267, 0.21578004179226795),
        ("2084", "deso"): (0.3417700001953178, 0.299220271267901, 0.09202405430959253),
        ("2084", "regso"): (0.3417700001953178, 0.29543805325020367, 0.08641961188205886),
    }
    for (area, unit), (dis, iso, h) in ref.items():
        assert rows[(area, unit, "dissimilarity")] == pytest.approx(dis, rel=1e-12)
        assert rows[(area, unit, "isolation")] == pytest.approx(iso, rel=1e-12)
        assert rows[(area, unit, "theil_h")] == pytest.approx(h, rel=1e-12)
    assert len({k[0] for k in rows}) == 15  # every municipality in Dalarna


def test_segregation_for_every_municipality(store) -> None:
    rows = segregation(store, "all", units=("deso",))
    assert len({r["area"] for r in rows}) == 290
    assert all(r["value"] is not None and 0 <= r["value"] <= 1 for r in rows)


def test_custom_districts_import_and_refusal(store, tmp_path) -> None:
    good = tmp_path / "stadsdelar.csv"
    good.write_text("code,name,municipality,deso\nB1,Centrum,2081,2081C1010\n"
                    "B1,Centrum,2081,2081C1020\nB2,Norr,2081,2081A0010\n", encoding="utf-8")
    assert d.import_custom_districts(store, good, vintage=2026) == 2
    assert d.districts(store, "custom", "2081")["code"].tolist() == ["B1", "B2"]
    bad = tmp_path / "fel.csv"
    bad.write_text("code,name,municipality,deso\nB3,Söder,2081,2081C1010\n"
                   "B3,Söder,2081,2081C9999\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"fel.csv:3: kolumn \"deso\": '2081C9999'"):
        d.import_custom_districts(store, bad, vintage=2026)
    assert "B3" not in d.districts(store, "custom", "2081")["code"].tolist()


def _cli():
    from jamlik.cli import _load_commands, app

    _load_commands()
    return app


def test_cli_areas_and_segregation_json(tmp_path) -> None:
    app, db = _cli(), str(tmp_path / "j.duckdb")
    res = CliRunner().invoke(app, ["areas", "--db", db, "--type", "deso", "--municipality",
                                   "2081", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert len(rows) == 27 and {"code", "name", "type", "parent"} <= rows[0].keys()
    res = CliRunner().invoke(app, ["segregation", "--db", db, "--area", "2084", "--unit", "regso",
                                   "--group", "foreign_background", "--year", "2022",
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert {r["measure"] for r in out} == {"dissimilarity", "isolation", "exposure", "theil_h"}
    assert {"measure", "unit", "group", "year", "value"} <= out[0].keys()
    bad = CliRunner().invoke(app, ["areas", "--db", db, "--type", "regso", "--municipality",
                                   "9999"])
    assert bad.exit_code == 1 and "har inga RegSO-områden" in bad.output


def test_area_type_gradient_for_borlange_and_avesta(store) -> None:
    from jamlik.areas.gradient import area_type_gradient

    g = area_type_gradient(store, "2081", "low_econ", area_type_year=2023)
    assert g.groups["area_type"].tolist() == [1, 3, 4]
    assert g.groups["deso"].sum() == 27
    # the gradient falls from typ 1 to the most advantaged type present
    assert g.groups["value"].is_monotonic_decreasing
    assert g.difference is not None and g.difference.value > 20
    dalarna = area_type_gradient(store, "20", "unemp", area_type_year=2022)
    assert dalarna.groups["deso"].sum() == 175
    assert dalarna.groups["value"].is_monotonic_decreasing
    with pytest.raises(ValueError, match="inga DeSO 2025-värden"):
        area_type_gradient(store, "0114", "low_econ")
    with pytest.raises(ValueError, match="okänd indikator"):
        area_type_gradient(store, "2081", "cars")


def test_cli_area_types_json(tmp_path) -> None:
    app = _cli()
    res = CliRunner().invoke(app, ["area-types", "--db", str(tmp_path / "j.duckdb"), "--area",
                                   "2084", "--indicator", "unemp", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert [g["area_type"] for g in out["groups"]] == [1, 2, 3, 4]
    assert out["ratio"] > 1


def test_gradient_limits_contain_the_values_and_sii_for_shares(store) -> None:
    from jamlik.areas.gradient import area_type_gradient

    g = area_type_gradient(store, "2081", "low_econ", area_type_year=2023)
    assert (g.groups["lower"] < g.groups["value"]).all()
    assert (g.groups["value"] < g.groups["upper"]).all()
    assert g.difference.has_limits and g.difference.lower < 32.3 < g.difference.upper
    assert g.sii is not None and g.sii.sii.upper < 0  # values fall from typ 1 to typ 4
    median = area_type_gradient(store, "2081", "income_med")
    assert median.groups["lower"].isna().all() and median.sii is None


def test_profile_levels_and_synthetic_persons_keep_the_real_counts(store) -> None:
    from jamlik.areas.profiles import district_profile
    from jamlik.areas.synthetic import synthetic_persons

    p = district_profile(store, "2084C1040")
    fb = next(r for r in p.rows if r.variable == "foreign_background")
    assert all(v is not None for v in (fb.district, fb.municipality, fb.county, fb.nation))
    assert round(fb.nation, 2) == 26.87  # 2 827 122 / 10 521 556 (SCB, 2022)
    with pytest.raises(ValueError, match="ingen känd DeSO-kod"):
        district_profile(store, "2084X9999")
    persons = synthetic_persons(store, "2084")
    counts = d.district_counts(store, "deso", ["2084"], 2022).set_index("code")
    assert persons.groupby("deso").size().to_dict() == counts["population"].astype(int).to_dict()
    foreign = persons[persons["background"] == "utländsk"].groupby("deso").size()
    assert foreign.to_dict() == counts["foreign_background"].astype(int).to_dict()
