"""Fixtures: one sample store per session (the real bundled Kolada sample, ~5 s)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jamlik.app import create_app


@pytest.fixture(scope="session")
def sample_db(sample_db_path: Path) -> Path:
    """The shared session sample store (tests/conftest.py runs jamlik.catalog.load_sample)."""
    return sample_db_path


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
