"""A small FastAPI app around the steering router, and helpers to sign in as a role."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from jamlik.steering import SYSTEM, Workflow, web

PASSWORD = "korrekt-häst-batteri"
ROLES = ("public", "viewer", "analyst", "editor", "admin")


def make_app(workflow: Workflow, store) -> FastAPI:
    app = FastAPI()
    web.configure(app, workflow=workflow, store=store)
    app.include_router(web.router)
    return app


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in page"
    return match.group(1)


def add_users(workflow: Workflow) -> None:
    for role in ROLES[1:]:
        workflow.create_user(SYSTEM, f"{role}1", role, password=PASSWORD)


def client_for(app: FastAPI, role: str, username: str | None = None) -> tuple[TestClient, str]:
    """A client signed in as ``role`` (or anonymous for 'public') and its CSRF token."""
    client = TestClient(app)
    page = client.get("/styrning/logga-in")
    assert page.status_code == 200
    token = csrf_of(page.text)
    if role != "public":
        r = client.post("/styrning/logga-in", data={
            "username": username or f"{role}1", "password": PASSWORD, "csrf_token": token,
            "next": "/styrning/"}, follow_redirects=False)
        assert r.status_code == 303, r.text
        token = csrf_of(client.get("/styrning/logga-in").text)
    return client, token
