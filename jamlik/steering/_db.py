"""Opening the workflow database (SQLite file by default, PostgreSQL on a server) and migrating it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from jamlik.store import default_db_path

if TYPE_CHECKING:  # alembic is imported when a migration runs (2–3 s off the server's start)
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def default_database_url() -> str:
    """``JAMLIK_DATABASE_URL`` or a SQLite file next to the default DuckDB indicator store."""
    env = os.environ.get("JAMLIK_DATABASE_URL")
    if env:
        return env
    return f"sqlite:///{default_db_path().parent / 'styrning.sqlite'}"


def safe_url(url: str) -> str:
    """The URL with any password masked, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def create_workflow_engine(url: str | None = None) -> Engine:
    url = url or default_database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_con, _record) -> None:  # noqa: ANN001
            cur = dbapi_con.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine) -> str:
    """Bring the schema to the newest migration (``upgrade head``); returns the revision."""
    from alembic import command

    cfg = _alembic_config()
    with engine.begin() as con:
        cfg.attributes["connection"] = con
        command.upgrade(cfg, "head")
    return current_revision(engine) or ""


def downgrade(engine: Engine, revision: str = "base") -> str | None:
    """Step the schema back (for tests and for undoing a failed upgrade by hand)."""
    from alembic import command

    cfg = _alembic_config()
    with engine.begin() as con:
        cfg.attributes["connection"] = con
        command.downgrade(cfg, revision)
    return current_revision(engine)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as con:
        return MigrationContext.configure(con).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""
