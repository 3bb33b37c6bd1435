"""Versioned schema migrations for the DuckDB indicator store and every module that owns tables
in the same file.

One mechanism for every owner: each owner (``store`` here, ``sources`` and ``kolada`` in
``jamlik.sources``) keeps its own list of ``(version, description, sql)`` entries, numbered from
1, and applies it with ``migrate(con, owner, migrations)`` (``Store.apply_migrations`` for owners
outside the store). ``schema_migrations`` records (owner, version). To change a schema, append
an entry to its owner's list; never edit an applied one.
"""

from __future__ import annotations

import duckdb

#: One migration: (version, description, SQL statements separated by ";").
Migration = tuple[int, str, str]

#: The owner of the indicator store's own tables.
STORE = "store"

MIGRATIONS: list[Migration] = [
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
    (
        2,
        "sub-year periods: observations.subperiod (M01..M12, K1..K4, H1/H2; '' = the year)",
        # Part of the natural key, so monthly and quarterly values of one year are kept apart
        # instead of colliding on the year. Appended last: inserts name their columns.
        """
        ALTER TABLE observations ADD COLUMN subperiod VARCHAR DEFAULT '';
        UPDATE observations SET subperiod = '' WHERE subperiod IS NULL;
        ALTER TABLE observation_history ADD COLUMN subperiod VARCHAR DEFAULT '';
        UPDATE observation_history SET subperiod = '' WHERE subperiod IS NULL;
        """,
    ),
    (
        3,
        "indicators name their denominator series and why they have no limits",
        """
        ALTER TABLE indicators ADD COLUMN denominator_indicator VARCHAR;
        ALTER TABLE indicators ADD COLUMN no_limits_reason VARCHAR;
        """,
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]


def _bookkeeping(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``schema_migrations`` keyed by (owner, version), upgrading the old layout.

    Stores made before owners existed have ``schema_migrations(version PRIMARY KEY, …)`` with
    only the store's own migrations: those rows become owner ``store``.
    """
    columns = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'schema_migrations' AND table_schema = 'main'").fetchall()}
    if "owner" in columns:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "CREATE TABLE _schema_migrations_new (owner VARCHAR NOT NULL, version INTEGER NOT "
            "NULL, description VARCHAR, applied_at TIMESTAMP, PRIMARY KEY (owner, version))")
        if columns:
            con.execute(
                "INSERT INTO _schema_migrations_new SELECT ?, version, description, applied_at "
                "FROM schema_migrations", [STORE])
            con.execute("DROP TABLE schema_migrations")
        con.execute("ALTER TABLE _schema_migrations_new RENAME TO schema_migrations")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def applied_version(con: duckdb.DuckDBPyConnection, owner: str = STORE) -> int:
    """The highest migration of ``owner`` applied to this file (0 for none); never writes."""
    columns = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'schema_migrations' AND table_schema = 'main'").fetchall()}
    if not columns:
        return 0
    if "owner" not in columns:  # the old layout held the store's migrations only
        if owner != STORE:
            return 0
        row = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
    else:
        row = con.execute(
            "SELECT max(version) FROM schema_migrations WHERE owner = ?", [owner]).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection, owner: str = STORE,
            migrations: list[Migration] = MIGRATIONS) -> int:
    """Apply ``owner``'s pending migrations, each in its own transaction; return its version."""
    versions = [m[0] for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migreringarna för {owner!r} ska vara numrerade 1, 2, 3 …: {versions}")
    _bookkeeping(con)
    current = applied_version(con, owner)
    for version, description, sql in migrations:
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?, now())",
                [owner, version, description],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        current = version
    return current
