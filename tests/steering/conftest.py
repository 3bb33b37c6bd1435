"""Fixtures for the steering loop: the same tests run on SQLite and on PostgreSQL.

The PostgreSQL variant needs ``JAMLIK_TEST_POSTGRES_URL`` (``scripts/start_postgres.sh``
prints one) and is skipped when it is unset; each test gets an empty ``public`` schema.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import jamlik
from jamlik.steering import SYSTEM, Workflow, import_plan_data

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
