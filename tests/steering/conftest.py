"""Fixtures for the steering loop: the same tests run on SQLite and on PostgreSQL.

The PostgreSQL variant needs ``JAMLIK_TEST_POSTGRES_URL`` (``scripts/start_postgres.sh``
prints one) and is skipped when it is unset; each test gets an empty ``public`` schema.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import jamlik
from jamlik.steering import SYSTEM, Workflow, import_plan_data, open_workflow

FALUN_PLAN = {
    "organisation": {"area": "2080", "name": "Falu kommun",
                     "vision": "Ett jämlikt och hälsosamt Falun",
                     "perspectives": ["Invånare", "Ekonomi", "Medarbetare", "Hållbar utveckling"]},
    "goal": [{
        "id": "G1", "title": "God och jämlik hälsa", "perspective": "Invånare",
        "sdg": ["3.4", "10.2"], "malomraden": [3, 4],
        "indicator": [
            # Kolada N00957 ohälsotal, Falun 2022: 20.66 (K 25.94, M 15.47); lower is better
            {"id": "N00957", "target": 18.0, "year": 2022},
            # Kolada N00925 medellivslängd kvinnor, Falun 2018–2022: 85.22; higher is better
            {"id": "N00925", "target": 85.0, "year": 2022},
        ],
    }],
}


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


@pytest.fixture(scope="session")
def store(sample_db_path: Path):
    """The real Kolada sample, read-only, shared by all steering tests."""
    s = jamlik.open(sample_db_path, read_only=True)
    yield s
    s.close()


@pytest.fixture()
def falun(workflow: Workflow, store) -> Workflow:
    """A workflow with Falun's plan: one goal, two indicators with targets for 2022."""
    import_plan_data(workflow, SYSTEM, FALUN_PLAN, store=store)
    return workflow


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with its production cost takes ~0.5 s per hash here; tests use the minimum."""
    from argon2 import PasswordHasher

    from jamlik.steering import _auth

    monkeypatch.setattr(_auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8,
                                                         parallelism=1))
