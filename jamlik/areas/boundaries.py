"""District boundaries: GeoJSON import with checks, stored per kind and vintage, served back.

Table ``district_boundaries`` (owner ``areas``, migration 2 in ``districts.MIGRATIONS``): kind, vintage, code, geometry
(GeoJSON text, WGS 84 [lon, lat]). ``import_boundaries`` refuses — with file, feature and ring
named, nothing stored — a file that is not a FeatureCollection, a geometry that is not a
Polygon/MultiPolygon, a ring that does not close (first point ≠ last point) or has fewer than
4 positions, a coordinate that is not a finite lon/lat, and a code the store does not know for
that kind and vintage. Self-intersections (shapely ``is_valid``) are reported, not refused:
the shipped simplified DeSO 2025 rings have four such artefacts.
"""

from __future__ import annotations

import gzip
import json
import math
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from shapely.geometry import shape

from jamlik.areas import districts as d
from jamlik.store import Store


def _check_ring(ring: Any, where: str) -> None:  # noqa: ANN401 - parsed JSON
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValueError(f"{where}: en ring behöver minst fyra punkter (den första upprepad sist).")
    for i, point in enumerate(ring, start=1):
        ok = (isinstance(point, list) and len(point) >= 2
              and all(isinstance(c, int | float) and math.isfinite(c) for c in point[:2]))
        if not ok or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
            raise ValueError(f"{where}, punkt {i}: {point!r} är ingen koordinat (längd, bredd).")
    if ring[0][:2] != ring[-1][:2]:
        raise ValueError(f"{where}: polygonen sluter sig inte (första punkten {ring[0]} ≠ sista "
                         f"{ring[-1]}) — upprepa första punkten sist.")


def read_boundaries(path: str | Path, *, code_property: str = "code") -> list[dict[str, Any]]:
    """Parse and check a GeoJSON FeatureCollection (plain or .gz); returns the features.

    Raises ValueError (Swedish, naming file, feature and ring) as described in the module doc.
    """
    file = Path(path)
    try:
        raw = gzip.decompress(file.read_bytes()) if file.suffix == ".gz" else file.read_bytes()
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{file}: filen kunde inte läsas som GeoJSON ({exc}).") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError(f"{file}: filen är ingen GeoJSON FeatureCollection.")
    features = data.get("features") or []
    seen: set[str] = set()
    for n, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        code = props.get(code_property)
        where = f"{file}, objekt {n}"
        if not code:
            raise ValueError(f"{where}: egenskapen {code_property!r} (områdeskod) saknas.")
        if code in seen:
            raise ValueError(f"{where}: området {code} förekommer två gånger.")
        seen.add(str(code))
        geometry = feature.get("geometry") or {}
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry.get("coordinates")]
        elif kind == "MultiPolygon":
            polygons = list(geometry.get("coordinates") or [])
        else:
            raise ValueError(f"{where} ({code}): geometrin är {kind!r}, inte Polygon eller "
                             "MultiPolygon.")
        for p, rings in enumerate(polygons, start=1):
            if not isinstance(rings, list) or not rings:
                raise ValueError(f"{where} ({code}): polygon {p} saknar ringar.")
            for r, ring in enumerate(rings, start=1):
                _check_ring(ring, f"{where} ({code}), polygon {p}, ring {r}")
    return list(features)


def import_boundaries(store: Store, path: str | Path, *, kind: str, vintage: int,
                      code_property: str = "code") -> dict[str, int]:
    """Check and store boundaries for districts the store knows; all or nothing.

    Returns ``{"stored": n, "invalid": k}`` (k self-intersecting, kept and flagged).
    """
    d.ensure_tables(store)
    features = read_boundaries(path, code_property=code_property)
    known = {r[0] for r in store.execute(
        "SELECT code FROM district_areas WHERE kind = ? AND vintage = ?", [kind, int(vintage)]
    ).fetchall()}
    rows = []
    for n, feature in enumerate(features, start=1):
        code = str(feature["properties"][code_property])
        if code not in known:
            raise ValueError(f"{path}, objekt {n}: {code} är inget känt {d.LABEL.get(kind, kind)}"
                             f" {vintage} — inget har sparats.")
        valid = bool(shape(feature["geometry"]).is_valid)
        rows.append((kind, int(vintage), code, json.dumps(feature["geometry"]), valid))
    with store.transaction():
        store.execute("DELETE FROM district_boundaries WHERE kind = ? AND vintage = ? AND "
                      "list_contains(?, code)", [kind, int(vintage), [r[2] for r in rows]])
        d._insert(store, "district_boundaries", rows,
                  ["kind", "vintage", "code", "geometry", "valid"])
    return {"stored": len(rows), "invalid": sum(1 for r in rows if not r[4])}


def load_shipped_boundaries(store: Store) -> dict[str, int]:
    """DeSO 2025 boundaries for Dalarna's 15 municipalities (simplified ~40 m, SCB, CC0)."""
    d._ensure_loaded(store)
    with resources.as_file(
        resources.files("jamlik.areas") / "data" / "deso2025_dalarna.geojson.gz"
    ) as path:
        return import_boundaries(store, path, kind="deso", vintage=2025)


def boundaries(store: Store, kind: str, municipality: str, *, vintage: int | None = None
               ) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the municipality's districts with code, name, area_type
    (districts without a stored boundary are left out)."""
    frame = d.districts(store, kind, municipality, vintage=vintage)
    vintage = int(frame["vintage"].iloc[0])
    geo = dict(store.execute(
        "SELECT code, geometry FROM district_boundaries WHERE kind = ? AND vintage = ?",
        [kind, int(vintage)]).fetchall())
    features = [
        {"type": "Feature", "geometry": json.loads(geo[r.code]),
         "properties": {"code": r.code, "name": r.name, "parent": r.parent,
                        "area_type": None if pd.isna(r.area_type) else int(r.area_type)}}
        for r in frame.itertuples() if r.code in geo
    ]
    return {"type": "FeatureCollection", "features": features}


def has_boundaries(store: Store) -> bool:
    """Whether any boundary is stored (False for a store without the table)."""
    d.ensure_tables(store)
    try:
        return bool(store.scalar("SELECT count(*) > 0 FROM district_boundaries"))
    except duckdb.CatalogException:
        return False
