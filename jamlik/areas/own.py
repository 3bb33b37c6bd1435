"""A municipality's own areas: own districts (``custom``) and NYKO, from a code list or polygons.

``import_areas(store, path, kind=..., municipality=..., vintage=...)`` reads

- a **code list** (``.csv``): columns ``code, name, deso`` (+ ``municipality`` optional, +
  ``parent`` optional for NYKO's levels), one row per area and member DeSO of
  ``deso_vintage`` (default 2018); or
- **polygons**: GeoJSON (``.geojson``, ``.json``, ``.geojson.gz``; checked by
  ``boundaries.read_boundaries``), GeoPackage (``.gpkg``) or Shapefile (``.shp``, or a
  ``.zip`` holding one) read through pyogrio (GDAL, wheels from PyPI) and transformed to
  WGS 84 lon/lat with pyproj from the layer's own coordinate system (e.g. SWEREF 99 TM).
  Each feature needs a code and a name property. The member DeSO are the DeSO whose
  representative point lies inside the polygon (where DeSO boundaries of that vintage are
  stored), recorded as keys ``relation = 'member'``.

Kinds: ``custom`` (own districts, e.g. stadsdelar) and ``nyko`` (nyckelkodsområden, the
municipality's own statistical areas; ``parent`` the NYKO one level up). Each import is
its own vintage (e.g. NYKO 2024), never mixed with another: importing the same kind and
vintage again for the municipality replaces it. Everything is checked before anything is
written, in one transaction: a missing column, an empty code or name, a code twice with two
names, a DeSO code that is unknown, of another municipality or of another vintage, a polygon
that does not close, a coordinate system that cannot be read — each a Swedish ValueError
naming the file and line (or feature), and nothing is stored.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from shapely.geometry import mapping, shape

from jamlik.areas import boundaries as b
from jamlik.areas import districts as d
from jamlik.store import Store

OWN_KINDS = ("custom", "nyko")
POLYGON_SUFFIXES = (".geojson", ".json", ".gz", ".gpkg", ".shp", ".zip")


def _deso_known(store: Store, vintage: int) -> dict[str, str]:
    return dict(store.execute("SELECT code, municipality FROM district_areas WHERE kind = 'deso' "
                              "AND vintage = ?", [int(vintage)]).fetchall())


def _other_vintage(store: Store, code: str, vintage: int) -> int | None:
    row = store.execute("SELECT min(vintage) FROM district_areas WHERE kind = 'deso' AND code = ? "
                        "AND vintage <> ?", [code, int(vintage)]).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _check_municipality(store: Store, municipality: str) -> str:
    code = str(municipality).strip()
    if not store.scalar("SELECT count(*) > 0 FROM district_areas WHERE kind = 'deso' AND "
                        "municipality = ?", [code]):
        raise ValueError(f"kommunkoden {code!r} finns inte bland DeSO-områdena — ange en kommunkod "
                         "med fyra siffror, t.ex. 2081. Inget har sparats.")
    return code


def _read_code_list(store: Store, file: Path, kind: str, municipality: str, deso_vintage: int
                    ) -> tuple[list[tuple[str, str, str | None]], list[tuple[str, str]]]:
    try:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise ValueError(f"{file}: filen kunde inte läsas ({exc}). Inget har sparats.") from None
    need = ["code", "name", "deso"]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise ValueError(f"{file}: kolumnen {', '.join(missing)} saknas — filen ska ha kolumnerna "
                         f"{', '.join(need)} (och gärna municipality). Inget har sparats.")
    known = _deso_known(store, deso_vintage)
    names: dict[str, tuple[str, str | None]] = {}
    members: list[tuple[str, str]] = []
    columns = list(frame.columns)
    for line, r in enumerate(frame.to_dict("records"), start=2):
        code, name, deso = r["code"].strip(), r["name"].strip(), r["deso"].strip()
        if not code:
            raise ValueError(f"{file}:{line}:{columns.index('code') + 1}: koden saknas. "
                             "Inget har sparats.")
        if not name:
            raise ValueError(f"{file}:{line}:{columns.index('name') + 1}: namnet saknas. "
                             "Inget har sparats.")
        col = columns.index("deso") + 1
        if deso not in known:
            other = _other_vintage(store, deso, deso_vintage)
            hint = (f" Den finns i DeSO {other}: koder från olika årgångar kan inte blandas — "
                    f"ange --deso-vintage {other} eller byt koden." if other else "")
            raise ValueError(f"{file}:{line}:{col}: {deso!r} är ingen känd DeSO-kod i DeSO "
                             f"{deso_vintage}.{hint} Inget har sparats.")
        own = r.get("municipality", "").strip() or municipality
        if own != municipality or known[deso] != municipality:
            raise ValueError(f"{file}:{line}:{col}: DeSO {deso} ligger i {known[deso]}, inte i "
                             f"{municipality}. Inget har sparats.")
        parent = r.get("parent", "").strip() or None
        if code in names and names[code][0] != name:
            raise ValueError(f"{file}:{line}: området {code!r} har två olika namn "
                             f"({names[code][0]!r} och {name!r}). Inget har sparats.")
        names[code] = (name, parent)
        members.append((deso, code))
    if not names:
        raise ValueError(f"{file}: filen har inga rader. Inget har sparats.")
    return [(c, n, p) for c, (n, p) in names.items()], members


def _read_ogr(file: Path) -> list[dict[str, Any]]:
    """GeoPackage/Shapefile features as GeoJSON-like dicts in WGS 84 lon/lat."""
    try:
        from pyogrio import raw
        from pyproj import CRS, Transformer
        from shapely import from_wkb, transform
    except ImportError as exc:  # pragma: no cover - pinned dependencies
        raise ValueError(f"{file}: GeoPackage/Shapefile kräver pyogrio och pyproj ({exc}).") from None
    source = str(file)
    if file.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(file) as zf:
                shp = [n for n in zf.namelist() if n.lower().endswith(".shp")]
        except zipfile.BadZipFile:
            raise ValueError(f"{file}: filen är ingen zip-fil. Inget har sparats.") from None
        if len(shp) != 1:
            raise ValueError(f"{file}: zip-filen ska innehålla exakt en .shp-fil (hittade "
                             f"{len(shp)}). Inget har sparats.")
        source = f"/vsizip/{file}/{shp[0]}"
    try:
        meta, _, geometry, fields = raw.read(source)
    except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds
        raise ValueError(f"{file}: filen kunde inte läsas som GeoPackage/Shapefile ({exc}). "
                         "Inget har sparats.") from None
    if not meta.get("crs"):
        raise ValueError(f"{file}: filen saknar koordinatsystem (för en Shapefile: .prj-filen) — "
                         "ange det i filen, t.ex. SWEREF 99 TM (EPSG:3006). Inget har sparats.")
    try:
        crs = CRS.from_user_input(meta["crs"])
    except Exception as exc:  # noqa: BLE001 - pyproj raises CRSError and others
        raise ValueError(f"{file}: koordinatsystemet {meta['crs']!r} känns inte igen ({exc}). "
                         "Inget har sparats.") from None
    to_wgs84 = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    names = list(meta["fields"])
    features = []
    for i, wkb in enumerate(geometry):
        props = {name: (None if fields[j][i] is None else str(fields[j][i]))
                 for j, name in enumerate(names)}
        if wkb is None:
            raise ValueError(f"{file}, objekt {i + 1}: geometri saknas. Inget har sparats.")
        geom = transform(from_wkb(wkb), to_wgs84.transform, interleaved=False)
        features.append({"type": "Feature", "properties": props,
                         "geometry": json.loads(json.dumps(mapping(geom)))})
    return features


def read_polygons(path: str | Path, *, code_property: str = "code",
                  name_property: str = "name") -> list[dict[str, Any]]:
    """Features (GeoJSON dicts, lon/lat) of a GeoJSON, GeoPackage or Shapefile, every ring
    checked as in ``boundaries.read_boundaries``."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in (".gpkg", ".shp", ".zip"):
        features = _read_ogr(file)
        collection = {"type": "FeatureCollection", "features": features}
        with tempfile.TemporaryDirectory() as tmp:  # the same checks as a GeoJSON file
            check = Path(tmp) / (file.stem + ".geojson")
            check.write_text(json.dumps(collection), encoding="utf-8")
            try:
                b.read_boundaries(check, code_property=code_property)
            except ValueError as exc:
                raise ValueError(str(exc).replace(str(check), str(file))) from None
    else:
        features = b.read_boundaries(file, code_property=code_property)
    for n, f in enumerate(features, start=1):
        name = (f.get("properties") or {}).get(name_property)
        if name is None or not str(name).strip():
            raise ValueError(f"{file}, objekt {n}: egenskapen {name_property!r} (namn) saknas. "
                             "Inget har sparats.")
    return features


def import_areas(store: Store, path: str | Path, *, kind: str, municipality: str, vintage: int,
                 deso_vintage: int | None = None, code_property: str = "code",
                 name_property: str = "name") -> dict[str, int]:
    """Import own districts or NYKO (see the module doc); returns ``{"areas": n,
    "members": k, "boundaries": m}``. All or nothing."""
    if kind not in OWN_KINDS:
        raise ValueError(f"okänd typ {kind!r} för egna områden — välj custom eller nyko.")
    if isinstance(vintage, bool) or int(vintage) != vintage or not 1900 <= int(vintage) <= 2100:
        raise ValueError(f"årgången måste vara ett årtal, t.ex. 2024 (fick {vintage!r}).")
    d._ensure_loaded(store)
    file = Path(path)
    if not file.exists():
        raise ValueError(f"{file}: filen finns inte.")
    mun = _check_municipality(store, municipality)
    shapes: list[tuple[str, str]] = []
    if file.suffix.lower() == ".csv":
        base = int(deso_vintage or d.BASE_VINTAGE["deso"])
        areas, members = _read_code_list(store, file, kind, mun, base)
        key_vintage = base
    elif file.suffix.lower() in POLYGON_SUFFIXES:
        features = read_polygons(file, code_property=code_property, name_property=name_property)
        areas = []
        for f in features:
            props = f["properties"]
            code = str(props[code_property]).strip()
            parent = props.get("parent")
            areas.append((code, str(props[name_property]).strip(),
                          None if parent in (None, "") else str(parent)))
            shapes.append((code, json.dumps(f["geometry"])))
        key_vintage = int(deso_vintage or max(d.vintages(store, "deso")))
        deso_shapes = store.execute(
            "SELECT code, geometry FROM district_boundaries WHERE kind = 'deso' AND vintage = ? "
            "AND substr(code, 1, 4) = ?", [key_vintage, mun]).fetchall()
        polygons = [(code, shape(json.loads(g))) for code, g in shapes]
        members = []
        for deso, geometry in deso_shapes:
            point = shape(json.loads(geometry)).representative_point()
            for code, polygon in polygons:
                if polygon.buffer(0).contains(point):
                    members.append((deso, code))
                    break
    else:
        raise ValueError(f"{file}: okänt filformat {file.suffix!r} — ange en kodlista (.csv), "
                         "GeoJSON (.geojson), GeoPackage (.gpkg) eller Shapefile (.shp/.zip).")
    codes = [a[0] for a in areas]
    taken = store.execute(
        "SELECT code, municipality FROM district_areas WHERE kind = ? AND vintage = ? AND "
        "municipality <> ? AND list_contains(?, code)", [kind, int(vintage), mun, codes]
    ).fetchall()
    if taken:
        raise ValueError(f"{file}: koden {taken[0][0]} används redan av {taken[0][1]} i "
                         f"{d.LABEL[kind]} {vintage}. Inget har sparats.")
    label = "NYKO" if kind == "nyko" else "eget område"
    old = [r[0] for r in store.execute(
        "SELECT code FROM district_areas WHERE kind = ? AND vintage = ? AND municipality = ?",
        [kind, int(vintage), mun]).fetchall()]
    replaced = sorted(set(old) | set(codes))
    with store.transaction():
        store.execute("DELETE FROM district_keys WHERE kind = ? AND to_vintage = ? AND "
                      "list_contains(?, to_code)", [kind, int(vintage), replaced])
        store.execute("DELETE FROM district_boundaries WHERE kind = ? AND vintage = ? AND "
                      "list_contains(?, code)", [kind, int(vintage), replaced])
        store.execute("DELETE FROM district_areas WHERE kind = ? AND vintage = ? AND "
                      "municipality = ?", [kind, int(vintage), mun])
        d._insert(store, "district_areas",
                  [(kind, int(vintage), c, n, mun, p or mun, None, f"{label}: {file.name}")
                   for c, n, p in areas],
                  ["kind", "vintage", "code", "name", "municipality", "parent", "deso_type",
                   "source"])
        if members:
            d._insert(store, "district_keys",
                      [(kind, key_vintage, deso, int(vintage), code, "member")
                       for deso, code in members],
                      ["kind", "from_vintage", "from_code", "to_vintage", "to_code", "relation"])
        if shapes:
            d._insert(store, "district_boundaries",
                      [(kind, int(vintage), c, g, bool(shape(json.loads(g)).is_valid))
                       for c, g in shapes],
                      ["kind", "vintage", "code", "geometry", "valid"])
    return {"areas": len(areas), "members": len(members), "boundaries": len(shapes)}
