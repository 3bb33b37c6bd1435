"""Versioned schema migrations for the DuckDB indicator store.

Append a new (version, description, sql) entry to change the schema; never edit an applied one.
"""

from __future__ import annotations

import duckdb

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "initial indicator store",
        """
        CREATE TABLE areas (
            code VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            name_en VARCHAR,
            type VARCHAR NOT NULL,
            parent VARCHAR,
            kolada_code VARCHAR,
            valid_from DATE,
            valid_to DATE
        );
        CREATE TABLE area_groups (
            id VARCHAR PRIMARY KEY,
            title VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,      -- similar | skr_group | county | user
            theme VARCHAR,              -- e.g. 'socioekonomi' for liknande kommuner
            owner_area VARCHAR,         -- the municipality a 'similar' group belongs to
            year INTEGER,
            source VARCHAR
        );
        CREATE TABLE area_group_members (
            group_id VARCHAR NOT NULL,
            area_code VARCHAR NOT NULL,
            PRIMARY KEY (group_id, area_code)
        );
        CREATE TABLE indicators (
            id VARCHAR PRIMARY KEY,
            title_sv VARCHAR NOT NULL,
            title_en VARCHAR,
            description VARCHAR,
            unit VARCHAR,
            measure_type VARCHAR NOT NULL,
            multiplier DOUBLE NOT NULL DEFAULT 1,
            polarity VARCHAR NOT NULL DEFAULT 'no_judgement',
            data_kind VARCHAR NOT NULL DEFAULT 'register',
            source VARCHAR,
            period_span INTEGER NOT NULL DEFAULT 1,
            by_sex BOOLEAN NOT NULL DEFAULT false,
            margin_indicator VARCHAR,
            attribution VARCHAR
        );
        CREATE TABLE indicator_target_areas (indicator VARCHAR, target_area INTEGER,
            PRIMARY KEY (indicator, target_area));
        CREATE TABLE indicator_sdg_targets (indicator VARCHAR, sdg_target VARCHAR,
            PRIMARY KEY (indicator, sdg_target));
        CREATE TABLE indicator_themes (indicator VARCHAR, theme VARCHAR,
            PRIMARY KEY (indicator, theme));
        CREATE TABLE indicator_components (
            indicator VARCHAR NOT NULL,
            source_kpi VARCHAR NOT NULL,
            dimension VARCHAR NOT NULL,
            category VARCHAR NOT NULL,
            PRIMARY KEY (indicator, source_kpi)
        );
        -- No primary key on purpose: the natural key is enforced by Store.upsert_observations,
        -- which merges with hash joins; an ART index makes national-scale ingest several
        -- times slower.
        CREATE TABLE observations (
            indicator VARCHAR NOT NULL,
            area VARCHAR NOT NULL,
            period INTEGER NOT NULL,          -- the year the value is published under
            period_start INTEGER NOT NULL,    -- first year covered (= period for one year)
            sex VARCHAR NOT NULL,             -- T, K, M
            breakdown_dim VARCHAR NOT NULL DEFAULT '',
            breakdown_cat VARCHAR NOT NULL DEFAULT '',
            value DOUBLE,
            numerator DOUBLE,
            denominator DOUBLE,
            lower DOUBLE,
            upper DOUBLE,
            status VARCHAR NOT NULL DEFAULT 'final',
            suppressed BOOLEAN NOT NULL DEFAULT false,
            suppression_reason VARCHAR,
            note VARCHAR,
            source VARCHAR,
            retrieved_at TIMESTAMP
        );
        CREATE TABLE observation_history (
            indicator VARCHAR, area VARCHAR, period INTEGER, period_start INTEGER,
            sex VARCHAR, breakdown_dim VARCHAR, breakdown_cat VARCHAR,
            value DOUBLE, numerator DOUBLE, denominator DOUBLE, lower DOUBLE, upper DOUBLE,
            status VARCHAR, suppressed BOOLEAN, suppression_reason VARCHAR, note VARCHAR,
            source VARCHAR, retrieved_at TIMESTAMP,
            replaced_at TIMESTAMP NOT NULL,
            replaced_by_source VARCHAR
        );
        CREATE TABLE target_areas (id INTEGER PRIMARY KEY, title_sv VARCHAR, title_en VARCHAR);
        CREATE TABLE sdg_goals (goal INTEGER PRIMARY KEY, title_sv VARCHAR, title_en VARCHAR);
        CREATE TABLE sdg_targets (code VARCHAR PRIMARY KEY, goal INTEGER, title_sv VARCHAR);
        CREATE TABLE themes (id VARCHAR PRIMARY KEY, kind VARCHAR, parent VARCHAR,
            number INTEGER, title_sv VARCHAR, title_en VARCHAR);
        CREATE TABLE import_log (
            id BIGINT, kind VARCHAR, source VARCHAR, detail VARCHAR,
            inserted BIGINT, updated BIGINT, unchanged BIGINT,
            started_at TIMESTAMP, finished_at TIMESTAMP, ok BOOLEAN
        );
        """,
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply pending migrations, each in its own transaction; return the schema version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)"
    )
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    current = int(row[0]) if row else 0
    for version, description, sql in MIGRATIONS:
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now())", [version, description]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        current = version
    return current
