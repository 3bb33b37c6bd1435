"""Own districts and NYKO: code lists, GeoJSON, GeoPackage and Shapefile; bad input refused
with a Swedish error and nothing stored."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest
from shapely import transform
from shapely.geometry import mapping, shape
from shapely.ops import unary_union
from typer.testing import CliRunner

from jamlik.areas import districts as d
from jamlik.areas.boundaries import load_shipped_boundaries
from jamlik.areas.own import import_areas

TABLES = ("district_areas", "district_keys", "district_boundaries")


@pytest.fixture(scope="module")
def geo_store(store):
    load_shipped_boundaries(store)
    return store


def _snapshot(store) -> dict[str, int]:
    return {t: int(store.scalar(f"SELECT count(*) FROM {t}")) for t in TABLES}


def _deso_shapes(store, codes):
    rows = dict(store.execute("SELECT code, geometry FROM district_boundaries WHERE kind = 'deso' "
                              "AND vintage = 2025").fetchall())
    return [shape(json.loads(rows[c])) for c in codes]


def _two_districts(store):
    """Borlänge split in two own districts: Tjärna Ängar + Övre Tjärna, and the rest."""
    codes = d.districts(store, "deso", "2081")["code"].tolist()
    first = ["2081C1140", "2081C1150"]
    a = unary_union(_deso_shapes(store, first)).buffer(0)
    rest = unary_union(_deso_shapes(store, [c for c in codes if c not in first])).buffer(0)
    return [("S1", "Tjärna", a), ("S2", "Övriga Borlänge", rest)], first, codes


def _geojson(path, items):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": c, "name": n}, "geometry": mapping(g)}
        for c, n, g in items]}), encoding="utf-8")
    return path


def test_nyko_code_list_is_its_own_kind_and_vintage(geo_store, tmp_path) -> None:
    f = tmp_path / "nyko.csv"
    f.write_text("code,name,deso,parent\n1,Centrum,2081C1010,\n1,Centrum,2081C1020,\n"
                 "11,Centrum norra,2081C1010,1\n2,Tjärna,2081C1140,\n", encoding="utf-8")
    counts = import_areas(geo_store, f, kind="nyko", municipality="2081", vintage=2024)
    assert counts == {"areas": 3, "members": 4, "boundaries": 0}
    listed = d.districts(geo_store, "nyko", "2081")
    assert listed["code"].tolist() == ["1", "11", "2"] and set(listed["vintage"]) == {2024}
    assert listed.set_index("code").at["11", "parent"] == "1"
    assert d.vintages(geo_store, "nyko") == [2024]
    with pytest.raises(ValueError, match="NYKO 2023 finns inte för 2081"):
        d.districts(geo_store, "nyko", "2081", vintage=2023)
    # importing the same vintage again replaces it; another vintage stands beside it
    f.write_text("code,name,deso\n9,Hela,2081C1010\n", encoding="utf-8")
    import_areas(geo_store, f, kind="nyko", municipality="2081", vintage=2024)
    assert d.districts(geo_store, "nyko", "2081")["code"].tolist() == ["9"]
    assert int(geo_store.scalar("SELECT count(*) FROM district_keys WHERE kind = 'nyko'")) == 1


@pytest.mark.parametrize(("body", "message"), [
    ("code,name\nA,Centrum\n", r"kolumnen deso saknas"),
    ("code,name,deso\n,Centrum,2081C1010\n", r"nyko\.csv:2:1: koden saknas"),
    ("code,name,deso\nA,,2081C1010\n", r"nyko\.csv:2:2: namnet saknas"),
    ("code,name,deso\nA,Centrum,2081X9999\n", r"nyko\.csv:2:3: '2081X9999' är ingen känd DeSO-kod"),
    ("code,name,deso\nA,Centrum,2084C1010\n", r"nyko\.csv:2:3: DeSO 2084C1010 ligger i 2084"),
    ("code,name,deso\nA,Centrum,2081C1010\nA,Norr,2081C1020\n", r"nyko\.csv:3: området 'A' har "
     "två olika namn"),
    ("code,name,deso\n", r"inga rader"),
])
def test_bad_code_lists_are_refused_and_nothing_is_stored(geo_store, tmp_path, body, message
                                                           ) -> None:
    f = tmp_path / "nyko.csv"
    f.write_text(body, encoding="utf-8")
    before = _snapshot(geo_store)
    with pytest.raises(ValueError, match=message):
        import_areas(geo_store, f, kind="nyko", municipality="2081", vintage=2030)
    assert _snapshot(geo_store) == before


def test_cross_vintage_codes_are_refused_naming_the_vintage(geo_store, tmp_path) -> None:
    f = tmp_path / "egna.csv"
    f.write_text("code,name,deso\nA,Bollstanäs,0114C1010\n", encoding="utf-8")
    before = _snapshot(geo_store)
    with pytest.raises(ValueError, match=r"egna\.csv:2:3: '0114C1010' är ingen känd DeSO-kod i "
                       r"DeSO 2025\. Den finns i DeSO 2018: koder från olika årgångar kan inte "
                       r"blandas"):
        import_areas(geo_store, f, kind="custom", municipality="0114", vintage=2030,
                     deso_vintage=2025)
    with pytest.raises(ValueError, match="kommunkoden '9999' finns inte"):
        import_areas(geo_store, f, kind="custom", municipality="9999", vintage=2030)
    with pytest.raises(ValueError, match="årgången måste vara ett årtal"):
        import_areas(geo_store, f, kind="custom", municipality="0114", vintage=30)
    with pytest.raises(ValueError, match="okänd typ 'sams'"):
        import_areas(geo_store, f, kind="sams", municipality="0114", vintage=2030)
    assert _snapshot(geo_store) == before


def test_own_districts_from_geojson_find_their_deso(geo_store, tmp_path) -> None:
    items, first, codes = _two_districts(geo_store)
    counts = import_areas(geo_store, _geojson(tmp_path / "stadsdelar.geojson", items),
                          kind="custom", municipality="2081", vintage=2026)
    assert counts == {"areas": 2, "members": len(codes), "boundaries": 2}
    members = geo_store.execute("SELECT from_code FROM district_keys WHERE kind = 'custom' AND "
                                "to_vintage = 2026 AND to_code = 'S1' ORDER BY 1").fetchall()
    assert [m[0] for m in members] == first
    from jamlik.areas.boundaries import boundaries

    served = boundaries(geo_store, "custom", "2081", vintage=2026)
    assert [f["properties"]["name"] for f in served["features"]] == ["Tjärna", "Övriga Borlänge"]


def test_ring_that_does_not_close_is_refused_and_nothing_stored(geo_store, tmp_path) -> None:
    f = tmp_path / "trasig.geojson"
    ring = [[15.40, 60.48], [15.45, 60.48], [15.45, 60.50], [15.41, 60.50]]
    f.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "X", "name": "Trasig"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), encoding="utf-8")
    before = _snapshot(geo_store)
    with pytest.raises(ValueError, match=r"trasig\.geojson, objekt 1 \(X\), polygon 1, ring 1: "
                       "polygonen sluter sig inte"):
        import_areas(geo_store, f, kind="custom", municipality="2081", vintage=2031)
    assert _snapshot(geo_store) == before


def _write_ogr(path, items, *, crs: str | None, driver: str) -> None:
    from pyogrio import raw
    from pyproj import Transformer

    to_sweref = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    geoms = np.array([transform(g, to_sweref.transform, interleaved=False).wkb for _, _, g in items], dtype=object)
    fields = [np.array([c for c, _, _ in items], dtype=object),
              np.array([n for _, n, _ in items], dtype=object)]
    wkt = None
    if crs:
        from pyproj import CRS

        wkt = CRS.from_user_input(crs).to_wkt()
    raw.write(str(path), geoms, fields, ["kod", "namn"], driver=driver,
              geometry_type="MultiPolygon", crs=wkt, promote_to_multi=True)


def test_geopackage_in_sweref99tm_is_read_and_transformed(geo_store, tmp_path) -> None:
    items, first, codes = _two_districts(geo_store)
    gpkg = tmp_path / "stadsdelar.gpkg"
    _write_ogr(gpkg, items, crs="EPSG:3006", driver="GPKG")
    counts = import_areas(geo_store, gpkg, kind="custom", municipality="2081", vintage=2027,
                          code_property="kod", name_property="namn")
    assert counts == {"areas": 2, "members": len(codes), "boundaries": 2}
    stored = shape(json.loads(geo_store.scalar(
        "SELECT geometry FROM district_boundaries WHERE kind = 'custom' AND vintage = 2027 AND "
        "code = 'S1'")))
    assert np.allclose(stored.bounds, items[0][2].bounds, atol=1e-6)  # back in lon/lat


def test_shapefile_in_a_zip_and_without_a_prj(geo_store, tmp_path) -> None:
    items, _, codes = _two_districts(geo_store)
    shp = tmp_path / "shp" / "stadsdelar.shp"
    shp.parent.mkdir()
    _write_ogr(shp, items, crs="EPSG:3006", driver="ESRI Shapefile")
    archive = tmp_path / "stadsdelar.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in shp.parent.iterdir():
            zf.write(part, part.name)
    counts = import_areas(geo_store, archive, kind="custom", municipality="2081", vintage=2028,
                          code_property="kod", name_property="namn")
    assert counts["areas"] == 2 and counts["members"] == len(codes)
    shp.with_suffix(".prj").unlink()
    before = _snapshot(geo_store)
    with pytest.raises(ValueError, match="saknar koordinatsystem"):
        import_areas(geo_store, shp, kind="custom", municipality="2081", vintage=2029,
                     code_property="kod", name_property="namn")
    assert _snapshot(geo_store) == before


def test_cli_areas_import_and_list_nyko(tmp_path) -> None:
    from jamlik.cli import _load_commands
    from jamlik.cli._app import app

    _load_commands()
    db = str(tmp_path / "j.duckdb")
    f = tmp_path / "nyko.csv"
    f.write_text("code,name,deso\n1,Centrum,2084C1010\n2,Krylbo,2084C1020\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["areas", "import", str(f), "--municipality", "2084",
                                   "--vintage", "2024", "--type", "nyko", "--db", db])
    assert res.exit_code == 0, res.output
    assert "2 NYKO-områden (2024) inlästa för 2084" in res.output
    res = CliRunner().invoke(app, ["areas", "--db", db, "--type", "nyko", "--municipality",
                                   "2084", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [(r["code"], r["type"], r["vintage"]) for r in rows] == [("1", "nyko", 2024),
                                                                   ("2", "nyko", 2024)]
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,deso\n1,Centrum,2081C1010\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["areas", "import", str(bad), "--municipality", "2084",
                                   "--vintage", "2025", "--type", "nyko", "--db", db])
    assert res.exit_code != 0 and "ligger i 2081, inte i 2084" in res.output
