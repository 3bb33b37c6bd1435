"""The sync log's Swedish warnings reach the portal's data page (/data) through
``jamlik.sources.sync_warnings``, not raw SQL in the portal."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jamlik.catalog import load_catalog
from jamlik.sources import sync_pxweb, sync_warnings
from jamlik.sources.pxweb import mapping_from_dict
from jamlik.store import Store
from tests.sources.sources_fake import FOLKMANGD


@pytest.fixture
def synced_db(fake, http, tmp_path, monkeypatch):
    monkeypatch.setenv("JAMLIK_DATABASE_URL", f"sqlite:///{tmp_path / 'workflow.sqlite'}")
    path = tmp_path / "synced.duckdb"
    store = Store(path)
    load_catalog(store)
    fake.state.px_tables["TAB638"] = dict(FOLKMANGD, discontinued=True)
    raw = {"indicator": {"id": "SCB_TEST", "title_sv": "Folkmängd", "measure_type": "count"},
           "variables": {"area": "Region", "period": "Tid", "sex": "Kon",
                         "measure": "ContentsCode"},
           "measures": {"BE0101N1": "value"},
           "query": {"Region": ["2080", "2081"], "Tid": ["2022"], "Kon": ["*"]}}
    sync_pxweb(store, f"{fake.url}/px/v2", "TAB638", mapping_from_dict(raw), http=http)
    runs = sync_warnings(store)
    store.close()
    return path, runs


def test_sync_warnings_lists_the_runs_that_warned(synced_db):
    _, runs = synced_db
    assert len(runs) == 1 and runs[0]["source"] == "PxWeb"
    assert any("avslutad" in w for w in runs[0]["warnings"])  # the table is discontinued
    assert any("2081" in w for w in runs[0]["warnings"])  # a region code that vanished


def test_a_store_never_synced_has_no_warnings_and_is_not_changed():
    store = Store(":memory:")
    assert sync_warnings(store) == []
    assert store.sql("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = "
                     "'sync_runs'")["n"].iat[0] == 0  # read-only: nothing was created


def test_the_data_page_shows_the_warnings_in_swedish(synced_db):
    from jamlik.app import create_app

    path, runs = synced_db
    app = create_app(path, county="20", warm=False)
    try:
        with TestClient(app) as client:
            page = client.get("/data")
            assert page.status_code == 200
            html = page.text
            assert "Varningar från senaste hämtningarna" in html
            for warning in runs[0]["warnings"]:
                assert warning.replace("'", "&#39;").replace('"', "&#34;") in html
            assert "Data och uppdateringar" in client.get("/").text  # linked from every page
            english = client.get("/data?lang=en").text
            assert "Warnings from the latest syncs" in english
    finally:
        app.state.data.store.close()
