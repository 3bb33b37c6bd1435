"""The knowledge bank's forms (issue 18): submit, review, publish and edit examples; create an
initiative and walk it through its four phases; submit an idea to the arena and move it into
a social-investment case. Roles, CSRF, Swedish errors, nothing half-written."""

from __future__ import annotations

import html
import re
import threading

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from jamlik.knowledge import Initiatives, ReviewDesk, load_bank

PASSWORD = "korrekt-häst-batteri"


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    from jamlik.steering import _auth

    monkeypatch.setattr(_auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8,
                                                         parallelism=1))


@pytest.fixture()
def web_app(workflow, sample_store) -> FastAPI:
    """The steering and knowledge pages wired as the composition root does."""
    from jamlik.app import Services, _knowledge, _steering
    from jamlik.steering import SYSTEM

    app = FastAPI()
    services = Services(store=sample_store, store_lock=threading.RLock(), workflow=workflow)
    _steering(app, services)
    _knowledge(app, services)
    for name in ("sara", "greta", "nils"):
        workflow.create_user(SYSTEM, name, "viewer", password=PASSWORD)
    ReviewDesk(workflow.engine, load_bank()).grant("system", "greta", "reviewer")
    return app


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def _client(app: FastAPI, user: str | None) -> TestClient:
    c = TestClient(app)
    if user:
        page = c.get("/styrning/logga-in")
        r = c.post("/styrning/logga-in", data={"username": user, "password": PASSWORD,
                                               "csrf_token": _csrf(page.text),
                                               "next": "/styrning/"}, follow_redirects=False)
        assert r.status_code == 303, r.text
    return c


def _post(c: TestClient, path: str, data: dict | None = None):
    token = _csrf(c.get("/kunskapsbank/arena").text)
    return c.post(path, data={"csrf_token": token, **(data or {})}, follow_redirects=False)


EXAMPLE = {"title": "Läsfrämjande i Falun", "municipality_codes": "2080",
           "organisation": "Falu kommun", "sectors": ["offentlig", "civilsamhälle"],
           "summary_sv": "Bokstart för 120 familjer; 80 lånade fler böcker.",
           "malomraden": ["1", "2"], "action_areas": "1, 9", "kind": "insats",
           "evidence_level": "2", "contact_role": "bibliotekschef, Falu kommun",
           "results": "80 av 120 familjer lånade fler böcker", "costs": "200 000 kr om året"}


def test_anonymous_users_are_asked_to_sign_in(web_app) -> None:
    anon = TestClient(web_app)
    r = anon.get("/kunskapsbank/skicka-in")
    assert r.status_code == 401 and 'href="/styrning/logga-in"' in r.text
    assert "Logga in" in r.text
    assert anon.get("/kunskapsbank/inskickat").status_code == 401
    assert 'Logga in' in anon.get("/kunskapsbank/").text  # the subnav offers it


def test_submit_review_publish_with_history(web_app, workflow) -> None:
    desk = ReviewDesk(workflow.engine, load_bank())
    sara = _client(web_app, "sara")
    form = sara.get("/kunskapsbank/skicka-in")
    assert form.status_code == 200 and "Skicka in ett exempel" in form.text
    assert "Inloggad som sara" in form.text
    # without the CSRF token nothing is stored
    r = sara.post("/kunskapsbank/skicka-in", data={"title": "X", "municipality_codes": "2080"})
    assert r.status_code == 403 and "CSRF" in r.text and desk.entries() == []
    r = _post(sara, "/kunskapsbank/skicka-in", EXAMPLE)
    assert r.status_code == 303, r.text
    entry = desk.entries()[0]
    assert r.headers["location"] == f"/kunskapsbank/inskickat/{entry.id}"
    assert entry.example.id == "lasframjande-i-falun"  # made from the title
    assert entry.example.sectors == ("offentlig", "civilsamhälle")
    assert entry.example.action_areas == (1, 9) and entry.example.malomraden == (1, 2)
    assert entry.example.results == "80 av 120 familjer lånade fler böcker"
    assert entry.example.costs == "200 000 kr om året"
    page = sara.get(r.headers["location"]).text
    assert "utkast" in page and "Markera som granskat" not in page  # not one's own
    # the submitter edits the draft; the history keeps both steps
    r = _post(sara, f"/kunskapsbank/inskickat/{entry.id}/andra",
              {**EXAMPLE, "summary_sv": "Bokstart för 130 familjer."})
    assert r.status_code == 303
    assert desk.get(entry.id).example.summary_sv == "Bokstart för 130 familjer."
    assert [e.action for e in desk.get(entry.id).history] == ["submit", "edit"]
    # the public does not see drafts; someone without the role may not review or publish
    assert TestClient(web_app).get("/kunskapsbank/exempel/lasframjande-i-falun"
                                   ).status_code == 404
    nils = _client(web_app, "nils")
    assert nils.get(f"/kunskapsbank/inskickat/{entry.id}").status_code == 403
    r = _post(nils, f"/kunskapsbank/inskickat/{entry.id}/publicera")
    assert r.status_code == 403 and "saknar behörighet att publicera" in r.text
    assert desk.get(entry.id).state == "draft"
    # the reviewer reviews and publishes
    greta = _client(web_app, "greta")
    assert "Markera som granskat" in greta.get(f"/kunskapsbank/inskickat/{entry.id}").text
    r = _post(greta, f"/kunskapsbank/inskickat/{entry.id}/publicera")
    assert r.status_code == 400 and "går bara att publicera ett exempel som är granskat" in r.text
    assert _post(greta, f"/kunskapsbank/inskickat/{entry.id}/granska",
                 {"note": "Bra siffror"}).status_code == 303
    assert _post(greta, f"/kunskapsbank/inskickat/{entry.id}/publicera").status_code == 303
    assert desk.get(entry.id).state == "published"
    hist = greta.get(f"/kunskapsbank/inskickat/{entry.id}").text
    assert "Bra siffror" in hist and "granskat → publicerat" in hist
    public = TestClient(web_app).get("/kunskapsbank/", params={"q": "bokstart"}).text
    assert 'href="/kunskapsbank/exempel/lasframjande-i-falun"' in public
    shown = TestClient(web_app).get("/kunskapsbank/exempel/lasframjande-i-falun").text
    assert "<dt>Resultat</dt><dd>80 av 120 familjer lånade fler böcker</dd>" in shown
    assert "<dt>Kostnader</dt><dd>200 000 kr om året</dd>" in shown


@pytest.mark.parametrize(("change", "message"), [
    ({"municipality_codes": "9999"}, '"9999" är ingen känd kommunkod'),
    ({"id": "fokus-20-25-nedansiljan"}, "finns redan i kunskapsbanken"),
    ({"contact_role": "anna.svensson@falun.se"}, "inte en e-postadress eller ett telefonnummer"),
    ({"contact_role": "Anna, 070-123 45 67"}, "inte en e-postadress eller ett telefonnummer"),
    ({"year": "2020", "period_end": "2019"}, "slutåret 2019 är före startåret 2020"),
])
def test_bad_input_is_a_swedish_error_and_nothing_is_stored(web_app, workflow, change,
                                                            message) -> None:
    sara = _client(web_app, "sara")
    r = _post(sara, "/kunskapsbank/skicka-in", {**EXAMPLE, **change})
    assert r.status_code == 400 and message in html.unescape(r.text)
    assert 'value="Läsfrämjande i Falun"' in r.text  # what was typed is kept
    assert ReviewDesk(workflow.engine, load_bank()).entries() == []


def test_initiative_through_four_phases_in_forms(web_app, workflow) -> None:
    work = Initiatives(workflow.engine)
    sara = _client(web_app, "sara")
    assert 'name="title"' not in TestClient(web_app).get("/kunskapsbank/initiativ").text
    r = _post(sara, "/kunskapsbank/initiativ", {"title": "En dörr in – Dalarna",
                                                "purpose": "Ett möte i stället för rundgång",
                                                "members": "greta"})
    assert r.status_code == 303
    iid = int(r.headers["location"].rsplit("/", 1)[1])
    base = f"/kunskapsbank/initiativ/{iid}"
    assert _post(sara, f"{base}/partner", {"organisation": "Arbetsförmedlingen",
                                           "sector": "offentlig", "role": "medfinansiär"}
                 ).status_code == 303
    r = _post(sara, f"{base}/partner", {"organisation": "X", "sector": "kyrkan"})
    assert r.status_code == 400 and "ingen känd sektor" in r.text
    # an open point keeps the phase
    r = _post(sara, f"{base}/fas", {"on": "2024-02-01"})
    assert r.status_code == 400 and "Fasen förberedelse har punkter kvar" in r.text
    assert work.get(iid).phase == "forberedelse"
    nils = _client(web_app, "nils")
    r = _post(nils, f"{base}/anteckning", {"kind": "meeting", "title": "Smyg", "on": "2024-01-01"})
    assert r.status_code == 403 and "saknar behörighet att ändra initiativet" in r.text
    r = _post(sara, f"{base}/anteckning", {"kind": "learning", "title": "Första månaden",
                                           "on": "2024-01-15", "tried": "Gemensam mottagning",
                                           "learned": ""})
    assert r.status_code == 400 and "Ange vad ni lärde er" in r.text
    assert work.get(iid).records("learning") == []
    r = _post(sara, f"{base}/anteckning", {"kind": "risk", "title": "Personalbyte",
                                           "likelihood": "7", "impact": "3"})
    assert r.status_code == 400 and "heltal 1–5" in r.text
    assert _post(sara, f"{base}/punkt", {"phase": "engagera", "text": "Bjud in föreningarna"}
                 ).status_code == 303
    day = 1
    for phase in ("forberedelse", "engagera", "genomforande", "institutionalisering"):
        view = work.get(iid)
        assert view.phase == phase
        for item_id, _, done in view.checklist[phase]:
            assert not done
            assert _post(sara, f"{base}/punkt/{item_id}", {"action": "done"}).status_code == 303
        on = f"2024-0{day}-10"
        assert _post(sara, f"{base}/anteckning", {
            "kind": "learning", "title": f"Lärdom i {phase}", "on": on, "tried": "Prövade",
            "learned": "Lärde", "change": "Ändrar"}).status_code == 303
        assert _post(sara, f"{base}/anteckning", {"kind": "meeting", "title": f"Möte {day}",
                                                  "on": on, "notes": "Alla parter"}
                     ).status_code == 303
        if phase != "institutionalisering":
            greta = _client(web_app, "greta")  # a member may move it on
            assert _post(greta, f"{base}/fas", {"on": f"2024-0{day}-20"}).status_code == 303
        day += 1
    assert _post(sara, f"{base}/anteckning", {"kind": "agreement", "title": "Överenskommelse",
                                              "on": "2024-04-11",
                                              "parties": "Älvdalens kommun, Region Dalarna"}
                 ).status_code == 303
    assert _post(sara, f"{base}/anteckning", {"kind": "risk", "title": "Personalbyte",
                                              "on": "2024-04-12", "likelihood": "3",
                                              "impact": "4", "mitigation": "Dubbla kontakter"}
                 ).status_code == 303
    assert _post(sara, f"{base}/anteckning", {"kind": "decision", "title": "Permanent",
                                              "on": "2024-04-13"}).status_code == 303
    assert _post(sara, f"{base}/andra", {"title": "En dörr in", "purpose": "Permanent",
                                         "members": "greta, nils"}).status_code == 303
    view = work.get(iid)
    assert view.title == "En dörr in" and view.members == ("greta", "nils")
    assert len(view.records("learning")) == 4 and len(view.records("phase")) == 3
    page = TestClient(web_app).get(base).text  # the public reads the story, no forms
    assert "Lärdom i genomforande" in page and "Institutionalisering" in page
    assert "Dubbla kontakter" in page and "Älvdalens kommun, Region Dalarna" in page
    assert "Bocka av" not in page and "csrf_token" not in page
    assert ", sara)" not in page and ", sara)" in sara.get(base).text  # who wrote: members only
    assert "Bocka av" not in sara.get(base).text  # every point is ticked
    assert "Ångra" in sara.get(base).text
    # remove and reword points
    item = view.checklist["engagera"][-1][0]
    assert _post(sara, f"{base}/punkt/{item}", {"action": "reword", "text": "Bjud in alla"}
                 ).status_code == 303
    assert work.get(iid).checklist["engagera"][-1][1] == "Bjud in alla"
    assert _post(sara, f"{base}/punkt/{item}", {"action": "remove"}).status_code == 303
    assert len(work.get(iid).checklist["engagera"]) == 3
    assert TestClient(web_app).get("/kunskapsbank/initiativ/999").status_code == 404


def test_idea_through_the_arena_in_forms(web_app, workflow) -> None:
    work = Initiatives(workflow.engine)
    anon = TestClient(web_app)  # anyone may submit an idea, without signing in
    r = _post(anon, "/kunskapsbank/arena/ide", {"title": "Läxhjälp i föreningshuset",
                                                "description": "", "submitted_by": "IOGT"})
    assert r.status_code == 400 and "Ange en beskrivning" in r.text
    assert 'value="Läxhjälp i föreningshuset"' in r.text
    assert work.pipeline()["idea"] == []
    r = _post(anon, "/kunskapsbank/arena/ide", {"title": "Läxhjälp i föreningshuset",
                                                "description": "Volontärer två kvällar i veckan",
                                                "submitted_by": "IOGT-NTO Mora"})
    assert r.status_code == 303
    idea = int(r.headers["location"].rsplit("/", 1)[1])
    page = anon.get(f"/kunskapsbank/arena/ide/{idea}").text
    assert "Volontärer två kvällar" in page and "Besluta om steget" not in page
    nils = _client(web_app, "nils")
    r = _post(nils, f"/kunskapsbank/arena/ide/{idea}/beslut", {"owner": "x", "decision": "go"})
    assert r.status_code == 403 and "saknar behörighet att fatta beslut" in r.text
    greta = _client(web_app, "greta")
    steps = [("go", {}), ("go", {}), ("go", {}), ("repeat", {}), ("go", {})]
    for decision, extra in steps:
        assert _post(greta, f"/kunskapsbank/arena/ide/{idea}/beslut", {
            "owner": "Arenans samordnare", "decision": decision, "on": "2024-05-02",
            "support": "Lokal och handledning", "criteria": "Fler klarar målen", **extra}
        ).status_code == 303
    assert work.idea(idea).stage == "evaluation"
    r = _post(greta, f"/kunskapsbank/arena/ide/{idea}/beslut", {
        "owner": "Högskolan Dalarna", "decision": "go", "outcome": "social_investment"})
    assert r.status_code == 400 and "samhällsekonomiska underlaget" in r.text
    assert work.idea(idea).stage == "evaluation"
    assert _post(greta, f"/kunskapsbank/arena/ide/{idea}/beslut", {
        "owner": "Högskolan Dalarna", "decision": "go", "outcome": "social_investment",
        "economics_case": "foraldrastod"}).status_code == 303
    done = work.idea(idea)
    assert done.stage == "social_investment" and done.economics_case == "foraldrastod"
    assert len(done.steps) == 6
    arena = anon.get("/kunskapsbank/arena").text
    assert "Social investering (1)" in arena and "Läxhjälp i föreningshuset" in arena


def test_initiative_story_as_html_pdf_and_docx(web_app, workflow) -> None:
    import io
    from datetime import date

    from docx import Document
    from pypdf import PdfReader

    work = Initiatives(workflow.engine)
    iid = work.create("sara", "FOKUS 20-25", "Minska utanförskapet bland unga vuxna")
    work.add_partner("sara", iid, "Nedansiljans samordningsförbund", "offentlig", "ägare")
    work.record("sara", iid, "learning", date(2024, 3, 1), "Första året", tried="Ungdomscoach",
                learned="45 av 50 coachades", change="Gemensamt beredningsteam")
    work.record("sara", iid, "risk", date(2024, 3, 2), "Finansieringen upphör", likelihood=3,
                impact=5, mitigation="Söka ordinarie budget")
    work.record("sara", iid, "meeting", date(2024, 3, 3), "Styrgruppsmöte", notes="Tre kommuner")
    anon = TestClient(web_app)
    page = anon.get(f"/kunskapsbank/initiativ/{iid}").text
    assert f'href="/kunskapsbank/initiativ/{iid}/berattelse.pdf"' in page
    h = anon.get(f"/kunskapsbank/initiativ/{iid}/berattelse.html")
    assert h.status_code == 200 and h.headers["content-type"].startswith("text/html")
    assert "<h2>Lärandelogg</h2>" in h.text and "Styrgruppsmöte – Tre kommuner" in h.text
    p = anon.get(f"/kunskapsbank/initiativ/{iid}/berattelse.pdf")
    assert p.status_code == 200 and p.headers["content-type"] == "application/pdf"
    assert 'filename="initiativ-' in p.headers["content-disposition"]
    text = " ".join(pg.extract_text() for pg in PdfReader(io.BytesIO(p.content)).pages)
    text = " ".join(text.split())
    for want in ("FOKUS 20-25", "Lärandelogg", "45 av 50 coachades", "Gemensamt beredningsteam",
                 "Nedansiljans samordningsförbund", "Finansieringen upphör", "Tidslinje",
                 "Institutionalisering"):
        assert want in text, want
    d = anon.get(f"/kunskapsbank/initiativ/{iid}/berattelse.docx")
    assert d.status_code == 200 and d.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(d.content))
    paras = [x.text for x in doc.paragraphs]
    assert "FOKUS 20-25" in paras and "Lärandelogg" in paras and "Tidslinje" in paras
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "45 av 50 coachades" in cells and "Vad vi ändrar" in cells
    assert doc.core_properties.title == "FOKUS 20-25"
    assert anon.get(f"/kunskapsbank/initiativ/{iid}/berattelse.odt").status_code == 404
    assert anon.get("/kunskapsbank/initiativ/999/berattelse.pdf").status_code == 404


def test_editors_grant_roles_in_the_browser_form(web_app, workflow) -> None:
    desk = ReviewDesk(workflow.engine, load_bank())
    sara = _client(web_app, "sara")
    r = sara.get("/kunskapsbank/roller")
    assert r.status_code == 403 and "Bara kunskapsbankens redaktörer" in r.text
    r = _post(sara, "/kunskapsbank/roller", {"username": "nils", "role": "reviewer"})
    assert r.status_code == 403 and "Bara en redaktör" in r.text
    assert "reviewer" not in desk.roles("nils")
    desk.grant("system", "sara", "editor")
    page = sara.get("/kunskapsbank/roller").text
    assert "greta" in page and "granskare" in page
    r = _post(sara, "/kunskapsbank/roller", {"username": "nils", "role": "chef"})
    assert r.status_code == 400 and "okänd roll" in html.unescape(r.text)
    assert _post(sara, "/kunskapsbank/roller", {"username": "nils", "role": "reviewer"}
                 ).status_code == 303
    assert "reviewer" in desk.roles("nils")
    assert 'href="/kunskapsbank/roller"' in sara.get("/kunskapsbank/inskickat").text


def test_editors_revoke_roles_in_the_browser_form(web_app, workflow) -> None:
    desk = ReviewDesk(workflow.engine, load_bank())
    desk.grant("system", "sara", "editor")
    sara, nils = _client(web_app, "sara"), _client(web_app, "nils")
    page = sara.get("/kunskapsbank/roller").text
    assert 'action="/kunskapsbank/roller/ta-bort"' in page
    assert 'aria-label="Ta bort rollen granskare från greta"' in page
    # CSRF: a form without the token changes nothing
    r = sara.post("/kunskapsbank/roller/ta-bort", data={"username": "greta", "role": "reviewer"})
    assert r.status_code == 403 and "CSRF" in r.text and "reviewer" in desk.roles("greta")
    # only the bank's editors
    r = _post(nils, "/kunskapsbank/roller/ta-bort", {"username": "greta", "role": "reviewer"})
    assert r.status_code == 403 and "Bara en redaktör" in r.text
    assert "reviewer" in desk.roles("greta")
    # the last editor stays
    r = _post(sara, "/kunskapsbank/roller/ta-bort", {"username": "sara", "role": "editor"})
    assert r.status_code == 400 and "den sista redaktören" in r.text
    assert "Inget ändrades." in r.text and "editor" in desk.roles("sara")
    r = _post(sara, "/kunskapsbank/roller/ta-bort", {"username": "greta", "role": "reviewer"})
    assert r.status_code == 303 and r.headers["location"] == "/kunskapsbank/roller"
    assert "reviewer" not in desk.roles("greta")
    # the audit line, and nothing to do says so
    page = sara.get("/kunskapsbank/roller").text
    assert "Ändringar av roller" in page
    assert re.search(r"<td>sara</td><td>tog bort</td><td>greta</td><td>granskare</td>", page)
    r = _post(sara, "/kunskapsbank/roller/ta-bort", {"username": "greta", "role": "reviewer"})
    assert r.status_code == 200 and "greta har inte rollen granskare. Inget ändrades." in r.text
    assert len(desk.role_events()) == 3  # greta and sara granted, greta revoked
    en = _post(sara, "/kunskapsbank/roller/ta-bort?lang=en",
               {"username": "greta", "role": "reviewer"}).text
    assert "greta does not hold the role reviewer. Nothing was changed." in en
