"""Areas typed by name, as people type them, reach the right pages (store.resolve_area)."""

import pytest
from fastapi.testclient import TestClient

from jamlik.app import create_app


@pytest.fixture(scope="module")
def client(sample_db_path):
    with TestClient(create_app(sample_db_path, warm=False)) as c:
        yield c


def test_compare_accepts_names_without_diacritics_and_counties_without_lan(client):
    r = client.get("/jamfor", params={"omraden": "Dalarna,borlange", "indikator": "N00957"})
    assert r.status_code == 200
    assert "Dalarnas län" in r.text and "Borlänge" in r.text


def test_area_page_by_a_name_without_diacritics(client):
    r = client.get("/kommun/borlange")
    assert r.status_code == 200
    assert "Borlänge" in r.text
