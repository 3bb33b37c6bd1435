"""The portal's data-version check (``PortalData.version``, run on the event loop about once a
second): a few stats when nothing changed, never the store-wide query, and every real change
still noticed at the next check — a snapshot another process published, a write through this
process's own store, a write on its bare DuckDB connection."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import jamlik
from jamlik.catalog import load_catalog
from jamlik.portal._data import PortalData
from jamlik.store import Store


def _rows(value: float) -> pd.DataFrame:
    return pd.DataFrame({"indicator": ["N00957"], "area": ["2080"], "period": [2022],
                         "value": [value]})


def _build(store: Store) -> Store:
    load_catalog(store)
    store.upsert_observations(_rows(1.0), source="test")
    return store


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """A small published store (catalogue, areas, one value)."""
    path = tmp_path / "v.duckdb"
    with jamlik.open(path) as store:
        _build(store)
    return path


def _value(data: PortalData) -> float:
    frame = data.series("N00957")
    return float(frame.loc[(frame.area == "2080") & (frame.period == 2022), "value"].iloc[0])


class _Queries:
    """Counts ``data_fingerprint`` (the store-wide query) on one store."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch):
        self.n = 0
        real = store.data_fingerprint

        def counted() -> tuple[object, ...]:
            self.n += 1
            return real()

        monkeypatch.setattr(store, "data_fingerprint", counted)


def test_an_unchanged_store_is_checked_without_the_store_wide_query(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = jamlik.open(db, read_only=True)
    data = PortalData(store, check_interval=0, prewarm=False)  # every call is a check
    first = data.version()
    assert _value(data) == 1.0  # reads in between change nothing either
    queries = _Queries(store, monkeypatch)
    for _ in range(50):
        assert data.version(blocking=False) == first
        assert data.version() == first
    assert queries.n == 0
    store.close()


def test_a_snapshot_another_process_publishes_is_noticed_at_the_next_check(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = jamlik.open(db, read_only=True)
    data = PortalData(store, check_interval=0, prewarm=False)
    first = data.version()
    assert _value(data) == 1.0
    queries = _Queries(store, monkeypatch)
    code = textwrap.dedent("""
        import sys
        import pandas as pd
        import jamlik
        with jamlik.open(sys.argv[1]) as store:
            store.upsert_observations(pd.DataFrame({"indicator": ["N00957"], "area": ["2080"],
                                                    "period": [2022], "value": [2.0]}))
    """)
    done = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert data.version(blocking=False) != first  # the first check after the publish
    assert queries.n == 1 and data.store.version != first[0]
    assert _value(data) == 2.0  # the cached series was dropped
    again = data.version(blocking=False)
    assert data.version(blocking=False) == again and queries.n == 1
    store.close()


@pytest.mark.parametrize("where", ["file", "memory"])
def test_writes_through_this_process_s_own_store_are_noticed(
        tmp_path: Path, where: str) -> None:
    store = _build(Store(tmp_path / "w.duckdb" if where == "file" else ":memory:"))
    data = PortalData(store, check_interval=0, prewarm=False)
    versions = [data.version()]
    assert _value(data) == 1.0
    assert data.version(blocking=False) == versions[-1]  # unchanged
    store.upsert_observations(_rows(2.0), source="test")  # a named write method
    versions.append(data.version(blocking=False))
    assert _value(data) == 2.0
    store.execute("DELETE FROM observations WHERE indicator = 'N00957'")  # execute
    versions.append(data.version(blocking=False))
    assert data.series("N00957").empty
    store.observations("N00957")  # reading after writes: no new version
    assert data.version(blocking=False) == versions[-1]
    assert len(set(versions)) == 3
    store.close()


def test_a_write_on_the_bare_connection_of_a_store_file_is_noticed(tmp_path: Path) -> None:
    # Not through Store's methods, so no counter sees it: the commit's WAL record does.
    store = _build(Store(tmp_path / "b.duckdb"))
    data = PortalData(store, check_interval=0, prewarm=False)
    first = data.version()
    assert _value(data) == 1.0
    store._con.execute("DELETE FROM observations WHERE indicator = 'N00957'")
    assert data.version(blocking=False) != first
    assert data.series("N00957").empty
    store.close()


def test_the_change_token_stays_put_while_only_reading_and_moves_on_every_write(
        tmp_path: Path) -> None:
    store = _build(Store(tmp_path / "t.duckdb"))
    token = store.change_token()
    store.observations("N00957")
    store.sql("SELECT count(*) FROM observations")
    store.arrow("SELECT * FROM indicators")
    store.execute("SELECT 1").fetchall()
    store.data_fingerprint()
    assert store.change_token() == token
    tokens = [token]
    with store.transaction():
        tokens.append(store.change_token())  # a check inside the transaction …
    tokens.append(store.change_token())  # … and after it both differ
    store.executemany("INSERT INTO import_log (id) VALUES (?)", [(1,)])
    tokens.append(store.change_token())
    assert len(set(tokens)) == len(tokens)
    store.close()
    reader = jamlik.open(tmp_path / "t.duckdb", read_only=True)
    token = reader.change_token()
    reader.execute("SELECT count(*) FROM observations").fetchall()
    reader.data_fingerprint()
    assert reader.change_token() == token
    reader.close()
