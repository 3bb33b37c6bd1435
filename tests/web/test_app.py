"""The composition root: every capability is mounted on one app and shares one store."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

import jamlik.app as composition


def test_a_new_capability_is_one_function_in_capabilities(sample_db_path, monkeypatch, tmp_path):
    monkeypatch.setenv("JAMLIK_DATABASE_URL", f"sqlite:///{tmp_path}/styrning.sqlite")
    seen: list[composition.Services] = []
    router = APIRouter(prefix="/ny-formaga")  # /prioritering is a real capability now

    @router.get("/")
    def index() -> dict[str, str]:
        return {"sida": "ny"}

    def priorities(app: FastAPI, services: composition.Services) -> None:
        app.include_router(router)
        seen.append(services)

    monkeypatch.setattr(composition, "CAPABILITIES", [*composition.CAPABILITIES, priorities])
    app = composition.create_app(sample_db_path, warm=False, cache=False)
    try:
        with TestClient(app) as client:
            assert client.get("/ny-formaga/").json() == {"sida": "ny"}
            assert client.get("/styrning/").status_code == 200
            assert client.get("/kommun/2080").status_code == 200
        assert seen[0].store is app.state.data.store
        assert seen[0].store_lock is app.state.data.lock
    finally:
        app.state.data.store.close()


def test_serve_builds_its_app_at_the_composition_root():
    import inspect

    from jamlik.cli import portal as cli_portal

    assert "from jamlik.app import create_app" in inspect.getsource(cli_portal.serve)


def test_prioritisation_pages_are_mounted(sample_db_path, monkeypatch, tmp_path):
    monkeypatch.setenv("JAMLIK_DATABASE_URL", f"sqlite:///{tmp_path}/styrning.sqlite")
    app = composition.create_app(sample_db_path, warm=False, cache=False)
    try:
        with TestClient(app) as client:
            page = client.get("/prioritering/")
            assert page.status_code == 401 and "Logga in" in page.text
            assert 'href="/static/web/jamlik.css"' in page.text or "/static/web/" in page.text
    finally:
        app.state.data.store.close()
