"""The composition root: every capability is mounted on one app and shares one store."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

import jamlik.app as composition


def test_a_new_capability_is_one_function_in_capabilities(sample_db_path, monkeypatch, tmp_path):
    monkeypatch.setenv("JAMLIK_DATABASE_URL", f"sqlite:///{tmp_path}/styrning.sqlite")
    seen: list[composition.Services] = []
    router = APIRouter(prefix="/prioritering")

    @router.get("/")
    def index() -> dict[str, str]:
        return {"sida": "prioritering"}

    def priorities(app: FastAPI, services: composition.Services) -> None:
        app.include_router(router)
        seen.append(services)

    monkeypatch.setattr(composition, "CAPABILITIES", [*composition.CAPABILITIES, priorities])
    app = composition.create_app(sample_db_path, warm=False, cache=False)
    try:
        with TestClient(app) as client:
            assert client.get("/prioritering/").json() == {"sida": "prioritering"}
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
