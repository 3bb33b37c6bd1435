"""The gaps page (/skillnader/KOD) stays light with thousands of indicators, as the profile
does: grouped by målområde, a few rows per målområde with a link to the rest, one målområde in
pages, a filter; the download, the static site and the fact sheet's appendix keep every row."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-indicator="([^"]+)"><th scope="row">', html)


def _with_gap(client: TestClient, code: str) -> list[str]:
    """The indicators of the area's profile rows with a gap between women and men."""
    data = client.app.state.data
    return [r["indicator"] for r in data.row_dicts(data.profile_table(code), None)
            if r.get("sex_gap")]


def test_each_target_area_shows_a_few_gaps_and_links_the_rest(small_sections) -> None:  # noqa: ANN001
    html = small_sections.get("/skillnader/2080").text
    every = _with_gap(small_sections, "2080")
    sections = html.count('class="target-area-block"')
    assert sections >= 3
    rows = _rows(html)
    assert rows and len(rows) <= 2 * sections < len(every)
    assert set(rows) <= set(every)
    assert f"{len(rows)} av {len(every)} indikatorer visas" in html
    more = re.findall(r'href="(/skillnader/2080\?amne=-?\d+)"', html)
    assert more, "no link to the rest of a målområde"
    full = small_sections.get(more[0].replace("&amp;", "&")).text
    assert full.count('class="target-area-block"') == 1
    assert len(_rows(full)) > 2
    # the plain-Swedish explanation of the table and of the uncertainty stays
    assert "kvinnornas värde minus männens" in html and "Så läser du osäkerheten" in html
    assert "statistiskt säkerställd" in html


def test_one_target_area_of_gaps_is_paged(small_sections, monkeypatch) -> None:  # noqa: ANN001
    import jamlik.portal._views as views

    monkeypatch.setattr(views, "PAGE_ROWS", 2)
    html = small_sections.get("/skillnader/2080").text
    target = max(re.findall(r'/skillnader/2080\?amne=(-?\d+)', html),
                 key=lambda t: len(_rows(small_sections.get(f"/skillnader/2080?amne={t}").text)))
    first = small_sections.get(f"/skillnader/2080?amne={target}").text
    second = small_sections.get(f"/skillnader/2080?amne={target}&sida=2").text
    assert len(_rows(first)) == 2 and _rows(second)
    assert set(_rows(first)).isdisjoint(_rows(second))
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_the_gaps_filter_folds_case_and_diacritics(small_sections) -> None:  # noqa: ANN001
    html = small_sections.get("/skillnader/2080?q=OHALSOTAL").text
    assert "N00957" in _rows(html) and len(_rows(html)) < 5
    assert "N00957" in _rows(small_sections.get("/skillnader/2080?q=n00957").text)
    none = small_sections.get("/skillnader/2080?q=finnsintealls").text
    assert not _rows(none) and "matchar filtret" in none


def test_the_chart_follows_the_chosen_indicator_outside_the_rows_shown(small_sections) -> None:  # noqa: ANN001
    html = small_sections.get("/skillnader/2080").text
    hidden = [i for i in _with_gap(small_sections, "2080") if i not in _rows(html)]
    assert hidden
    page = small_sections.app.state.views.gaps("2080", "sv", hidden[0], limit=2)
    assert page.context["chosen"] == hidden[0]


def test_the_download_has_every_gap(small_sections) -> None:  # noqa: ANN001
    body = small_sections.get("/skillnader/2080?format=csv&tabell=skillnader").content
    text = body.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(
        "\n".join(line for line in text.splitlines() if not line.startswith("#"))),
        delimiter=";"))
    assert sorted(r["indikator"] for r in rows) == sorted(_with_gap(small_sections, "2080"))


def test_the_gaps_page_in_english(small_sections) -> None:  # noqa: ANN001
    html = small_sections.get("/skillnader/2080?lang=en").text
    assert "indicators shown" in html and "Filter the indicators" in html
    assert "grouped by target area" in html
    assert 'name="lang" value="en"' in html
    assert re.search(r'href="/skillnader/2080\?lang=en&amp;amne=-?\d+"', html)


def test_without_limit_every_gap_is_shown(small_sections) -> None:  # noqa: ANN001
    """The static site and the fact sheet's appendix call the view without a limit."""
    page = small_sections.app.state.views.gaps("2080", "sv", None)
    shown = [s["id"] for _, rows in page.context["target_areas"] for s in rows]
    assert sorted(shown) == sorted(_with_gap(small_sections, "2080"))
    assert sorted(s["id"] for s in page.context["summary"]) == sorted(shown)
