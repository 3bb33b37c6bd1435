"""The pages under /prioritering: roles, CSRF, the participant's form, the dashboard, results,
reports, the hand-over to the action plan, the audit log and English."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from jamlik.prioritisation import Prioritisation
from jamlik.steering import SYSTEM

from .conftest import PASSWORD


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def _client(app, user: str | None) -> TestClient:
    c = TestClient(app)
    if user:
        page = c.get("/styrning/logga-in")
        r = c.post("/styrning/logga-in", data={"username": user, "password": PASSWORD,
                                               "csrf_token": _csrf(page.text),
                                               "next": "/styrning/"}, follow_redirects=False)
        assert r.status_code == 303, r.text
    return c


def _post(c: TestClient, path: str, data: dict | None = None, **kw):
    token = _csrf(c.get("/prioritering/").text) if "svar" not in path else None
    if token is None:
        token = _csrf(c.get(path).text)
    return c.post(path, data={"csrf_token": token, **(data or {})}, follow_redirects=False, **kw)


def test_roles_on_the_index(web_app):
    anon = TestClient(web_app).get("/prioritering/")
    assert anon.status_code == 401 and 'href="/styrning/logga-in"' in anon.text
    assert _client(web_app, "nils").get("/prioritering/").status_code == 403
    viewer = _client(web_app, "vera").get("/prioritering/")
    assert viewer.status_code == 200 and "Ny omgång" not in viewer.text
    fac = _client(web_app, "fac").get("/prioritering/")
    assert fac.status_code == 200 and "Ny omgång" in fac.text
    assert "Samling för social hållbarhet i Dalarna – 30 åtgärdsområden" in fac.text
    en = _client(web_app, "fac").get("/prioritering/?lang=en")
    assert "New round" in en.text and "Rounds" in en.text and 'lang="en"' in en.text


def test_facilitator_creates_opens_invites_and_participant_answers(web_app, prio: Prioritisation,
                                                                   workflow):
    fac = _client(web_app, "fac")
    # without the CSRF token nothing is created
    r = fac.post("/prioritering/omgangar", data={"title": "X", "catalogue": "samling-dalarna"})
    assert r.status_code == 403 and "CSRF" in r.text and prio.rounds() == []
    r = _post(fac, "/prioritering/omgangar", {"title": "Omgång 1", "catalogue": "samling-dalarna",
                                              "scale": "9", "themes": "1"})
    assert r.status_code == 303 and r.headers["location"] == "/prioritering/omgang/1"
    assert _client(web_app, "vera").get("/prioritering/omgang/1").status_code == 403
    assert _post(fac, "/prioritering/omgang/1/oppna").status_code == 303
    r = _post(fac, "/prioritering/omgang/1/bjud-in", {"organisation": "2080", "group": "kommun",
                                                      "count": "2"})
    links = re.findall(r'class="invite-link">(/prioritering/omgang/1/svar/prio_[^<]+)<', r.text)
    assert r.status_code == 200 and len(links) == 2

    person = TestClient(web_app)  # a participant needs no account, only the link
    form = person.get(links[0])
    assert form.status_code == 200 and "Utveckla familjecentrerade arbetssätt" in form.text
    assert 'name="r|1|angelagenhet"' in form.text
    r = person.post(links[0], data={"csrf_token": _csrf(form.text), "r|1|angelagenhet": "8",
                                    "r|2|nytta": "3", "c|1": "Viktigt", "action": "save"})
    assert r.status_code == 200 and "Dina svar är sparade." in r.text
    assert '<option value="8" selected>' in r.text and "Viktigt" in r.text  # save and return
    bad = person.post(links[0], data={"csrf_token": _csrf(r.text), "r|1|nytta": "12",
                                      "action": "submit"})
    assert bad.status_code == 422 and "betyget 12 ligger utanför skalan 1–9" in bad.text
    assert person.post(links[0], data={"r|1|nytta": "5"}).status_code == 403  # no token
    r = person.post(links[0], data={"csrf_token": _csrf(form.text), "r|1|nytta": "7",
                                    "action": "submit"})
    assert "Tack! Dina svar är inlämnade." in r.text
    again = person.post(links[0], data={"csrf_token": _csrf(form.text), "r|1|nytta": "2",
                                        "action": "save"})
    assert again.status_code == 409 and "kan inte svara igen" in again.text
    own = prio.own_answers(1, links[0].rsplit("/", 1)[1])[0]
    assert own == {("1", "angelagenhet"): 8, ("2", "nytta"): 3, ("1", "nytta"): 7}
    assert TestClient(web_app).get("/prioritering/omgang/1/svar/prio_fel").status_code == 404

    dash = fac.get("/prioritering/omgang/1")
    assert dash.status_code == 200 and "<h1>Omgång 1</h1>" in dash.text
    assert ('<td>kommun</td><td class="num">2</td><td class="num">1</td>'
            '<td class="num">1</td>') in dash.text
    res = _client(web_app, "vera").get("/prioritering/omgang/1/resultat")
    assert res.status_code == 200 and "Konsensus (bestämd i förväg)" in res.text
    # beside each Samling action area: the knowledge bank's examples working on it
    assert '<a href="/kunskapsbank/atgardsomrade/1">2 goda exempel</a>' in res.text
    pdf = _client(web_app, "vera").get("/prioritering/omgang/1/rapport.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert _client(web_app, "vera").get("/prioritering/omgang/1/rapport.odt").status_code == 404
    assert TestClient(web_app).get("/prioritering/omgang/1/resultat").status_code == 401
    assert _post(fac, "/prioritering/omgang/1/stang").status_code == 303
    closed = person.get(links[1])
    assert "är stängd — svar tas inte längre emot" in closed.text
    log = fac.get("/prioritering/logg")
    assert log.status_code == 200 and "submit answers" in log.text and "fac" in log.text
    assert _client(web_app, "vera").get("/prioritering/logg").status_code == 403
    assert fac.get("/prioritering/omgang/99999999999").status_code == 404


def test_send_to_the_action_plan_needs_the_right_in_steering(web_app, prio: Prioritisation,
                                                             workflow):
    workflow.save_organisation(SYSTEM, "2080", "Falu kommun")
    r = prio.create_round("fac", "samling-dalarna", "Omgång 1", themes=[1])
    prio.open_round("fac", r.id)
    for i in range(3):
        _, token = prio.invite("fac", r.id, organisation=f"o{i}", group="kommun")
        prio.save_answers(r.id, token, [(str(k), "angelagenhet", 8) for k in range(1, 7)])
    fac = _client(web_app, "fac")  # facilitator, but only a viewer in the steering loop
    denied = _post(fac, f"/prioritering/omgang/{r.id}/skicka", {"area": "2080",
                                                                "proposal": ["1", "3"]})
    assert denied.status_code == 403 and "behörighet" in denied.text
    assert workflow.organisation("2080").action_plans == []
    admin = _client(web_app, "admin1")
    ok = _post(admin, f"/prioritering/omgang/{r.id}/skicka", {"area": "2080",
                                                              "proposal": ["1", "3"]})
    assert ok.status_code == 200 and "2 förslag finns nu i handlingsplanen för 2080" in ok.text
    plan = workflow.organisation("2080").action_plans[0]
    assert [a.what for a in plan.activities] == ["Utveckla familjecentrerade arbetssätt",
                                                 "Etablera fler familjecentraler"]
    assert [k for k, *_ in prio.handovers(r.id)] == ["1", "3"]
