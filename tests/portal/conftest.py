"""Fixtures: one sample store per session (the real bundled Kolada sample, ~5 s)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jamlik.app import create_app


@pytest.fixture(scope="session")
def sample_db(sample_db_path: Path) -> Path:
    """The shared session sample store (tests/conftest.py runs jamlik.catalog.load_sample)."""
    return sample_db_path


@pytest.fixture(scope="session", autouse=True)
def _workflow_db_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """create_app mounts the steering pages, which open their workflow database: keep it in
    a temporary folder instead of the user's data directory."""
    old = os.environ.get("JAMLIK_DATABASE_URL")
    path = tmp_path_factory.mktemp("workflow") / "workflow.sqlite"
    os.environ["JAMLIK_DATABASE_URL"] = f"sqlite:///{path}"
    yield
    if old is None:
        os.environ.pop("JAMLIK_DATABASE_URL", None)
    else:
        os.environ["JAMLIK_DATABASE_URL"] = old


@pytest.fixture(scope="session")
def app(sample_db: Path):
    application = create_app(sample_db, county="20", warm=False)  # warm() is tested directly
    yield application
    application.state.data.store.close()


@pytest.fixture(scope="session")
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def store_values(sample_db: Path, app):
    """Reference values read straight from the store (not through the portal)."""
    data = app.state.data
    with data.lock:
        return data.store.observations("N00957", areas=["2080", "20", "0000"], years=[2022])
