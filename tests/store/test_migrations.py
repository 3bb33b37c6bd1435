"""One versioned migration mechanism for every owner of tables in the store file, and the named
queries that replace direct access to the DuckDB connection."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

import jamlik
from jamlik.sources import kpi_publication, sync_log
from jamlik.store import Area, AreaType, Component, Indicator, MeasureType
from jamlik.store._migrations import LATEST_VERSION, MIGRATIONS

# The sync tables exactly as jamlik created them before they had migrations (CREATE TABLE IF
# NOT EXISTS on first use), and the store's bookkeeping table before owners existed.
_OLD_SYNC_TABLES = """
CREATE TABLE sync_runs (
    id BIGINT, source VARCHAR, scope_key VARCHAR, scope VARCHAR, since DATE,
    started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR,
    batches_total INTEGER, batches_done INTEGER, requests INTEGER, fetched BIGINT,
    inserted BIGINT, updated BIGINT, unchanged BIGINT, deleted BIGINT, message VARCHAR
);
CREATE TABLE sync_batches (
    run_id BIGINT, batch_key VARCHAR, description VARCHAR, applied_at TIMESTAMP,
    fetched BIGINT, inserted BIGINT, updated BIGINT, unchanged BIGINT, deleted BIGINT
);
CREATE TABLE sync_state (source VARCHAR, batch_key VARCHAR, last_success_at TIMESTAMP);
CREATE TABLE sync_changes (
    run_id BIGINT, indicator VARCHAR, area VARCHAR, period INTEGER, sex VARCHAR,
    breakdown_dim VARCHAR, breakdown_cat VARCHAR, change VARCHAR
);
CREATE TABLE sync_kolada_kpis (
    id VARCHAR, title VARCHAR, operating_area VARCHAR, is_divided_by_gender BOOLEAN,
    municipality_type VARCHAR, publication_date VARCHAR, prel_publication_date VARCHAR,
    publ_period VARCHAR, fetched_at TIMESTAMP
);
"""


def _old_store(path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                "description VARCHAR, applied_at TIMESTAMP)")
    con.execute(MIGRATIONS[0][2])
    con.execute("INSERT INTO schema_migrations VALUES (1, 'initial indicator store', now())")
    con.execute(_OLD_SYNC_TABLES)
    con.execute("INSERT INTO areas (code, name, type) VALUES ('0000', 'Riket', 'nation')")
    con.execute("INSERT INTO sync_runs (id, source, status) VALUES (7, 'kolada', 'ok')")
    con.execute("INSERT INTO sync_kolada_kpis (id, title) VALUES ('N00957', 'Ohälsotal')")
    con.close()


def _migrations(store: jamlik.Store) -> list[tuple[str, int]]:
    rows = store.sql("SELECT owner, version FROM schema_migrations ORDER BY owner, version")
    return list(rows.itertuples(index=False, name=None))


def test_a_store_from_before_owners_upgrades_and_keeps_every_row(tmp_path):
    path = tmp_path / "old.duckdb"
    _old_store(path)
    with jamlik.open(path) as store:
        assert store.schema_version == LATEST_VERSION
        assert store.areas()["code"].tolist() == ["0000"]
        assert sync_log(store)["id"].tolist() == [7]
        assert kpi_publication(store)["title"].tolist() == ["Ohälsotal"]
        # Store migration 3 added the denominator and no-limits columns to old indicators.
        cols = set(store.sql("SELECT * FROM indicators LIMIT 0").columns)
        assert {"denominator_indicator", "no_limits_reason"} <= cols
        assert _migrations(store) == UPGRADED
    with jamlik.open(path, read_only=True) as store:  # reopening applies nothing again
        assert store.schema_version == LATEST_VERSION
        assert _migrations(store) == UPGRADED


# Store 2 and sources 2 add `subperiod` (months, quarters) to observations, history, changes;
# sources 3 keeps a run's warnings in sync_runs; store 3 the indicators' denominator series and
# no-limits reason.
UPGRADED = [("kolada", 1), ("sources", 1), ("sources", 2), ("sources", 3), ("store", 1),
            ("store", 2), ("store", 3)]


def test_a_read_only_store_from_before_owners_still_reports_its_version(tmp_path):
    path = tmp_path / "old.duckdb"
    _old_store(path)
    with jamlik.open(path, read_only=True) as store:
        assert store.schema_version == 1
        assert store.apply_migrations("sources", [(1, "x", "CREATE TABLE x (a INT)")]) == 0


def test_each_owner_has_its_own_versions_and_only_pending_ones_run(tmp_path):
    path = tmp_path / "s.duckdb"
    first = [(1, "a", "CREATE TABLE t (a INTEGER)"), (2, "b", "ALTER TABLE t ADD COLUMN b INT")]
    with jamlik.open(path) as store:
        assert store.apply_migrations("test", first) == 2
        assert store.apply_migrations("test", first) == 2  # once per open store
        store.execute("INSERT INTO t VALUES (1, 2)")
    with jamlik.open(path) as store:
        later = [*first, (3, "c", "ALTER TABLE t ADD COLUMN c INT DEFAULT 3")]
        assert store.apply_migrations("test", later) == 3
        assert store.execute("SELECT * FROM t").fetchall() == [(1, 2, 3)]
        assert ("test", 3) in _migrations(store)
        assert ("store", LATEST_VERSION) in _migrations(store)


def test_a_failing_migration_leaves_nothing_half_applied(tmp_path):
    path = tmp_path / "s.duckdb"
    bad = [(1, "ok", "CREATE TABLE good (a INT)"),
           (2, "bad", "CREATE TABLE half (a INT); SELECT * FROM no_such_table")]
    with jamlik.open(path) as store:
        with pytest.raises(duckdb.Error):
            store.apply_migrations("test", bad)
        assert ("test", 1) in _migrations(store)
        assert ("test", 2) not in _migrations(store)
        tables = set(store.sql("SELECT table_name FROM information_schema.tables")["table_name"])
        assert "good" in tables and "half" not in tables


def test_migrations_must_be_numbered_from_one(tmp_path):
    with jamlik.open(tmp_path / "s.duckdb") as store, pytest.raises(ValueError, match="1, 2"):
        store.apply_migrations("test", [(2, "b", "SELECT 1")])


def test_the_connection_is_not_public_api():
    with jamlik.open(":memory:") as store:
        assert not hasattr(store, "con")


def test_named_queries_several_modules_need():
    with jamlik.open(":memory:") as store:
        store.upsert_areas([Area("0000", "Riket", AreaType.NATION, None, "0000"),
                            Area("2080", "Falun", AreaType.MUNICIPALITY, None, "2080")])
        store.upsert_indicators([
            Indicator("N1", "Ett", measure_type=MeasureType.MEAN, margin_indicator="N1M",
                      period_span=4),
            Indicator("N2", "Två", measure_type=MeasureType.MEAN),
            Indicator("C", "Sammansatt", measure_type=MeasureType.MEAN,
                      components=(Component("N2", "sex", "K"),)),
        ])
        empty = store.data_fingerprint()
        store.upsert_observations(pd.DataFrame([
            {"indicator": "N1", "area": "2080", "period": 2020, "value": 1.0},
            {"indicator": "N1", "area": "2080", "period": 2022, "value": None},
            {"indicator": "N1", "area": "2080", "period": 2023, "value": 5.0,
             "breakdown_dim": "utbildning", "breakdown_cat": "kort"},
            {"indicator": "N2", "area": "0000", "period": 2021, "value": None},
        ]), source="test")
        assert store.data_fingerprint() != empty
        assert store.known_indicators(["N1", "X", "C"]) == {"N1", "C"}
        assert store.margin_indicators(["N1", "N2"]) == ["N1M"]
        assert store.period_span("N1") == 4 and store.period_span("okänd") == 1
        assert store.composites_fed_by(["N2", "N1"]) == ["C"]
        assert store.indicators_with_values() == ["N1"]
        assert store.latest_period("N1") == 2020 and store.latest_period("N2") is None
        assert store.areas_with_breakdowns() == frozenset({"2080"})


def test_a_view_can_be_registered_after_a_one_row_read():
    # fetchone() leaves DuckDB's result unfinished; registering a view used to fail after it.
    with jamlik.open(":memory:") as store:
        store.upsert_areas([Area("0000", "Riket", AreaType.NATION, None, "0000")])
        assert store.nation_code() == "0000"
        frame = pd.DataFrame([{"indicator": "N1", "area": "0000", "period": 2020, "value": 1.0}])
        assert store.upsert_observations(frame).inserted == 1
        store.execute("SELECT 1 UNION ALL SELECT 2").fetchone()
        with store.registered("_x", frame):
            assert store.scalar("SELECT count(*) FROM _x") == 1


def test_months_are_part_of_the_key_and_revisions_keep_their_month(tmp_path):
    with jamlik.open(tmp_path / "s.duckdb") as store:
        store.upsert_areas([Area("0000", "Riket", AreaType.NATION)])
        rows = pd.DataFrame({"indicator": "X", "area": "0000", "period": 2026,
                             "subperiod": ["M01", "M02", ""], "value": [1.0, 2.0, 3.0]})
        assert store.upsert_observations(rows).inserted == 3
        assert store.observations("X")["value"].tolist() == [3.0]  # the year only by default
        months = store.observations("X", subperiod="*")
        assert months["period_label"].tolist() == ["2026", "2026M01", "2026M02"]
        revised = rows.assign(value=[1.0, 2.5, 3.0])
        assert store.upsert_observations(revised).updated == 1
        old = store.history("X")
        assert (old.subperiod.tolist(), old.value.tolist()) == (["M02"], [2.0])
        assert store.delete_observations(rows.iloc[[0]], source="t") == 1
        assert store.observations("X", subperiod="M01").empty
