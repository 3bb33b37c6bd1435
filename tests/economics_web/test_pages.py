"""The social-investment pages, mounted through the composition root."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient

from jamlik.app import create_app


@pytest.fixture(scope="module")
def client(sample_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    old = os.environ.get("JAMLIK_DATABASE_URL")
    os.environ["JAMLIK_DATABASE_URL"] = (
        f"sqlite:///{tmp_path_factory.mktemp('wf') / 'workflow.sqlite'}")
    app = create_app(sample_db_path, county="20", warm=False)
    try:
        with TestClient(app) as c:
            yield c
    finally:
        app.state.data.store.close()
        if old is None:
            os.environ.pop("JAMLIK_DATABASE_URL", None)
        else:
            os.environ["JAMLIK_DATABASE_URL"] = old


def test_falun_case_from_store_values_per_payer_at_2_10_15_years(client: TestClient) -> None:
    r = client.get("/ekonomi/fall", params={"kommun": "2080"})
    assert r.status_code == 200, r.text
    html = r.text
    # children 0–5 in Falun from the store (Kolada N01952, 2022: 3 970) × 0.15 = 596
    assert "invånare 0–5 år i 2080 2022: 3\u202f970" in html
    for payer in ("kommun", "region", "stat", "individ", "samhället"):
        for h in (2, 10, 15):
            assert f'data-payer="{payer}" data-years="{h}"' in html
    assert "95 % intervall" in html and "10000 Monte Carlo-dragningar" in html
    assert html.count('<svg class="chart"') == 3  # cumulative NPV, tornado, distribution
    assert "Diskontering" in html and "illustrativt" in html
    link = re.search(r'class="send-to-plan" href="([^"]+)"', html).group(1)
    url = urlparse(link.replace("&amp;", "&"))
    assert url.path == "/styrning/2080/plan"
    q = parse_qs(url.query)
    assert q["aktivitet"] == ["Föräldrastöd för familjer med barn 0–5 år"]
    assert float(q["budget"][0]) > 0


def test_own_values_are_shown_as_such_and_change_the_result(client: TestClient) -> None:
    base = client.get("/ekonomi/fall", params={"kommun": "2080"}).text
    own = client.get("/ekonomi/fall", params={"kommun": "2080", "d": "-0,5"}).text
    assert "(eget värde)" in own and "(eget värde)" not in base
    npv = re.compile(r'data-payer="samhället" data-years="15">(?:<td[^>]*>[^<]*</td>){4}'
                     r'<td class="num">([^<]+)</td>')
    assert npv.search(base).group(1) != npv.search(own).group(1)


@pytest.mark.parametrize(("params", "message"), [
    ({"kostnad": "-100"}, "negativ"),
    ({"risk": "1,5"}, "mellan 0 och 1"),
    ({"andel": "2"}, "mellan 0 och 1"),
    ({"d": "abc"}, "inget tal"),
    ({"kommun": "9999"}, "ingen känd kommunkod"),
])
def test_bad_input_is_a_swedish_error_and_no_number(client, params, message) -> None:
    r = client.get("/ekonomi/fall", params={"kommun": "2080", **params})
    assert r.status_code == 400
    assert message in r.text
    assert "data-payer=" not in r.text


def test_report_lists_every_assumption(client: TestClient) -> None:
    r = client.get("/ekonomi/fall/rapport", params={"kommun": "2080", "ranta": "0,035"})
    assert r.status_code == 200
    for text in ("Rapport för kommunstyrelsen", "Alla antaganden", "Målgruppens storlek",
                 "Diskonteringsränta", "eget värde", "Per betalare", "Trösklar",
                 "För varje satsad krona"):
        assert text in r.text, text


def test_fund_overview(client: TestClient) -> None:
    r = client.get("/ekonomi/fond", params={"ar": "2025"})
    assert r.status_code == 200
    assert "Föräldrastöd för familjer med barn 0–5 år" in r.text
    assert "Fondens saldo" in r.text and "8\u202f750\u202f000" in r.text
    assert "inte följt upp" not in r.text  # 2024–2025 are followed up
    assert "inte följt upp" in client.get("/ekonomi/fond", params={"ar": "2026"}).text


def test_plan_page_takes_the_activity_handed_over(client: TestClient) -> None:
    from jamlik.steering import SYSTEM

    wf = client.app.state.jamlik_steering.workflow
    wf.save_organisation(SYSTEM, "2080", "Falu kommun")
    wf.add_action_plan(SYSTEM, "2080", "Handlingsplan 2025")
    wf.create_user(SYSTEM, "erik", "editor", password="korrekt-häst-batteri")
    page = client.get("/styrning/logga-in").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = client.post("/styrning/logga-in", data={"username": "erik", "password":
                                                "korrekt-häst-batteri", "csrf_token": token,
                                                "next": "/styrning/"}, follow_redirects=False)
    assert r.status_code == 303
    html = client.get("/styrning/2080/plan", params={"aktivitet": "Föräldrastöd <b>",
                                                     "budget": "123"}).text
    assert 'id="ny-aktivitet"' in html
    assert 'value="Föräldrastöd &lt;b&gt;"' in html and 'value="123"' in html


def test_report_as_pdf_and_docx(client: TestClient) -> None:
    import io

    import docx
    import pypdf

    params = {"kommun": "2080", "ranta": "0,035"}
    page = client.get("/ekonomi/fall/rapport", params=params).text
    assert 'href="/ekonomi/fall/rapport.pdf?kommun=2080&amp;ranta=0%2C035"' in page
    r = client.get("/ekonomi/fall/rapport.pdf", params=params)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert 'filename="rapport-2080.pdf"' in r.headers["content-disposition"]
    reader = pypdf.PdfReader(io.BytesIO(r.content))
    assert 2 <= len(reader.pages) <= 6
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for words in ("Rapport för kommunstyrelsen", "Alla antaganden", "Diskonteringsränta",
                  "För varje satsad krona", "Falun", "sida 1 av"):
        assert words in text, words
    r = client.get("/ekonomi/fall/rapport.docx", params=params)
    assert r.status_code == 200 and r.content[:2] == b"PK"
    doc = docx.Document(io.BytesIO(r.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert {"Sammanfattning", "Per betalare", "Trösklar", "Alla antaganden"} <= set(headings)
    # every payer × horizon row and every assumption as a table (the charts' numbers too)
    per_payer = doc.tables[0]
    assert len(per_payer.rows) == 1 + 5 * 3
    assert any("Diskonteringsränta" in c.text for t in doc.tables for row in t.rows
               for c in row.cells)
    assert client.get("/ekonomi/fall/rapport.odt", params=params).status_code == 404
    bad = client.get("/ekonomi/fall/rapport.pdf", params={"kommun": "2080", "risk": "2"})
    assert bad.status_code == 400 and "mellan 0 och 1" in bad.text


def _visible(html: str) -> str:
    """The page's text without tags, scripts or the municipality picker (names are data)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r'<select id="f-kommun".*?</select>', "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_the_case_editor_speaks_english_with_lang_en_and_swedish_by_default(client) -> None:
    sv = client.get("/ekonomi/fall", params={"kommun": "2080"}).text
    en = client.get("/ekonomi/fall", params={"kommun": "2080", "lang": "en"}).text
    # the editor's labels, fieldsets, choices, payers, assumptions and charts
    for swedish, english in (
            ("Målgruppens storlek (antal personer)", "Size of the target group (people)"),
            ("Programkostnad 1", "Programme cost 1"),
            ("Kostnad för utfallet: lägg till en rad", "Cost of the outcome: add a row"),
            ("per deltagare och år", "per participant and year"),
            ("standardiserad medelskillnad (d)", "standardised mean difference (d)"),
            ("<td>samhället</td>", "<td>society</td>"), ("<td>kommun</td>", "<td>municipality</td>"),
            ("deltagare.", "participants."), ("Monte Carlo-dragningar, frö", "Monte Carlo draws"),
            ("Effektens start, varaktighet, avtagande", "Onset, duration and fade-out"),
            ("(kommun, drift, per deltagare)", "(municipality, running, per participant)"),
            ("Tomt fall", "Blank case"), (">år 0<", ">year 0<"),
            ("invånare 0–5 år (N01952)", "residents aged 0–5 (N01952)"),
            ("Diskontering: ett belopp år t", "A flow in year t is divided")):
        assert swedish in sv and english not in sv, swedish
        assert english in en and swedish not in en, english
    assert "effect (standardised mean difference (d))" in en  # the tornado's parameter names
    # Swedish words left on the English page are the case's own data (titles, sources)
    for word in ("Betalare", "Målgrupp", "Effektmått", "Belopp", "Slag", "uppstart", "drift",
                 "Räkna", "Rubrik", "Prisår"):
        assert word not in _visible(en), word


def test_the_fund_page_speaks_english_with_lang_en(client) -> None:
    sv = client.get("/ekonomi/fond", params={"ar": "2026"}).text
    en = client.get("/ekonomi/fond", params={"ar": "2026", "lang": "en"}).text
    for swedish, english in (("Uppföljning till och med", "Follow-up up to and including"),
                             ("Återföring:", "Repayment:"), ("Utfall saknas för", "No actual"),
                             ("inte följt upp", "not followed up"), ("beviljad", "approved"),
                             ("Besparing", "Saving"), ("Fondens saldo", "The fund's balance")):
        assert swedish in sv and english not in sv, swedish
        assert english in _visible(en) and swedish not in _visible(en), english
    assert "8,750,000" in en and "8\u202f750\u202f000" in sv  # numbers as each language writes them
