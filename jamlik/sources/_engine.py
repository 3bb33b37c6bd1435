"""The resumable sync engine shared by Kolada and PxWeb.

A sync is split into **batches** (one Kolada data query with all its pages, one PxWeb query).
Each batch is fetched completely in memory and then applied in ONE store transaction together
with its bookkeeping row, so a sync killed at any moment leaves either the whole batch or
nothing. The next run with the same scope finds the unfinished run and skips the batches it
already applied.

Tables this module owns (owner ``sources``: versioned migrations in ``MIGRATIONS`` below, applied
through the store's one migration mechanism, ``Store.apply_migrations``):

``sync_runs``     one row per sync run: id, source, scope_key (hash of what was asked for),
                  scope (JSON), since, started_at, finished_at, status (running | ok | failed),
                  batches_total, batches_done, requests, fetched, inserted, updated, unchanged,
                  deleted, message (Swedish error text when failed), warnings (one per
                  line: upstream changes, skipped codes and areas).
``sync_batches``  one row per applied batch: run_id, batch_key, description, applied_at,
                  fetched, inserted, updated, unchanged, deleted.
``sync_state``    source, batch_key, last_success_at: the default ``--since`` per batch.
``sync_changes``  run_id, indicator, area, period, sex, breakdown_dim, breakdown_cat, change
                  (revised | deleted), subperiod: what a run revised or deleted, for the log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from jamlik.sources._http import HttpClient, SyncError
from jamlik.store import KEY_COLUMNS, Store, UpsertResult

#: The sync engine's tables. Migration 1 keeps IF NOT EXISTS: stores made before the tables had
#: migrations already hold them, and adopt them as version 1. Append new versions; never edit.
MIGRATIONS = [(1, "sync runs, batches, state and changes", """
CREATE TABLE IF NOT EXISTS sync_runs (
    id BIGINT, source VARCHAR, scope_key VARCHAR, scope VARCHAR, since DATE,
    started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR,
    batches_total INTEGER, batches_done INTEGER, requests INTEGER, fetched BIGINT,
    inserted BIGINT, updated BIGINT, unchanged BIGINT, deleted BIGINT, message VARCHAR
);
CREATE TABLE IF NOT EXISTS sync_batches (
    run_id BIGINT, batch_key VARCHAR, description VARCHAR, applied_at TIMESTAMP,
    fetched BIGINT, inserted BIGINT, updated BIGINT, unchanged BIGINT, deleted BIGINT
);
CREATE TABLE IF NOT EXISTS sync_state (
    source VARCHAR, batch_key VARCHAR, last_success_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS sync_changes (
    run_id BIGINT, indicator VARCHAR, area VARCHAR, period INTEGER, sex VARCHAR,
    breakdown_dim VARCHAR, breakdown_cat VARCHAR, change VARCHAR
);
"""), (2, "sync_changes.subperiod: months and quarters, like the observations' key", """
ALTER TABLE sync_changes ADD COLUMN subperiod VARCHAR DEFAULT '';
"""), (3, "sync_runs.warnings: what a run warned about (upstream changes, skipped codes)", """
ALTER TABLE sync_runs ADD COLUMN warnings VARCHAR;
""")]


_CHANGE_COLUMNS = ("run_id, indicator, area, period, sex, breakdown_dim, breakdown_cat, change, "
                   "subperiod")


def ensure_sync_tables(store: Store) -> None:
    """Bring the sync bookkeeping tables up to date (cheap: once per open store)."""
    store.apply_migrations("sources", MIGRATIONS)


def _key_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The natural-key columns of ``frame`` with the store's defaults filled in."""
    keys = frame.reindex(columns=KEY_COLUMNS).copy()
    for col, default in (("breakdown_dim", ""), ("breakdown_cat", ""), ("subperiod", ""),
                         ("sex", "T")):
        keys[col] = keys[col].astype(object).where(keys[col].notna(), default).astype(str)
    keys["period"] = keys["period"].astype("int64")
    return keys


@dataclass(frozen=True)
class Batch:
    """One atomic unit of a sync: fetched completely, applied in one transaction."""

    key: str  # stable across runs: identifies the batch for resume and for --since
    description: str  # Swedish, for the progress bar and the log
    payload: Any = None  # whatever the source's fetch function needs


@dataclass(frozen=True)
class BatchResult:
    """What a source's fetch function hands back for one batch."""

    observations: pd.DataFrame
    deleted: pd.DataFrame | None = None  # key columns of rows the source deleted
    fetched: int = 0  # source rows read (before mapping)
    warnings: tuple[str, ...] = ()


@dataclass
class SyncSummary:
    """The outcome of a sync run; ``text_sv()`` is the summary the CLI prints."""

    source: str
    run_id: int
    batches_total: int = 0
    batches_done: int = 0
    batches_skipped: int = 0  # already applied by an earlier, interrupted run
    resumed: bool = False
    fetched: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    requests: int = 0
    cached: int = 0
    retries: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted

    def text_sv(self) -> str:
        lines = []
        if self.resumed:
            lines.append(
                f"Fortsatte en avbruten körning: {self.batches_skipped} av "
                f"{self.batches_total} delar var redan klara."
            )
        lines.append(
            f"{self.source}: {self.batches_done + self.batches_skipped} av {self.batches_total} "
            f"delar klara, {self.requests} anrop ({self.cached} från cache, "
            f"{self.retries} omförsök), {self.fetched} rader lästa."
        )
        if self.changed == 0:
            detail = (f"{self.unchanged} värden kontrollerade, alla oförändrade"
                      if self.unchanged else "källan rapporterade inga ändringar sedan förra "
                      "synkningen")
            lines.append(f"Inga ändringar – databasen var redan aktuell ({detail}).")
        else:
            revised = f"reviderade: {self.updated}"
            if self.updated:
                revised += " (de gamla värdena finns kvar i historiken)"
            lines.append(f"Nya värden: {self.inserted}, {revised}, borttagna: {self.deleted}, "
                         f"oförändrade: {self.unchanged}.")
        for warning in self.warnings[:10]:
            lines.append(f"Varning: {warning}")
        if len(self.warnings) > 10:
            lines.append(f"… och {len(self.warnings) - 10} varningar till (se jamlik sync log).")
        return "\n".join(lines)


ProgressFn = Callable[[int, int, str], None]  # (done, total, description)


def http_snapshot(http: HttpClient) -> tuple[int, int, int]:
    return (http.stats.requests, http.stats.cached, http.stats.retries)


def scope_key(source: str, scope: dict[str, Any]) -> str:
    text = json.dumps({"source": source, **scope}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def last_success(store: Store, source: str, batch_key: str) -> datetime | None:
    ensure_sync_tables(store)
    row = store.execute(
        "SELECT max(last_success_at) FROM sync_state WHERE source = ? AND batch_key = ?",
        [source, batch_key],
    ).fetchone()
    return row[0] if row and row[0] is not None else None


def run_sync(
    store: Store,
    *,
    source: str,
    scope: dict[str, Any],
    batches: Sequence[Batch],
    fetch: Callable[[Batch], BatchResult],
    http: HttpClient | None = None,
    since: date | None = None,
    progress: ProgressFn | None = None,
    after_batch: Callable[[Batch], None] | None = None,
    http_start: tuple[int, int, int] | None = None,
    warnings: Sequence[str] = (),
) -> SyncSummary:
    """Fetch and apply ``batches`` resumably; raise SyncError (Swedish) on failure.

    ``after_batch`` is called after each batch is committed (tests use it to simulate a kill).
    ``http_start`` = (requests, cached, retries) before the caller's own metadata requests,
    so the summary counts every request of the sync. ``warnings`` found before the batches
    (retired KPIs, changed codes) come first in the summary and the sync log.
    """
    ensure_sync_tables(store)
    key = scope_key(source, scope)
    run_id, done_keys = _open_run(store, source, key, scope, since, len(batches))
    summary = SyncSummary(source=source, run_id=run_id, batches_total=len(batches),
                          resumed=bool(done_keys), batches_skipped=len(done_keys),
                          warnings=list(warnings))
    start_requests = http_start or (
        (http.stats.requests, http.stats.cached, http.stats.retries) if http else None)
    try:
        for i, batch in enumerate(batches):
            if progress:
                progress(i, len(batches), batch.description)
            if batch.key in done_keys:
                continue
            result = fetch(batch)
            _apply(store, source, run_id, batch, result, summary)
            summary.batches_done += 1
            if after_batch:
                after_batch(batch)
        if progress:
            progress(len(batches), len(batches), "klar")
    except BaseException as exc:
        _finish_run(store, run_id, summary, http, start_requests, status="failed",
                    message=str(exc) or type(exc).__name__)
        if isinstance(exc, SyncError | KeyboardInterrupt):
            raise
        if isinstance(exc, Exception):
            raise SyncError(f"{source}: oväntat fel under synkningen: {exc}") from exc
        raise
    _finish_run(store, run_id, summary, http, start_requests, status="ok", message=None)
    return summary


def _open_run(store: Store, source: str, key: str, scope: dict[str, Any], since: date | None,
              total: int) -> tuple[int, set[str]]:
    row = store.execute(
        "SELECT id, status FROM sync_runs WHERE source = ? AND scope_key = ? "
        "ORDER BY id DESC LIMIT 1",
        [source, key],
    ).fetchone()
    if row is not None and row[1] in ("running", "failed"):
        run_id = int(row[0])
        done = {r[0] for r in store.execute(
            "SELECT batch_key FROM sync_batches WHERE run_id = ?", [run_id]).fetchall()}
        store.execute(
            "UPDATE sync_runs SET status = 'running', message = NULL, batches_total = ? "
            "WHERE id = ?", [total, run_id])
        return run_id, done
    with store.transaction():
        run_id = int(store.scalar("SELECT coalesce(max(id), 0) + 1 FROM sync_runs"))
        store.execute(
            "INSERT INTO sync_runs (id, source, scope_key, scope, since, started_at, finished_at, "
            "status, batches_total, batches_done, requests, fetched, inserted, updated, "
            "unchanged, deleted, message) VALUES (?, ?, ?, ?, ?, ?, NULL, 'running', ?, 0, 0, 0, "
            "0, 0, 0, 0, NULL)",
            [run_id, source, key, json.dumps(scope, ensure_ascii=False, sort_keys=True), since,
             _now(), total],
        )
    return run_id, set()


def _apply(store: Store, source: str, run_id: int, batch: Batch, result: BatchResult,
           summary: SyncSummary) -> None:
    """Apply one batch and its bookkeeping atomically."""
    deleted = 0
    with store.transaction():
        if len(result.observations):
            _record_revisions(store, run_id, result.observations)
            upsert = store.upsert_observations(result.observations, source=source)
        else:
            upsert = UpsertResult(0, 0, 0)
        if result.deleted is not None and len(result.deleted):
            deleted = _delete_observations(store, run_id, result.deleted, source)
        store.execute(
            "INSERT INTO sync_batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, batch.key, batch.description, _now(), result.fetched, upsert.inserted,
             upsert.updated, upsert.unchanged, deleted],
        )
        store.execute(
            "UPDATE sync_runs SET batches_done = batches_done + 1, fetched = fetched + ?, "
            "inserted = inserted + ?, updated = updated + ?, unchanged = unchanged + ?, "
            "deleted = deleted + ? WHERE id = ?",
            [result.fetched, upsert.inserted, upsert.updated, upsert.unchanged, deleted, run_id],
        )
        store.execute("DELETE FROM sync_state WHERE source = ? AND batch_key = ?",
                          [source, batch.key])
        store.execute("INSERT INTO sync_state VALUES (?, ?, ?)", [source, batch.key, _now()])
    summary.fetched += result.fetched
    summary.inserted += upsert.inserted
    summary.updated += upsert.updated
    summary.unchanged += upsert.unchanged
    summary.deleted += deleted
    summary.warnings.extend(result.warnings)


def _record_revisions(store: Store, run_id: int, frame: pd.DataFrame) -> None:
    """Note which keys already exist with another value (the store moves them to history)."""
    keys = _key_frame(frame)
    keys["_value"] = pd.to_numeric(frame.get("value"), errors="coerce")
    keys["_status"] = frame["status"] if "status" in frame else "final"
    with store.registered("_sync_keys", keys):
        store.execute(
            f"INSERT INTO sync_changes ({_CHANGE_COLUMNS}) SELECT ?, k.indicator, k.area, "
            "k.period, k.sex, k.breakdown_dim, k.breakdown_cat, 'revised', k.subperiod "
            "FROM _sync_keys k JOIN observations o "
            "USING (indicator, area, period, subperiod, sex, breakdown_dim, breakdown_cat) "
            "WHERE o.value IS DISTINCT FROM k._value OR o.status IS DISTINCT FROM k._status",
            [run_id],
        )


def _delete_observations(store: Store, run_id: int, keys: pd.DataFrame, source: str) -> int:
    """Remove rows the source deleted (the store keeps them in history) and log them."""
    frame = _key_frame(keys)
    on = " AND ".join(f"o.{k} = d.{k}" for k in KEY_COLUMNS)
    with store.registered("_sync_deleted", frame):
        store.execute(
            f"INSERT INTO sync_changes ({_CHANGE_COLUMNS}) SELECT ?, o.indicator, o.area, "
            "o.period, o.sex, o.breakdown_dim, o.breakdown_cat, 'deleted', o.subperiod "
            "FROM observations o "
            f"JOIN _sync_deleted d ON {on}", [run_id])
    return store.delete_observations(frame, source=source)


_MAX_LOGGED_WARNINGS = 50


def _finish_run(store: Store, run_id: int, summary: SyncSummary, http: HttpClient | None,
                start: tuple[int, int, int] | None, *, status: str, message: str | None) -> None:
    if http is not None and start is not None:
        summary.requests = http.stats.requests - start[0]
        summary.cached = http.stats.cached - start[1]
        summary.retries = http.stats.retries - start[2]
    try:
        store.execute(
            "UPDATE sync_runs SET status = ?, finished_at = ?, requests = requests + ?, "
            "message = ?, warnings = ? WHERE id = ?",
            [status, _now(), summary.requests, message,
             "\n".join(summary.warnings[:_MAX_LOGGED_WARNINGS]) or None, run_id],
        )
        if status == "ok":
            detail = f"run {run_id}: {summary.batches_done} batches, {summary.deleted} deleted"
            store.log_import("sync", summary.source, detail,
                             UpsertResult(summary.inserted, summary.updated, summary.unchanged),
                             started_at=_now(), ok=True)
    except Exception:  # noqa: BLE001 - bookkeeping must never hide the real error
        pass


def sync_log(store: Store, source: str | None = None, limit: int = 20) -> pd.DataFrame:
    """Recent sync runs, newest first (what was fetched, changed, revised, failed)."""
    ensure_sync_tables(store)
    where = "WHERE source = ?" if source else ""
    params: list[object] = [source] if source else []
    return store.sql(
        "SELECT id, source, status, started_at, finished_at, since, batches_done, batches_total, "
        "requests, fetched, inserted, updated, unchanged, deleted, message, warnings, scope "
        f"FROM sync_runs {where} ORDER BY id DESC LIMIT {int(limit)}",
        params,
    )


def sync_warnings(store: Store, limit: int = 10) -> list[dict[str, object]]:
    """The latest sync runs that warned, newest first, for pages that show them: one dict per run
    with ``id``, ``source``, ``status``, ``finished_at`` (or ``started_at``), ``scope`` and
    ``warnings`` (the run's Swedish warnings, one per item: renamed or vanished variable codes,
    a retired KPI or table, skipped area or sex codes, values not stored). Read-only: a store
    that has never been synced has no log and gives an empty list."""
    exists = store.sql("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = "
                       "'sync_runs'")["n"].iat[0]
    if not exists or "warnings" not in set(store.sql(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'sync_runs'"
    )["column_name"]):
        return []
    rows = store.sql(
        "SELECT id, source, status, started_at, finished_at, scope, warnings FROM sync_runs "
        f"WHERE coalesce(warnings, '') <> '' ORDER BY id DESC LIMIT {int(limit)}")
    out: list[dict[str, object]] = []
    for r in rows.to_dict("records"):
        when = r["finished_at"] if pd.notna(r["finished_at"]) else r["started_at"]
        out.append({"id": int(r["id"]), "source": r["source"], "status": r["status"],
                    "finished_at": when, "scope": r["scope"],
                    "warnings": [w for w in str(r["warnings"]).split("\n") if w.strip()]})
    return out


def sync_changes(store: Store, run_id: int) -> pd.DataFrame:
    """The keys a run revised or deleted."""
    ensure_sync_tables(store)
    return store.sql("SELECT * FROM sync_changes WHERE run_id = ? ORDER BY indicator, area, "
                     "period, sex", [run_id])


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
