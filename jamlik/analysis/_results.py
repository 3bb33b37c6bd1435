"""Materialised profile results: every area's profile rows stored when the data change.

Tables (owner ``analysis``; migrations in ``MIGRATIONS``, applied by ``store.apply_migrations``):

``profile_results``        one row per area × indicator × (sex, similar theme, threshold): every
                           ``ProfileRow`` field as a typed column (``sex_gap``, ``change``,
                           ``flags``, ``flag_labels``, ``trend_periods`` as JSON text), plus
                           ``engine`` (``ENGINE_VERSION``: rows of another version are never read).
``profile_result_inputs``  per indicator × key: a fingerprint of everything its rows depend on
                           (its observations, its margin and denominator KPIs' observations, its
                           catalogue row, the areas and area groups).
``profile_result_state``   per key: the data stamp (``_stamp``) the stored rows were computed on.

``materialise(store)`` (``jamlik materialise`` once; then ``jamlik import`` and every
``jamlik sync`` before they publish the snapshot) recomputes only the indicators whose
fingerprint changed, for all areas at once (ranks, similar-group means and benchmarks of an
indicator depend on every area, so a changed value changes that indicator's rows everywhere).
``read_profiles(store, codes)`` returns the stored rows when the stamp still matches the store's
data (a cheap check: counts, latest retrieval, revisions and hashes of the small catalogue
tables), otherwise None, and the caller computes (``profile_many``) as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path
from typing import Any

import pyarrow as pa

from jamlik.analysis._data import DEFAULT_SUPPRESSION_THRESHOLD
from jamlik.analysis._profile import ProfileRow, profile_columns, profile_many
from jamlik.analysis._series import clean, no_gc
from jamlik.analysis._text import FLAG_LABELS_SV
from jamlik.store import Store

OWNER = "analysis"
#: Bump when a rule of the profile changes: stored rows of another version are recomputed.
ENGINE_VERSION = "3"  # 2: verdict_en; 3: Mann–Kendall on a straight line (r₁ = 0)
#: Indicators computed per ``profile_many`` call while materialising (bounds memory).
CHUNK = 150

_JSON = ("sex_gap", "flags", "trend_periods", "flag_labels", "change")
_INTS = ("period", "rank", "rank_of", "similar_n")
_BOOLS = ("tested",)
_FLOATS = ("value", "lower", "upper", "nation_value", "county_value", "similar_value",
           "trend_p_value", "lower_998", "upper_998", "numerator", "denominator", "trend_slope",
           "similar_se", "limits_base")
_FIELDS = tuple(f.name for f in fields(ProfileRow))


def _sql_type(name: str) -> str:
    if name in _INTS:
        return "INTEGER"
    if name in _BOOLS:
        return "BOOLEAN"
    if name in _FLOATS:
        return "DOUBLE"
    return "VARCHAR"


MIGRATIONS = [(1, "materialised profile rows, their input fingerprints and data stamp", f"""
CREATE TABLE IF NOT EXISTS profile_results (
    similar_theme VARCHAR, threshold DOUBLE, engine VARCHAR,
    {", ".join(f"{name} {_sql_type(name)}" for name in _FIELDS)}
);
CREATE TABLE IF NOT EXISTS profile_result_inputs (
    sex VARCHAR, similar_theme VARCHAR, threshold DOUBLE, indicator VARCHAR, fingerprint VARCHAR
);
CREATE TABLE IF NOT EXISTS profile_result_state (
    sex VARCHAR, similar_theme VARCHAR, threshold DOUBLE, engine VARCHAR, stamp VARCHAR,
    computed_at TIMESTAMP
);
"""), (2, "the verdict in English beside the Swedish one",
       "ALTER TABLE profile_results ADD COLUMN IF NOT EXISTS verdict_en VARCHAR;")]


@dataclass(frozen=True)
class Materialised:
    """What ``materialise`` did: indicators recomputed (of all), rows written, seconds."""

    changed: int
    indicators: int
    rows: int
    seconds: float
    full: bool
    #: seconds per part: "fingerprints", "compute" (queries and rows), "write", "sort", "state"
    phases: dict[str, float] = field(default_factory=dict)
    #: rows made by the vectorised row builder (the rest by the per-series ``_row``)
    built: int = 0


def _ready(store: Store) -> bool:
    return store.apply_migrations(OWNER, MIGRATIONS) >= len(MIGRATIONS)


def _exists(store: Store) -> bool:
    """Whether this file holds the tables (without creating them: readers never write)."""
    row = store.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_name = 'profile_result_state'").fetchone()
    return bool(row and row[0])


def _stamp(store: Store) -> str:
    """Changes whenever values, revisions, indicators, areas or area groups change."""
    row = store.execute(
        "SELECT (SELECT count(*) FROM observations), "
        "(SELECT CAST(max(retrieved_at) AS VARCHAR) FROM observations), "
        "(SELECT count(*) FROM observation_history), "
        "(SELECT CAST(sum(hash(t)::HUGEINT) AS VARCHAR) FROM indicators t), "
        "(SELECT CAST(sum(hash(t)::HUGEINT) AS VARCHAR) FROM indicator_themes t), "
        "(SELECT CAST(sum(hash(t)::HUGEINT) AS VARCHAR) FROM areas t), "
        "(SELECT CAST(sum(hash(t)::HUGEINT) AS VARCHAR) FROM area_groups t), "
        "(SELECT CAST(sum(hash(t)::HUGEINT) AS VARCHAR) FROM area_group_members t)"
    ).fetchone()
    return json.dumps([ENGINE_VERSION, *(row or ())])


def _fingerprints(store: Store) -> dict[str, str]:
    """indicator → fingerprint of every input of its profile rows (one scan of observations)."""
    obs = {k: f"{n}:{h}" for k, n, h in store.execute(
        "SELECT indicator, count(*), CAST(sum(hash(area, sex, period, period_start, value, "
        "numerator, denominator, lower, upper, status, suppressed, suppression_reason, "
        "source)::HUGEINT) AS VARCHAR) FROM observations "
        "WHERE breakdown_dim = '' AND breakdown_cat = '' AND subperiod = '' GROUP BY indicator"
    ).fetchall()}
    catalogue = store.execute(
        "SELECT (SELECT CAST(sum(hash(t)::HUGEINT) AS VARCHAR) FROM areas t), "
        "(SELECT CAST(sum(hash(t)::HUGEINT) AS VARCHAR) FROM area_groups t), "
        "(SELECT CAST(sum(hash(t)::HUGEINT) AS VARCHAR) FROM area_group_members t), "
        "(SELECT CAST(sum(hash(t)::HUGEINT) AS VARCHAR) FROM indicator_themes t "
        " WHERE theme = 'denominator')").fetchone()
    out: dict[str, str] = {}
    for ind, meta, margin, denominator in store.execute(
            "SELECT id, CAST(hash(t) AS VARCHAR), margin_indicator, denominator_indicator "
            "FROM indicators t").fetchall():
        if ind not in obs:
            continue
        parts = [meta, obs[ind], obs.get(margin or "", "")]
        parts += [obs.get(k.strip(), "") for k in (denominator or "").split("+") if k.strip()]
        text = json.dumps([ENGINE_VERSION, *parts, *(catalogue or ())])
        out[ind] = hashlib.sha1(text.encode()).hexdigest()
    return out


def _profile_indicators(store: Store) -> list[str]:
    """The indicators a full profile shows (population series kept only as bases are not)."""
    return [r[0] for r in store.execute(
        "SELECT id FROM indicators WHERE id NOT IN (SELECT indicator FROM indicator_themes "
        "WHERE theme = 'denominator') ORDER BY id").fetchall()]


def _areas(store: Store) -> list[str]:
    return [r[0] for r in store.execute(
        "SELECT code FROM areas WHERE type IN ('nation', 'county', 'municipality') "
        "ORDER BY code").fetchall()]


def profile(
    store: Store,
    area: str,
    indicators: Sequence[str] | None = None,
    similar_theme: str = "socioekonomi",
    *,
    sex: str = "T",
    threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
) -> list[ProfileRow]:
    """Every indicator's latest value for one area with limits, the three benchmarks, rank colour,
    trend, sex gap, data-quality flags and a Swedish verdict. Indicators without data are left out.

    area: an SCB or Kolada code or a name. threshold: values based on fewer cases are suppressed.
    Reads the materialised rows when they match the store's data (``materialise``).
    Raises KeyError (Swedish) for an unknown area or indicator.
    """
    code = store.resolve_area(area)
    if indicators is None:
        # Stored rows (``materialise``, run after imports and syncs) when current.
        stored = read_profiles(store, [code], sex=sex, similar_theme=similar_theme,
                               threshold=threshold)
        if stored is not None and code in stored:
            return stored[code]
    return profile_many(store, [code], indicators, similar_theme, sex=sex, threshold=threshold)[code]


def materialise(
    store: Store,
    *,
    full: bool = False,
    sex: str = "T",
    similar_theme: str = "socioekonomi",
    threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
) -> Materialised:
    """Recompute the stored profile rows of every indicator whose inputs changed (all with
    ``full``), for every nation/county/municipality, in one transaction."""
    started = time.perf_counter()
    phases = dict.fromkeys(("fingerprints", "compute", "write", "sort", "state"), 0.0)
    clock = time.perf_counter
    _ready(store)
    key = [sex, similar_theme, float(threshold)]
    where = "sex = ? AND similar_theme = ? AND threshold = ?"
    wanted = _fingerprints(store)
    phases["fingerprints"] = clock() - started
    shown = set(_profile_indicators(store))
    wanted = {k: v for k, v in wanted.items() if k in shown}
    state = store.execute(f"SELECT engine FROM profile_result_state WHERE {where}", key).fetchone()
    if full or state is None or state[0] != ENGINE_VERSION:
        have: dict[str, str] = {}
        full = True
    else:
        have = dict(store.execute(
            f"SELECT indicator, fingerprint FROM profile_result_inputs WHERE {where}",
            key).fetchall())
    changed = sorted(k for k, v in wanted.items() if have.get(k) != v)
    gone = sorted(set(have) - set(wanted))
    codes = _areas(store)
    rows = built = 0
    # A full run writes into a staging table and copies it once, sorted by area, so a reader
    # of one area or county touches its row groups only (DuckDB skips the others by their
    # min/max); incremental rows are appended to the stored table.
    target = "_results_staged" if full else "profile_results"
    with store.transaction():
        if full:
            store.execute(f"DELETE FROM profile_results WHERE {where}", key)
            store.execute(f"DELETE FROM profile_result_inputs WHERE {where}", key)
            store.execute("CREATE OR REPLACE TEMP TABLE _results_staged AS "
                          "SELECT * FROM profile_results LIMIT 0")
        for part in (gone, changed):
            for i in range(0, len(part), 1000):
                ids = part[i:i + 1000]
                marks = ", ".join("?" * len(ids))
                store.execute(f"DELETE FROM profile_results WHERE {where} AND indicator IN "
                              f"({marks})", [*key, *ids])
                store.execute(f"DELETE FROM profile_result_inputs WHERE {where} AND indicator IN "
                              f"({marks})", [*key, *ids])
        for i in range(0, len(changed), CHUNK):
            ids = changed[i:i + CHUNK]
            with no_gc():
                # Rows of series without limit inputs as columns (the vectorised builder),
                # the others from the per-series reference; the reader orders them.
                t = clock()
                columns, others = profile_columns(store, codes, ids, similar_theme, sex=sex,
                                                  threshold=threshold)
                phases["compute"] += clock() - t
                t = clock()
                made = _write_columns(store, columns, similar_theme, float(threshold), built=True,
                                      into=target)
                built += made
                rows += made
                rows += _write(store, others, similar_theme, float(threshold), into=target)
                phases["write"] += clock() - t
        t = clock()
        if full:
            store.execute("INSERT INTO profile_results SELECT * FROM _results_staged "
                          "ORDER BY area, indicator")
            store.execute("DROP TABLE _results_staged")
        phases["sort"] = clock() - t
        t = clock()
        if changed:
            # One set-based insert (executemany runs one statement per indicator: 16 s for
            # 1,990 fingerprints on the real dump).
            inputs = pa.table({"indicator": changed, "fingerprint": [wanted[k] for k in changed]})
            view = f"_inputs_{uuid.uuid4().hex[:12]}"
            with store.registered(view, inputs):
                store.execute(f"INSERT INTO profile_result_inputs SELECT ?, ?, ?, indicator, "
                              f"fingerprint FROM {view}", key)
        store.execute(f"DELETE FROM profile_result_state WHERE {where}", key)
        store.execute("INSERT INTO profile_result_state VALUES (?, ?, ?, ?, ?, now())",
                      [*key, ENGINE_VERSION, _stamp(store)])
    phases["state"] = clock() - t  # the commit is in "seconds" only
    return Materialised(len(changed), len(wanted), rows, time.perf_counter() - started, full,
                        {k: round(v, 2) for k, v in phases.items()}, built)


def _write(store: Store, rows: list[ProfileRow], similar_theme: str, threshold: float, *,
           into: str = "profile_results") -> int:
    """Append rows column by column (Arrow arrays, no per-row dicts): the values ``to_dict()``
    gives, missing numbers as NULL."""
    if not rows:
        return 0
    columns = zip(*map(attrgetter(*_FIELDS), rows), strict=True)  # one tuple per field
    return _write_columns(store, dict(zip(_FIELDS, columns, strict=True)), similar_theme,
                          threshold, into=into)


def _write_columns(store: Store, columns: Mapping[str, Sequence[Any]], similar_theme: str,
                   threshold: float, *, built: bool = False,
                   into: str = "profile_results") -> int:
    """Append rows given as columns ({``ProfileRow`` field: values}). built: the columns come
    from the vectorised row builder, so every value already has its column's Python type
    (str, int, float, bool or None; lists and dicts of those) and is passed to Arrow as it
    is (NaN → NULL; JSON without the ``clean`` copy when it holds no NaN)."""
    count = len(columns["area"])
    if not count:
        return 0
    arrays: dict[str, pa.Array] = {}
    for name in _FIELDS:
        values = columns[name]
        if name in _JSON:
            arrays[name] = pa.array(_json_texts(values) if built else [
                None if v is None else json.dumps(clean(v), ensure_ascii=False)
                for v in values], type=pa.string())
        elif built:
            arrays[name] = pa.array(values, type=_ARROW[_sql_type(name)], from_pandas=True)
        elif name in _FLOATS:
            arrays[name] = pa.array([None if v is None or v != v else float(v) for v in values],
                                    type=pa.float64())
        elif name in _INTS:
            arrays[name] = pa.array([None if v is None else int(v) for v in values],
                                    type=pa.int64())
        elif name in _BOOLS:
            arrays[name] = pa.array([None if v is None else bool(v) for v in values],
                                    type=pa.bool_())
        else:
            arrays[name] = pa.array([None if v is None else str(v) for v in values],
                                    type=pa.string())
    table = pa.table(arrays)
    view = f"_results_{uuid.uuid4().hex[:12]}"
    select = ", ".join(f"CAST({n} AS {_sql_type(n)})" for n in _FIELDS)
    with store.registered(view, table):
        store.execute(
            f"INSERT INTO {into} (similar_theme, threshold, engine, {', '.join(_FIELDS)}) "
            f"SELECT ?, ?, ?, {select} FROM {view}", [similar_theme, threshold, ENGINE_VERSION])
    return count


_ARROW = {"INTEGER": pa.int64(), "BOOLEAN": pa.bool_(), "DOUBLE": pa.float64(),
          "VARCHAR": pa.string()}


#: ``json.dumps(v, ensure_ascii=False[, allow_nan=False])`` without a new encoder per call.
_JSON_TEXT = json.JSONEncoder(ensure_ascii=False).encode
_JSON_STRICT = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


def _json_texts(values: Sequence[Any]) -> list[str | None]:
    """``json.dumps(clean(v), ensure_ascii=False)`` of the builder's values: lists (flags,
    labels, trend periods) repeat, so each distinct one is written once; a dict with a NaN (or
    a NumPy number) takes the ``clean`` path (NaN → null), as every row of the reference does."""
    seen: dict[tuple, str] = {}
    out: list[str | None] = []
    strict = _JSON_STRICT
    for v in values:
        if v is None:
            out.append(None)
        elif type(v) is list:
            key = tuple(v)
            text = seen.get(key)
            if text is None:
                text = seen[key] = _JSON_TEXT(clean(v))
            out.append(text)
        else:
            try:
                out.append(strict(v))
            except (ValueError, TypeError):  # a NaN, or a NumPy number: the reference's path
                out.append(_JSON_TEXT(clean(v)))
    return out


def has_results(store: Store) -> bool:
    """Whether this store keeps materialised results (``materialise`` ran on it once); imports
    and syncs then keep them current."""
    if not _exists(store):
        return False
    row = store.execute("SELECT count(*) FROM profile_result_state").fetchone()
    return bool(row and row[0])


def results_current(
    store: Store,
    *,
    sex: str = "T",
    similar_theme: str = "socioekonomi",
    threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
) -> bool:
    """Whether stored rows exist for this key and were computed on the store's current data."""
    if not _exists(store):
        return False
    row = store.execute(
        "SELECT stamp FROM profile_result_state WHERE sex = ? AND similar_theme = ? "
        "AND threshold = ? AND engine = ?",
        [sex, similar_theme, float(threshold), ENGINE_VERSION]).fetchone()
    return row is not None and row[0] == _stamp(store)


def _select_sql(codes_param: bool) -> str:
    """One query for the stored rows of many areas: floats NaN → NULL, the list fields as
    typed lists (JSON text → VARCHAR[]/INTEGER[] in DuckDB), the dicts as JSON text."""
    cols = []
    for name in _FIELDS:
        if name in _FLOATS:
            cols.append(f"CASE WHEN isnan({name}) THEN NULL ELSE {name} END AS {name}")
        elif name in ("flags", "flag_labels"):
            cols.append(f"CAST(CAST({name} AS JSON) AS VARCHAR[]) AS {name}")
        elif name == "trend_periods":
            cols.append(f"CAST(CAST({name} AS JSON) AS INTEGER[]) AS {name}")
        else:
            cols.append(name)
    where = "area IN (SELECT unnest(?))" if codes_param else "true"
    return (f"SELECT {', '.join(cols)} FROM profile_results WHERE sex = ? AND similar_theme = ? "
            f"AND threshold = ? AND engine = ? AND {where} ORDER BY area, indicator")


def read_profile_table(
    store: Store,
    codes: Sequence[str] | None = None,
    *,
    sex: str = "T",
    similar_theme: str = "socioekonomi",
    threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
    checked: bool = False,
) -> pa.Table | None:
    """The stored rows of these areas (all materialised areas when None) as one Arrow table,
    in one set-based query: one column per ``ProfileRow`` field (``to_dict()``'s keys), one row
    per area × indicator, ordered by area and indicator. Nulls are nulls (never NaN); ``flags``,
    ``flag_labels`` and ``trend_periods`` are lists, ``sex_gap`` and ``change`` JSON text.

    The columnar answer for consumers that read many rows (pages, API, fact sheets, the static
    site, external engines): no per-row Python. None when the stored rows are stale or missing
    (the caller computes, ``profile_many``). checked: the caller knows ``results_current``."""
    if not checked and not results_current(store, sex=sex, similar_theme=similar_theme,
                                           threshold=threshold):
        return None
    key = [sex, similar_theme, float(threshold), ENGINE_VERSION]
    if codes is None:
        return store.arrow(_select_sql(False), key)
    return store.arrow(_select_sql(True), [*key, list(dict.fromkeys(codes))])


def profile_dicts(table: pa.Table) -> dict[str, list[dict[str, Any]]]:
    """{area: [row dict]} from ``read_profile_table``'s columns: exactly ``ProfileRow.to_dict()``
    for every row (field order kept), built column by column without ``ProfileRow`` objects."""
    out: dict[str, list[dict[str, Any]]] = {}
    if not table.num_rows:
        return out
    columns = [[] if name == "flag_labels" else table.column(name).to_pylist()
               for name in _FIELDS]
    for name in ("sex_gap", "change"):
        col = columns[_FIELDS.index(name)]
        columns[_FIELDS.index(name)] = [None if v is None else json.loads(v) for v in col]
    for name in ("flags", "trend_periods"):  # [] is stored, never null
        col = columns[_FIELDS.index(name)]
        columns[_FIELDS.index(name)] = [[] if v is None else v for v in col]
    # The labels follow from the flags (``FLAG_LABELS_SV``): cheaper than reading a list column.
    columns[_FIELDS.index("flag_labels")] = [
        [FLAG_LABELS_SV[f] for f in flags] for flags in columns[_FIELDS.index("flags")]]
    names = _FIELDS
    area_at = _FIELDS.index("area")
    last = None
    rows: list[dict[str, Any]] = []
    for values in zip(*columns, strict=True):
        if values[area_at] != last:
            last = values[area_at]
            rows = out.setdefault(last, [])
        rows.append(dict(zip(names, values, strict=True)))
    return out


def read_profile_dicts(
    store: Store,
    codes: Sequence[str],
    *,
    sex: str = "T",
    similar_theme: str = "socioekonomi",
    threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
    checked: bool = False,
) -> dict[str, list[dict[str, Any]]] | None:
    """{code: [``ProfileRow.to_dict()``]} for the materialised codes (others left out for the
    caller to compute), or None when the stored rows are stale: the JSON contract of the
    profile straight from the stored columns (``read_profile_table``)."""
    if not checked and not results_current(store, sex=sex, similar_theme=similar_theme,
                                           threshold=threshold):
        return None
    stored = set(_areas(store))
    codes = [c for c in dict.fromkeys(codes) if c in stored]  # others: the caller computes
    out: dict[str, list[dict[str, Any]]] = {c: [] for c in codes}
    if not codes:
        return out
    table = read_profile_table(store, codes, sex=sex, similar_theme=similar_theme,
                               threshold=threshold, checked=True)
    assert table is not None
    out.update(profile_dicts(table))
    return out


def read_profiles(
    store: Store,
    codes: Sequence[str],
    *,
    sex: str = "T",
    similar_theme: str = "socioekonomi",
    threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
    checked: bool = False,
) -> dict[str, list[ProfileRow]] | None:
    """{code: stored rows} (what ``profile_many`` would compute) for the codes that are
    materialised (nation, counties, municipalities; others are left out for the caller to
    compute), or None when the stored rows are missing or stale. checked: the caller already
    knows ``results_current`` is True. Readers of many rows want ``read_profile_table`` (columns)
    or ``read_profile_dicts`` (the JSON contract) instead: no ``ProfileRow`` objects."""
    dicts = read_profile_dicts(store, codes, sex=sex, similar_theme=similar_theme,
                               threshold=threshold, checked=checked)
    if dicts is None:
        return None
    return {code: [ProfileRow(**d) for d in rows] for code, rows in dicts.items()}


@dataclass(frozen=True)
class ParquetExport:
    """What ``export_parquet`` wrote: folder, rows and files per dataset."""

    folder: str
    observations: int
    results: int
    files: int


def export_parquet(store: Store, folder: str | os.PathLike[str]) -> ParquetExport:
    """Observations and materialised profile rows as Hive-partitioned Parquet for external
    engines (DuckDB, Spark, Trino, Polars) and shared storage:

    ``observations/period=YYYY/*.parquet`` (every column of the store's observations) and
    ``profile_results/sex=T/area=CODE/*.parquet`` (every stored row; only rows of the current
    engine version and data stamp, so a reader never gets stale results). The folder is written
    beside the target and renamed into place, so readers see the old or the new export, never
    half of one. Read back with e.g. ``read_parquet('DIR/observations/*/*.parquet',
    hive_partitioning = true)``.
    """
    target = Path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    build = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}")
    build.mkdir()
    try:
        obs = build / "observations"
        store.execute(f"COPY (SELECT * FROM observations) TO '{_quote(obs)}' "
                      "(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (period))")
        n_obs = int(store.execute("SELECT count(*) FROM observations").fetchone()[0])  # type: ignore[index]
        n_res = 0
        if results_current(store):
            res = build / "profile_results"
            where = f"engine = '{ENGINE_VERSION}'"
            store.execute(f"COPY (SELECT * FROM profile_results WHERE {where}) TO '{_quote(res)}' "
                          "(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (sex, area))")
            n_res = int(store.execute(
                f"SELECT count(*) FROM profile_results WHERE {where}").fetchone()[0])  # type: ignore[index]
        files = sum(1 for p in build.rglob("*.parquet"))
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old.{uuid.uuid4().hex[:8]}")
            target.rename(old)
        build.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return ParquetExport(str(target), n_obs, n_res, files)


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
