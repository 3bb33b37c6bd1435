"""The indicator index (/indikator) and a målområde's indicators (/amne/SLUG) stay light with
thousands of indicators: the first few per målområde with a link to the rest, pages, a filter;
the static site and the downloads keep every indicator."""

from __future__ import annotations

import re

import jamlik.portal._views as views


def _indicators(html: str) -> list[str]:
    return re.findall(r'<li><a href="/indikator/([^"?]+)"', html)


def _table_rows(html: str) -> list[str]:
    return re.findall(r'<tr><th scope="row"><a href="/indikator/([^"?]+)"', html)


def _assert_two_pages(client, path: str, rows) -> None:  # noqa: ANN001
    """Page 1 of ``path`` holds 2 rows (PAGE_ROWS patched to 2), page 2 others, linked both ways."""
    first = client.get(path).text
    second = client.get(path + ("&" if "?" in path else "?") + "sida=2").text
    assert len(rows(first)) == 2 and rows(second)
    assert set(rows(first)).isdisjoint(rows(second))
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_the_index_shows_a_few_per_target_area_and_links_the_rest(small_sections) -> None:  # noqa: ANN001
    every = small_sections.app.state.data.indicator_ids()
    html = small_sections.get("/indikator").text
    shown = _indicators(html)
    sections = len(re.findall(r'<section aria-labelledby="h-', html))
    assert sections >= 3 and len(shown) <= 2 * sections < len(every)
    assert f"{len(shown)} av " in html
    more = re.findall(r'href="(/indikator\?amne=-?\d+)"', html)
    assert more
    full = small_sections.get(more[0]).text
    assert len(_indicators(full)) > 2
    assert len(re.findall(r'<section aria-labelledby="h-', full)) == 1


def test_the_index_filter_and_pages(small_sections, monkeypatch) -> None:  # noqa: ANN001
    assert _indicators(small_sections.get("/indikator?q=OHALSOTAL").text) == ["N00957"]
    none = small_sections.get("/indikator?q=finnsintealls").text
    assert not _indicators(none) and "Inga indikatorer matchar filtret" in none
    monkeypatch.setattr(views, "PAGE_ROWS", 2)
    _assert_two_pages(small_sections, "/indikator?amne=0", _indicators)


def test_without_limit_the_index_lists_every_indicator(small_sections) -> None:  # noqa: ANN001
    page = small_sections.app.state.views.indicator_list("sv")
    listed = [i.id for _, inds in page.context["groups"] for i in inds]
    assert sorted(listed) == sorted(i.id for i in small_sections.app.state.data.indicators())
    assert len(page.tables["indikatorer"]) == len(listed)


def test_a_target_area_pages_its_indicators(small_sections, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(views, "PAGE_ROWS", 2)
    _assert_two_pages(small_sections, "/amne/halsoutfall", _table_rows)
    assert "N00957" in _table_rows(small_sections.get("/amne/halsoutfall?q=ohälsotal").text)
    # the download has every indicator of the målområde, whatever the page shows
    data = small_sections.app.state.data
    inds = data.indicators_in(data.target_area("halsoutfall").id)
    csv = small_sections.get("/amne/halsoutfall?format=csv&tabell=indikatorer").text
    assert all(i.id in csv for i in inds) and len(inds) > 2


def test_without_limit_a_target_area_shows_every_indicator(small_sections) -> None:  # noqa: ANN001
    data = small_sections.app.state.data
    page = small_sections.app.state.views.target_area("halsoutfall", "sv")
    inds = data.indicators_in(data.target_area("halsoutfall").id)
    assert [r["id"] for r in page.context["rows"]] == [i.id for i in inds]


def test_the_lists_in_english(small_sections) -> None:  # noqa: ANN001
    html = small_sections.get("/indikator?lang=en").text
    assert "Filter the indicators" in html and "indicators shown" in html
    assert re.search(r'href="/indikator\?lang=en&amp;amne=-?\d+"', html)
    assert "Filter the indicators" in small_sections.get("/amne/halsoutfall?lang=en").text


def test_the_compare_picker_groups_every_indicator_by_target_area(small_sections) -> None:  # noqa: ANN001
    html = small_sections.get("/jamfor?omraden=2080,20&indikator=N00957").text
    picker = html.split('<select id="indikator"', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'<option value="([^"]+)"', picker)
    every = [i.id for i in small_sections.app.state.data.indicators()]
    assert sorted(options) == sorted(every)
    assert picker.count("<optgroup") >= 3 and 'value="N00957" selected' in picker
