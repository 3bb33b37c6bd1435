"""Portal pages: the full role × endpoint matrix, CSRF, sign-in, tokens and edit conflicts."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient
from steering_webapp import PASSWORD, ROLES, add_users, client_for, csrf_of, make_app

from jamlik.steering import SYSTEM, Actor, Role, Workflow

ANALYST = Actor("analyst1", Role.ANALYST)
EDITOR = Actor("editor1", Role.EDITOR)


@dataclass
class Ids:
    goal: int
    gi: int
    action: int
    assignment: int
    plan: int
    extra_gi: int


def _seed(wf: Workflow) -> Ids:
    org = wf.organisation("2080")
    goal = org.goals[0]
    gi = goal.indicators[0]
    analysis = wf.save_analysis(ANALYST, gi.id, 2022, causes=[{"text": "Orsak"}])
    action = wf.propose_action(ANALYST, analysis.id, "Åtgärd", effect=4, resources=2)
    decision = wf.decide(EDITOR, "2080", 2022, "Beslut", decided_by="KS",
                         decided_on=date(2023, 1, 1), owner="HR", follow_up_on=date(2024, 1, 1),
                         proposed_action_id=action.id)
    plan = wf.add_action_plan(SYSTEM, "2080", "Handlingsplan")
    extra = wf.set_goal_indicator(SYSTEM, goal.id, "N01451", target_value=200,
                                  target_year=2026)
    return Ids(goal.id, gi.id, action.id, decision.assignment.id, plan.id, extra.id)


Form = Callable[[Workflow, Ids, str], dict[str, str]]


def _none(wf: Workflow, ids: Ids, role: str) -> dict[str, str]:
    return {}


#: (method, path, form data, permission needed) for every endpoint of the router
ENDPOINTS: list[tuple[str, str, Form, str]] = [
    ("GET", "/styrning/", _none, "read_public"),
    ("GET", "/styrning/2080/plan", _none, "read_public"),
    ("GET", "/styrning/2080/uppfoljning/2022", _none, "read_public"),
    ("GET", "/styrning/api/2080/uppfoljning/2022", _none, "read_public"),
    ("GET", "/styrning/2080/beslut/2022", _none, "read_public"),
    ("GET", "/styrning/2080/rapport/2022.html", _none, "read_public"),
    ("GET", "/styrning/2080/rapport/2022.docx", _none, "read_public"),
    ("GET", "/styrning/2080/analys/2022", _none, "read"),
    ("GET", "/styrning/2080/analys/2022/{gi}", _none, "read"),
    ("GET", "/styrning/2080/atgarder/2022", _none, "read"),
    ("GET", "/styrning/anvandare", _none, "admin"),
    ("GET", "/styrning/logg", _none, "admin"),
    ("POST", "/styrning/2080/plan", lambda wf, ids, role: {
        "name": "Falu kommun", "vision": f"Vision av {role}",
        "version": str(wf.organisation("2080").version)}, "edit_plan"),
    ("POST", "/styrning/2080/mal", lambda wf, ids, role: {
        "key": f"G-{role}", "title": "Nytt mål", "target_areas": "3"}, "edit_plan"),
    ("POST", "/styrning/2080/mal/{goal}", lambda wf, ids, role: {
        "title": f"God och jämlik hälsa ({role})",
        "version": str(wf.goal(ids.goal).version)}, "edit_plan"),
    ("POST", "/styrning/2080/mal/{goal}/indikator", lambda wf, ids, role: {
        "indicator": "N00938", "target_value": "8,5", "target_year": "2026"}, "edit_plan"),
    ("POST", "/styrning/2080/malindikator/{extra_gi}/ta-bort", lambda wf, ids, role: {
        "version": "1"}, "edit_plan"),
    ("POST", "/styrning/2080/handlingsplan", lambda wf, ids, role: {
        "title": f"Plan {role}", "year_from": "2023", "year_to": "2026"}, "edit_plan"),
    ("POST", "/styrning/2080/handlingsplan/{plan}/aktivitet", lambda wf, ids, role: {
        "what": "Aktivitet", "responsible": "Folkhälsostrateg", "budget": "100 000"},
     "edit_plan"),
    ("POST", "/styrning/2080/handlingsplan/{plan}/exempel", lambda wf, ids, role: {
        "example_id": "ludvika-barnhalsoteam-villgott"}, "edit_plan"),
    ("POST", "/styrning/2080/analys/2022/{gi}", lambda wf, ids, role: {
        "causes": "Orsak | N00957, https://example.org/a", "conclusions": "Slutsats",
        "version": str(wf.analyses("2080", 2022)[0].version)}, "edit_analysis"),
    ("POST", "/styrning/2080/analys/2022/{gi}/forslag", lambda wf, ids, role: {
        "title": f"Förslag {role}", "effect": "3", "resources": "3"}, "edit_analysis"),
    ("POST", "/styrning/2080/atgarder/{action}/bedomning", lambda wf, ids, role: {
        "effect": "5", "resources": "1", "year": "2022",
        "version": str(wf.proposed_action(ids.action).version)}, "edit_analysis"),
    ("POST", "/styrning/2080/beslut/2022", lambda wf, ids, role: {
        "text": "Nytt beslut", "decided_by": "KS", "decided_on": "2023-02-01",
        "owner": "Socialchefen", "follow_up_on": "2024-02-01"}, "decide"),
    ("POST", "/styrning/2080/uppdrag/{assignment}", lambda wf, ids, role: {
        "status": "open", "report": f"Lägesrapport {role}", "year": "2022",
        "version": str(wf.assignments("2080")[0].version)}, "decide"),
    ("POST", "/styrning/anvandare", lambda wf, ids, role: {
        "username": f"ny-{role}", "role": "viewer", "password": PASSWORD}, "admin"),
    ("POST", "/styrning/anvandare/viewer1/logga-ut", _none, "admin"),
    ("POST", "/styrning/ny-plan", lambda wf, ids, role: {
        "area": "2062", "name": f"Mora kommun ({role})"}, "edit_plan"),
]

ALLOWED = {
    "public": {"read_public"},
    "viewer": {"read_public", "read"},
    "analyst": {"read_public", "read", "edit_analysis"},
    "editor": {"read_public", "read", "edit_plan", "decide"},
    "admin": {"read_public", "read", "edit_analysis", "edit_plan", "decide", "admin"},
}


def test_every_router_endpoint_is_in_the_matrix():
    from jamlik.steering import web

    ids = Ids(goal=1, gi=2, action=3, assignment=4, plan=5, extra_gi=6)
    covered = set()
    for method, path, _, _ in ENDPOINTS:
        url = path.format(**vars(ids))
        hits = [r for r in web.router.routes if method in r.methods and r.path_regex.match(url)]
        assert len(hits) == 1, f"{method} {url} matches {len(hits)} routes"
        covered.add((method, hits[0].path))
    every = {(m, r.path) for r in web.router.routes for m in r.methods}
    # sign-in and sign-out are open to everyone by design
    # and so is the way from a deviation to its analysis (a redirect; anonymous: sign in first)
    open_to_all = {("GET", "/styrning/logga-in"), ("POST", "/styrning/logga-in"),
                   ("POST", "/styrning/logga-ut"), ("GET", "/styrning/{area}/analysera")}
    assert every - open_to_all == covered


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role, falun, store):
    ids = _seed(falun)
    add_users(falun)
    app = make_app(falun, store)
    client, csrf = client_for(app, role)
    failures = []
    for method, path, form, permission in ENDPOINTS:
        url = path.format(**vars(ids))
        if method == "GET":
            r = client.get(url, follow_redirects=False)
        else:
            r = client.post(url, data={**form(falun, ids, role), "csrf_token": csrf},
                            follow_redirects=False)
        if permission in ALLOWED[role]:
            ok = r.status_code == (200 if method == "GET" else 303)
        else:
            ok = r.status_code == (401 if role == "public" else 403)
        if not ok:
            failures.append(f"{role} {method} {url} -> {r.status_code}: {r.text[:200]}")
    assert not failures, "\n".join(failures)
    # denied attempts changed nothing: only allowed roles appear in the audit log
    who = {e.username for e in falun.audit_log(limit=1000)}
    assert who <= {"system", "analyst1", "editor1", f"{role}1"}


def test_forms_without_csrf_token_are_refused_even_for_admin(falun, store):
    add_users(falun)
    client, csrf = client_for(make_app(falun, store), "admin")
    version = str(falun.organisation("2080").version)
    r = client.post("/styrning/2080/plan", data={"name": "X", "version": version},
                    follow_redirects=False)
    assert r.status_code == 403 and "CSRF" in r.text
    r = client.post("/styrning/2080/plan", data={"name": "X", "version": version,
                                                 "csrf_token": "förfalskad"})
    assert r.status_code == 403
    assert falun.organisation("2080").name == "Falu kommun"


def test_api_token_authenticates_without_csrf_and_bad_tokens_are_refused(falun, store):
    add_users(falun)
    token = falun.create_token(SYSTEM, "editor1", "skript")
    client = make_app(falun, store)
    from fastapi.testclient import TestClient

    c = TestClient(client)
    headers = {"Authorization": f"Bearer {token}"}
    r = c.get("/styrning/api/2080/uppfoljning/2022", headers=headers)
    assert r.status_code == 200 and r.json()["deviations"][0]["indicator"] == "N00957"
    r = c.post("/styrning/2080/mal", data={"key": "G9", "title": "Via API"}, headers=headers,
               follow_redirects=False)
    assert r.status_code == 303
    r = c.get("/styrning/api/2080/uppfoljning/2022", headers={"Authorization": "Bearer fel"})
    assert r.status_code == 401 and "API-nyckeln" in r.json()["detail"]
    # only a hash of the token is stored
    from sqlalchemy import text

    with falun.engine.connect() as con:
        stored = [row[0] for row in con.execute(text("SELECT token_hash FROM api_tokens"))]
    assert token not in stored and len(stored[0]) == 64


def test_wrong_password_is_refused_in_swedish(falun, store):
    add_users(falun)
    from fastapi.testclient import TestClient

    c = TestClient(make_app(falun, store))
    csrf = csrf_of(c.get("/styrning/logga-in").text)
    r = c.post("/styrning/logga-in", data={"username": "admin1", "password": "fel-lösenord",
                                          "csrf_token": csrf})
    assert r.status_code == 401 and "Fel användarnamn eller lösenord" in r.text


def test_two_editors_second_save_gets_409_conflict_in_swedish(falun, store):
    falun.create_user(SYSTEM, "eva", "editor", password=PASSWORD)
    falun.create_user(SYSTEM, "olle", "editor", password=PASSWORD)
    app = make_app(falun, store)
    eva, eva_csrf = client_for(app, "editor", "eva")
    olle, olle_csrf = client_for(app, "editor", "olle")
    goal_id = falun.organisation("2080").goals[0].id
    # both open the plan page and read the goal's version from the edit form
    versions = []
    for client in (eva, olle):
        page = client.get("/styrning/2080/plan").text
        form = page[page.index(f'action="/styrning/2080/mal/{goal_id}"'):]
        versions.append(re.search(r'name="version" value="(\d+)"', form).group(1))
    assert versions[0] == versions[1]
    r1 = eva.post(f"/styrning/2080/mal/{goal_id}", data={
        "title": "God hälsa för alla", "version": versions[0], "csrf_token": eva_csrf},
        follow_redirects=False)
    assert r1.status_code == 303
    r2 = olle.post(f"/styrning/2080/mal/{goal_id}", data={
        "title": "Jämlik hälsa", "version": versions[1], "csrf_token": olle_csrf},
        follow_redirects=False)
    assert r2.status_code == 409
    assert "Konflikt" in r2.text and "eva" in r2.text and "ladda om sidan" in r2.text
    assert falun.goal(goal_id).title == "God hälsa för alla"  # no lost update


def test_audit_log_has_before_and_after_and_no_secrets(falun, store):
    add_users(falun)
    client, csrf = client_for(make_app(falun, store), "admin")
    goal = falun.organisation("2080").goals[0]
    client.post(f"/styrning/2080/mal/{goal.id}", data={
        "title": "Ny rubrik", "version": str(goal.version), "csrf_token": csrf})
    entry = falun.audit_log(entity="goal")[0]
    assert entry.username == "admin1" and entry.action == "update"
    assert entry.before["title"] == "God och jämlik hälsa"
    assert entry.after["title"] == "Ny rubrik" and entry.after["version"] == goal.version + 1
    page = client.get("/styrning/logg").text
    assert "Ny rubrik" in page
    assert "argon2" not in page and PASSWORD not in page
    for e in falun.audit_log(entity="user"):
        assert "password_hash" not in (e.after or {})


def test_no_password_or_token_reaches_the_logs(falun, store, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    add_users(falun)
    token = falun.create_token(SYSTEM, "viewer1")
    client, _ = client_for(make_app(falun, store), "admin")
    from fastapi.testclient import TestClient

    TestClient(make_app(falun, store)).get("/styrning/api/2080/uppfoljning/2022",
                                           headers={"Authorization": f"Bearer {token}"})
    assert PASSWORD not in caplog.text and token not in caplog.text
    password = falun.engine.url.password
    if password:  # PostgreSQL: the workflow's repr masks the database password
        assert f":{password}@" not in repr(falun) and "***" in repr(falun)


# -- per-organisation roles ---------------------------------------------------------------------
OBJECT_PLACEHOLDERS = ("{goal}", "{gi}", "{action}", "{assignment}", "{plan}", "{extra_gi}")


def _with_borlange(wf: Workflow) -> int:
    wf.save_organisation(SYSTEM, "2081", "Borlänge kommun")
    return wf.save_goal(SYSTEM, "2081", "B1", "Mål för Borlänge").id


def _org_user(wf: Workflow, name: str, role: str, org: str) -> None:
    wf.create_user(SYSTEM, name, role, password=PASSWORD, organisation=org)


@pytest.mark.parametrize("role", ["analyst", "editor"])
def test_a_municipalitys_user_cannot_write_to_another_organisation(role, falun, store):
    ids = _seed(falun)
    add_users(falun)
    _with_borlange(falun)
    _org_user(falun, f"{role}2081", role, "2081")
    client, csrf = client_for(make_app(falun, store), role, username=f"{role}2081")
    before = len(falun.audit_log(limit=10_000))
    failures = []
    for method, path, form, permission in ENDPOINTS:
        if method != "POST" or permission == "admin":
            continue
        url = path.format(**vars(ids))
        r = client.post(url, data={**form(falun, ids, role), "csrf_token": csrf},
                        follow_redirects=False)
        if r.status_code != 403:
            failures.append(f"{role}2081 POST {url} -> {r.status_code}")
    assert not failures, "\n".join(failures)
    assert len(falun.audit_log(limit=10_000)) == before  # nothing in 2080 changed


def test_the_url_organisation_must_own_the_object(falun, store):
    """issue 9: POST /styrning/2081/mal/<2080's goal> changed 2080's goal."""
    ids = _seed(falun)
    add_users(falun)
    _with_borlange(falun)
    client, csrf = client_for(make_app(falun, store), "admin")  # region-wide: may edit both
    title = falun.goal(ids.goal).title
    failures = []
    for method, path, form, _ in ENDPOINTS:
        if method != "POST" or not any(p in path for p in OBJECT_PLACEHOLDERS):
            continue
        url = path.format(**vars(ids)).replace("/styrning/2080/", "/styrning/2081/")
        r = client.post(url, data={**form(falun, ids, "admin"), "csrf_token": csrf},
                        follow_redirects=False)
        if r.status_code != 404:
            failures.append(f"POST {url} -> {r.status_code}")
    assert not failures, "\n".join(failures)
    assert falun.goal(ids.goal).title == title
    assert client.get(f"/styrning/2081/analys/2022/{ids.gi}").status_code == 404


def test_a_municipalitys_editor_edits_its_own_organisation(falun, store):
    add_users(falun)
    goal_2081 = _with_borlange(falun)
    _org_user(falun, "eva", "editor", "2081")
    client, csrf = client_for(make_app(falun, store), "editor", username="eva")
    r = client.post(f"/styrning/2081/mal/{goal_2081}", data={
        "title": "Nytt mål för Borlänge", "version": str(falun.goal(goal_2081).version),
        "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and falun.goal(goal_2081).title == "Nytt mål för Borlänge"
    page = client.get("/styrning/2081/plan").text
    assert "redaktör" in page.lower() or "editor" in page
    assert client.get("/styrning/2080/analys/2022").status_code == 403  # not even reading
    assert client.get("/styrning/anvandare").status_code == 403  # never admin anywhere


@pytest.mark.parametrize("area, hint", [("ZZZ", "finns inte"), ("%3Cb%3Ex", "finns inte"),
                                        ("Falun", "Använd koden 2080")])
def test_an_organisation_is_only_created_for_a_known_area_code(area, hint, falun, store):
    add_users(falun)
    client, csrf = client_for(make_app(falun, store), "admin")
    r = client.post(f"/styrning/{area}/plan", data={"name": "Ny", "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 422 and hint in r.text and "<b>x" not in r.text
    assert [o.area for o in falun.organisations()] == ["2080"]
    ok = client.post("/styrning/2081/plan", data={"name": "Borlänge kommun", "csrf_token": csrf},
                     follow_redirects=False)
    assert ok.status_code == 303 and client.get("/styrning/2081/plan").status_code == 200


def test_roles_given_before_memberships_become_region_wide(db_url):
    from jamlik.steering import Permission, open_workflow
    from jamlik.steering._db import downgrade, upgrade

    wf = open_workflow(db_url)
    wf.create_user(SYSTEM, "gammal", "editor", password=PASSWORD)
    assert downgrade(wf.engine, "0003") == "0003"  # as an installation before 0004
    upgrade(wf.engine)
    assert wf.memberships("gammal") == [("region", "editor")]
    actor = wf.actor_for_username("gammal")
    assert actor.can(Permission.EDIT_PLAN, "2080") and actor.can(Permission.EDIT_PLAN, "2081")
    with pytest.raises(Exception, match="hela regionen"):
        wf.create_user(SYSTEM, "chef", "admin", password=PASSWORD, organisation="2080")
    wf.close()


def test_the_public_report_is_rendered_once_per_data_version(falun, store):
    # issue 9: the public report PDF was rendered on every request (0.8 req/s at 10 clients)
    add_users(falun)
    app = make_app(falun, store)
    from fastapi.testclient import TestClient

    anonymous = TestClient(app)
    ctx = app.state.jamlik_steering
    first = anonymous.get("/styrning/2080/rapport/2022.docx")
    assert first.status_code == 200
    for _ in range(3):
        assert anonymous.get("/styrning/2080/rapport/2022.docx").content == first.content
    assert ctx.reports.makes == 1
    failed_login = TestClient(app)  # a failed sign-in is no change to the plan
    token = csrf_of(failed_login.get("/styrning/logga-in").text)
    failed_login.post("/styrning/logga-in", data={"username": "x", "password": "fel lösenord",
                                                 "csrf_token": token})
    anonymous.get("/styrning/2080/rapport/2022.docx")
    assert ctx.reports.makes == 1
    falun.save_organisation(SYSTEM, "2080", "Falu kommun", vision="Ny vision")
    anonymous.get("/styrning/2080/rapport/2022.docx")
    assert ctx.reports.makes == 2  # a saved change makes a new version


def test_a_new_plan_is_made_in_the_web_form_for_a_known_area_only(falun, store):
    add_users(falun)
    client, csrf = client_for(make_app(falun, store), "editor")
    r = client.post("/styrning/ny-plan", data={"area": "2062", "name": "Mora kommun",
                                               "vision": "Ett jämlikt Mora",
                                               "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/styrning/2062/plan"
    assert falun.organisation("2062").vision == "Ett jämlikt Mora"
    # the same area twice, an area the store does not know, no CSRF token: refused
    r = client.post("/styrning/ny-plan", data={"area": "2062", "name": "Mora igen",
                                               "csrf_token": csrf})
    assert r.status_code == 422 and "redan en plan" in r.text
    r = client.post("/styrning/ny-plan", data={"area": "9999", "name": "X", "csrf_token": csrf})
    assert r.status_code == 422 and "finns inte i indikatordatabasen" in r.text
    r = client.post("/styrning/ny-plan", data={"area": "2085", "name": "Ludvika"})
    assert r.status_code == 403 and "CSRF" in r.text
    assert {o.area for o in falun.organisations()} == {"2080", "2062"}
    # the start page offers the form only to those signed in
    assert 'id="ny-plan"' in client.get("/styrning/").text
    assert 'id="ny-plan"' not in TestClient(make_app(falun, store)).get("/styrning/").text


def test_a_deviation_leads_to_its_analysis_through_analysera(falun, store):
    add_users(falun)
    app = make_app(falun, store)
    gi = next(i for g in falun.organisation("2080").goals for i in g.indicators
              if i.indicator == "N00957")
    public = TestClient(app)
    r = public.get("/styrning/2080/analysera", params={"indikator": "N00957"},
                   follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == ("/styrning/logga-in?next=%2Fstyrning%2F2080%2Fanalys%2F"
                                     f"2022%2F{gi.id}")
    client, _ = client_for(app, "analyst")
    r = client.get("/styrning/2080/analysera?indikator=n00957", follow_redirects=False)
    assert r.headers["location"] == f"/styrning/2080/analys/2022/{gi.id}"
    # not in the plan: the plan page with the indicator filled in; no plan: a new one
    r = client.get("/styrning/2080/analysera?indikator=N00938", follow_redirects=False)
    assert r.headers["location"] == "/styrning/2080/plan?indikator=N00938#ny-malindikator"
    editor, _ = client_for(app, "editor")  # who may add the target
    assert 'value="N00938"' in editor.get(r.headers["location"]).text
    r = client.get("/styrning/2062/analysera?indikator=N00938&lang=en", follow_redirects=False)
    assert r.headers["location"] == "/styrning/?omrade=2062&lang=en#ny-plan"
    r = client.get("/styrning/2080/analysera?indikator=%3Cscript%3E")
    assert r.status_code == 422


def test_causes_are_saved_from_structured_fields(falun, store):
    add_users(falun)
    app = make_app(falun, store)
    client, csrf = client_for(app, "analyst")
    gi = next(i for g in falun.organisation("2080").goals for i in g.indicators)
    url = f"/styrning/2080/analys/2022/{gi.id}"
    r = client.post(url, data={"cause_text": ["Hög sjukskrivning", "", "Få förebyggande insatser"],
                               "cause_indicator": ["n00957, N00938", "", ""],
                               "cause_link": ["https://example.org/a rapporter/b.pdf", "", ""],
                               "conclusions": "Slutsats", "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    analysis = falun.analyses("2080", 2022)[0]
    assert analysis.causes == [
        {"text": "Hög sjukskrivning", "evidence": [
            {"kind": "indicator", "ref": "N00957", "label": "N00957"},
            {"kind": "indicator", "ref": "N00938", "label": "N00938"},
            {"kind": "document", "ref": "https://example.org/a", "label": "https://example.org/a"},
            {"kind": "document", "ref": "rapporter/b.pdf", "label": "rapporter/b.pdf"}]},
        {"text": "Få förebyggande insatser", "evidence": []}]
    # the form gives every piece back, so saving again keeps it all
    page = client.get(url).text
    assert 'value="N00957, N00938"' in page and 'value="https://example.org/a rapporter/b.pdf"' in page
    version = str(analysis.version)
    for fields, message in [
            ({"cause_text": ["X"], "cause_indicator": ["N99999"]}, "Orsak 1: indikatorn 'N99999'"),
            ({"cause_text": ["", "Y"], "cause_link": ["", "rapport"]}, "Orsak 2: länken 'rapport'"),
            ({"cause_text": [""], "cause_indicator": ["N00957"]}, "Orsak 1: skriv orsaken")]:
        r = client.post(url, data={**fields, "version": version, "csrf_token": csrf})
        assert r.status_code == 422 and message in html.unescape(r.text), r.text[:500]
    assert falun.analyses("2080", 2022)[0].version == analysis.version  # nothing half-written
