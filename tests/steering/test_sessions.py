"""Server-side sessions: sign-out, a password change and an administrator end them for good."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from steering_webapp import PASSWORD, add_users, client_for, csrf_of, make_app

from jamlik.steering import SYSTEM
from jamlik.steering._session import (
    COOKIE,
    MAX_AGE,
    end_session,
    live_sessions,
    session_user,
    start_session,
)

NEW_PASSWORD = "ett helt nytt lösenord i dag"


def _edit(client: TestClient, csrf: str, falun, vision: str):  # noqa: ANN001
    return client.post("/styrning/2080/plan", data={
        "name": "Falu kommun", "vision": vision, "csrf_token": csrf,
        "version": str(falun.organisation("2080").version)}, follow_redirects=False)


def _replay(app, cookie: str) -> TestClient:  # noqa: ANN001
    thief = TestClient(app)
    thief.cookies.set(COOKIE, cookie, path="/")
    return thief


def test_a_cookie_replayed_after_sign_out_cannot_edit(falun, store):
    # issue 9: a cookie replayed after logout still edited plans for its 8 hours
    add_users(falun)
    app = make_app(falun, store)
    client, csrf = client_for(app, "editor")
    cookie = client.cookies.get(COOKIE)
    assert _edit(client, csrf, falun, "före utloggning").status_code == 303
    assert live_sessions(falun, "editor1") == 1
    assert client.post("/styrning/logga-ut", data={"csrf_token": csrf},
                       follow_redirects=False).status_code == 303
    assert live_sessions(falun, "editor1") == 0
    r = _edit(_replay(app, cookie), csrf, falun, "efter utloggning")
    assert r.status_code == 401 and "Logga in" in r.text
    assert falun.organisation("2080").vision == "före utloggning"


def test_a_password_change_ends_every_session_of_the_user(falun, store):
    add_users(falun)
    app = make_app(falun, store)
    client, csrf = client_for(app, "editor")
    other, other_csrf = client_for(app, "editor")  # a second browser
    cookie = client.cookies.get(COOKIE)
    assert live_sessions(falun, "editor1") == 2
    falun.set_password(SYSTEM, "editor1", NEW_PASSWORD)
    assert live_sessions(falun, "editor1") == 0
    assert _edit(_replay(app, cookie), csrf, falun, "gammal kaka").status_code == 401
    assert _edit(other, other_csrf, falun, "andra webbläsaren").status_code == 401
    # signing in with the new password works
    fresh = TestClient(app)
    token = csrf_of(fresh.get("/styrning/logga-in").text)
    assert fresh.post("/styrning/logga-in", data={
        "username": "editor1", "password": NEW_PASSWORD, "csrf_token": token},
        follow_redirects=False).status_code == 303


def test_an_administrator_signs_a_user_out_everywhere(falun, store):
    add_users(falun)
    app = make_app(falun, store)
    editor, editor_csrf = client_for(app, "editor")
    admin, admin_csrf = client_for(app, "admin")
    assert "editor1" in admin.get("/styrning/anvandare").text
    r = admin.post("/styrning/anvandare/editor1/logga-ut", data={"csrf_token": admin_csrf},
                   follow_redirects=False)
    assert r.status_code == 303
    assert _edit(editor, editor_csrf, falun, "efter återkallning").status_code == 401
    assert any(e.action == "revoke" and e.after["username"] == "editor1"
               for e in falun.audit_log())
    # an editor cannot sign the administrator out
    editor2, csrf2 = client_for(app, "editor")
    assert editor2.post("/styrning/anvandare/admin1/logga-ut",
                        data={"csrf_token": csrf2}).status_code == 403
    assert admin.get("/styrning/anvandare").status_code == 200


def test_sessions_expire_and_follow_the_users_state(workflow):
    workflow.create_user(SYSTEM, "anna", "analyst", password=PASSWORD)
    t0 = datetime(2026, 12, 1, 8, 0)
    token = start_session(workflow, "anna", now=t0)
    assert session_user(workflow, token, now=t0 + timedelta(hours=1)).username == "anna"
    assert session_user(workflow, token, now=t0 + timedelta(seconds=MAX_AGE)) is None
    assert session_user(workflow, token + "x", now=t0) is None
    end_session(workflow, token, now=t0 + timedelta(minutes=5))
    assert session_user(workflow, token, now=t0 + timedelta(minutes=6)) is None


def test_the_cookie_holds_no_user_name(falun, store):
    add_users(falun)
    client, _ = client_for(make_app(falun, store), "editor")
    from itsdangerous import URLSafeTimedSerializer

    data = URLSafeTimedSerializer(falun.secret_key(), salt="jamlik-steering-session").loads(
        client.cookies.get(COOKIE))
    assert set(data) == {"s", "csrf"} and "editor1" not in str(data)
