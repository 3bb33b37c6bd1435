"""DeSO, RegSO and user-defined districts in the store, with vintages and key tables.

Tables (owner ``areas``; migrations in ``MIGRATIONS``, applied by ``store.apply_migrations``):
- ``district_areas``: one row per district and vintage — ``kind`` (deso, regso, nyko, custom),
  ``vintage`` (DeSO 2018/2025, RegSO 2020/2025, a NYKO or custom set's year; imported by
  ``jamlik.areas.own``), ``code``, ``name``,
  ``municipality``, ``parent`` (a DeSO's RegSO of the matching vintage; a RegSO's
  municipality), ``deso_type`` (SCB's Centrum/Tätort/Omland for DeSO 2018).
- ``district_keys``: key tables between vintages — ``relation`` is ``unchanged`` or ``changed``.
  A join across vintages (``translate``) is refused unless every code's key says unchanged.
- ``district_area_types``: SCB områdestyp 1–5 per RegSO and year (published, imported as is);
  a DeSO gets its RegSO's type (``inherited``), since SCB does not classify DeSO.
- ``district_boundaries``: GeoJSON per district and vintage (``boundaries.py``).
- ``district_values``: indicator values per district (DeSO 2025 Dalarna: % low economic
  standard, % unemployed, …; ``VALUE_VARIABLES``).
- ``district_counts``: persons per district, year and variable (population,
  foreign_background, …) — the inputs of the segregation measures: 2022 for every DeSO 2018
  (SCB), and 2025 for Dalarna's DeSO 2025 (population, and utländsk bakgrund derived as
  round(pop × share / 100) from SCB's share).

The shipped data (jamlik/areas/data/, README there) are loaded by ``load_districts``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

from jamlik.store import Store

OWNER = "areas"
KINDS = ("deso", "regso", "custom", "nyko")
#: the vintage each kind's national tables use, and the newest one shipped
BASE_VINTAGE = {"deso": 2018, "regso": 2020}
LATEST_VINTAGE = {"deso": 2025, "regso": 2025}
SHIPPED = "jamlik (SCB/Kolada)"
LABEL = {"deso": "DeSO", "regso": "RegSO", "custom": "eget område", "nyko": "NYKO"}

MIGRATIONS = [(1, "districts below the municipality: areas, keys, area types, counts", """
CREATE TABLE district_areas (
    kind VARCHAR NOT NULL, vintage INTEGER NOT NULL, code VARCHAR NOT NULL,
    name VARCHAR NOT NULL, municipality VARCHAR NOT NULL, parent VARCHAR,
    deso_type VARCHAR, source VARCHAR NOT NULL,
    PRIMARY KEY (kind, vintage, code));
CREATE TABLE district_keys (
    kind VARCHAR NOT NULL, from_vintage INTEGER NOT NULL, from_code VARCHAR NOT NULL,
    to_vintage INTEGER NOT NULL, to_code VARCHAR NOT NULL, relation VARCHAR NOT NULL,
    PRIMARY KEY (kind, from_vintage, from_code, to_vintage, to_code));
CREATE TABLE district_area_types (
    kind VARCHAR NOT NULL, vintage INTEGER NOT NULL, code VARCHAR NOT NULL,
    year INTEGER NOT NULL, area_type INTEGER NOT NULL, inherited BOOLEAN NOT NULL,
    source VARCHAR NOT NULL,
    PRIMARY KEY (kind, vintage, code, year));
CREATE TABLE district_counts (
    kind VARCHAR NOT NULL, vintage INTEGER NOT NULL, code VARCHAR NOT NULL,
    year INTEGER NOT NULL, variable VARCHAR NOT NULL, value DOUBLE NOT NULL,
    PRIMARY KEY (kind, vintage, code, year, variable));
"""), (2, "district boundaries (GeoJSON)", """
CREATE TABLE district_boundaries (
    kind VARCHAR NOT NULL, vintage INTEGER NOT NULL, code VARCHAR NOT NULL,
    geometry VARCHAR NOT NULL, valid BOOLEAN NOT NULL,
    PRIMARY KEY (kind, vintage, code));
"""), (3, "district indicator values (shares, medians)", """
CREATE TABLE district_values (
    kind VARCHAR NOT NULL, vintage INTEGER NOT NULL, code VARCHAR NOT NULL,
    year INTEGER NOT NULL, variable VARCHAR NOT NULL, value DOUBLE NOT NULL,
    PRIMARY KEY (kind, vintage, code, year, variable));
""")]

COUNT_VARIABLES = ("population", "foreign_background", "swedish_background",
                   "edu_forgymnasial", "edu_gymnasial", "edu_post_lt3", "edu_post_ge3",
                   "edu_missing")
#: DeSO 2025 (Dalarna) indicators shipped: variable → (year, Swedish label, English label)
VALUE_VARIABLES = {
    "pop": (2025, "befolkning", "population"),
    "foreign": (2025, "utländsk bakgrund, %", "foreign background, %"),
    "low_econ": (2024, "låg ekonomisk standard, %", "low economic standard, %"),
    "unemp": (2024, "arbetslösa 20–64 år, %", "unemployed aged 20–64, %"),
    "income_med": (2024, "medianinkomst (ekvivalerad disponibel), tkr",
                   "median equivalised disposable income, kSEK"),
    "higher_ed": (2025, "eftergymnasial utbildning 25–65 år, %", "post-secondary education, %"),
    "renters": (2025, "hyresrätter, % av bostäderna", "rented dwellings, %"),
}
#: the group a segregation measure is asked for → (group variable, total variable)
GROUPS = {
    "foreign_background": ("foreign_background", "population"),
    "swedish_background": ("swedish_background", "population"),
    "forgymnasial_education": (
        "edu_forgymnasial",
        "edu_forgymnasial+edu_gymnasial+edu_post_lt3+edu_post_ge3",
    ),
}


def _data(name: str) -> pd.DataFrame:
    with resources.as_file(resources.files("jamlik.areas") / "data" / name) as path:
        return pd.read_csv(path, dtype=str, keep_default_na=False)


def ensure_tables(store: Store) -> None:
    store.apply_migrations(OWNER, MIGRATIONS)


def loaded(store: Store) -> bool:
    """Whether the shipped DeSO/RegSO are in the store (False for a store without the tables)."""
    ensure_tables(store)
    try:
        return bool(store.scalar("SELECT count(*) > 0 FROM district_areas WHERE source = ?",
                                 [SHIPPED]))
    except duckdb.CatalogException:
        return False


def load_districts(store: Store) -> dict[str, int]:
    """Load (or reload) the shipped DeSO/RegSO data; returns row counts per table.

    DeSO 2018 (5 984, all of Sweden, Kolada names), RegSO 2020 (3 363) with områdestyp 2022
    and 2023, the 2022 counts per DeSO, DeSO 2025 / RegSO 2025 for Dalarna's 15 municipalities
    and the 2018→2025 / 2020→2025 keys there (unchanged: same code and same members).
    """
    ensure_tables(store)
    deso = _data("deso2018.csv.gz")
    regso = _data("regso2020.csv.gz")
    d25 = _data("deso2025_dalarna.csv.gz")
    names = dict(zip(deso["deso"], deso["name"], strict=True))
    regso_names = dict(zip(regso["regso"], regso["name"], strict=True))
    areas = [
        ("deso", 2018, r.deso, r.name, r.municipality, r.regso, r.deso_type)
        for r in deso.itertuples()
    ] + [
        ("regso", 2020, r.regso, r.name, r.municipality, r.municipality, None)
        for r in regso.itertuples()
    ]
    r25 = d25[["regso", "municipality"]].drop_duplicates()
    areas += [("deso", 2025, r.deso, names.get(r.deso, r.deso), r.municipality, r.regso, None)
              for r in d25.itertuples()]
    areas += [("regso", 2025, r.regso, regso_names.get(r.regso, r.regso), r.municipality,
               r.municipality, None) for r in r25.itertuples()]
    # keys: DeSO 2018 → 2025 and RegSO 2020 → 2025 in Dalarna. A code is unchanged when it
    # exists in both vintages and (DeSO) lies in the same RegSO, (RegSO) has the same members.
    old_parent = dict(zip(deso["deso"], deso["regso"], strict=True))
    keys = [("deso", 2018, r.deso, 2025, r.deso,
             "unchanged" if old_parent.get(r.deso) == r.regso else "changed")
            for r in d25.itertuples() if r.deso in old_parent]
    members_old = deso.groupby("regso")["deso"].apply(frozenset).to_dict()
    members_new = d25.groupby("regso")["deso"].apply(frozenset).to_dict()
    keys += [("regso", 2020, code, 2025, code,
              "unchanged" if members_old.get(code) == m else "changed")
             for code, m in members_new.items() if code in members_old]
    types = []
    for r in regso.itertuples():
        for year, value in ((2022, r.omradestyp_2022), (2023, r.omradestyp_2023)):
            if value:
                types.append(("regso", 2020, r.regso, year, int(value), False, "SCB 000005QX"))
    by_regso = {(t[2], t[3]): t[4] for t in types}
    for r in deso.itertuples():
        for year in (2022, 2023):
            if (r.regso, year) in by_regso:
                types.append(("deso", 2018, r.deso, year, by_regso[(r.regso, year)], True,
                              "SCB 000005QX (RegSO)"))
    counts = []
    for r in deso.itertuples():
        for var in COUNT_VARIABLES:
            value = float(getattr(r, var))
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"deso2018.csv.gz: {r.deso} {var} = {value} är inget antal.")
            counts.append(("deso", 2018, r.deso, 2022, var, value))
    # DeSO 2025 (Dalarna): persons with utländsk bakgrund 2025 = round(pop × foreign % / 100),
    # derived from SCB's share (3 decimals) and population — exact to about one person
    for r in d25.itertuples():
        if r.pop and r.foreign:
            pop, share = float(r.pop), float(r.foreign)
            if not (math.isfinite(pop) and math.isfinite(share) and pop >= 0 and 0 <= share <= 100):
                raise ValueError(f"deso2025_dalarna.csv.gz: {r.deso} pop/foreign är inga tal.")
            foreign = float(round(pop * share / 100))
            counts += [("deso", 2025, r.deso, 2025, "population", pop),
                       ("deso", 2025, r.deso, 2025, "foreign_background", foreign),
                       ("deso", 2025, r.deso, 2025, "swedish_background", pop - foreign)]
    values = []
    for r in d25.itertuples():
        for var, (year, _, _) in VALUE_VARIABLES.items():
            text = getattr(r, var)
            if text == "":
                continue
            value = float(text)
            if not math.isfinite(value):
                raise ValueError(f"deso2025_dalarna.csv.gz: {r.deso} {var} = {text} är inget tal.")
            values.append(("deso", 2025, r.deso, year, var, value))
    with store.transaction():
        store.execute("DELETE FROM district_values WHERE kind = 'deso' AND vintage = 2025")
        _insert(store, "district_values", values,
                ["kind", "vintage", "code", "year", "variable", "value"])
        store.execute("DELETE FROM district_keys WHERE kind IN ('deso', 'regso')")
        store.execute("DELETE FROM district_area_types WHERE source LIKE 'SCB%'")
        store.execute("DELETE FROM district_counts WHERE kind IN ('deso', 'regso')")
        store.execute("DELETE FROM district_areas WHERE source = ?", [SHIPPED])
        _insert(store, "district_areas", [(*a, SHIPPED) for a in areas],
                ["kind", "vintage", "code", "name", "municipality", "parent", "deso_type",
                 "source"])
        _insert(store, "district_keys", keys,
                ["kind", "from_vintage", "from_code", "to_vintage", "to_code", "relation"])
        _insert(store, "district_area_types", types,
                ["kind", "vintage", "code", "year", "area_type", "inherited", "source"])
        _insert(store, "district_counts", counts,
                ["kind", "vintage", "code", "year", "variable", "value"])
    return {"areas": len(areas), "keys": len(keys), "area_types": len(types),
            "counts": len(counts), "values": len(values)}


def _insert(store: Store, table: str, rows: Sequence[tuple[object, ...]], columns: list[str]
            ) -> None:
    frame = pd.DataFrame(rows, columns=columns)
    with store.registered(f"incoming_{table}", frame) as view:
        store.execute(f"INSERT INTO {table} ({', '.join(columns)}) "
                      f"SELECT {', '.join(columns)} FROM {view}")


def _ensure_loaded(store: Store) -> None:
    if not loaded(store):
        if store.read_only:
            raise ValueError("delområdena (DeSO/RegSO) är inte inlästa — kör `jamlik areas load`.")
        load_districts(store)


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"okänd områdesindelning {kind!r} — välj deso, regso, nyko eller custom.")
    return kind


def vintages(store: Store, kind: str) -> list[int]:
    _ensure_loaded(store)
    rows = store.execute("SELECT DISTINCT vintage FROM district_areas WHERE kind = ? "
                         "ORDER BY vintage", [_check_kind(kind)]).fetchall()
    return [int(r[0]) for r in rows]


def districts(store: Store, kind: str, municipality: str, *, vintage: int | None = None,
              year: int | None = None) -> pd.DataFrame:
    """The municipality's districts: code, name, type, parent, vintage, area_type, area_type_year.

    vintage: default the newest one the municipality has. area_type: SCB områdestyp of
    ``year`` (default the newest), via the key table when the vintage is newer than the one
    SCB classified (allowed only where the key says unchanged; otherwise empty).
    Raises ValueError (Swedish) for an unknown kind, municipality or vintage.
    """
    _ensure_loaded(store)
    _check_kind(kind)
    code = str(municipality).strip()
    known = store.execute("SELECT DISTINCT vintage FROM district_areas WHERE kind = ? AND "
                          "municipality = ? ORDER BY vintage", [kind, code]).fetchall()
    if not known:
        raise ValueError(f"kommunkoden {code!r} har inga {LABEL[kind]}-områden i databasen — "
                         "ange en kommunkod med fyra siffror, t.ex. 2081.")
    have = [int(r[0]) for r in known]
    chosen = have[-1] if vintage is None else int(vintage)
    if chosen not in have:
        raise ValueError(f"{LABEL[kind]} {chosen} finns inte för {code} — finns: "
                         f"{', '.join(map(str, have))}.")
    base = BASE_VINTAGE.get(kind, chosen)
    frame = store.execute(
        """
        SELECT a.code, a.name, a.kind AS type, a.parent, a.vintage,
               COALESCE(t.area_type, tk.area_type) AS area_type,
               COALESCE(t.year, tk.year) AS area_type_year
        FROM district_areas a
        LEFT JOIN district_area_types t
          ON t.kind = a.kind AND t.vintage = a.vintage AND t.code = a.code
         AND t.year = (SELECT max(year) FROM district_area_types
                        WHERE kind = a.kind AND (? IS NULL OR year = ?))
        LEFT JOIN district_keys k
          ON k.kind = a.kind AND k.to_vintage = a.vintage AND k.to_code = a.code
         AND k.from_vintage = ? AND k.relation = 'unchanged'
        LEFT JOIN district_area_types tk
          ON tk.kind = a.kind AND tk.vintage = k.from_vintage AND tk.code = k.from_code
         AND tk.year = (SELECT max(year) FROM district_area_types
                         WHERE kind = a.kind AND (? IS NULL OR year = ?))
        WHERE a.kind = ? AND a.municipality = ? AND a.vintage = ?
        ORDER BY a.code
        """,
        [year, year, base, year, year, kind, code, chosen],
    ).df()
    frame["area_type"] = frame["area_type"].astype("Int64")
    frame["area_type_year"] = frame["area_type_year"].astype("Int64")
    return frame


def translate(store: Store, kind: str, codes: list[str], from_vintage: int,
              to_vintage: int) -> dict[str, str]:
    """Map codes of one vintage to another; refused unless the key says every one is unchanged.

    Raises ValueError (Swedish) naming the first code that is unknown, has no key, or changed.
    """
    _ensure_loaded(store)
    _check_kind(kind)
    if from_vintage == to_vintage:
        return {c: c for c in codes}
    lo, hi = sorted((int(from_vintage), int(to_vintage)))
    rows = store.execute("SELECT from_code, to_code, relation FROM district_keys WHERE kind = ? "
                         "AND from_vintage = ? AND to_vintage = ?", [kind, lo, hi]).fetchall()
    key = {(r[0] if lo == from_vintage else r[1]): (r[1] if lo == from_vintage else r[0], r[2])
           for r in rows}
    out = {}
    for c in codes:
        if c not in key:
            raise ValueError(
                f"{LABEL[kind]} {c}: ingen nyckel mellan {from_vintage} och {to_vintage} — "
                "områden från olika årgångar kan inte kopplas ihop utan en nyckel som säger att "
                "området är oförändrat."
            )
        target, relation = key[c]
        if relation != "unchanged":
            raise ValueError(
                f"{LABEL[kind]} {c} har ändrats mellan {from_vintage} och {to_vintage} — "
                "värden kan inte föras över mellan årgångarna."
            )
        out[c] = target
    return out


def district_counts(store: Store, kind: str, municipalities: list[str], year: int
                    ) -> pd.DataFrame:
    """Counts per district and variable (columns) of the national tables' vintage, with a
    ``municipality`` column; RegSO counts are the sums of their DeSO 2018 (RegSO 2020 is
    built of DeSO 2018)."""
    _ensure_loaded(store)
    _check_kind(kind)
    if kind in ("custom", "nyko"):
        raise ValueError(f"{LABEL[kind]} har inga antal i databasen ännu.")
    unit = "d.code" if kind == "deso" else "a.parent"
    vintage = count_vintage(store, int(year))
    frame = store.execute(
        f"""
        SELECT a.municipality, {unit} AS code, d.variable, sum(d.value) AS value
        FROM district_counts d
        JOIN district_areas a ON a.kind = 'deso' AND a.vintage = d.vintage AND a.code = d.code
        WHERE d.kind = 'deso' AND d.vintage = ? AND d.year = ?
          AND list_contains(?, a.municipality)
        GROUP BY ALL
        """,
        [vintage, int(year), [str(m) for m in municipalities]],
    ).df()
    if frame.empty:
        return frame
    return frame.pivot(index=["municipality", "code"], columns="variable",
                       values="value").reset_index().sort_values(["municipality", "code"])


def count_years(store: Store, *, vintage: int | None = None,
                municipalities: Sequence[str] | None = None) -> list[int]:
    """Years with DeSO counts (of ``vintage``; where every one of ``municipalities`` has some)."""
    _ensure_loaded(store)
    rows = store.execute(
        "SELECT year, count(DISTINCT substr(code, 1, 4)) FILTER (WHERE list_contains(?, "
        "substr(code, 1, 4))) FROM district_counts WHERE kind = 'deso' AND (? IS NULL OR "
        "vintage = ?) GROUP BY year ORDER BY year",
        [list(municipalities or []), vintage, vintage]).fetchall()
    need = len(set(municipalities or []))
    return [int(r[0]) for r in rows if not municipalities or int(r[1]) == need]


def count_vintage(store: Store, year: int) -> int:
    """The DeSO vintage of a year's counts (2022: DeSO 2018; 2025: DeSO 2025, Dalarna)."""
    row = store.execute("SELECT max(vintage) FROM district_counts WHERE kind = 'deso' AND "
                        "year = ?", [int(year)]).fetchone()
    return int(row[0]) if row and row[0] is not None else BASE_VINTAGE["deso"]


#: the RegSO vintage built of each DeSO vintage's areas
REGSO_OF_DESO = {2018: 2020, 2025: 2025}


def area_type_counts(store: Store, year: int) -> pd.DataFrame:
    """RegSO per county (two first digits) and områdestyp 1–5 for ``year`` (published types)."""
    _ensure_loaded(store)
    return store.execute(
        """
        SELECT substr(code, 1, 2) AS county, area_type, count(*) AS regso
        FROM district_area_types WHERE kind = 'regso' AND vintage = 2020 AND year = ?
        GROUP BY ALL ORDER BY county, area_type
        """,
        [int(year)],
    ).df()


def import_custom_districts(store: Store, path: str | Path, *, vintage: int) -> int:
    """A municipality's own districts from a CSV with columns code, name, municipality, deso.

    One row per (district, member DeSO 2018). Unknown DeSO codes, a DeSO of another
    municipality or a missing column → ValueError naming file and line; nothing is stored.
    """
    ensure_tables(store)
    _ensure_loaded(store)
    file = Path(path)
    try:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise ValueError(f"{file}: filen kunde inte läsas ({exc}).") from None
    need = ["code", "name", "municipality", "deso"]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise ValueError(f"{file}: kolumnen {', '.join(missing)} saknas — filen ska ha "
                         f"kolumnerna {', '.join(need)}.")
    known = dict(store.execute("SELECT code, municipality FROM district_areas WHERE kind = 'deso' "
                               "AND vintage = 2018").fetchall())
    for line, r in enumerate(frame.itertuples(), start=2):
        if r.deso not in known:
            raise ValueError(f"{file}:{line}: kolumn \"deso\": {r.deso!r} är ingen känd "
                             "DeSO-kod (DeSO 2018). Inget har sparats.")
        if known[r.deso] != r.municipality:
            raise ValueError(f"{file}:{line}: DeSO {r.deso} ligger i {known[r.deso]}, inte i "
                             f"{r.municipality}. Inget har sparats.")
        if not r.code.strip() or not r.name.strip():
            raise ValueError(f"{file}:{line}: kod eller namn saknas. Inget har sparats.")
    areas = frame[["code", "name", "municipality"]].drop_duplicates()
    if areas["code"].duplicated().any():
        dup = areas.loc[areas["code"].duplicated(), "code"].iloc[0]
        raise ValueError(f"{file}: området {dup!r} har två olika namn. Inget har sparats.")
    with store.transaction():
        store.executemany(
            "INSERT OR REPLACE INTO district_areas VALUES ('custom', ?, ?, ?, ?, ?, NULL, ?)",
            [(vintage, r.code, r.name, r.municipality, r.municipality, str(file.name))
             for r in areas.itertuples()])
        store.executemany(
            "INSERT OR REPLACE INTO district_keys VALUES ('custom', 2018, ?, ?, ?, 'member')",
            [(r.deso, vintage, r.code) for r in frame.itertuples()])
    return len(areas)
