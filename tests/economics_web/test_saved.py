"""Saved cases and funds through the pages: the editor from any case, save/open/version/copy
per organisation with the steering loop's roles and CSRF, funds followed up in the database."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jamlik.app import create_app
from jamlik.economics import shipped_cases

PASSWORD = "korrekt-häst-batteri"


@pytest.fixture(scope="module")
def app(sample_db_path: Path, tmp_path_factory: pytest.TempPathFactory):
    from argon2 import PasswordHasher

    from jamlik.steering import SYSTEM, _auth

    old_hasher = _auth._hasher
    _auth._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    old = os.environ.get("JAMLIK_DATABASE_URL")
    os.environ["JAMLIK_DATABASE_URL"] = (
        f"sqlite:///{tmp_path_factory.mktemp('wf') / 'workflow.sqlite'}")
    app = create_app(sample_db_path, county="20", warm=False)
    with TestClient(app) as c:
        wf = app.state.jamlik_steering.workflow
        wf.create_user(SYSTEM, "anna", "analyst", password=PASSWORD, organisation="2080")
        wf.create_user(SYSTEM, "erik", "editor", password=PASSWORD, organisation="2080")
        wf.set_role(SYSTEM, "erik", "editor", organisation="2081")
        wf.create_user(SYSTEM, "vera", "viewer", password=PASSWORD, organisation="2080")
        wf.create_user(SYSTEM, "bo", "editor", password=PASSWORD, organisation="2081")
        c.get("/ekonomi/")
    try:
        yield app
    finally:
        _auth._hasher = old_hasher
        app.state.data.store.close()
        if old is None:
            os.environ.pop("JAMLIK_DATABASE_URL", None)
        else:
            os.environ["JAMLIK_DATABASE_URL"] = old


def _client(app, user: str | None = None) -> TestClient:
    c = TestClient(app)
    if user:
        page = c.get("/styrning/logga-in").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        r = c.post("/styrning/logga-in", data={"username": user, "password": PASSWORD,
                                               "csrf_token": token, "next": "/styrning/"},
                   follow_redirects=False)
        assert r.status_code == 303, r.text
    return c


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _save_form(html: str) -> dict[str, str]:
    form = re.search(r'<form method="post" action="/ekonomi/fall/spara".*?</form>', html,
                     re.S).group(0)
    return {m.group(1): m.group(2).replace("&amp;", "&") for m in
            re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)}


NPV = re.compile(r'data-payer="samhället" data-years="15">(?:<td[^>]*>[^<]*</td>){4}'
                 r'<td class="num">([^<]+)</td>')


def test_editor_starts_from_blank_and_every_shipped_case(app) -> None:
    c = _client(app)
    blank = c.get("/ekonomi/fall", params={"start": "tomt", "kommun": "2080"})
    assert blank.status_code == 200
    assert "Fyll i fälten och tryck Räkna." in blank.text and 'role="alert"' not in blank.text
    assert 'name="cost.0.amount"' in blank.text and 'name="outcome.0.amount"' in blank.text
    # the blank case filled in by hand computes
    filled = c.get("/ekonomi/fall", params={
        "start": "tomt", "kommun": "2080", "case.title": "Läxhjälp", "target_group.size": "200",
        "target_group.uptake": "0,5", "target_group.baseline_risk": "0,3",
        "effect.measure": "rr", "effect.estimate": "0,8", "effect.se": "0,1",
        "cost.0.amount": "8000", "cost.0.payer": "kommun", "cost.0.years": "1",
        "outcome.0.amount": "50000", "outcome.0.payer": "kommun", "outcome.0.from_year": "2"})
    assert filled.status_code == 200, filled.text
    assert 'data-payer="samhället" data-years="15"' in filled.text
    assert "Läxhjälp" in filled.text
    for key, data in shipped_cases().items():
        r = c.get("/ekonomi/fall", params={"start": f"exempel:{key}", "kommun": "2080"})
        assert r.status_code == 200, (key, r.text[:500])
        assert 'data-payer="kommun" data-years="2"' in r.text
        assert f'<option value="exempel:{key}" selected>' in r.text
        n_costs = len(data["cost"])
        assert f'name="cost.{n_costs}.amount"' in r.text  # one empty row to add a cost
    start = c.get("/ekonomi/").text
    for key in shipped_cases():
        assert f"start=exempel%3A{key}" in start
    assert "start=tomt" in start
    assert c.get("/ekonomi/fall", params={"start": "exempel:nej"}).status_code == 404


def test_rows_are_added_removed_and_ranges_edited(app) -> None:
    c = _client(app)
    base = {"start": "exempel:foraldrastod", "kommun": "2080"}
    one = c.get("/ekonomi/fall", params={**base, "cost.2.amount": "50000",
                                         "cost.2.label": "lokaler", "cost.2.per": "total",
                                         "cost.2.payer": "kommun", "cost.2.years": "1, 2"})
    assert "Programkostnad: lokaler (kommun, drift, totalt)" in one.text
    gone = c.get("/ekonomi/fall", params={**base, "outcome.3.amount": ""})
    assert "förlorad inkomst" not in gone.text.split("Antaganden och källor")[1]
    assert NPV.search(gone.text).group(1) != NPV.search(c.get("/ekonomi/fall",
                                                              params=base).text).group(1)
    narrow = c.get("/ekonomi/fall", params={**base, "target_group.uptake": "0,4",
                                            "target_group.uptake.low": "0,39",
                                            "target_group.uptake.high": "0,41"})
    assert "Andel som deltar (eget värde)" in narrow.text
    bad = c.get("/ekonomi/fall", params={**base, "target_group.uptake.low": "0,6"})
    assert bad.status_code == 400 and "ligger inte inom" in bad.text


def test_save_requires_sign_in_role_and_csrf(app) -> None:
    anon = _client(app)
    page = anon.get("/ekonomi/fall", params={"kommun": "2080"}).text
    assert "Logga in för att spara" in page and "/ekonomi/fall/spara" not in page
    r = anon.post("/ekonomi/fall/spara", data={"kommun": "2080", "query": "kommun=2080",
                                               "csrf_token": "x"})
    assert r.status_code == 403 and "CSRF" in r.text
    vera = _client(app, "vera")  # viewer: may read, not save
    page = vera.get("/ekonomi/fall", params={"kommun": "2080"}).text
    assert "/ekonomi/fall/spara" not in page
    r = vera.post("/ekonomi/fall/spara", data={"kommun": "2080", "query": "kommun=2080",
                                               "csrf_token": vera.cookies["jamlik_econ_csrf"]})
    assert r.status_code == 403 and "ingen roll" in r.text
    bo = _client(app, "bo")  # editor in Borlänge, not in Falun
    page = bo.get("/ekonomi/fall", params={"kommun": "2081"}).text
    r = bo.post("/ekonomi/fall/spara", data={"kommun": "2080", "query": "kommun=2080",
                                             "csrf_token": _csrf(page)})
    assert r.status_code == 403


def test_save_open_version_copy_and_report_of_a_saved_case(app) -> None:
    anna = _client(app, "anna")  # analyst in Falun
    page = anna.get("/ekonomi/fall", params={"kommun": "2080", "andel": "0,2",
                                             "effect.estimate": "−0,4"}).text
    form = _save_form(page)
    assert form["kommun"] == "2080" and "start=exempel%3Aforaldrastod" in form["query"]
    r = anna.post("/ekonomi/fall/spara", data={**form, "title": "Föräldrastöd Falun",
                                               "note": "första", "as": "new"},
                  follow_redirects=False)
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    case_id = int(url.rsplit("/", 1)[1])
    saved = anna.get(url).text
    assert "Föräldrastöd Falun" in saved and "Version 1" in saved and "första" in saved
    assert "3\u202f970" in saved  # the store link is kept: children 0–5 × 0.2
    npv_v1 = NPV.search(saved).group(1)
    # a new version from the saved one, with a smaller effect
    page = anna.get("/ekonomi/fall", params={"start": f"fall:{case_id}:v1", "kommun": "2080",
                                             "effect.estimate": "−0,2"}).text
    form = _save_form(page)
    assert "Spara som ny version" in page
    r = anna.post("/ekonomi/fall/spara", data={**form, "as": "version", "note": "mindre"},
                  follow_redirects=False)
    assert r.headers["location"] == url
    v2 = anna.get(url).text
    assert "<strong>Version 2</strong>" in v2 and "mindre" in v2
    assert NPV.search(v2).group(1) != npv_v1
    assert NPV.search(anna.get(url, params={"version": "1"}).text).group(1) == npv_v1
    # listed per organisation: Falun's users see it, Borlänge's do not
    assert "Föräldrastöd Falun" in anna.get("/ekonomi/").text
    bo = _client(app, "bo")
    assert "Föräldrastöd Falun" not in bo.get("/ekonomi/").text
    assert bo.get(url).status_code == 403
    assert _client(app).get(url).status_code == 401
    # erik edits in both: copies version 1 into Borlänge
    erik = _client(app, "erik")
    page = erik.get(url).text
    assert 'action="/ekonomi/fall/' + str(case_id) + '/kopiera' in page
    r = erik.post(f"/ekonomi/fall/{case_id}/kopiera", data={
        "csrf_token": _csrf(page), "kommun": "2081", "version": "1",
        "title": "Föräldrastöd Borlänge"}, follow_redirects=False)
    assert r.status_code == 303
    copy = bo.get(r.headers["location"]).text
    assert "Föräldrastöd Borlänge" in copy and "Kopia av" in copy
    assert NPV.search(copy) is not None
    # anna (analyst in Falun only) cannot copy into Borlänge
    r = anna.post(f"/ekonomi/fall/{case_id}/kopiera", data={
        "csrf_token": _csrf(anna.get(url).text), "kommun": "2081"})
    assert r.status_code == 403
    # the saved version's report as PDF
    import pypdf

    pdf = anna.get(f"/ekonomi/fall/{case_id}/rapport.pdf", params={"version": "2"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert f'rapport-fall-{case_id}-v2.pdf' in pdf.headers["content-disposition"]
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(
        io.BytesIO(pdf.content)).pages).split())
    assert f"sparat fall {case_id}, version 2" in text and "Föräldrastöd Falun" in text
    assert bo.get(f"/ekonomi/fall/{case_id}/rapport.pdf").status_code == 403
    assert anna.get("/ekonomi/fall/999999").status_code == 404
    assert anna.get(url, params={"version": "9"}).status_code == 404


def test_fund_in_the_database_followed_up_a_year_later(app) -> None:
    erik = _client(app, "erik")  # editor: may create, apply, decide
    page = erik.get("/ekonomi/fonder").text
    r = erik.post("/ekonomi/fonder", data={"csrf_token": _csrf(page), "kommun": "2080",
                                           "name": "Falu fond", "capital": "5 000 000",
                                           "start_year": "2025"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    fid = url.rsplit("/", 1)[1]
    page = erik.get(url).text
    token = _csrf(page)
    r = erik.post(f"/ekonomi/fond/{fid}/ansokan", data={
        "csrf_token": token, "key": "skola", "title": "Fullföljd skolgång",
        "committees": "Barn- och utbildningsnämnden, Socialnämnden",
        "target_group": "elever i åk 7–9", "evaluation_plan": "behörighet jämfört med 2024",
        "case": "fall:1", "indicators": "N01952",
        "year0": "2025", "payer0": "kommun", "cost0": "800000", "saving0": "0",
        "year1": "2026", "payer1": "kommun", "cost1": "400000", "saving1": "500000"},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    anna = _client(app, "anna")  # analyst: records outcomes, may not decide
    r = anna.post(f"/ekonomi/fond/{fid}/beslut", data={
        "csrf_token": _csrf(anna.get(url).text), "key": "skola", "status": "approved",
        "decided_on": "2025-03-01", "decided_by": "KS", "granted": "1200000"})
    assert r.status_code == 403
    for path, data in (
            ("beslut", {"key": "skola", "status": "approved", "decided_on": "2025-03-01",
                        "decided_by": "Kommunstyrelsen", "granted": "1 200 000"}),
            ("aterforing", {"key": "skola", "committee": "Socialnämnden", "year": "2026",
                            "amount": "300000"}),
            ("flode", {"key": "skola", "kind": "actual", "year": "2025", "payer": "kommun",
                       "cost": "850000", "saving": "0"})):
        r = erik.post(f"/ekonomi/fond/{fid}/{path}", data={"csrf_token": token, **data},
                      follow_redirects=False)
        assert r.status_code == 303, (path, r.text)
    first = erik.get(url, params={"ar": "2025"}).text
    assert "beviljad, 1\u202f200\u202f000 kr" in first and "850\u202f000" in first
    # a year later: actual flows and the repayment made, short of the plan
    for data in ({"key": "skola", "kind": "actual", "year": "2026", "payer": "kommun",
                  "cost": "380000", "saving": "420000"},):
        assert anna.post(f"/ekonomi/fond/{fid}/flode", data={
            "csrf_token": _csrf(anna.get(url).text), **data},
            follow_redirects=False).status_code == 303
    erik.post(f"/ekonomi/fond/{fid}/aterforing", data={
        "csrf_token": token, "key": "skola", "committee": "Socialnämnden", "year": "2026",
        "amount": "300000", "made": "200000"})
    later = erik.get(url, params={"ar": "2026"}).text
    assert "420\u202f000" in later and "100\u202f000 kr enligt plan är inte gjord" in later
    assert "inte följt upp" not in later
    balance = later.split("Fondens saldo")[1]
    assert "4\u202f100\u202f000" in balance and "4\u202f000\u202f000" in balance
    assert "N01952:" in later  # the outcome indicator from the store
    # bad input: a Swedish error, nothing changed
    r = erik.post(f"/ekonomi/fond/{fid}/flode", data={
        "csrf_token": token, "key": "skola", "kind": "actual", "year": "2026",
        "payer": "kommun", "cost": "-5"})
    assert r.status_code == 400 and "negativt" in r.text
    r = erik.post(f"/ekonomi/fond/{fid}/beslut", data={
        "csrf_token": token, "key": "skola", "status": "approved", "decided_on": "igår",
        "decided_by": "KS", "granted": "1"})
    assert r.status_code == 400 and "inget datum" in r.text
    assert erik.get(url, params={"ar": "2026"}).text.count("420\u202f000") >= 1
    # the example fund file imported as a stored fund
    r = erik.post("/ekonomi/fonder", data={"csrf_token": token, "kommun": "2080",
                                           "import": "example"}, follow_redirects=False)
    imported = erik.get(r.headers["location"], params={"ar": "2025"}).text
    assert "8\u202f750\u202f000" in imported
    assert _client(app, "bo").get(url).status_code == 403


def test_unit_costs_from_the_library_follow_the_municipality(app) -> None:
    c = _client(app)
    r = c.get("/ekonomi/fall", params={"start": "exempel:skolfullfoljd", "kommun": "2080"})
    assert r.status_code == 200, r.text
    assumptions = r.text.split("Antaganden och källor")[1]
    assert "Källa: Kolada (RKA), KPI N31006, 2080, 2022" in assumptions
    assert "KPI N17007, 2080" in assumptions
    assert '<option value="forsorjningsstod_hushall_ar" selected>' in r.text
    borlange = c.get("/ekonomi/fall", params={"start": "exempel:skolfullfoljd",
                                              "kommun": "2081"}).text
    assert "KPI N31006, 2081, 2022" in borlange
    # a new outcome row from the library, without typing an amount
    n = 4  # the example has four outcome rows; the fifth is the empty one
    added = c.get("/ekonomi/fall", params={
        "start": "exempel:skolfullfoljd", "kommun": "2080", f"outcome.{n}.label": "bistånd",
        f"outcome.{n}.payer": "kommun", f"outcome.{n}.library": "forsorjningsstod_hushall_ar",
        f"outcome.{n}.from_year": "5"}).text
    assert "Kostnad för utfallet: bistånd (kommun, år 5–)" in added
    assert "(eget värde)" not in added.split("Kostnad för utfallet 5")[1].split("</fieldset>")[0]


def test_a_stored_fund_and_a_saved_case_in_english(app) -> None:
    from jamlik.economics import Investments, load_fund

    wf = app.state.jamlik_steering.workflow
    inv = Investments(wf.engine)
    examples = Path(__file__).resolve().parents[2] / "jamlik" / "economics" / "examples"
    fund = inv.import_fund("erik", load_fund(examples / "fond_falun.toml"), area="2080")
    case = inv.save_case("erik", "2080", shipped_cases()["foraldrastod"])
    erik = _client(app, "erik")
    sv = erik.get(f"/ekonomi/fond/{fund.id}").text
    en = erik.get(f"/ekonomi/fond/{fund.id}", params={"lang": "en"}).text
    for swedish, english in (("Nämnd</label>", "Committee</label>"),
                             ("Beslutat av", "Decided by"), ("Förväntat 1", "Expected 1"),
                             ("Återfört (kr, tomt = inte ännu)", "Repaid (SEK, empty = not yet)"),
                             ('<option value="stat">stat</option>',
                              '<option value="stat">state</option>')):
        assert swedish in sv and english not in sv, swedish
        assert english in en and swedish not in en, english
    saved_en = erik.get(f"/ekonomi/fall/{case.id}", params={"lang": "en"}).text
    assert "Versions" in saved_en and "saved by erik" in saved_en
    assert "Size of the target group (people)" in saved_en and "Målgruppens storlek" not in \
        saved_en
