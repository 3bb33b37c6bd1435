"""Pages of the areas below the municipality, under ``/omraden``:

- ``/omraden/`` — the municipalities, Dalarna's (with maps) first;
- ``/omraden/{kommun}`` — the DeSO map (inline SVG choropleth), the districts, the
  områdestyp gradient of the shipped DeSO indicators with limits, and the segregation measures
  over DeSO and RegSO side by side (the areal unit named, MAUP explained);
- ``/omraden/{kommun}/{deso}`` — one district's profile beside the municipality, county, nation;
- ``/omraden/{kommun}/korstabell`` — the cross-table builder over synthetic persons of the
  municipality, with CSV/XLSX exports: disclosure control always on (threshold ≥ 5), formulas
  escaped, nothing under the threshold shown or exported;
- ``/omraden/{kommun}/granser.geojson`` — the boundaries as GeoJSON.

Reads the shared store when it holds the districts; otherwise a private in-memory store
with the shipped DeSO/RegSO data (loaded once, ~1 s), so the pages work on any portal.
"""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import duckdb
import pandas as pd
from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from jamlik import catalog
from jamlik.areas import TOTAL, crosstab
from jamlik.areas import districts as d
from jamlik.areas.boundaries import boundaries, has_boundaries, load_shipped_boundaries
from jamlik.areas.gradient import LIMITED, area_type_gradient
from jamlik.areas.profiles import district_profile
from jamlik.areas.segregation import segregation
from jamlik.areas.synthetic import synthetic_persons
from jamlik.areas_web import _map
from jamlik.areas_web._words import AREA_TYPE_NAMES, DIMENSIONS, MEASURES, WORDS
from jamlik.format import fmt_num, safe_table
from jamlik.language import index, is_default, other_language
from jamlik.store import Store
from jamlik.web import install_globals, language, template_loader, translator
from jamlik.web.cache import BoundedCache

PREFIX = "/omraden"
router = APIRouter(prefix=PREFIX, include_in_schema=False)
#: the web builder never goes below the default threshold (a URL cannot turn protection off)
MIN_THRESHOLD = 5
SOURCE = "Källa: SCB (DeSO/RegSO, områdestyp; CC0), Kolada (RKA) för DeSO-namnen. Bearbetning: jamlik."

_env = Environment(loader=template_loader(PackageLoader("jamlik.areas_web", "templates")),
                   autoescape=select_autoescape(["html"]))
install_globals(_env)


class _State:
    """Per app: the portal's store and lock, and the caches (keyed on the store read)."""

    def __init__(self, shared: Store | None, shared_lock: threading.RLock | None) -> None:
        self.shared = shared
        self.shared_lock = shared_lock
        self.cache: BoundedCache[Any] = BoundedCache(max_entries=256, max_bytes=32 * 2**20)
        self.persons: BoundedCache[pd.DataFrame] = BoundedCache(max_entries=8)


#: the private store with the shipped data, for portals whose store lacks the districts; one
#: per process (the shipped data never change), read under its own lock
_private: list[Store] = []
_private_lock = threading.RLock()


def configure(app: FastAPI, *, store: Store | None = None,
              store_lock: threading.RLock | None = None) -> None:
    """Hand the pages the portal's store (used when it holds the districts) and its lock."""
    app.state.areas_web = _State(store, store_lock)

    async def not_found(request: Request, exc: Exception) -> Response:
        word = exc.word if isinstance(exc, _NotFound) else "unknown_district"
        return _not_found(request, language(request.query_params.get("lang")), word)

    app.add_exception_handler(_NotFound, not_found)


def _state(request: Request) -> _State:
    state: _State = request.app.state.areas_web
    return state


def _has_districts(store: Store) -> bool:
    try:
        return bool(store.scalar("SELECT count(*) > 0 FROM district_areas WHERE source = ?",
                                 [d.SHIPPED])) and has_boundaries(store)
    except (duckdb.Error, ValueError):
        return False


class _Session:
    """The store to read (shared when it has the districts, else private) under its lock."""

    def __init__(self, request: Request) -> None:
        self.state = _state(request)

    def __enter__(self) -> Store:
        shared, lock = self.state.shared, self.state.shared_lock
        if shared is not None and lock is not None:
            lock.acquire()
            if _has_districts(shared):
                self._lock = lock
                return shared
            lock.release()
        _private_lock.acquire()
        self._lock = _private_lock
        if not _private:
            private = Store(":memory:")
            d.load_districts(private)
            load_shipped_boundaries(private)
            _private.append(private)
        return _private[0]

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def _names() -> dict[str, str]:
    df = catalog.municipalities()
    return dict(zip(df["code"], df["name"], strict=True))


def _county_names() -> dict[str, str]:
    df = catalog.counties()
    return {str(c)[-2:]: n for c, n in zip(df["code"], df["name"], strict=True)}


def _render(request: Request, template: str, lang: str, **ctx: Any) -> HTMLResponse:  # noqa: ANN401
    t = translator(lang, WORDS)
    other = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if not is_default(other_language(lang)):
        other.append(("lang", other_language(lang)))
    switch = request.url.path + ("?" + urlencode(other) if other else "")

    def num(value: object, decimals: int | None = 1) -> str:
        return fmt_num(value, lang, decimals=decimals)

    def link(path: str, **params: str) -> str:
        if not is_default(lang):
            params["lang"] = lang
        query = urlencode({k: v for k, v in params.items() if v})
        return PREFIX + path + ("?" + query if query else "")

    html = _env.get_template(template).render(
        t=t, lang=lang, switch_language=switch, num=num, link=link, source=SOURCE,
        area_type_names=AREA_TYPE_NAMES, **ctx)
    return HTMLResponse(html)


class _NotFound(Exception):
    def __init__(self, word: str) -> None:
        self.word = word


def _municipality(store: Store, kommun: str) -> str:
    code = kommun.strip()
    if not re.fullmatch(r"\d{4}", code) or not store.scalar(
            "SELECT count(*) > 0 FROM district_areas WHERE kind = 'deso' AND municipality = ?",
            [code]):
        raise _NotFound("unknown_municipality")
    return code


def _not_found(request: Request, lang: str, word: str) -> HTMLResponse:
    """A 404 page with the reason in plain words (the portal's generic 404 would hide it)."""
    t = translator(lang, WORDS)
    page = _render(request, "error.html", lang, title=t("districts"), message=t(word))
    page.status_code = 404
    return page


@router.get("/", response_class=HTMLResponse)
def index_page(request: Request, lang: str | None = None) -> HTMLResponse:
    lng = language(lang)
    with _Session(request) as store:
        with_maps = sorted({r[0] for r in store.execute(
            "SELECT DISTINCT substr(code, 1, 4) FROM district_boundaries").fetchall()})
        counts = dict(store.execute(
            "SELECT municipality, count(*) FROM district_areas WHERE kind = 'deso' AND "
            "vintage = 2018 GROUP BY 1").fetchall())
    names = _names()
    counties = _county_names()
    by_county: dict[str, list[tuple[str, str, int]]] = {}
    for code, name in sorted(names.items()):
        by_county.setdefault(code[:2], []).append((code, name, int(counts.get(code, 0))))
    return _render(request, "index.html", lng, title=translator(lng, WORDS)("districts"),
                   with_maps=[(c, names.get(c, c)) for c in with_maps], by_county=by_county,
                   counties=counties)


def _gradients(state: _State, store: Store, code: str) -> list[dict[str, Any]]:
    out = []
    for var, (year, sv, en) in d.VALUE_VARIABLES.items():
        if var == "pop":
            continue
        def make(v: str = var) -> Any:  # noqa: ANN401 - a Gradient
            return area_type_gradient(store, code, v)

        try:
            g = state.cache.get_or_make(("gradient", id(store), code, var), make)
        except ValueError:
            continue
        out.append({"variable": var, "label": (sv, en), "year": year, "g": g,
                    "limited": var in LIMITED})
    return out


def _own_areas(store: Store, code: str) -> list[dict[str, Any]]:
    """The municipality's own divisions (NYKO, own districts), newest vintage of each, with
    their member DeSO and, where imported, a map."""
    out = []
    for kind in ("nyko", "custom"):
        try:
            listing = d.districts(store, kind, code)
        except ValueError:
            continue  # none imported
        vintage = int(listing["vintage"].iloc[0])
        members = dict(store.execute(
            "SELECT to_code, string_agg(from_code, ', ' ORDER BY from_code) FROM district_keys "
            "WHERE kind = ? AND to_vintage = ? AND relation = 'member' GROUP BY 1",
            [kind, vintage]).fetchall())
        collection = boundaries(store, kind, code, vintage=vintage)
        palette = _map.SEQUENTIAL[1:]
        fill = {c: palette[i % len(palette)] for i, c in enumerate(listing["code"])}
        anchor = f"#own-{kind}-"
        svg = _map.svg(collection, fill, title=f"{d.LABEL[kind]} {vintage}",
                       href=anchor.__add__,
                       label=lambda p: f"{p.get('name', p['code'])} ({p['code']})"
                       ) if collection["features"] else ""
        out.append({"kind": kind, "label": d.LABEL[kind], "vintage": vintage,
                    "areas": listing, "members": members, "svg": Markup(svg)})
    return out


@router.get("/{kommun}", response_class=HTMLResponse)
def municipality_page(request: Request, kommun: str, indikator: str = "low_econ",
                      grupp: str = "foreign_background", lang: str | None = None) -> HTMLResponse:
    lng = language(lang)
    t = translator(lng, WORDS)
    idx = index(lng)
    with _Session(request) as store:
        code = _municipality(store, kommun)
        deso = d.districts(store, "deso", code)
        regso = d.districts(store, "regso", code, vintage=d.BASE_VINTAGE["regso"])
        collection = boundaries(store, "deso", code)
        vintage = int(deso["vintage"].iloc[0])
        values: dict[str, float] = {}
        if vintage == 2025:
            values = {r[0]: float(r[1]) for r in store.execute(
                "SELECT code, value FROM district_values WHERE kind = 'deso' AND vintage = 2025 "
                "AND variable = ? AND substr(code, 1, 4) = ?", [indikator, code]).fetchall()}
        gradients = _gradients(_state(request), store, code)
        own = _own_areas(store, code)
        group = grupp if grupp in d.GROUPS else "foreign_background"

        def over_time() -> list[dict[str, Any]]:
            tables = []
            for year in d.count_years(store, municipalities=[code]):
                try:
                    rows = segregation(store, code, group=group, year=year)
                except ValueError:
                    continue  # the group is not counted that year (education: 2022 only)
                by_measure: dict[str, dict[str, Any]] = {}
                for r in rows:
                    by_measure.setdefault(r["measure"], {"measure": r["measure"]})[r["unit"]] = r
                tables.append({"year": year, "rows": list(by_measure.values()),
                               "units": {r["unit"]: (r["units"], r["vintage"]) for r in rows}})
            return tables

        seg = _state(request).cache.get_or_make(("segregation", id(store), code, group), over_time)
    choices = [(v, lab[idx + 1]) for v, lab in d.VALUE_VARIABLES.items()]
    colour_by = indikator if indikator in d.VALUE_VARIABLES else "area_type"
    names = {r.code: r.name for r in deso.itertuples()}
    types = {r.code: (None if pd.isna(r.area_type) else int(r.area_type))
             for r in deso.itertuples()}
    decimals = 0 if colour_by == "pop" else 1
    if colour_by == "area_type" or not values:
        fill = {c: _map.AREA_TYPE_COLOURS.get(ty or 0, _map.MISSING) for c, ty in types.items()}
        legend = [_map.LegendEntry(_map.AREA_TYPE_COLOURS[k], f"{k} {AREA_TYPE_NAMES[k][idx]}")
                  for k in sorted(_map.AREA_TYPE_COLOURS) if k in types.values()]
        colour_by = "area_type"
    else:
        limits = _map.classes(values.values())
        fill = {c: _map.colour_for(values.get(c), limits) for c in names}
        legend = _map.legend(values.values(), limits, lambda v: fmt_num(v, lng, decimals=decimals))
    label_text = (t("area_type") if colour_by == "area_type"
                  else d.VALUE_VARIABLES[colour_by][idx + 1])

    def feature_label(props: Mapping[str, Any]) -> str:
        c = props["code"]
        shown = (f"{t('area_type')} {types.get(c) or '–'}" if colour_by == "area_type"
                 else f"{label_text}: {fmt_num(values.get(c), lng, decimals=decimals)}")
        return f"{names.get(c, c)} ({c}) – {shown}"

    lang_q = translator(lng).query
    svg = _map.svg(collection, fill, title=f"{t('map_of')} {_names().get(code, code)}: "
                   f"{label_text}", href=lambda c: f"{PREFIX}/{code}/{c}{lang_q}",
                   label=feature_label, desc=t("map_help")) if collection["features"] else ""
    return _render(
        request, "municipality.html", lng,
        title=f"{_names().get(code, code)} – {t('districts')}", code=code,
        name=_names().get(code, code), deso=deso, regso=regso, vintage=vintage,
        map_svg=Markup(svg), legend=legend, colour_by=colour_by, choices=choices,
        values=values, decimals=decimals, label_text=label_text, gradients=gradients,
        seg_tables=seg, own=own,
        group=group, groups=list(d.GROUPS), measures=MEASURES, idx=idx)


@router.get("/{kommun}/granser.geojson")
def boundaries_geojson(request: Request, kommun: str) -> Response:
    with _Session(request) as store:
        code = _municipality(store, kommun)
        collection = boundaries(store, "deso", code)
    return Response(json.dumps(collection, ensure_ascii=False),
                    media_type="application/geo+json")


def _table_bytes(frame: pd.DataFrame, fmt: str) -> tuple[bytes, str]:
    frame = safe_table(frame)
    if fmt == "csv":
        text = frame.to_csv(index=False, sep=";", lineterminator="\n") + f"# {SOURCE}\n"
        return ("\ufeff" + text).encode("utf-8"), "text/csv; charset=utf-8"
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="korstabell")
        pd.DataFrame({"källa": [SOURCE]}).to_excel(writer, index=False, sheet_name="källa")
    return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/{kommun}/korstabell", response_class=HTMLResponse)
def crosstab_page(request: Request, kommun: str, dim: list[str] = Query(default=[]),  # noqa: B008
                  troskel: str = str(MIN_THRESHOLD), avrunda: str = "",
                  format: str = "html", lang: str | None = None) -> Response:
    lng = language(lang)
    t = translator(lng, WORDS)
    threshold = int(troskel) if troskel.strip().isdigit() else -1
    rounding = int(avrunda) if avrunda.strip().isdigit() else (None if not avrunda else -1)
    if format not in ("html", "csv", "xlsx"):
        raise HTTPException(400, t("bad_format"))
    chosen = [x for x in dim if x]
    unknown = [x for x in chosen if x not in DIMENSIONS]
    error = None
    if threshold < MIN_THRESHOLD or threshold > 1000:
        error, threshold = t("bad_threshold"), MIN_THRESHOLD
    elif rounding is not None and rounding not in (1, 5, 10):
        error, rounding = t("bad_rounding"), None
    elif unknown:
        error = t("unknown_dimension").format(dims=", ".join(unknown),
                                              known=", ".join(DIMENSIONS))
    with _Session(request) as store:
        code = _municipality(store, kommun)
        persons = _state(request).persons.get_or_make((id(store), code),
                                             lambda: synthetic_persons(store, code))
    result = None
    if chosen and not error:
        try:
            result = crosstab(persons, chosen, threshold=threshold, rounding=rounding)
        except ValueError as exc:
            error = str(exc)
    if error and format != "html":
        raise HTTPException(400, error)
    if result is not None and format in ("csv", "xlsx"):
        table = result.table.copy()
        table["n"] = table["n"].astype(object).where(table["n"].notna(), "..")
        table = table.rename(columns={"n": "antal", "suppressed": "skyddad", "reason": "skäl"})
        body, media = _table_bytes(table, format)
        name = f"korstabell-{code}-{'-'.join(chosen)}.{format}"
        return Response(body, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    if format != "html":
        raise HTTPException(400, t("choose_dimension"))
    shown = None if result is None else result.table.head(2000)

    def export(fmt: str) -> str:
        params = [("dim", x) for x in chosen] + [("troskel", str(threshold)), ("format", fmt)]
        if rounding:
            params.append(("avrunda", str(rounding)))
        if not is_default(lng):
            params.append(("lang", lng))
        return f"{PREFIX}/{code}/korstabell?" + urlencode(params)

    page = _render(request, "crosstab.html", lng,
                   title=f"{t('crosstab')} – {_names().get(code, code)}", code=code,
                   name=_names().get(code, code), dims=DIMENSIONS, chosen=chosen,
                   threshold=threshold, rounding=rounding, result=result, shown=shown,
                   error=error, persons=len(persons), export=export, total_label=TOTAL,
                   idx=index(lng), min_threshold=MIN_THRESHOLD)
    if error:
        page.status_code = 400
    return page


@router.get("/{kommun}/{kod}", response_class=HTMLResponse)
def district_page(request: Request, kommun: str, kod: str, lang: str | None = None
                  ) -> HTMLResponse:
    lng = language(lang)
    t = translator(lng, WORDS)
    with _Session(request) as store:
        code = _municipality(store, kommun)
        if not kod.startswith(code):
            raise _NotFound("unknown_district")
        try:
            profile = district_profile(store, kod)
        except ValueError:
            raise _NotFound("unknown_district") from None
        single = {"type": "FeatureCollection", "features": [
            f for f in boundaries(store, "deso", code, vintage=profile.vintage)["features"]]}
    fill = {f["properties"]["code"]: (_map.SEQUENTIAL[3] if f["properties"]["code"] == kod
                                      else _map.OTHER) for f in single["features"]}
    lang_q = translator(lng).query
    svg = _map.svg(single, fill, title=f"{t('where')}: {profile.name}",
                   href=lambda c: f"{PREFIX}/{code}/{c}{lang_q}",
                   label=lambda p: f"{p.get('name', p['code'])} ({p['code']})"
                   ) if single["features"] else ""
    return _render(request, "district.html", lng, title=f"{profile.name} – {t('districts')}",
                   p=profile, code=code, name=_names().get(code, code),
                   county=_county_names().get(code[:2], code[:2]), map_svg=Markup(svg),
                   idx=index(lng))
