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
    assert _count(store, "SELECT sum(value) FROM district_counts WHERE variable = 'population' "
                  "AND year = 2022") == 10_521_556  # Sweden 31 Dec 2022 (Kolada N01951)
    assert _count(store, "SELECT sum(value) FROM district_counts WHERE variable = 'population' "
                  "AND year = 2025 AND vintage = 2025") == 286_028  # Dalarna's DeSO 2025


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
        d.districts(store, "sams", "2081")


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


# SCB områdestyp per RegSO (Statistikdatabasen table 000005QX, last updated 2025-01-31), counted
# per county and typ 1–5 from SCB's own rows "Kommun (RegSO-namn)",typ — the copies in
# addegezon/deso_socioeconomic_index, data_in/regso_socioekonomisk_index_2022.csv (commit
# 3baf36396227aacc8e55a207481663af184cccea) and _2023.csv (2e7b1551c1ce62439be054848ef0be2bad96b021)
# — with the county taken from the municipality's name, not from the RegSO codes the shipped
# file uses. It checks the shipped types end to end against the published table; no second,
# independent per-county publication (SCB or Delmos) was found.
SCB_AREA_TYPES_PER_COUNTY = {
    2022: {"01": [11, 42, 81, 301, 89], "03": [4, 10, 28, 72, 9], "04": [12, 12, 23, 55, 3],
           "05": [11, 7, 43, 67, 11], "06": [5, 12, 41, 69, 3], "07": [5, 9, 24, 33, 2],
           "08": [4, 12, 43, 42, 3], "09": [0, 2, 5, 5, 0], "10": [3, 4, 17, 36, 7],
           "12": [35, 54, 118, 223, 35], "13": [3, 5, 22, 53, 12], "14": [31, 46, 133, 341, 50],
           "17": [4, 15, 44, 51, 11], "18": [7, 10, 31, 48, 5], "19": [7, 14, 23, 49, 11],
           "20": [9, 5, 39, 64, 2], "21": [5, 11, 31, 43, 4], "22": [2, 9, 26, 51, 5],
           "23": [1, 3, 22, 34, 5], "24": [0, 5, 34, 59, 12], "25": [1, 2, 27, 74, 10]},
    2023: {"01": [13, 41, 82, 298, 90], "03": [3, 15, 23, 72, 10], "04": [13, 10, 24, 56, 2],
           "05": [12, 6, 39, 72, 10], "06": [6, 13, 38, 71, 2], "07": [4, 11, 20, 36, 2],
           "08": [4, 10, 43, 42, 5], "09": [0, 2, 4, 6, 0], "10": [3, 4, 14, 38, 8],
           "12": [36, 56, 118, 219, 36], "13": [3, 6, 20, 53, 13], "14": [28, 51, 128, 342, 52],
           "17": [4, 14, 42, 53, 12], "18": [7, 7, 31, 52, 4], "19": [7, 12, 26, 51, 8],
           "20": [9, 6, 39, 64, 1], "21": [5, 10, 30, 46, 3], "22": [3, 9, 28, 47, 6],
           "23": [1, 3, 22, 36, 3], "24": [0, 5, 38, 52, 15], "25": [1, 2, 26, 75, 10]},
}


@pytest.mark.parametrize("year", [2022, 2023])
def test_area_type_counts_per_county_match_scb(store, year) -> None:
    counts = d.area_type_counts(store, year)
    table = counts.pivot(index="county", columns="area_type", values="regso").fillna(0)
    got = {c: [int(table.loc[c].get(k, 0)) for k in range(1, 6)] for c in table.index}
    assert got == SCB_AREA_TYPES_PER_COUNTY[year]
    assert sum(map(sum, got.values())) == 3363


# D, isolation xPx* and Theil's H of utländsk bakgrund over DeSO 2018, 2022, computed from SCB's
# DeSO table as collected (scb_deso2018_2022_liu_thesis/foreignborn_demographics_deso.csv:
# deso, swedish, foreign, total) with plain numpy formulas, outside jamlik.
SCB_FOREIGN_BACKGROUND_2022 = {
    "0180": (0.3737748126449688, 0.48229191249198616, 0.16081897152946456, 544),  # Stockholm
    "1280": (0.36840468585246733, 0.584457518129863, 0.15130813719862787, 192),  # Malmö
    "1480": (0.4280756436414033, 0.5415091676803966, 0.19524159414574283, 306),  # Göteborg
    "0181": (0.4105928460973318, 0.6792603116056154, 0.17726698744549982, 51),  # Södertälje
    "2081": (0.4805440794426348, 0.4464444426088407, 0.21753695379586038, 27),  # Borlänge
    "2084": (0.3417700001953178, 0.299220271267901, 0.09202405430959253, 13),  # Avesta
    "2580": (0.2637128036955595, 0.1987147576420847, 0.06121778726150507, 46),  # Luleå
    "2417": (0.00168352706458208, None, None, None),  # the lowest D of all 290 (Norsjö)
}


def test_segregation_by_deso_for_all_290_municipalities(store) -> None:
    import numpy as np

    rows = segregation(store, "all", units=("deso",), group="foreign_background", year=2022)
    by = {(r["area"], r["measure"]): r for r in rows}
    municipalities = {r["area"] for r in rows}
    assert len(municipalities) == 290
    for m in municipalities:
        for measure in ("dissimilarity", "isolation", "theil_h", "exposure"):
            r = by[(m, measure)]
            assert r["value"] is not None and 0 <= r["value"] <= 1, (m, measure)
            assert r["unit"] == "deso" and r["vintage"] == 2018 and r["year"] == 2022
    for m, (dd, iso, h, n) in SCB_FOREIGN_BACKGROUND_2022.items():
        assert by[(m, "dissimilarity")]["value"] == pytest.approx(dd, abs=1e-12)
        if iso is not None:
            assert by[(m, "isolation")]["value"] == pytest.approx(iso, abs=1e-12)
            assert by[(m, "theil_h")]["value"] == pytest.approx(h, abs=1e-12)
            assert by[(m, "dissimilarity")]["units"] == n
    ds = {m: by[(m, "dissimilarity")]["value"] for m in municipalities}
    assert min(ds, key=ds.get) == "2417" and max(ds, key=ds.get) == "2081"
    # every municipality again, by an independent vectorised implementation of the formulas
    counts = d.district_counts(store, "deso", sorted(municipalities), 2022)
    x = counts["foreign_background"].to_numpy(float)
    t = counts["population"].to_numpy(float)
    g = counts["municipality"].to_numpy()
    frame = counts.assign(x=x, y=t - x, t=t)
    sums = frame.groupby("municipality")[["x", "y", "t"]].transform("sum")
    frame["d"] = 0.5 * np.abs(x / sums["x"] - (t - x) / sums["y"])
    frame["iso"] = (x / sums["x"]) * (x / t)
    own = frame.groupby("municipality")[["d", "iso"]].sum()
    for m in municipalities:
        assert by[(m, "dissimilarity")]["value"] == pytest.approx(own.at[m, "d"], abs=1e-12)
        assert by[(m, "isolation")]["value"] == pytest.approx(own.at[m, "iso"], abs=1e-12)
    assert len(set(g)) == 290


def test_segregation_over_time_in_dalarna_names_each_years_areal_unit(store) -> None:
    rows = segregation(store, "2081")  # default: the newest year with counts for Borlänge
    assert {r["year"] for r in rows} == {2025}
    assert {(r["unit"], r["vintage"]) for r in rows} == {("deso", 2025), ("regso", 2025)}
    d25 = {r["measure"]: r["value"] for r in rows if r["unit"] == "deso"}
    assert d25["dissimilarity"] == pytest.approx(0.4644, abs=5e-5)
    old = {r["measure"]: r["value"] for r in segregation(store, "2081", year=2022)
           if r["unit"] == "deso"}
    assert old["dissimilarity"] > d25["dissimilarity"]  # 0.481 (2022) → 0.464 (2025)
    assert {r["year"] for r in segregation(store, "all", units=("deso",))} == {2022}
    with pytest.raises(ValueError, match="år 2025 finns inte i områdestabellerna för 0114"):
        segregation(store, "0114", year=2025)
    with pytest.raises(ValueError, match="finns inte för år 2025"):
        segregation(store, "2081", group="forgymnasial_education", year=2025)
