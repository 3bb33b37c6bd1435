"""The whole app (create_app) over a copy of the sample store with a synthetic Dalarna wave
imported and published (jamlik survey publish)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import jamlik
from jamlik.app import create_app
from jamlik.surveys import generate_panel, import_wave, publish_indicators

KEY = b"en-hemlig-testnyckel-0123456789"


@pytest.fixture(scope="module")
def survey_db(sample_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("surveys_web")
    db = root / "s.duckdb"
    shutil.copy(sample_db_path, db)
    waves = generate_panel(1000, root / "waves", years=2, seed=5)
    with jamlik.open(db) as store:
        for w in waves:
            import_wave(store, w.directory, KEY)
        publish_indicators(store)
    return db


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
