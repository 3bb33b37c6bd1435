from __future__ import annotations

from jamlik.portal._articles import ArticleLibrary, parse_article, parse_directive, render_markdown


def test_directive_parses_quoted_title() -> None:
    params = parse_directive('indicator=N00957 areas=2080,20 title="Ohälsotal i Falun"')
    assert params == {"indicator": "N00957", "areas": "2080,20", "title": "Ohälsotal i Falun"}


def test_front_matter_and_body() -> None:
    art = parse_article("x", "---\ntitle: T\ntarget_areas: halsoutfall\nindicators: N00957\n---\nText")
    assert art.title == "T"
    assert art.target_areas == ("halsoutfall",)
    assert art.indicators == ("N00957",)
    assert art.body == "Text"


def test_raw_html_and_javascript_links_are_not_rendered(app) -> None:
    views = app.state.views
    body = ('<script>alert(1)</script>\n\n<b>fet</b> [klick](javascript:alert(1))\n\n'
            "```chart\nindicator=N00957 areas=2080 years=2020-2022\n```\n")
    parts, figures = render_markdown(body, views, "sv")
    html = "".join(parts)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html
    assert 'href="javascript' not in html
    assert figures[0] is not None
    assert figures[0].spec["data"][0]["y"][-1] == 20.66  # Falun 2022


def test_broken_directive_shows_swedish_message(app) -> None:
    parts, figures = render_markdown("```chart indicator=FINNSINTE\n```\n", app.state.views, "sv")
    assert figures[0] is None
    assert "Diagrammet kunde inte visas" in parts[0] and "FINNSINTE" in parts[0]


def test_shipped_articles_render_all_their_charts(app) -> None:
    articles = ArticleLibrary.default().all()
    assert len(articles) >= 2
    for art in articles:
        parts, figures = render_markdown(art.body, app.state.views, "sv")
        charts = art.body.count("```chart")
        assert charts >= 1
        assert sum(f is not None for f in figures) == charts, art.slug
        assert "Diagrammet kunde inte visas" not in "".join(parts), art.slug


def test_unbalanced_quote_is_explained_in_swedish() -> None:
    import pytest

    with pytest.raises(ValueError, match="citattecken"):
        parse_directive('indicator=N00957 title="Ohälsotal')
