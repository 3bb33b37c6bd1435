"""Charts load their data on demand: a served page carries a placeholder per chart and the
chart's spec comes from the page's own URL with ``?diagram=ID&v=VERSION`` (cached, compressed);
the caption and table alternative stay in the page; the static site keeps the data inline."""

from __future__ import annotations

import html
import json
import re

from jamlik.portal._links import Links


def _sources(text: str) -> dict[str, str]:
    return {fig: html.unescape(src) for fig, src in re.findall(
        r'<div id="([^"]+)" class="plot[^"]*"[^>]*data-src="([^"]+)"', text)}


def test_a_chart_page_carries_placeholders_and_each_chart_its_own_cached_url(client) -> None:
    page = client.get("/indikator/N00957?omraden=2080")
    assert page.status_code == 200
    assert 'class="plot-spec"' not in page.text  # no chart data in the page
    sources = _sources(page.text)
    assert {"fig-karta", "fig-rang", "fig-trend"} <= set(sources)
    for fig, src in sources.items():
        # the page still says what each chart shows: its caption and the table under it
        assert f'id="{fig}-cap"' in page.text
        assert src.startswith("/indikator/N00957?omraden=2080&diagram=" + fig + "&v=")
        r = client.get(src, headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert r.headers["content-encoding"] == "gzip"  # compressed like every response
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        spec = r.json()
        assert spec["data"] and spec["layout"]["title"]["text"]
    trend = client.get(sources["fig-trend"]).json()
    assert [t["name"] for t in trend["data"]] == ["Falun", "Dalarnas län", "Riket"]


def test_a_chart_at_another_data_version_is_revalidated_and_an_unknown_one_is_404(client
                                                                                   ) -> None:
    src = _sources(client.get("/skillnader/2080").text)["fig-kon"]
    old = re.sub(r"v=[0-9a-f]+", "v=000000000000", src)
    r = client.get(old)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-cache"
    assert r.json() == client.get(src).json()
    missing = client.get("/skillnader/2080?diagram=fig-finns-inte")
    assert missing.status_code == 404 and "finns inte" in missing.json()["detail"]


def test_chart_urls_keep_repeated_parameters_and_drop_downloads() -> None:
    links = Links(current="/indikator/N00957", chart_version="abc",
                  query={"kon": "M", "format": "csv"},
                  pairs=[("kon", "K"), ("kon", "M"), ("format", "csv"), ("tabell", "x")])
    assert links.chart("fig-trend") == "/indikator/N00957?kon=K&kon=M&diagram=fig-trend&v=abc"
    assert Links(static=True, chart_version="abc").chart("fig-trend") is None
    assert Links(current="/").chart("fig-trend") is None  # no version: the data stays inline


def test_here_with_encodes_the_query_once_and_gives_what_here_gives() -> None:
    for static in (False, True):
        for query in ({}, {"indikator": "N1", "lang": "en"}, {"q": "å b&c"}):
            links = Links(static=static, lang="en", current="/skillnader/2080", query=query)
            link = links.here_with("indikator")
            for value in ("N00957", "a b&c", "ö"):
                assert link(value) == links.here(indikator=value)


def test_the_static_site_keeps_its_charts_data_in_the_page(sample_db, tmp_path) -> None:
    from jamlik.portal import build_site

    build_site(sample_db, tmp_path, areas=["2080"], workers=1)
    text = (tmp_path / "indikator" / "N00957.html").read_text(encoding="utf-8")
    specs = re.findall(r'class="plot-spec" data-target="([^"]+)">(.*?)</script>', text, re.S)
    assert {"fig-karta", "fig-rang", "fig-trend"} <= {fig for fig, _ in specs}
    assert all(json.loads(spec)["data"] for _, spec in specs)
    assert "data-src=" not in text
