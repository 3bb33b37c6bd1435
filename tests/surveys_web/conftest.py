"""The whole app (create_app) over ``survey_db`` (tests/conftest.py): a copy of the sample store
with a synthetic Dalarna wave imported and published (jamlik survey publish)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jamlik.app import create_app


@pytest.fixture(scope="module")
def app(survey_db: Path, tmp_path_factory: pytest.TempPathFactory):
    old = os.environ.get("JAMLIK_DATABASE_URL")
    os.environ["JAMLIK_DATABASE_URL"] = (
        f"sqlite:///{tmp_path_factory.mktemp('workflow') / 'workflow.sqlite'}")
    application = create_app(survey_db, county="20", warm=False)
    yield application
    application.state.data.store.close()
    if old is None:
        os.environ.pop("JAMLIK_DATABASE_URL", None)
    else:
        os.environ["JAMLIK_DATABASE_URL"] = old


@pytest.fixture(scope="module")
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c
