"""Boundaries: GeoJSON checks (rings that do not close, unknown codes), storage, serving."""

from __future__ import annotations

import json

import pytest

from jamlik.areas import boundaries as b
from jamlik.areas import districts as d


def _stored(store) -> int:
    d.ensure_tables(store)
    return int(store.scalar("SELECT count(*) FROM district_boundaries"))


def _write(path, features) -> None:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8")


def _square(code: str, close: bool = True) -> dict:
    ring = [[15.0, 60.0], [15.1, 60.0], [15.1, 60.1], [15.0, 60.1]]
    if close:
        ring.append([15.0, 60.0])
    return {"type": "Feature", "properties": {"code": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_ring_that_does_not_close_is_refused_and_nothing_stored(store, tmp_path) -> None:
    before = _stored(store)
    path = tmp_path / "open.geojson"
    _write(path, [_square("2081C1010"), _square("2081C1020", close=False)])
    with pytest.raises(ValueError, match=r"objekt 2 \(2081C1020\), polygon 1, ring 1: "
                                         "polygonen sluter sig inte"):
        b.import_boundaries(store, path, kind="deso", vintage=2025)
    assert _stored(store) == before


def test_unknown_code_is_refused_and_nothing_stored(store, tmp_path) -> None:
    before = _stored(store)
    path = tmp_path / "unknown.geojson"
    _write(path, [_square("2081C1010"), _square("0114C1010")])  # 0114 has no DeSO 2025 here
    with pytest.raises(ValueError, match="0114C1010 är inget känt DeSO 2025"):
        b.import_boundaries(store, path, kind="deso", vintage=2025)
    assert _stored(store) == before


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [15, 60]}, "inte Polygon"),
        ({"type": "Polygon", "coordinates": [[[15, 60], [15, 61], [15, 60]]]}, "minst fyra"),
        ({"type": "Polygon", "coordinates": [[[15, 60], [15, 61], [200, 61], [15, 60]]]},
         "ingen koordinat"),
    ],
)
def test_bad_geometries_are_swedish_errors(tmp_path, geometry, message) -> None:
    path = tmp_path / "bad.geojson"
    _write(path, [{"type": "Feature", "properties": {"code": "X"}, "geometry": geometry}])
    with pytest.raises(ValueError, match=message):
        b.read_boundaries(path)


def test_shipped_dalarna_boundaries_load_and_serve(store) -> None:
    result = b.load_shipped_boundaries(store)
    # 175 DeSO 2025 in Dalarna; 4 simplified rings self-intersect (2029A0020, 2080A0050,
    # 2062A0020, 2062C1030 — shared/data/deso_regso/README §3) and are kept, flagged
    assert result == {"stored": 175, "invalid": 4}
    invalid = {r[0] for r in store.execute(
        "SELECT code FROM district_boundaries WHERE NOT valid").fetchall()}
    assert invalid == {"2029A0020", "2080A0050", "2062A0020", "2062C1030"}
    fc = b.boundaries(store, "deso", "2081")
    assert len(fc["features"]) == 27
    assert all(f["properties"]["area_type"] in (1, 2, 3, 4, 5) for f in fc["features"])
    lon, lat = fc["features"][0]["geometry"]["coordinates"][0][0]
    assert 12 < lon < 17 and 59.8 < lat < 62.3  # [lon, lat] order in Dalarna
    assert b.load_shipped_boundaries(store) == result  # reload replaces, does not duplicate
