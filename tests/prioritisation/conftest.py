"""Fixtures: the prioritisation workflow on SQLite and on PostgreSQL (own schema per test).

The PostgreSQL variant needs ``JAMLIK_TEST_POSTGRES_URL`` and is skipped when it is unset. The
workflow database is opened (and migrated) by ``jamlik.steering.open_workflow`` as jamlik does.
"""

from __future__ import annotations

import pytest

from jamlik.prioritisation import Prioritisation


@pytest.fixture()
def prio(workflow) -> Prioritisation:
    p = Prioritisation(workflow.engine)
    p.install_samling("anna")
    return p


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with its production cost takes ~0.5 s per hash here; tests use the minimum."""
    from argon2 import PasswordHasher

    from jamlik.steering import _auth

    monkeypatch.setattr(_auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8,
                                                         parallelism=1))


PASSWORD = "korrekt-häst-batteri"


@pytest.fixture()
def web_app(workflow, sample_store, prio):
    """The steering and prioritisation pages wired as the composition root does."""
    import threading

    from fastapi import FastAPI

    from jamlik.app import Services, _prioritisation, _steering
    from jamlik.steering import SYSTEM

    app = FastAPI()
    services = Services(store=sample_store, store_lock=threading.RLock(), workflow=workflow)
    _steering(app, services)
    _prioritisation(app, services)
    for name, role in (("admin1", "admin"), ("fac", "viewer"), ("vera", "viewer"),
                       ("nils", "viewer")):
        workflow.create_user(SYSTEM, name, role, password=PASSWORD)
    prio.set_member("system", "fac", "facilitator")
    prio.set_member("system", "vera", "viewer")
    return app
