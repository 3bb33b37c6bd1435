"""Fixtures: the prioritisation workflow on SQLite and on PostgreSQL (own schema per test).

The PostgreSQL variant needs ``JAMLIK_TEST_POSTGRES_URL`` and is skipped when it is unset. The
workflow database is opened (and migrated) by ``jamlik.steering.open_workflow`` as jamlik does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from jamlik.prioritisation import Prioritisation
from jamlik.steering import open_workflow


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as con:
        con.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        con.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'styrning.sqlite'}"
    url = os.environ.get("JAMLIK_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("JAMLIK_TEST_POSTGRES_URL är inte satt (kör scripts/start_postgres.sh)")
    _reset_postgres(url)
    return url


@pytest.fixture()
def workflow(db_url: str):
    wf = open_workflow(db_url)
    yield wf
    wf.close()


@pytest.fixture()
def prio(workflow) -> Prioritisation:
    p = Prioritisation(workflow.engine)
    p.install_samling("anna")
    return p
