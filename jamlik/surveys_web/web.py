"""Survey pages under ``/enkater``:

- ``/enkater/`` — the areas with published survey results;
- ``/enkater/{område}`` — per question: girls, boys and all by grade with 95 % intervals,
  respondents and response rate, the county beside a municipality, the trend over waves, and
  a chart (dots and intervals; the table holds the same figures);
- ``/enkater/{område}.csv`` — the published rows of the area, formula-escaped.

Only published aggregates are read (``jamlik.surveys.published_groups`` and the store's
observations); suppressed cells arrive without a value and are shown as "för få svar".
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from jamlik.format import fmt_num, safe_table
from jamlik.language import in_language, is_default, other_language, word
from jamlik.store import Store
from jamlik.surveys import SurveyGroup, published_groups
from jamlik.surveys._definition import GRADES
from jamlik.surveys_web._words import WORDS
from jamlik.web import language, template_loader, translator
from jamlik.web.charts import marker, svg_document
from jamlik.web.pages import Page, render_page
from jamlik.web.palette import AXIS, GRID
from jamlik.web.palette import MEN as MALE
from jamlik.web.palette import WOMEN as FEMALE

PREFIX = "/enkater"
router = APIRouter(prefix=PREFIX, include_in_schema=False)
_RATE = re.compile(r"Svarsfrekvens (\d+) %")
_GRADES_EN = {"F": "preschool class", "4": "year 4", "7": "year 7", "gy1": "upper secondary 1"}

_env = Environment(loader=template_loader(PackageLoader("jamlik.surveys_web", "templates")),
                   autoescape=select_autoescape(["html"]))


@dataclass
class _State:
    store: Store | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)


_state = _State()


def configure(app: FastAPI, *, store: Store, store_lock: threading.RLock) -> None:
    """Hand the pages the portal's store and its lock."""
    _state.store, _state.lock = store, store_lock
    app.state.surveys_web = _state


@dataclass(frozen=True)
class Cell:
    value: float | None
    lower: float | None
    upper: float | None
    n: int | None
    rate: int | None
    suppressed: bool


def _cell(row: pd.Series | None) -> Cell | None:
    if row is None:
        return None
    if bool(row["suppressed"]) or pd.isna(row["value"]):
        return Cell(None, None, None, None, None, True)
    note = row["note"] if isinstance(row["note"], str) else ""
    rate = _RATE.search(note)
    return Cell(float(row["value"]), float(row["lower"]), float(row["upper"]),
                None if pd.isna(row["denominator"]) else int(row["denominator"]),
                int(rate.group(1)) if rate else None, False)


def _names(store: Store) -> dict[str, str]:
    """Area code → name, as the store (and so every other page) names them."""
    areas = store.areas()
    return dict(zip(areas["code"].astype(str), areas["name"].astype(str), strict=True))


def _render(request: Request, template: str, lang: str, **ctx: Any) -> HTMLResponse:  # noqa: ANN401
    t = translator(lang, WORDS)
    other = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if not is_default(other_language(lang)):
        other.append(("lang", other_language(lang)))
    switch = request.url.path + ("?" + urlencode(other) if other else "")

    def link(path: str) -> str:
        return f"{PREFIX}{path}{t.query}"

    def num(value: float | None) -> str:
        return fmt_num(value, lang, decimals=0)

    def grade_name(g: str) -> str:
        return in_language(lang, GRADES[g], _GRADES_EN[g])

    page = Page(template, str(ctx.get("title", "")), ctx, status=int(ctx.get("status", 200)))
    html = render_page(_env, page, lang, t, link=link, num=num, grade_name=grade_name,
                       switch_language=switch)
    return HTMLResponse(html, status_code=page.status)


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    lang = language(request.query_params.get("lang"))
    store = _require_store()
    with _state.lock:
        groups = published_groups(store)
        ids = [i for g in groups for i in g.indicators.values()]
        areas = sorted(set(store.observations(ids)["area"].astype(str))) if ids else []
        names = _names(store)
    return _render(request, "surveys_index.html", lang, title=word(WORDS["surveys"], lang),
                   areas=[(a, names.get(a, a)) for a in areas], groups=groups)


def _require_store() -> Store:
    if _state.store is None:  # pragma: no cover - configure() runs at the composition root
        raise HTTPException(503)
    return _state.store


@router.get("/{area}.csv")
def download(area: str) -> Response:
    store = _require_store()
    with _state.lock:
        code = _resolve(store, area)
        groups = published_groups(store)
        ids = [i for g in groups for i in g.indicators.values()]
        frame = store.observations(ids, areas=code) if ids else pd.DataFrame()
    if frame.empty:
        raise HTTPException(404)
    titles = {i: f"{g.title_sv}, {GRADES[grade]}" for g in groups
              for grade, i in g.indicators.items()}  # no second lookup per indicator
    out = pd.DataFrame({
        "indikator": frame["indicator"], "titel": frame["indicator"].map(titles),
        "område": frame["area"], "områdesnamn": frame["area_name"],
        "omgång": frame["period"], "kön": frame["sex"],
        "värde": frame["value"].where(~frame["suppressed"]),
        "nedre": frame["lower"].where(~frame["suppressed"]),
        "övre": frame["upper"].where(~frame["suppressed"]),
        "svarande": frame["denominator"].where(~frame["suppressed"]),
        "undertryckt": frame["suppressed"].map({True: "ja", False: "nej"}),
        "metod": frame["note"]})
    buffer = io.StringIO()
    safe_table(out).to_csv(buffer, index=False)
    attribution = {g.attribution for g in groups if g.attribution} or {"Källa: egen enkät"}
    buffer.write("# " + "; ".join(sorted(attribution)) + ". Bearbetning: jamlik.\n")
    return Response(buffer.getvalue().encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="enkater-{code}.csv"'})


def _resolve(store: Store, area: str) -> str:
    try:
        return store.resolve_area(area)
    except (KeyError, ValueError):
        raise HTTPException(404) from None


@router.get("/{area}", response_class=HTMLResponse)
def area_page(request: Request, area: str) -> HTMLResponse:
    lang = language(request.query_params.get("lang"))
    store = _require_store()
    with _state.lock:
        code = _resolve(store, area)
        groups = published_groups(store)
        ids = [i for g in groups for i in g.indicators.values()]
        county = store.county_of(code) if len(code) == 4 else None
        wanted = [code] + ([county] if county else [])
        frame = store.observations(ids, areas=wanted) if ids else pd.DataFrame()
        names = _names(store)
    if frame.empty or not (frame["area"] == code).any():
        return _render(request, "surveys_area.html", lang, title=names.get(code, code),
                       code=code, sections=[], status=404)
    latest = int(frame.loc[frame["area"] == code, "period"].max())
    sections = [_section(g, frame, code, county, latest, lang) for g in groups]
    sections = [s for s in sections if s is not None]
    synthetic = any("syntetisk" in (g.attribution or "") for g in groups)
    return _render(request, "surveys_area.html", lang, title=names.get(code, code), code=code,
                   county_name=names.get(county or "", ""), latest=latest, sections=sections,
                   synthetic=synthetic, sources=sorted({g.attribution for g in groups
                                                        if g.attribution}))


def _section(group: SurveyGroup, frame: pd.DataFrame, code: str, county: str | None,
             latest: int, lang: str) -> dict[str, Any] | None:
    def pick(ind: str, area: str, sex: str, period: int) -> pd.Series | None:
        rows = frame[(frame["indicator"] == ind) & (frame["area"] == area)
                     & (frame["sex"] == sex) & (frame["period"] == period)]
        return None if rows.empty else rows.iloc[0]

    rows = []
    for grade, ind in group.indicators.items():
        cells = {s: _cell(pick(ind, code, s, latest)) for s in ("K", "M", "T")}
        if all(c is None for c in cells.values()):
            continue
        rows.append({"grade": grade, "cells": cells,
                     "county": _cell(pick(ind, county, "T", latest)) if county else None})
    if not rows:
        return None
    periods = sorted(int(p) for p in frame.loc[
        frame["indicator"].isin(group.indicators.values()) & (frame["area"] == code),
        "period"].unique())
    trend = []
    if len(periods) > 1:
        for grade, ind in group.indicators.items():
            trend.append({"grade": grade,
                          "cells": [_cell(pick(ind, code, "T", p)) for p in periods]})
    title = in_language(lang, group.title_sv, group.title_en)
    return {"key": group.key, "title": title, "rows": rows, "periods": periods, "trend": trend,
            "chart": _chart(rows, title, lang)}


def _chart(rows: list[dict[str, Any]], title: str, lang: str = "sv") -> Markup:
    """Dots with 95 % intervals by grade: girls circles, boys squares (shape as well as colour).
    The table beside it holds the same figures; the <desc> says how the marks are read."""
    width, height, left, top, bottom = 360, 180, 34, 10, 30
    plot_h = height - top - bottom
    step = (width - left - 10) / max(len(rows), 1)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / 100)

    parts = [f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - 5}" y2="{y(0):.1f}" '
             f'stroke="{AXIS}"/>']
    for tick in (0, 50, 100):
        parts.append(f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" '
                     f'font-size="10">{tick}</text>')
        parts.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - 5}" y2="{y(tick):.1f}" '
                     f'stroke="{GRID}"/>')
    for i, row in enumerate(rows):
        cx = left + step * (i + 0.5)
        parts.append(f'<text x="{cx:.1f}" y="{height - 10}" text-anchor="middle" '
                     f'font-size="11">{row["grade"]}</text>')
        for offset, sex, colour, shape in ((-8, "K", FEMALE, "circle"),
                                           (8, "M", MALE, "square")):
            c = row["cells"][sex]
            if c is None or c.suppressed or c.value is None:
                continue
            x = cx + offset
            parts.append(f'<line x1="{x:.1f}" y1="{y(c.lower):.1f}" x2="{x:.1f}" '
                         f'y2="{y(c.upper):.1f}" stroke="{colour}" stroke-width="2"/>')
            parts.append(marker(x, y(c.value), colour, shape, 4))
    return Markup(svg_document(width, height, title, parts, desc=word(WORDS["legend"], lang),
                               css_class="survey-chart", sized=False))
