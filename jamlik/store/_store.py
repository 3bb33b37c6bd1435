"""The DuckDB indicator store: areas, indicators and observations with revision history."""

from __future__ import annotations

import contextlib
import logging
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import platformdirs
import pyarrow as pa

from jamlik.store import _snapshots
from jamlik.store._migrations import Migration, applied_version, migrate
from jamlik.store._snapshots import StoreBusyError, StoreError
from jamlik.store.model import (
    MAX_ABS_TEXT,
    MAX_ABS_VALUE,
    NUMBER_COLUMNS,
    Area,
    AreaType,
    Component,
    DataKind,
    Indicator,
    MeasureType,
    Polarity,
    storable_sql,
)

#: The natural key of an observation.
KEY_COLUMNS = ["indicator", "area", "period", "subperiod", "sex", "breakdown_dim",
               "breakdown_cat"]
#: Columns compared to decide whether a source revised a value.
VALUE_COLUMNS = [
    "value", "numerator", "denominator", "lower", "upper", "status", "suppressed",
    "suppression_reason", "period_start",
]
OBSERVATION_COLUMNS = [
    "indicator", "area", "period", "period_start", "sex", "breakdown_dim", "breakdown_cat",
    "value", "numerator", "denominator", "lower", "upper", "status", "suppressed",
    "suppression_reason", "note", "source", "retrieved_at", "subperiod",
]
#: observation_history = the observation columns + when and by which source it was replaced.
_HISTORY_COLUMNS = ", ".join([*OBSERVATION_COLUMNS, "replaced_at", "replaced_by_source"])

#: The numeric columns in the order observations() returns them; a number that could not have
#: been stored (inf, NaN, beyond MAX_ABS_VALUE — an old or hand-edited file) is read as missing.
_READ_ORDER = ("value", "lower", "upper", "numerator", "denominator")

_DEFAULTS: dict[str, object] = {
    "breakdown_dim": "",
    "breakdown_cat": "",
    "status": "final",
    "suppressed": False,
    "sex": "T",
    "subperiod": "",
}


_log = logging.getLogger(__name__)
__all__ = ["KEY_COLUMNS", "OBSERVATION_COLUMNS", "NonFiniteValueError", "Store",
           "StoreBusyError", "StoreError", "StoreWriteError", "UpsertResult", "default_db_path"]


def default_db_path() -> Path:
    """The store file used when no --db is given (JAMLIK_DB overrides)."""
    env = os.environ.get("JAMLIK_DB")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("jamlik")) / "jamlik.duckdb"


class StoreWriteError(StoreError):
    """The file could not be written (full disk, lost mount, no permission); nothing was saved."""

    def __init__(self, path: str, exc: BaseException):
        detail = str(exc).split("\n", 1)[0]
        if "no space left" in detail.lower() or "disk full" in detail.lower():
            cause = "disken är full"
            advice = "frigör utrymme (eller flytta databasen) och kör samma kommando igen"
        else:
            cause = "filen kunde inte skrivas"
            advice = "kontrollera disken och behörigheterna och kör samma kommando igen"
        super().__init__(
            f"kunde inte spara i databasen {path}: {cause} ({detail}). Ingenting av ändringen "
            f"sparades — databasen är som före körningen; {advice}."
        )
        self.path = path


class NonFiniteValueError(ValueError):
    """A number that is infinite, NaN-as-a-number or beyond MAX_ABS_VALUE reached the store."""


@dataclass(frozen=True)
class UpsertResult:
    inserted: int
    updated: int
    unchanged: int

    @property
    def changed(self) -> int:
        return self.inserted + self.updated


class Store:
    """An indicator store in one DuckDB file (or in memory with ``path=":memory:"``).

    read_only: read the published snapshot; works while the portal serves and while another
    process updates the store (``refresh`` switches to a newer snapshot).
    Writable (the default): on POSIX the writer works on a copy of the published snapshot and
    ``close`` publishes it atomically when anything was written (docs/OPERATIONS.md); one
    writer at a time, a second gets StoreBusyError.
    private: a writable throw-away copy (dry runs): no update lock, nothing is published.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
                 private: bool = False):
        if path is None:
            path = default_db_path()
        self.path = str(path)
        self.read_only = read_only
        #: The file the connection has open: the published snapshot, a build or the path.
        self.snapshot = self.path
        self._build: _snapshots.Build | None = None
        self._private: Path | None = None
        self._identity: tuple[int, int] | None = None
        self._closed = False
        #: Bumped by every write through this object (``change_token``).
        self._writes = 0
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        if self.path == ":memory:":
            self._con = self._connect(self.path, read_only)
        elif read_only:
            self._con = self._connect_reader()
        elif private:
            self._private = _snapshots.private_copy(Path(self.path))
            self.snapshot = str(self._private)
            self._con = self._connect(self.snapshot, False)
        elif _snapshots.supported():
            self._build = _snapshots.begin_write(Path(self.path))
            self.snapshot = str(self._build.file)
            try:
                self._con = self._connect(self.snapshot, False)
            except BaseException:
                self._build.release()
                raise
        else:
            self._con = self._connect(self.path, False)
        self._in_tx = False
        self._migrated: dict[str, int] = {}
        if not read_only:
            try:
                self.schema_version = migrate(self._con)
            except BaseException:
                self._discard()
                raise
        else:
            self.schema_version = applied_version(self._con)

    def _connect(self, file: str, read_only: bool) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(file, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreBusyError(self.path) from exc
            raise

    def _connect_reader(self) -> duckdb.DuckDBPyConnection:
        """Open the published snapshot read-only, remembering which file it is."""
        for attempt in range(5):
            target = _snapshots.current(Path(self.path)) if self.path != ":memory:" else None
            if target is None:  # missing: DuckDB's own error, as before snapshots
                return self._connect(self.path, True)
            ident = _snapshots.identity(target)
            try:
                con = self._connect(str(target), True)
            except duckdb.IOException:
                # A writer published and removed this snapshot between resolving and opening.
                if attempt == 4 or _snapshots.current(Path(self.path)) == target:
                    raise
                continue
            self.snapshot = str(target)
            self._identity = ident
            return con
        raise AssertionError("unreachable")

    @property
    def version(self) -> str:
        """The name of the snapshot this store reads (changes when a new one is published)."""
        return Path(self.snapshot).name

    def refresh(self) -> bool:
        """Switch a read-only store to the newest published snapshot; True when it switched.

        One stat when nothing changed. The caller must hold whatever lock guards this store's
        connection (the portal's), so no query runs on the old connection while it closes.
        Snapshots no process uses any more are deleted afterwards.
        """
        if not self.has_newer_snapshot():
            return False
        old = self._con
        old_identity, old_snapshot = self._identity, self.snapshot
        try:
            self._con = self._connect_reader()
            self.schema_version = applied_version(self._con)
            self._migrated = {}
        except Exception as exc:  # keep serving the old snapshot; try again next time
            self._con, self._identity, self.snapshot = old, old_identity, old_snapshot
            _log.warning("kunde inte byta till den nya versionen av %s: %s", self.path, exc)
            return False
        old.close()
        with contextlib.suppress(OSError):
            _snapshots.cleanup(Path(self.path))
        return True

    def has_newer_snapshot(self) -> bool:
        """Whether a read-only store's path now points at another snapshot (one stat)."""
        if not self.read_only or self._identity is None or self._closed:
            return False
        ident = _snapshots.identity(Path(self.path))
        return ident is not None and ident != self._identity

    def take_over(self, other: Store) -> None:
        """Serve, through this object, the snapshot ``other`` has open (``other`` is used up).

        For a reader prepared (and its caches warmed) on a newer snapshot while this one kept
        serving. The caller holds the lock guarding this store's connection.
        """
        if not (self.read_only and other.read_only and other.path == self.path):
            raise ValueError("take_over: två läsande Store för samma databas behövs")
        old = self._con
        self._con, self.snapshot, self._identity = other._con, other.snapshot, other._identity
        self.schema_version, self._migrated = other.schema_version, {}
        other._closed = True
        old.close()
        with contextlib.suppress(OSError):
            _snapshots.cleanup(Path(self.path))

    # -- tables other modules own --------------------------------------------------------------
    def apply_migrations(self, owner: str, migrations: list[Migration]) -> int:
        """Bring the tables ``owner`` keeps in this file up to date (see ``_migrations``).

        Cheap to call before every use: each owner is migrated once per open store. A
        read-only store is never changed; its applied version is returned.
        """
        if owner not in self._migrated:
            if self.read_only:
                self._migrated[owner] = applied_version(self._con, owner)
            else:
                self._migrated[owner] = migrate(self._con, owner, migrations)
        return self._migrated[owner]

    def execute(self, query: str, params: Sequence[object] | None = None
                ) -> duckdb.DuckDBPyConnection:
        """Run SQL on tables the caller owns (migrated by ``apply_migrations``), or a read query
        only that caller needs; fetch from the result (``fetchall``, ``fetchone``,
        ``fetchnumpy``). The store's own tables are written only through the named methods
        below, and read queries several modules need become named methods too."""
        if not self.read_only and not _is_select(query):
            self._writes += 1
        return self._con.execute(query, params or [])

    def executemany(self, query: str, rows: Iterable[Sequence[object]]) -> None:
        """``execute`` for many parameter rows (the caller's own tables)."""
        if not self.read_only:
            self._writes += 1
        self._con.executemany(query, [list(r) for r in rows])

    @contextlib.contextmanager
    def registered(self, name: str, frame: pd.DataFrame | pa.Table) -> Iterator[str]:
        """``frame`` visible to SQL as view ``name`` inside the ``with`` block."""
        self._register(name, frame)
        try:
            yield name
        finally:
            self._unregister(name)

    def _register(self, name: str, frame: pd.DataFrame | pa.Table) -> None:
        # DuckDB refuses to register a view while an earlier result is unread (e.g. after a
        # fetchone() of a one-row query); that result's caller is done with it.
        self._con.complete()
        self._con.register(name, frame)

    def _unregister(self, name: str) -> None:
        try:
            self._con.complete()
            self._con.unregister(name)
        except duckdb.TransactionException:
            # an aborted transaction (e.g. a failed write) refuses even this; the error that
            # aborted it is the one to report, and the next register replaces the view
            pass

    def checkpoint(self) -> None:
        """Make what was written so far readable by other processes.

        A snapshot writer publishes its copy (as ``close`` does) and goes on writing a fresh
        copy of it, still holding the update lock; a single-file store writes its WAL into
        the file.
        """
        self._con.execute("CHECKPOINT")
        build = self._build
        if build is None or not build.changed():
            return
        self._con.close()
        build.publish()
        self._build = _snapshots.begin_write(Path(self.path), lock_fd=build.lock_fd)
        self.snapshot = str(self._build.file)
        self._con = self._connect(self.snapshot, False)

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection; a writer publishes its snapshot when it wrote anything."""
        if self._closed:
            return
        self._closed = True
        build, self._build = self._build, None
        if build is None:
            self._con.close()
            if self._private is not None:
                _snapshots.discard_private(self._private)
            return
        try:
            changed = build.changed()
            if changed:
                self._con.execute("CHECKPOINT")
            self._con.close()
            if changed:
                build.publish()
            else:
                build.abandon()
        finally:
            build.release()

    def _discard(self) -> None:
        """Close without publishing anything (a failed start)."""
        self._closed = True
        build, self._build = self._build, None
        self._con.close()
        if build is not None:
            build.abandon()
            build.release()
        if self._private is not None:
            _snapshots.discard_private(self._private)

    def __del__(self) -> None:
        # A writer dropped without close() still publishes (as an in-place write persisted).
        with contextlib.suppress(Exception):
            if not getattr(self, "_closed", True):
                self.close()


    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """All writes inside commit together or not at all (nested calls join the outer one)."""
        if self._in_tx:
            yield self
            return
        self._con.execute("BEGIN TRANSACTION")
        self._in_tx = True
        self._writes += 1  # before and after: a check in between sees the writes begun
        try:
            try:
                yield self
            except BaseException as exc:
                try:
                    self._con.execute("ROLLBACK")
                except duckdb.Error:
                    pass  # a failed write may have ended the transaction already
                if isinstance(exc, duckdb.IOException):
                    raise StoreWriteError(self.path, exc) from exc
                raise
            try:
                self._con.execute("COMMIT")
            except duckdb.IOException as exc:
                with contextlib.suppress(duckdb.Error):
                    self._con.execute("ROLLBACK")
                raise StoreWriteError(self.path, exc) from exc
        finally:
            self._in_tx = False
            self._writes += 1

    def scalar(self, query: str, params: Sequence[object] | None = None) -> Any:
        """The first column of the first row of a query that always returns one row."""
        row = self._con.execute(query, params or []).fetchone()
        if row is None:
            raise RuntimeError(f"frågan gav ingen rad: {query}")
        return row[0]

    def sql(self, query: str, params: Sequence[object] | None = None) -> pd.DataFrame:
        """Run a read query and return a DataFrame (for analysts and for the portal)."""
        return self._con.execute(query, params or []).df()

    def arrow(self, query: str, params: Sequence[object] | None = None) -> pa.Table:
        """Run a read query and return an Arrow table (columns, no per-row Python objects)."""
        self._con.complete()
        return self._con.sql(query, params=list(params or [])).to_arrow_table()

    # -- areas -------------------------------------------------------------------------------
    def upsert_areas(self, areas: Iterable[Area]) -> int:
        rows = [
            (a.code, a.name, str(a.type), a.parent, a.kolada_code, a.valid_from, a.valid_to)
            for a in areas
        ]
        with self.transaction():
            self._con.executemany(
                "INSERT INTO areas (code, name, type, parent, kolada_code, valid_from, valid_to) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
                "name = excluded.name, type = excluded.type, parent = excluded.parent, "
                "kolada_code = excluded.kolada_code, valid_from = excluded.valid_from, "
                "valid_to = excluded.valid_to",
                rows,
            )
        return len(rows)

    def areas(self, type: str | AreaType | None = None, parent: str | None = None) -> pd.DataFrame:
        """Areas with columns code, name, type, parent, kolada_code."""
        where, params = [], []
        if type is not None:
            where.append("type = ?")
            params.append(str(type))
        if parent is not None:
            where.append("parent = ?")
            params.append(self.resolve_area(parent))
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return self.sql(
            "SELECT code, name, type, parent, kolada_code, valid_from, valid_to FROM areas "
            f"{clause} ORDER BY CASE type WHEN 'nation' THEN 0 WHEN 'county' THEN 1 ELSE 2 END, code",
            params,
        )

    def area(self, code: str) -> Area:
        resolved = self.resolve_area(code)
        row = self._con.execute(
            "SELECT code, name, type, parent, kolada_code FROM areas WHERE code = ?", [resolved]
        ).fetchone()
        assert row is not None
        return Area(row[0], row[1], AreaType(row[2]), row[3], row[4])

    def resolve_area(self, code_or_name: str) -> str:
        """Canonical code for an SCB code, a Kolada code ('0020', '0000') or a name ('Falun').

        Raises KeyError with a Swedish message when nothing matches.
        """
        text = str(code_or_name).strip()
        row = self._con.execute(
            "SELECT code FROM areas WHERE code = ? OR kolada_code = ? "
            "ORDER BY code = ? DESC LIMIT 1",
            [text, text, text],
        ).fetchone()
        if row is None and text.isdigit() and len(text) < 4:
            row = self._con.execute(
                "SELECT code FROM areas WHERE code = lpad(?, 2, '0') AND type = 'county'", [text]
            ).fetchone()
            if row is None and int(text) == 0:
                row = self._con.execute("SELECT code FROM areas WHERE type = 'nation'").fetchone()
        if row is None:
            row = self._con.execute(
                "SELECT code FROM areas WHERE lower(name) = lower(?) "
                "OR lower(name) = lower(? || 's kommun') LIMIT 1",
                [text, text],
            ).fetchone()
        if row is None:
            row = self._resolve_folded_name(text)
        if row is None:
            raise KeyError(f"okänd områdeskod eller namn: {text!r}")
        return str(row[0])

    def _resolve_folded_name(self, text: str) -> tuple | None:
        """A name typed as people type it: without å/ä/ö ('Borlange'), a county without 'län'
        ('Dalarna', 'Region Dalarna'). Municipalities win over counties, then the lowest code."""
        folded = text.casefold()
        if folded.startswith("region "):
            folded = folded.removeprefix("region ").strip()
        return self._con.execute(
            "SELECT code FROM areas WHERE strip_accents(lower(name)) IN ("
            "strip_accents(?), strip_accents(? || ' kommun'), strip_accents(? || 's kommun'), "
            "strip_accents(? || ' län'), strip_accents(? || 's län')) "
            "ORDER BY type = 'municipality' DESC, code LIMIT 1",
            [folded] * 5,
        ).fetchone()

    def nation_code(self) -> str:
        row = self._con.execute("SELECT code FROM areas WHERE type = 'nation' LIMIT 1").fetchone()
        return str(row[0]) if row else "0000"

    def county_of(self, code: str) -> str | None:
        """The county (län/region) an area lies in, walking up parents."""
        current: str | None = self.resolve_area(code)
        for _ in range(6):
            row = self._con.execute(
                "SELECT type, parent FROM areas WHERE code = ?", [current]
            ).fetchone()
            if row is None:
                return None
            if row[0] == AreaType.COUNTY:
                return current
            current = row[1]
            if current is None:
                return None
        return None

    # -- area groups -------------------------------------------------------------------------
    def upsert_area_group(
        self,
        group_id: str,
        title: str,
        kind: str,
        members: Iterable[str],
        *,
        theme: str | None = None,
        owner_area: str | None = None,
        year: int | None = None,
        source: str | None = None,
    ) -> None:
        members = list(members)
        with self.transaction():
            self._con.execute(
                "INSERT OR REPLACE INTO area_groups VALUES (?, ?, ?, ?, ?, ?, ?)",
                [group_id, title, kind, theme, owner_area, year, source],
            )
            self._con.execute("DELETE FROM area_group_members WHERE group_id = ?", [group_id])
            self._con.executemany(
                "INSERT INTO area_group_members VALUES (?, ?)", [(group_id, m) for m in members]
            )

    def replace_area_groups(self, groups: pd.DataFrame, members: pd.DataFrame) -> int:
        """Bulk form of ``upsert_area_group``: replace these groups and their members.

        groups: id, title, kind, theme, owner_area, year, source; members: group_id, area_code.
        """
        cols = ["id", "title", "kind", "theme", "owner_area", "year", "source"]
        self._register("_groups", groups.reindex(columns=cols))
        self._register("_members", members[["group_id", "area_code"]])
        try:
            with self.transaction():
                self._con.execute(
                    "DELETE FROM area_group_members WHERE group_id IN (SELECT id FROM _groups)")
                self._con.execute("DELETE FROM area_groups WHERE id IN (SELECT id FROM _groups)")
                self._con.execute(f"INSERT INTO area_groups SELECT {', '.join(cols)} FROM _groups")
                self._con.execute("INSERT INTO area_group_members SELECT DISTINCT group_id, "
                                 "area_code FROM _members")
        finally:
            self._unregister("_groups")
            self._unregister("_members")
        return len(groups)

    def area_groups(self, kind: str | None = None) -> pd.DataFrame:
        if kind is None:
            return self.sql("SELECT * FROM area_groups ORDER BY id")
        return self.sql("SELECT * FROM area_groups WHERE kind = ? ORDER BY id", [kind])

    def area_groups_of(self, code: str) -> pd.DataFrame:
        """Groups an area owns (RKA similar groups) or belongs to, newest year first."""
        return self.sql(
            "SELECT * FROM area_groups WHERE owner_area = ? OR id IN (SELECT group_id FROM "
            "area_group_members WHERE area_code = ?) ORDER BY year DESC NULLS LAST, id",
            [code, code])

    def group_members(self, group_id: str) -> list[str]:
        rows = self._con.execute(
            "SELECT area_code FROM area_group_members WHERE group_id = ? ORDER BY area_code",
            [group_id],
        ).fetchall()
        return [r[0] for r in rows]

    def similar_group(self, code: str, theme: str = "socioekonomi") -> str | None:
        """RKA's 'Liknande kommuner <theme>' group of a municipality, if loaded."""
        row = self._con.execute(
            "SELECT id FROM area_groups WHERE kind = 'similar' AND owner_area = ? AND theme = ? "
            "ORDER BY year DESC LIMIT 1",
            [self.resolve_area(code), theme],
        ).fetchone()
        return str(row[0]) if row else None

    # -- reference tables (målområden, SDGs, themes) -----------------------------------------
    def replace_target_areas(self, rows: Iterable[tuple[int, str, str | None]]) -> None:
        """Replace the målområden: (id, title_sv, title_en)."""
        with self.transaction():
            self._con.execute("DELETE FROM target_areas")
            self._con.executemany("INSERT INTO target_areas VALUES (?, ?, ?)",
                                  [list(r) for r in rows])

    def replace_sdg_goals(self, rows: Iterable[tuple[int, str, str | None]]) -> None:
        """Replace the SDGs: (goal, title_sv, title_en)."""
        with self.transaction():
            self._con.execute("DELETE FROM sdg_goals")
            self._con.executemany("INSERT INTO sdg_goals VALUES (?, ?, ?)",
                                  [list(r) for r in rows])

    def replace_sdg_targets(self, rows: Iterable[tuple[str, int, str]]) -> None:
        """Replace the SDG targets: (code, goal, title_sv)."""
        with self.transaction():
            self._con.execute("DELETE FROM sdg_targets")
            self._con.executemany("INSERT INTO sdg_targets VALUES (?, ?, ?)",
                                  [list(r) for r in rows])

    def replace_themes(self, kinds: Sequence[str],
                       rows: Iterable[tuple[str, str, str | None, int, str, str | None]]) -> None:
        """Replace the themes of ``kinds``: (id, kind, parent, number, title_sv, title_en)."""
        with self.transaction():
            self._con.execute(f"DELETE FROM themes WHERE kind IN ({', '.join('?' * len(kinds))})",
                              list(kinds))
            self._con.executemany("INSERT INTO themes VALUES (?, ?, ?, ?, ?, ?)",
                                  [list(r) for r in rows])

    # -- indicators --------------------------------------------------------------------------
    def known_indicators(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` the store has indicators for."""
        if not ids:
            return set()
        rows = self._con.execute(
            f"SELECT id FROM indicators WHERE id IN ({', '.join('?' * len(ids))})", list(ids)
        ).fetchall()
        return {str(r[0]) for r in rows}

    def margin_indicators(self, ids: Sequence[str]) -> list[str]:
        """The margin (osäkerhetstal) KPIs that indicators ``ids`` name, in id order."""
        if not ids:
            return []
        rows = self._con.execute(
            f"SELECT margin_indicator FROM indicators WHERE id IN ({', '.join('?' * len(ids))}) "
            "AND margin_indicator IS NOT NULL AND margin_indicator <> '' ORDER BY id", list(ids)
        ).fetchall()
        return [str(r[0]) for r in rows]

    def denominator_indicators(self, ids: Sequence[str]) -> list[str]:
        """The population KPIs that indicators ``ids`` name as their base, in id order
        ("N01956+N01957" gives both)."""
        if not ids:
            return []
        rows = self._con.execute(
            f"SELECT denominator_indicator FROM indicators WHERE id IN "
            f"({', '.join('?' * len(ids))}) AND coalesce(denominator_indicator, '') <> '' "
            "ORDER BY id", list(ids)).fetchall()
        return [k.strip() for r in rows for k in str(r[0]).split("+") if k.strip()]

    def period_span(self, indicator_id: str) -> int:
        """Years one value of the indicator covers (1 when unknown)."""
        row = self._con.execute(
            "SELECT period_span FROM indicators WHERE id = ?", [indicator_id]).fetchone()
        return int(row[0]) if row and row[0] else 1

    def composites_fed_by(self, source_kpis: Sequence[str]) -> list[str]:
        """Composite indicators built from any of ``source_kpis``, sorted."""
        if not source_kpis:
            return []
        rows = self._con.execute(
            "SELECT DISTINCT indicator FROM indicator_components WHERE source_kpi IN "
            f"({', '.join('?' * len(source_kpis))}) ORDER BY 1", list(source_kpis)
        ).fetchall()
        return [str(r[0]) for r in rows]

    def upsert_indicators(self, indicators: Iterable[Indicator]) -> int:
        count = 0
        with self.transaction():
            for ind in indicators:
                self._con.execute(
                    "INSERT OR REPLACE INTO indicators (id, title_sv, title_en, description, "
                    "unit, measure_type, multiplier, polarity, data_kind, source, period_span, "
                    "by_sex, margin_indicator, attribution, denominator_indicator, "
                    "no_limits_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        ind.id, ind.title_sv, ind.title_en, ind.description, ind.unit,
                        str(ind.measure_type), ind.multiplier, str(ind.polarity),
                        str(ind.data_kind), ind.source, ind.period_span, ind.by_sex,
                        ind.margin_indicator, ind.attribution, ind.denominator_indicator,
                        ind.no_limits_reason,
                    ],
                )
                for table in ("indicator_target_areas", "indicator_sdg_targets",
                              "indicator_themes", "indicator_components"):
                    self._con.execute(f"DELETE FROM {table} WHERE indicator = ?", [ind.id])
                for ta in ind.target_areas:
                    self._con.execute("INSERT INTO indicator_target_areas VALUES (?, ?)", [ind.id, ta])
                for sdg in ind.sdg_targets:
                    self._con.execute("INSERT INTO indicator_sdg_targets VALUES (?, ?)", [ind.id, sdg])
                for theme in ind.themes:
                    self._con.execute("INSERT INTO indicator_themes VALUES (?, ?)", [ind.id, theme])
                for c in ind.components:
                    self._con.execute(
                        "INSERT INTO indicator_components VALUES (?, ?, ?, ?)",
                        [ind.id, c.source_kpi, c.dimension, c.category],
                    )
                count += 1
        return count

    def indicators(self, target_area: int | None = None) -> pd.DataFrame:
        """Indicators with their metadata; target_areas/sdg_targets as lists."""
        where = ""
        params: list[object] = []
        if target_area is not None:
            where = ("WHERE i.id IN (SELECT indicator FROM indicator_target_areas "
                     "WHERE target_area = ?)")
            params.append(int(target_area))
        return self.sql(
            f"""
            SELECT i.*,
              coalesce((SELECT list(target_area ORDER BY target_area) FROM indicator_target_areas t
                        WHERE t.indicator = i.id), []) AS target_areas,
              coalesce((SELECT list(sdg_target ORDER BY sdg_target) FROM indicator_sdg_targets s
                        WHERE s.indicator = i.id), []) AS sdg_targets,
              coalesce((SELECT list(theme ORDER BY theme) FROM indicator_themes h
                        WHERE h.indicator = i.id), []) AS themes
            FROM indicators i {where} ORDER BY i.id
            """,
            params,
        )

    def indicator(self, indicator_id: str) -> Indicator:
        found = self.indicators_by_id([indicator_id])
        if indicator_id not in found:
            raise KeyError(f"okänd indikator: {indicator_id!r}")
        return found[indicator_id]

    def indicators_by_id(self, ids: Sequence[str] | None = None) -> dict[str, Indicator]:
        """{id: Indicator} for these ids (None: every indicator), in four queries whatever
        their number (a portal with 2,000 indicators reads them at once, not one by one).
        Unknown ids are left out."""
        where, by_id, params = "", "", []
        if ids is not None:
            if not ids:
                return {}
            marks = ", ".join("?" * len(ids))
            where, by_id, params = f"WHERE indicator IN ({marks})", f"WHERE id IN ({marks})", list(ids)

        def _lists(table: str, column: str) -> dict[str, list]:
            out: dict[str, list] = {}
            for key, value in self._con.execute(
                    f"SELECT indicator, {column} FROM {table} {where} ORDER BY 1, 2",
                    params).fetchall():
                out.setdefault(key, []).append(value)
            return out

        cur = self._con.execute(f"SELECT * FROM indicators {by_id}", params)
        cols = [d[0] for d in cur.description]
        rows = cur.fetchall()
        target_areas = _lists("indicator_target_areas", "target_area")
        sdg_targets = _lists("indicator_sdg_targets", "sdg_target")
        themes = _lists("indicator_themes", "theme")
        comps: dict[str, list[Component]] = {}
        for ind, kpi, dim, cat in self._con.execute(
                "SELECT indicator, source_kpi, dimension, category FROM indicator_components "
                f"{where} ORDER BY indicator, category", params).fetchall():
            comps.setdefault(ind, []).append(Component(kpi, dim, cat))
        out: dict[str, Indicator] = {}
        for row in rows:
            rec = dict(zip(cols, row, strict=True))
            key = rec["id"]
            out[key] = Indicator(
                id=key, title_sv=rec["title_sv"], title_en=rec["title_en"],
                description=rec["description"], unit=rec["unit"],
                measure_type=MeasureType(rec["measure_type"]), multiplier=rec["multiplier"],
                polarity=Polarity(rec["polarity"]), data_kind=DataKind(rec["data_kind"]),
                source=rec["source"], period_span=rec["period_span"], by_sex=rec["by_sex"],
                margin_indicator=rec["margin_indicator"], attribution=rec["attribution"],
                denominator_indicator=rec["denominator_indicator"],
                no_limits_reason=rec["no_limits_reason"],
                target_areas=tuple(target_areas.get(key, ())),
                sdg_targets=tuple(sdg_targets.get(key, ())),
                themes=tuple(themes.get(key, ())),
                components=tuple(comps.get(key, ())),
            )
        return out

    def composite_for(self, source_kpi: str) -> tuple[str, str, str] | None:
        """(indicator, dimension, category) when a source KPI feeds a composite indicator."""
        row = self._con.execute(
            "SELECT indicator, dimension, category FROM indicator_components WHERE source_kpi = ?",
            [source_kpi],
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def refresh_composites(self, indicator: str | None = None) -> UpsertResult:
        """Rebuild composite indicators' observations from their source KPIs.

        A 'sex' component supplies that sex from the source KPI's total; any other dimension
        becomes a breakdown category, keeping the source's sex split.
        """
        where = "WHERE c.indicator = ?" if indicator else ""
        frame = self.sql(
            f"""
            SELECT c.indicator, o.area, o.period, o.period_start,
                   CASE WHEN c.dimension = 'sex' THEN c.category ELSE o.sex END AS sex,
                   CASE WHEN c.dimension = 'sex' THEN '' ELSE c.dimension END AS breakdown_dim,
                   CASE WHEN c.dimension = 'sex' THEN '' ELSE c.category END AS breakdown_cat,
                   o.value, o.numerator, o.denominator, o.lower, o.upper, o.status,
                   o.suppressed, o.suppression_reason,
                   coalesce(o.note || ' ', '') || '(från ' || o.indicator || ')' AS note,
                   o.source, o.retrieved_at
            FROM indicator_components c
            JOIN observations o ON o.indicator = c.source_kpi AND o.breakdown_dim = ''
                 AND o.subperiod = ''
                 AND (c.dimension <> 'sex' OR o.sex = 'T')
            {where}
            """,
            [indicator] if indicator else [],
        )
        if frame.empty:
            return UpsertResult(0, 0, 0)
        return self.upsert_observations(frame)

    # -- observations ------------------------------------------------------------------------
    def upsert_observations(
        self,
        frame: pd.DataFrame,
        *,
        source: str | None = None,
        retrieved_at: datetime | None = None,
    ) -> UpsertResult:
        """Insert or revise observations by their natural key, keeping replaced values.

        A row whose key exists with different values moves the old row to
        ``observation_history``; identical rows are counted as unchanged. All or nothing.
        Raises ValueError on duplicate keys within ``frame``.
        """
        staged = _normalise(frame, source=source, retrieved_at=retrieved_at)
        self._register("_incoming", staged)
        try:
            return self._merge("_incoming")
        finally:
            self._unregister("_incoming")

    def upsert_observations_from_parquet(self, path: str | os.PathLike[str]) -> UpsertResult:
        """Bulk path for large files already in the canonical column layout."""
        source = f"read_parquet('{_sql_string(str(path))}')"
        present = {r[0] for r in self._con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        # Files written before sub-year periods existed lack `subperiod`: they hold years.
        select = ", ".join(c if c in present or c != "subperiod" else "'' AS subperiod"
                           for c in OBSERVATION_COLUMNS)
        self._raise_on_non_finite(source)
        with self.transaction():
            if self._is_empty():
                # Fast path for a first load: insert straight from the file, then check keys
                # on the table; the transaction rolls back if any key repeats.
                self._con.execute(
                    f"INSERT INTO observations ({', '.join(OBSERVATION_COLUMNS)}) "
                    f"SELECT {select} FROM {source}"
                )
                self._raise_on_duplicates("observations")
                total = self._con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
                return UpsertResult(inserted=int(total), updated=0, unchanged=0)
            self._con.execute(
                "CREATE OR REPLACE TEMP TABLE _incoming_pq AS "
                f"SELECT {select} FROM {source}"
            )
            try:
                return self._merge("_incoming_pq")
            finally:
                self._con.execute("DROP TABLE IF EXISTS _incoming_pq")

    def _raise_on_non_finite(self, table: str) -> None:
        """NonFiniteValueError naming the first row of ``table`` with an unstorable number."""
        bad = " OR ".join(f"({c} IS NOT NULL AND {storable_sql(c)} IS NULL)"
                          for c in NUMBER_COLUMNS)
        row = self._con.execute(
            f"SELECT indicator, area, period, sex, {', '.join(NUMBER_COLUMNS)} FROM {table} "
            f"WHERE {bad} LIMIT 1").fetchone()
        if row is not None:
            numbers = dict(zip(NUMBER_COLUMNS, row[4:], strict=True))
            column = next(c for c, v in numbers.items()
                          if v is not None and not (math.isfinite(v) and abs(v) <= MAX_ABS_VALUE))
            raise _non_finite(column, numbers[column], row[:4])

    def _is_empty(self) -> bool:
        return not self._con.execute("SELECT 1 FROM observations LIMIT 1").fetchall()

    def _raise_on_duplicates(self, table: str) -> None:
        """ValueError naming the first repeated natural key in ``table``.

        Counting distinct key hashes is cheap; only on a mismatch (a repeat or a hash
        collision) is the exact GROUP BY run.
        """
        key = ", ".join(KEY_COLUMNS)
        n, distinct = self._con.execute(
            f"SELECT count(*), count(DISTINCT hash({key})) FROM {table}"
        ).fetchall()[0]
        if n == distinct:
            return
        dups = self._con.execute(
            f"SELECT {key}, count(*) AS n FROM {table} GROUP BY ALL HAVING n > 1 LIMIT 1"
        ).fetchall()
        if dups:
            dup = dups[0]
            raise ValueError(
                "dubblett i indata: samma indikator, område, period, kön och uppdelning "
                f"förekommer {dup[-1]} gånger ({', '.join(map(str, dup[:-1]))})"
            )

    def _merge(self, incoming: str) -> UpsertResult:
        on = " AND ".join(f"o.{k} = s.{k}" for k in KEY_COLUMNS)
        differs = " OR ".join(f"o.{c} IS DISTINCT FROM s.{c}" for c in VALUE_COLUMNS)
        self._raise_on_duplicates(incoming)
        with self.transaction():
            total = self._con.execute(f"SELECT count(*) FROM {incoming}").fetchall()[0][0]
            if self._is_empty():
                self._con.execute(
                    f"INSERT INTO observations ({', '.join(OBSERVATION_COLUMNS)}) "
                    f"SELECT {', '.join(OBSERVATION_COLUMNS)} FROM {incoming}"
                )
                return UpsertResult(inserted=int(total), updated=0, unchanged=0)
            # Only revised rows are materialised: re-sending unchanged data stays cheap.
            self._con.execute(
                "CREATE OR REPLACE TEMP TABLE _changed AS "
                f"SELECT s.* FROM {incoming} s JOIN observations o ON {on} WHERE {differs}"
            )
            n_changed = int(self._con.execute("SELECT count(*) FROM _changed").fetchall()[0][0])
            inserted = self._con.execute(
                f"INSERT INTO observations ({', '.join(OBSERVATION_COLUMNS)}) "
                f"SELECT {', '.join('s.' + c for c in OBSERVATION_COLUMNS)} "
                f"FROM {incoming} s ANTI JOIN observations o ON {on}"
            ).fetchall()[0][0]
            if n_changed:
                cols = ", ".join(f"o.{c}" for c in OBSERVATION_COLUMNS)
                on_changed = " AND ".join(f"o.{k} = m.{k}" for k in KEY_COLUMNS)
                self._con.execute(
                    f"INSERT INTO observation_history ({_HISTORY_COLUMNS}) SELECT {cols}, now(), "
                    "m.source "
                    f"FROM observations o JOIN _changed m ON {on_changed}"
                )
                self._con.execute(f"DELETE FROM observations o USING _changed m WHERE {on_changed}")
                self._con.execute(
                    f"INSERT INTO observations ({', '.join(OBSERVATION_COLUMNS)}) "
                    f"SELECT {', '.join(OBSERVATION_COLUMNS)} FROM _changed"
                )
            self._con.execute("DROP TABLE IF EXISTS _changed")
        inserted = int(inserted)
        return UpsertResult(
            inserted=inserted, updated=n_changed, unchanged=int(total) - inserted - n_changed
        )

    def delete_observations(self, keys: pd.DataFrame, *, source: str) -> int:
        """Remove observations by natural key, keeping each removed row in history.

        ``keys`` has the KEY_COLUMNS (breakdown columns may be missing or empty). The history
        row's ``replaced_by_source`` reads "<source> (borttaget)". Returns rows removed.
        """
        frame = keys.reindex(columns=KEY_COLUMNS).copy()
        for col in ("breakdown_dim", "breakdown_cat", "subperiod"):
            frame[col] = _text(frame[col], "")
        frame["sex"] = _text(frame["sex"], "T")  # as upsert_observations defaults it
        frame["period"] = frame["period"].astype("int64")
        on = " AND ".join(f"o.{k} = d.{k}" for k in KEY_COLUMNS)
        cols = ", ".join(f"o.{c}" for c in OBSERVATION_COLUMNS)
        self._register("_deleted_keys", frame)
        try:
            with self.transaction():
                n = self._con.execute(
                    f"SELECT count(*) FROM observations o JOIN _deleted_keys d ON {on}"
                ).fetchall()[0][0]
                if n:
                    self._con.execute(
                        f"INSERT INTO observation_history ({_HISTORY_COLUMNS}) "
                        f"SELECT {cols}, now(), ? "
                        f"FROM observations o JOIN _deleted_keys d ON {on}",
                        [f"{source} (borttaget)"],
                    )
                    self._con.execute(f"DELETE FROM observations o USING _deleted_keys d WHERE {on}")
        finally:
            self._unregister("_deleted_keys")
        return int(n)

    def observations(
        self,
        indicator: str | Sequence[str] | None = None,
        areas: str | Sequence[str] | None = None,
        years: int | Sequence[int] | range | None = None,
        sex: str | Sequence[str] | None = None,
        breakdown: str | None = None,
        *,
        include_suppressed: bool = True,
        subperiod: str | None = None,
    ) -> pd.DataFrame:
        """Observations joined with area names and a period label.

        breakdown: None = only rows without a breakdown; "*" = all; a dimension name = that one.
        subperiod: None = only whole-year (or pooled-span) rows; "*" = all, including months
        (``M01``…``M12``), quarters (``K1``…``K4``) and half years (``H1``, ``H2``); a code =
        that one. The label of a sub-year row reads like SCB's: ``2026M01``, ``2026K1``.
        """
        where: list[str] = []
        params: list[object] = []

        def _in(column: str, values: Sequence[object]) -> None:
            where.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)

        if indicator is not None:
            _in("o.indicator", [indicator] if isinstance(indicator, str) else list(indicator))
        if areas is not None:
            codes = [areas] if isinstance(areas, str) else list(areas)
            _in("o.area", [self.resolve_area(c) for c in codes])
        if years is not None:
            _in("o.period", [int(years)] if isinstance(years, int) else [int(y) for y in years])
        if sex is not None:
            _in("o.sex", [sex] if isinstance(sex, str) else list(sex))
        if breakdown is None:
            where.append("o.breakdown_dim = ''")
        elif breakdown != "*":
            where.append("o.breakdown_dim = ?")
            params.append(breakdown)
        if subperiod is None:
            where.append("o.subperiod = ''")
        elif subperiod != "*":
            where.append("o.subperiod = ?")
            params.append(subperiod)
        if not include_suppressed:
            where.append("NOT o.suppressed")
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        numbers = ", ".join(f"{storable_sql('o.' + c)} AS {c}" for c in _READ_ORDER)
        return self.sql(
            f"""
            SELECT o.indicator, o.area, a.name AS area_name, a.type AS area_type, o.period,
                   o.period_start,
                   CASE WHEN o.subperiod <> '' THEN o.period || o.subperiod
                        WHEN o.period_start = o.period THEN CAST(o.period AS VARCHAR)
                        ELSE o.period_start || '–' || o.period END AS period_label,
                   o.subperiod, o.sex, o.breakdown_dim, o.breakdown_cat,
                   {numbers},
                   o.status, o.suppressed, o.suppression_reason,
                   o.note, o.source, o.retrieved_at
            FROM observations o LEFT JOIN areas a ON a.code = o.area
            {clause}
            ORDER BY o.indicator, o.area, o.period, o.subperiod, o.sex, o.breakdown_dim,
                     o.breakdown_cat
            """,
            params,
        )

    def history(self, indicator: str | None = None, area: str | None = None) -> pd.DataFrame:
        """Values replaced by later revisions, newest replacement first."""
        where, params = [], []
        if indicator:
            where.append("indicator = ?")
            params.append(indicator)
        if area:
            where.append("area = ?")
            params.append(self.resolve_area(area))
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return self.sql(
            f"SELECT * FROM observation_history {clause} ORDER BY replaced_at DESC", params
        )

    def indicators_with_values(self) -> list[str]:
        """Indicators with at least one value (not only suppressed cells), sorted by id."""
        rows = self._con.execute(
            "SELECT DISTINCT indicator FROM observations WHERE value IS NOT NULL ORDER BY 1"
        ).fetchall()
        return [str(r[0]) for r in rows]

    def latest_period(self, indicator_id: str) -> int | None:
        """The last period with a value of the indicator (without breakdowns)."""
        row = self._con.execute(
            "SELECT max(period) FROM observations WHERE indicator = ? AND value IS NOT NULL "
            "AND breakdown_dim = ''",
            [indicator_id],
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def latest_periods(self) -> dict[str, int]:
        """``latest_period`` of every indicator with a value, in one query."""
        rows = self._con.execute(
            "SELECT indicator, max(period) FROM observations WHERE value IS NOT NULL "
            "AND breakdown_dim = '' GROUP BY indicator").fetchall()
        return {str(ind): int(period) for ind, period in rows}

    def areas_with_breakdowns(self) -> frozenset[str]:
        """Areas that have any values by a breakdown (education, birth region …)."""
        rows = self._con.execute(
            "SELECT DISTINCT area FROM observations WHERE breakdown_dim <> ''").fetchall()
        return frozenset(str(r[0]) for r in rows)

    def sources_summary(self) -> pd.DataFrame:
        """Per source: how many values and indicators the store has, and when they were last
        retrieved (``source``, ``observations``, ``indicators``, ``last_retrieved``)."""
        return self.sql(
            "SELECT coalesce(source, '') AS source, count(*) AS observations, "
            "count(DISTINCT indicator) AS indicators, max(retrieved_at) AS last_retrieved "
            "FROM observations GROUP BY 1 ORDER BY observations DESC")

    def change_token(self) -> tuple[object, ...]:
        """Changes whenever ``data_fingerprint`` may have changed; costs a few stats, no query.

        A reader's published snapshot is never written again, and while a reader has a file
        open no other process can write it in place (DuckDB's lock), so what this process has
        open plus that file's state say everything: another process's write arrives as a new
        snapshot (``refresh``/``take_over`` change ``snapshot``). A writer is the only one
        writing its file; its writes bump a counter (``transaction``, ``execute``) and a
        commit appends to the WAL (file state), so writes on the bare connection count too.
        Equal tokens mean the data are unchanged; a changed token only means: ask
        ``data_fingerprint`` (the query) again.
        """
        if self.path == ":memory:":
            return (self._writes,)
        return (self.snapshot, self._identity, self._writes, _snapshots.file_state(self.snapshot))

    def data_fingerprint(self) -> tuple[object, ...]:
        """Changes whenever values, revisions or indicators change (for caches of results).

        Starts with the snapshot's name, so a newly published snapshot always changes it.
        One query over the whole store (≈ 20 ms on 7.4 M values): callers that check often
        compare ``change_token`` first.
        """
        row = self._con.execute(
            "SELECT (SELECT count(*) FROM observations), "
            "(SELECT max(retrieved_at) FROM observations), "
            "(SELECT count(*) FROM observation_history), (SELECT count(*) FROM indicators)"
        ).fetchone()
        return (self.version, *(row or ()))

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("areas", "indicators", "observations", "observation_history", "area_groups"):
            out[table] = int(self.scalar(f"SELECT count(*) FROM {table}"))
        out["indicators_with_data"] = int(self.scalar(
            "SELECT count(DISTINCT indicator) FROM observations"))
        return out

    def log_import(self, kind: str, source: str, detail: str, result: UpsertResult,
                   started_at: datetime, ok: bool = True) -> None:
        next_id = self.scalar("SELECT coalesce(max(id), 0) + 1 FROM import_log")
        self._con.execute(
            "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, now(), ?)",
            [next_id, kind, source, detail, result.inserted, result.updated, result.unchanged,
             started_at, ok],
        )


def _normalise(
    frame: pd.DataFrame, *, source: str | None, retrieved_at: datetime | None
) -> pd.DataFrame:
    """Bring an observation frame to the canonical columns and dtypes."""
    missing = [c for c in ("indicator", "area", "period") if c not in frame.columns]
    if missing:
        raise ValueError(f"saknade kolumner i observationer: {', '.join(missing)}")
    out = pd.DataFrame(index=frame.index)
    for col in OBSERVATION_COLUMNS:
        if col in frame.columns:
            out[col] = frame[col]
        elif col in _DEFAULTS:
            out[col] = _DEFAULTS[col]
        elif col == "period_start":
            out[col] = frame["period"]
        elif col == "source":
            out[col] = source
        elif col == "retrieved_at":
            out[col] = retrieved_at or datetime.now(UTC).replace(tzinfo=None)
        else:
            out[col] = None
    if source is not None:
        out["source"] = out["source"].fillna(source)
    for col in ("indicator", "area", "sex", "breakdown_dim", "breakdown_cat", "status",
                "subperiod"):
        out[col] = _text(out[col], str(_DEFAULTS.get(col, "")))
    for col in ("suppression_reason", "note", "source"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    out["period"] = out["period"].astype("int64")
    out["period_start"] = out["period_start"].fillna(out["period"]).astype("int64")
    for col in NUMBER_COLUMNS:
        out[col] = pd.to_numeric(out[col], errors="raise").astype("float64")
        numbers = out[col].to_numpy()
        with np.errstate(invalid="ignore"):
            bad = ~np.isnan(numbers) & ~(np.abs(numbers) <= MAX_ABS_VALUE)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            row = out.iloc[i]
            raise _non_finite(col, float(numbers[i]),
                              (row["indicator"], row["area"], row["period"], row["sex"]))
    out["suppressed"] = out["suppressed"].fillna(False).astype(bool)
    out["retrieved_at"] = pd.to_datetime(out["retrieved_at"])
    return out.reset_index(drop=True)


def _non_finite(column: str, value: float, key: tuple) -> NonFiniteValueError:
    what = "inte ett ändligt tal" if not math.isfinite(value) else (
        f"större än {MAX_ABS_TEXT} till beloppet")
    indicator, area, period, sex = key
    return NonFiniteValueError(
        f"värdet {value!r} i kolumnen {column} ({indicator}, {area}, {period}, kön {sex}) är "
        f"{what} och kan inte sparas — rätta källan; ingenting sparades."
    )


def _text(column: pd.Series, default: str) -> pd.Series:
    """A text column with ``default`` for missing cells, whatever the dtype (an all-missing
    column arrives as float64, which ``fillna("")`` deprecates in pandas 3)."""
    return column.astype(object).where(column.notna(), default).astype(str)


def _is_select(query: str) -> bool:
    """Whether a statement only reads (starts with SELECT; anything else may write)."""
    return query.lstrip()[:6].upper() == "SELECT"


def _sql_string(text: str) -> str:
    return text.replace("'", "''")
