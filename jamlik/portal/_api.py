"""The JSON API (``/api/v1``): observations, indicators, areas, profiles and deviations."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic_core import PydanticSerializationError, to_json

from jamlik.catalog import KOLADA_ATTRIBUTION
from jamlik.portal._data import PortalData, table_coverage
from jamlik.portal._format import split_codes

_OBS_COLUMNS = ["indicator", "area", "area_name", "period", "period_start", "period_label", "sex",
                "breakdown_dim", "breakdown_cat", "value", "lower", "upper", "numerator",
                "denominator", "status", "suppressed", "suppression_reason", "note", "source"]


#: rows per answer of the lists with one row per indicator (indicators, profiles, group
#: comparisons, deviations) when ``limit`` is not given, and the most ``limit`` may ask for:
#: 2,000 indicators stay a few answers of a few hundred kB (``offset`` pages on).
DEFAULT_LIMIT = 500
MAX_LIMIT = 2000

_LIMIT_DOC = (f"Högst så många rader (standard {DEFAULT_LIMIT}, högst {MAX_LIMIT}); svaret "
              "säger total, limit, offset och next (nästa sida, eller null)")
_OFFSET_DOC = "Hoppa över så många rader (standard 0)"


def _window(limit: str | None, offset: str | None, default: int | None = DEFAULT_LIMIT,
            most: int | None = MAX_LIMIT) -> tuple[int | None, int]:
    """``limit`` and ``offset`` from the query (None: ``default``); a Swedish 400 when either
    is not a whole number in range."""
    def whole(name: str, text: str | None, low: int, high: int | None) -> int | None:
        if text is None or not text.strip():
            return None
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or number < low or (high is not None and number > high):
            span = f"{low}–{high}" if high is not None else f"minst {low}"
            raise HTTPException(400, f'{name}={text!r} är inte ett heltal {span}. Ange t.ex. '
                                     f'{name}={low if name == "offset" else DEFAULT_LIMIT}.')
        return number

    return (whole("limit", limit, 1, most) or default), whole("offset", offset, 0, None) or 0


def _paged(request: Request, shown: int, total: int, limit: int | None, offset: int
           ) -> dict[str, Any]:
    """``total``, ``limit``, ``offset`` and ``next`` (the path and query of the next rows, or
    None) of an answer holding ``shown`` of ``total`` rows from ``offset`` on."""
    more = limit is not None and offset + shown < total
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
    following = (f"{request.url.path}?{urlencode([*query, ('offset', str(offset + shown))])}"
                 if more else None)
    return {"total": total, "limit": limit, "offset": offset, "next": following}


def _cut(rows: list[Any], limit: int | None, offset: int) -> list[Any]:
    return rows[offset:] if limit is None else rows[offset:offset + limit]


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN, and inf from an old or hand-edited file: JSON has no such number
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            return None
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def json_response(content: dict[str, Any]) -> Response:
    """``content`` as the JSON bytes FastAPI sends for a ``dict[str, Any]`` endpoint, without
    its validation pass over every value (most of a 2,000-row profile's time). Values are JSON
    types already; NaN and inf (JSON has none) become null, NumPy values plain (``_jsonable``)."""
    try:
        body = to_json(content, inf_nan_mode="null")  # what FastAPI's Pydantic core writes
    except PydanticSerializationError:  # a NumPy value: cleaned first
        body = to_json(_jsonable(content))
    return Response(body, media_type="application/json")


def api_router(data: PortalData) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["data"])

    def area_code(code: str) -> str:
        try:
            return data.resolve(code)
        except KeyError as exc:
            raise HTTPException(404, f'Området "{code}" finns inte. Ange en SCB-kod som 2080 '
                                     "eller 20, en Kolada-kod som 0020 eller ett namn.") from exc

    @router.get("/areas", summary="Alla områden (riket, län/regioner, kommuner)")
    def areas(request: Request,
              type: str | None = Query(None, description="nation, county eller municipality"),
              parent: str | None = None,
              limit: str | None = Query(None, description="Högst så många rader (standard: "
                                                          "alla)"),
              offset: str | None = Query(None, description=_OFFSET_DOC)) -> dict[str, Any]:
        first, skip = _window(limit, offset, default=None, most=None)
        df = data.areas()
        if type:
            df = df[df["type"] == type]
        if parent:
            df = df[df["parent"] == area_code(parent)]
        cols = ["code", "name", "type", "parent", "kolada_code"]
        rows = _cut(df[cols].to_dict("records"), first, skip)
        return {"areas": _jsonable(rows), **_paged(request, len(rows), len(df), first, skip)}

    @router.get("/areas/{code}", summary="Ett område")
    def area(code: str) -> dict[str, Any]:
        code = area_code(code)
        row = data.areas().loc[code]
        return _jsonable({"code": code, "name": row["name"], "type": row["type"],
                          "parent": row["parent"], "kolada_code": row["kolada_code"],
                          "county": data.county_of(code),
                          "similar_socioeconomic": data.similar_members(code),
                          "groups": [g.to_dict() for g in data.groups(code)]})

    def find_group(code: str, group: str | None):  # -> analysis.AreaGroup
        try:
            found = data.group(code, group)
        except KeyError as exc:
            raise HTTPException(404, f"Jämförelsegruppen finns inte: {exc.args[0]}.") from exc
        if found is None:
            raise HTTPException(404, "Området har inga jämförelsegrupper (bara kommuner har "
                                     "liknande kommuner, kommungrupp och länsgrupp).")
        return found

    @router.get("/areas/{code}/groups", summary="Ett områdes jämförelsegrupper med medlemmar")
    def area_groups(code: str) -> dict[str, Any]:
        code = area_code(code)
        return {"area": code, "name": data.area_name(code),
                "groups": _jsonable([g.to_dict() for g in data.groups(code)])}

    @router.get("/areas/{code}/groups/{group}",
                summary="Området mot en jämförelsegrupp: gruppens medelvärde med osäkerhet "
                        "och områdets plats, per indikator")
    def area_group(request: Request, code: str, group: str,
                   indicator: str | None = Query(None, description="Bara en indikator"),
                   limit: str | None = Query(None, description=_LIMIT_DOC),
                   offset: str | None = Query(None, description=_OFFSET_DOC)
                   ) -> dict[str, Any]:
        first, skip = _window(limit, offset)
        code = area_code(code)
        found = find_group(code, group)
        # the profile's indicators in its order; the comparison only for the rows answered
        ids = data.profile_table(code).column("indicator").to_pylist()
        if indicator:
            if indicator not in ids:
                raise HTTPException(404, f'Indikatorn "{indicator}" saknar värden för området.')
            ids = [indicator]
        wanted = _cut(ids, first, skip)
        found_rows = data.group_comparison(code, found, wanted)
        if indicator and indicator not in found_rows:
            raise HTTPException(404, f'Indikatorn "{indicator}" saknar värden för området.')
        rows = [found_rows[i] for i in wanted if i in found_rows]
        return {"area": code, "name": data.area_name(code), "group": _jsonable(found.to_dict()),
                "method": "Oviktat medelvärde av de andra medlemmarnas värden; SE = √ΣSEᵢ²/k "
                          "(okänt om någon medlem saknar känd osäkerhet); jämförelse enligt "
                          "Fingertips med områdets gränser vidgade av medelvärdets SE.",
                "rows": _jsonable(rows), **_paged(request, len(wanted), len(ids), first, skip)}

    @router.get("/indicators", summary="Indikatorer med värden i databasen")
    def indicators(request: Request,
                   limit: str | None = Query(None, description=_LIMIT_DOC),
                   offset: str | None = Query(None, description=_OFFSET_DOC)) -> dict[str, Any]:
        first, skip = _window(limit, offset)
        ids = data.indicator_ids()
        rows = _cut(ids, first, skip)
        return {"indicators": [_indicator_dict(data, i) for i in rows],
                **_paged(request, len(rows), len(ids), first, skip)}

    @router.get("/indicators/{indicator_id}", summary="En indikator med metadata")
    def indicator(indicator_id: str) -> dict[str, Any]:
        if indicator_id not in data.indicator_ids():
            raise HTTPException(404, f'Indikatorn "{indicator_id}" finns inte i databasen.')
        return _indicator_dict(data, indicator_id)

    @router.get("/observations", summary="Värden: filtrera på indikator, områden, år och kön")
    def observations(
        request: Request,
        indicator: str = Query(..., description="Indikator-id, t.ex. N00957"),
        areas: str | None = Query(None, description="Kommaseparerade koder, t.ex. 2080,20,0000"),
        years: str | None = Query(None, description="År eller intervall, t.ex. 2010-2022"),
        sex: str | None = Query(None, description="T, K eller M (kommaseparerat)"),
        limit: str | None = Query(None, description="Högst så många rader (standard: alla)"),
        offset: str | None = Query(None, description=_OFFSET_DOC),
    ) -> dict[str, Any]:
        first, skip = _window(limit, offset, default=None, most=None)
        if indicator not in data.indicator_ids():
            raise HTTPException(404, f'Indikatorn "{indicator}" finns inte i databasen.')
        df = data.series(indicator)
        if areas:
            df = df[df["area"].isin([area_code(a) for a in split_codes(areas)])]
        if years:
            from jamlik.portal._format import year_span

            try:
                span = year_span(years)
            except ValueError as exc:
                raise HTTPException(400, str(exc)) from exc
            assert span is not None
            df = df[(df["period"] >= span[0]) & (df["period"] <= span[1])]
        if sex:
            df = df[df["sex"].isin(split_codes(sex))]
        total = len(df)
        df = df.iloc[skip:] if first is None else df.iloc[skip:skip + first]
        return {"indicator": indicator, "attribution": KOLADA_ATTRIBUTION, "count": len(df),
                "observations": _jsonable(df[_OBS_COLUMNS].to_dict("records")),
                **_paged(request, len(df), total, first, skip)}

    @router.get("/profiles/{code}", summary="Områdesprofil (alla indikatorer, senaste period)",
                response_model=dict[str, Any])
    def profile(request: Request, code: str,
                limit: str | None = Query(None, description=_LIMIT_DOC),
                offset: str | None = Query(None, description=_OFFSET_DOC)) -> Response:
        first, skip = _window(limit, offset)
        code = area_code(code)
        every = data.profile(code)
        # "topic" is the old name of "target_area", kept for existing API clients.
        rows = [{k: v for k, v in r.items() if k != "spine"}
                | {"municipal_range": r["spine"], "topic": r["target_area"]}
                for r in _cut(every, first, skip)]
        cov = table_coverage(data.profile_table(code))  # = analysis.coverage(every row)
        return json_response({"area": code, "name": data.area_name(code), "coverage": cov,
                              "rows": rows, **_paged(request, len(rows), len(every), first, skip)})

    @router.get("/deviations/{code}", summary="Avvikelser för ett område, starkast stöd först")
    def deviations(request: Request, code: str,
                   limit: str | None = Query(None, description=_LIMIT_DOC),
                   offset: str | None = Query(None, description=_OFFSET_DOC)) -> dict[str, Any]:
        first, skip = _window(limit, offset)
        code = area_code(code)
        every = data.deviations(code)
        rows = _cut(every, first, skip)
        return {"area": code, "name": data.area_name(code), "deviations": _jsonable(rows),
                "multiplicity": _jsonable(data.multiplicity(code)),
                **_paged(request, len(rows), len(every), first, skip)}

    @router.get("/life-expectancy/{code}",
                summary="Medellivslängd ur lagrets döda och medelfolkmängd per ålder, kvinnor "
                        "och män, med skillnaden och dess trend")
    def life_expectancy(
        code: str,
        period: int | None = Query(None, description="Sista året (standard: det senaste)"),
        span: int = Query(5, ge=1, le=10, description="Sammanslagna år (SCB och Kolada: 5)"),
        at_age: int = Query(0, ge=0, le=90, description="Ålder, en åldersgrupps start (0, 1, "
                                                         "5, 10 … 90)"),
    ) -> Any:
        from jamlik.analysis import life_expectancy_dict, life_expectancy_for
        from jamlik.analysis._life_expectancy import DEATHS_INDICATOR
        from jamlik.stats.life_expectancy import life_expectancy_gap

        code = area_code(code)

        def compute() -> dict[str, Any]:
            last = period
            if last is None:
                years = data.store.observations(DEATHS_INDICATOR, areas=code, sex="K",
                                                breakdown="age")["period"]
                if years.empty:
                    raise ValueError(f"det finns inga döda per ålder för {code} i databasen.")
                last = int(years.max())
            k, m = (life_expectancy_for(data.store, code, sex, last, at_age=at_age, span=span)
                    for sex in ("K", "M"))
            gap = life_expectancy_gap(k.estimate, m.estimate)
            return {"area": code, "name": data.area_name(code), "women": life_expectancy_dict(k),
                    "men": life_expectancy_dict(m),
                    "gap": {"value": gap.value, "lower": gap.lower, "upper": gap.upper,
                            "method": gap.method},
                    "attribution": "Källa: SCB (döda BE0101D9, medelfolkmängd BE0101A5)"}

        try:
            return _jsonable(data.cached(("life_expectancy", code, period, span, at_age),
                                         compute))
        except ValueError as exc:  # what is missing, in Swedish (the app's 404 handler is generic)
            return JSONResponse({"detail": str(exc)}, status_code=404)

    return router


def _indicator_dict(data: PortalData, indicator_id: str) -> dict[str, Any]:
    ind = data.indicator(indicator_id)
    out = asdict(ind)
    out["components"] = [asdict(c) for c in ind.components]
    out["latest_period"] = data.latest_periods().get(indicator_id)  # one query for all
    for key in ("measure_type", "polarity", "data_kind"):
        out[key] = str(out[key])
    return _jsonable(out)
