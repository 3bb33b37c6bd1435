"""Survey pages: published results by grade and sex with limits and response rates, the county
beside a municipality, trends over waves, suppression, downloads, English."""

from __future__ import annotations

import csv
import io
import re

import jamlik
from jamlik.surveys_web import WORDS
from jamlik.web import missing_texts


def test_every_word_has_swedish_and_english() -> None:
    assert missing_texts(WORDS) == []


def test_index_lists_the_municipalities_and_the_county(client) -> None:
    page = client.get("/enkater/").text
    codes = set(re.findall(r'href="/enkater/(\d{2,4})"', page))
    assert len(codes) == 16 and "20" in codes and "2080" in codes
    assert ">Falun<" in page


def test_falun_shows_every_question_by_grade_and_sex_with_limits(client, survey_db) -> None:
    page = client.get("/enkater/2080").text
    assert page.count('class="survey-section"') == 4
    assert "Andel som mår ganska/mycket bra" in page and "Dalarnas län" in page
    assert "syntetisk (påhittad)" in page  # the synthetic wave says so
    section = page.split('id="q-enkat_elsa_syntetisk_halsa"')[1].split("</section>")[0]
    with jamlik.open(survey_db, read_only=True) as store:
        obs = store.observations("enkat_elsa_syntetisk_halsa_7", areas="2080", years=2026,
                                 sex="K").iloc[0]
    # the page shows the stored value and interval with the indicator's precision (whole %)
    row = section.split("år 7</th>")[1].split("</tr>")[0]
    assert f"{round(obs['value'])} %" in row
    assert f"{round(obs['lower'])}–{round(obs['upper'])}" in row
    assert "svarsfrekvens" in row and "svarande" in row
    # the chart draws girls as circles and boys as squares (shape as well as colour)
    chart = re.search(r'<svg class="survey-chart".*?</svg>', section, re.S).group(0)
    assert "<circle" in chart and "<rect" in chart and 'role="img"' in chart
    # two waves: the trend table over time
    assert "Över tid" in section and ">2025<" in section and ">2026<" in section


def test_suppressed_cells_show_no_number(client, survey_db) -> None:
    with jamlik.open(survey_db, read_only=True) as store:
        obs = store.observations(None, years=2026)
    hidden = obs[obs["indicator"].str.startswith("enkat_") & obs["suppressed"]]
    assert not hidden.empty
    area = hidden.iloc[0]["area"]
    page = client.get(f"/enkater/{area}").text
    assert "för få svar" in page and "färre än 5 svarande" in page


def test_download_is_the_published_rows_formula_escaped(client) -> None:
    response = client.get("/enkater/2080.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    header, body = rows[0], [r for r in rows[1:] if not r[0].startswith("#")]
    assert header[:3] == ["indikator", "titel", "område"]
    assert {r[2] for r in body} == {"2080"}
    hidden = [r for r in body if r[header.index("undertryckt")] == "ja"]
    assert all(r[header.index("värde")] == "" for r in hidden)
    assert "Källa: egen enkät" in rows[-1][0]


def test_english_and_unknown_areas(client) -> None:
    page = client.get("/enkater/2080?lang=en").text
    assert "Student health and own surveys" in page and "Girls" in page and "year 7" in page
    assert client.get("/enkater/2080").headers["content-type"].startswith("text/html")
    assert client.get("/enkater/9999").status_code == 404
    # Riket has no published survey results: a clear page, not an error
    page = client.get("/enkater/0000")
    assert page.status_code == 404 and "inga publicerade enkätresultat" in page.text
