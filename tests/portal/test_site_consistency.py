"""The static site says what the server's pages say: every file equals the page the portal's
views render on their own (one page at a time, no prefetching, a fresh cache), with the
static site's relative links. The builder reads set-based (profiles, series and latest periods
for many areas and indicators at once), in worker processes, and drops what a job read: none
of that may change a byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from jamlik.catalog import KOLADA_ATTRIBUTION
from jamlik.portal import build_site
from jamlik.portal._articles import ArticleLibrary
from jamlik.portal._data import PortalData
from jamlik.portal._links import Links
from jamlik.portal._render import environment, render_page, table_bytes
from jamlik.portal._views import Page, Views
from jamlik.store import Store


@pytest.fixture(scope="module")
def built(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site-consistency")
    report = build_site(sample_db, out, areas=["2080", "2062", "20", "0000"], workers=2,
                        gzip=True)
    assert report.pages >= 80
    return out


@pytest.fixture(scope="module")
def views(sample_db: Path):
    store = Store(sample_db, read_only=True)
    yield Views(PortalData(store, "20"), ArticleLibrary.default())
    store.close()


def _alone(views: Views, rel: str) -> Page:
    kind, _, name = rel.partition("/")
    key = name.removesuffix(".html")
    if kind == "kommun":
        return views.area(key, "sv", None)
    if kind == "skillnader":
        return views.gaps(key, "sv", None)
    if kind == "faktablad":
        page = views.factsheet(key, "sv", views.area(key, "sv", None),
                               views.gaps(key, "sv", None))
        page.tables = {}
        return page
    if kind == "indikator":
        return views.indicator(key, "sv", [], "T")
    if kind == "amne":
        return views.target_area(key, "sv")
    assert rel == "index.html"
    return views.start("sv")


@pytest.mark.parametrize("rel", [
    "kommun/2080.html", "kommun/20.html", "kommun/0000.html", "skillnader/2080.html",
    "faktablad/2062.html", "indikator/N00957.html", "indikator/N00925.html",
    "indikator/medellivslangd.html", "amne/halsoutfall.html", "index.html"])
def test_static_file_equals_the_page_rendered_alone(built: Path, views: Views, rel: str) -> None:
    import gzip

    page = _alone(views, rel)
    links = Links(static=True, depth=rel.count("/"), current=rel.rsplit("/", 1)[-1])
    expected = render_page(environment(), page, links, "sv").encode("utf-8")
    path = built / rel
    assert path.read_bytes() == expected
    assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == expected
    for name, df in page.tables.items():
        body, _ = table_bytes(df, "csv", KOLADA_ATTRIBUTION)
        assert path.with_name(f"{path.stem}.{name}.csv").read_bytes() == body


def test_every_indicator_has_a_page_and_large_scripts_a_gzip(built: Path, views: Views) -> None:
    pages = {p.stem for p in (built / "indikator").glob("*.html")}
    assert pages == set(views.data.indicator_ids())
    for name in ("vendor/plotly.min.js", "kommun-geo.js", "search-index.js"):
        assert (built / "static" / f"{name}.gz").stat().st_size > 0
