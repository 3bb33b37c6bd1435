"""The profile page stays light with thousands of indicators: a few rows per målområde with a
link to the rest, one målområde in pages, and a filter; the static site and the fact sheet
still show every row."""

from __future__ import annotations

import re


def _rows(html: str) -> list[str]:
    """The profile table's rows (the similar-group table repeats the indicators shown)."""
    return list(dict.fromkeys(re.findall(r'<tr data-indicator="([^"]+)"', html)))


def test_each_target_area_shows_a_few_rows_and_links_the_rest(small_sections) -> None:  # noqa: ANN001
    html = small_sections.get("/kommun/2080").text
    sections = html.count('class="target-area-block"')
    assert sections >= 3
    assert len(_rows(html)) <= 2 * sections
    more = re.findall(r'href="(/kommun/2080\?amne=\d+)"', html)
    assert more, "no link to the rest of a målområde"
    full = small_sections.get(more[0]).text
    assert full.count('class="target-area-block"') == 1
    assert len(_rows(full)) > 2


def test_one_target_area_is_paged(small_sections, monkeypatch) -> None:  # noqa: ANN001
    import jamlik.portal._views as views

    monkeypatch.setattr(views, "PAGE_ROWS", 2)
    html = small_sections.get("/kommun/2080").text
    target = re.findall(r'/kommun/2080\?amne=(\d+)', html)[0]
    first = small_sections.get(f"/kommun/2080?amne={target}").text
    second = small_sections.get(f"/kommun/2080?amne={target}&sida=2").text
    assert len(_rows(first)) == 2 and _rows(second) and set(_rows(first)).isdisjoint(_rows(second))
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_filter_folds_case_and_diacritics(small_sections) -> None:  # noqa: ANN001
    html = small_sections.get("/kommun/2080?q=OHALSOTAL").text
    rows = _rows(html)
    assert rows and "N00957" in rows
    assert all(r.startswith(("N", "U", "medel")) for r in rows)
    assert len(rows) < 10
    assert "N00957" in _rows(small_sections.get("/kommun/2080?q=n00957").text)


def test_without_limit_every_row_is_shown(small_sections) -> None:  # noqa: ANN001
    """The static site and the fact sheet call the view without a limit."""
    from jamlik.portal._views import Views

    data = small_sections.app.state.data
    page = Views(data, small_sections.app.state.views.articles).area("2080", "sv", None) \
        if hasattr(small_sections.app.state, "views") else None
    if page is None:
        from jamlik.portal._articles import ArticleLibrary

        page = Views(data, ArticleLibrary.default()).area("2080", "sv", None)
    shown = sum(len(rows) for _, rows in page.context["target_areas"])
    assert shown == len(data.profile("2080"))
