"""Sign-in limits: 5 failures per (name, client), 20 per client, a growing delay per name."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from steering_webapp import PASSWORD, add_users, csrf_of, make_app

from jamlik.steering import SYSTEM, Workflow
from jamlik.steering._login import (
    CLIENT_MAX_FAILURES,
    MAX_DELAY,
    MAX_FAILURES,
    NAME_THROTTLE_AFTER,
    TooManyAttempts,
    failures,
    sign_in,
)

T0 = datetime(2026, 11, 23, 12, 0)
WRONG = "fel-lösenord-123"


def _fail(wf: Workflow, name: str, client: str, n: int, start: datetime = T0) -> None:
    for k in range(n):
        assert sign_in(wf, name, WRONG, client=client, now=start + timedelta(seconds=k)) is None


def test_sixth_attempt_from_the_same_client_is_refused_even_with_the_right_password(workflow):
    workflow.create_user(SYSTEM, "anna", "analyst", password=PASSWORD)
    _fail(workflow, "anna", "10.0.0.1", MAX_FAILURES)
    with pytest.raises(TooManyAttempts) as refused:
        sign_in(workflow, "anna", PASSWORD, client="10.0.0.1", now=T0 + timedelta(minutes=1))
    assert refused.value.status_code == 429
    assert "För många misslyckade inloggningsförsök" in refused.value.message
    assert "14 minuter" in refused.value.message  # first failure at T0 + 15 min − 1 min
    # the lock lifts when the failures are older than 15 minutes
    actor = sign_in(workflow, "anna", PASSWORD, client="10.0.0.1",
                    now=T0 + timedelta(minutes=15, seconds=5))
    assert actor is not None and actor.username == "anna"


def test_no_one_can_lock_another_users_account(workflow):
    # issue 9: five wrong guesses from anywhere locked the account for 15 minutes
    workflow.create_user(SYSTEM, "anna", "analyst", password=PASSWORD)
    _fail(workflow, "anna", "198.51.100.66", MAX_FAILURES)  # the attacker
    actor = sign_in(workflow, "anna", PASSWORD, client="10.0.0.2",  # anna at her desk
                    now=T0 + timedelta(minutes=1))
    assert actor is not None and actor.username == "anna"


def test_many_clients_guessing_one_name_meet_a_growing_delay_not_a_lock(workflow):
    workflow.create_user(SYSTEM, "anna", "analyst", password=PASSWORD)
    for k in range(NAME_THROTTLE_AFTER):  # a botnet: one guess from each of 10 addresses
        _fail(workflow, "anna", f"203.0.113.{k}", 1, start=T0 + timedelta(seconds=k))
    last = T0 + timedelta(seconds=NAME_THROTTLE_AFTER - 1)
    with pytest.raises(TooManyAttempts) as refused:
        sign_in(workflow, "anna", PASSWORD, client="10.0.0.2", now=last + timedelta(seconds=1))
    assert refused.value.retry_after == 1 and "1 sekund " in refused.value.message
    # after the delay (2 s for the first failure over the threshold) the real user gets in
    assert sign_in(workflow, "anna", PASSWORD, client="10.0.0.2",
                   now=last + timedelta(seconds=2)) is not None
    # the delay doubles per further failure and is capped: never more than a minute
    at = T0 + timedelta(minutes=1)
    for k in range(NAME_THROTTLE_AFTER + 8):
        at += timedelta(seconds=MAX_DELAY)
        try:
            sign_in(workflow, "bo", WRONG, client=f"203.0.113.{k}", now=at)
        except TooManyAttempts as exc:
            assert exc.retry_after <= MAX_DELAY
    with pytest.raises(TooManyAttempts) as refused:
        sign_in(workflow, "bo", WRONG, client="10.0.0.9", now=at + timedelta(seconds=1))
    assert refused.value.retry_after == MAX_DELAY - 1


def test_unknown_and_known_names_get_the_same_answer(workflow):
    workflow.create_user(SYSTEM, "anna", "analyst", password=PASSWORD)
    messages = []
    for name, client in (("anna", "10.0.0.1"), ("finns.inte", "10.0.0.2")):
        _fail(workflow, name, client, MAX_FAILURES)
        with pytest.raises(TooManyAttempts) as refused:
            sign_in(workflow, name, WRONG, client=client, now=T0 + timedelta(minutes=2))
        messages.append(refused.value.message)
    assert messages[0] == messages[1] and "anna" not in messages[0]


def test_one_client_guessing_many_names_is_refused(workflow):
    workflow.create_user(SYSTEM, "anna", "analyst", password=PASSWORD)
    for k in range(CLIENT_MAX_FAILURES):
        _fail(workflow, f"namn{k}", "10.9.9.9", 1, start=T0 + timedelta(seconds=k))
    with pytest.raises(TooManyAttempts):
        sign_in(workflow, "anna", PASSWORD, client="10.9.9.9", now=T0 + timedelta(minutes=1))
    # the same user from another address is not affected
    assert sign_in(workflow, "anna", PASSWORD, client="10.0.0.7",
                   now=T0 + timedelta(minutes=1)) is not None


def test_success_clears_the_names_failures(workflow):
    workflow.create_user(SYSTEM, "anna", "analyst", password=PASSWORD)
    _fail(workflow, "anna", "10.0.0.1", MAX_FAILURES - 1)
    assert sign_in(workflow, "anna", PASSWORD, client="10.0.0.3", now=T0 + timedelta(minutes=1))
    assert failures(workflow, username="anna", now=T0 + timedelta(minutes=1)) == 0
    _fail(workflow, "anna", "10.0.0.4", MAX_FAILURES - 1, start=T0 + timedelta(minutes=2))
    assert sign_in(workflow, "anna", PASSWORD, client="10.0.0.5", now=T0 + timedelta(minutes=3))


def test_failures_are_audited_without_the_password(workflow):
    workflow.create_user(SYSTEM, "anna", "analyst", password=PASSWORD)
    _fail(workflow, "anna", "10.0.0.1", 2)
    rows = [e for e in workflow.audit_log() if e.action == "login_failed"]
    assert len(rows) == 2
    assert rows[0].username == "anna" and rows[0].entity == "login"
    assert rows[0].after == {"username": "anna", "client": "10.0.0.1"}
    dumped = json.dumps([(e.username, e.entity_id, e.before, e.after) for e in rows])
    assert WRONG not in dumped and "lösenord" not in dumped


def test_web_sign_in_answers_429_in_swedish_after_five_failures(workflow, store):
    add_users(workflow)
    app = make_app(workflow, store)
    from fastapi.testclient import TestClient

    client = TestClient(app)
    token = csrf_of(client.get("/styrning/logga-in").text)
    form = {"username": "viewer1", "password": WRONG, "csrf_token": token, "next": "/styrning/"}
    for _ in range(MAX_FAILURES):
        assert client.post("/styrning/logga-in", data=form).status_code == 401
    r = client.post("/styrning/logga-in", data={**form, "password": PASSWORD},
                    follow_redirects=False)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 800
    assert "För många misslyckade inloggningsförsök" in r.text
    assert "Fel användarnamn eller lösenord" not in r.text
    # the admin sees the failures in the audit log page, never the password
    client2 = TestClient(app, client=("10.1.1.1", 50000))
    token2 = csrf_of(client2.get("/styrning/logga-in").text)
    assert client2.post("/styrning/logga-in", data={
        "username": "admin1", "password": PASSWORD, "csrf_token": token2,
        "next": "/styrning/"}, follow_redirects=False).status_code == 303
    log = client2.get("/styrning/logg").text
    assert "misslyckad inloggning" in log and WRONG not in log


@pytest.mark.parametrize("trusted", ["", "127.0.0.1"])
def test_a_spray_with_rotated_x_forwarded_for_is_limited(workflow, store, trusted):
    """issue 9: XFF was trusted from 127.0.0.1, so a rotated header was never limited."""
    from fastapi.testclient import TestClient

    from jamlik.portal._security import SecuritySettings, install, parse_networks

    add_users(workflow)
    app = make_app(workflow, store)
    install(app, SecuritySettings(trusted_proxies=parse_networks(trusted)))
    client = TestClient(app, client=("127.0.0.1", 50000))
    token = csrf_of(client.get("/styrning/logga-in").text)
    statuses = []
    for k in range(CLIENT_MAX_FAILURES + 5):
        r = client.post("/styrning/logga-in", headers={"X-Forwarded-For": f"192.0.2.{k}"},
                        data={"username": f"namn{k}", "password": WRONG, "csrf_token": token})
        statuses.append(r.status_code)
    if trusted:  # behind a configured proxy every forwarded address is a client of its own
        assert statuses == [401] * len(statuses)
    else:  # the header is ignored: one client, refused after 20 failures
        assert statuses == [401] * CLIENT_MAX_FAILURES + [429] * 5
