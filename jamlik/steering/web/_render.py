"""Pages: the Jinja templates (extending the shared web layout), errors as pages, links."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from jamlik.language import in_language, other_language, word
from jamlik.steering._auth import (
    ANONYMOUS,
    ROLE_LABELS_SV,
    Permission,
)
from jamlik.steering._errors import (
    NotFound,
    SteeringError,
)
from jamlik.steering._followup import DEVIATION_LABELS_SV, STATUS_LABELS_SV, follow_up
from jamlik.steering._i18n import language, translator, with_lang
from jamlik.steering._report import environment
from jamlik.steering._session import (
    COOKIE,
    MAX_AGE,
    Session,
)
from jamlik.steering._workflow import QUADRANTS_SV
from jamlik.steering.web._context import context
from jamlik.steering.web._deps import (
    _bearer,
    _session,
    current_actor,
)
from jamlik.steering.web._forms import format_causes


# -- errors as pages --------------------------------------------------------------------------
class _SteeringRoute(APIRoute):
    """Turns steering errors into a Swedish page (or JSON under /api) with the right status."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()
        integers = _integer_path_params(self)

        async def route(request: Request) -> Response:
            try:
                _check_integers(request, integers)
                return await handler(request)
            except SteeringError as exc:
                return _error_response(request, exc)

        return route


#: Integer path parameters are years or database ids; anything else is no page (a 404 in
#: Swedish), never an overflow deep in SQL (`/uppfoljning/99999999999999999999`).
YEAR_RANGE = (1900, 2100)
ID_RANGE = (1, 2**31 - 1)  # PostgreSQL INTEGER


def _integer_path_params(route: APIRoute) -> list[str]:
    return [p.name for p in route.dependant.path_params if p.field_info.annotation is int]


def _check_integers(request: Request, names: list[str]) -> None:
    for name in names:
        raw = str(request.path_params.get(name, ""))
        lo, hi = YEAR_RANGE if name == "year" else ID_RANGE
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 10 and lo <= int(raw) <= hi):
            what = (f"året {raw!r} — ange ett år mellan {lo} och {hi}, t.ex. 2022"
                    if name == "year" else
                    f"id:t {raw!r} — ett id är ett heltal mellan {lo} och {hi}")
            raise NotFound(f"Sidan finns inte: adressen innehåller {what}.")


def _error_response(request: Request, exc: SteeringError) -> Response:
    if "/api/" in request.url.path or _bearer(request):
        return JSONResponse({"detail": exc.message}, status_code=exc.status_code)
    t = _translator(request)
    title = t(f"error_{exc.status_code}")
    return _page(request, "error.html", {
        "title": title if title != f"error_{exc.status_code}" else t("error_other"),
        "message": exc.message, "status": exc.status_code}, status_code=exc.status_code)


templates = Jinja2Templates(env=environment())
templates.env.globals.update(STATUS_LABELS_SV=STATUS_LABELS_SV, ROLE_LABELS_SV=ROLE_LABELS_SV,
                             DEVIATION_LABELS_SV=DEVIATION_LABELS_SV, QUADRANTS_SV=QUADRANTS_SV,
                             Permission=Permission)


# -- rendering --------------------------------------------------------------------------------
def _lang(request: Request) -> str:
    return language(request.query_params.get("lang"))


def _translator(request: Request) -> Callable[[str], str]:
    return translator(_lang(request))


def _page(request: Request, name: str, ctx: dict[str, Any], status_code: int = 200) -> Response:
    session = _session(request)
    try:
        actor = current_actor(request)
    except SteeringError:
        actor = ANONYMOUS
    lang = _lang(request)
    t = translator(lang)
    other = other_language(lang)
    query = {k: v for k, v in request.query_params.items() if k != "lang"}
    switch = with_lang(str(request.url.path) + (f"?{urlencode(query)}" if query else ""), other)
    response = templates.TemplateResponse(request, name, {
        "actor": actor, "csrf": session.csrf, "signed_in": actor is not ANONYMOUS,
        "role_label": t(f"role_{actor.role_in(request.path_params.get('area'))}"),
        "lang": lang, "t": t, "u": functools.partial(with_lang, lang=lang),
        "switch_language": switch,
        # the indicator's English title when the catalogue has one (as the portal does)
        "title_of": lambda i: in_language(lang, i.title, getattr(i, "title_en", None)),
        "indicator_title": functools.partial(_indicator_title, request, lang),
        "who": functools.partial(who, lang=lang),
        **ctx,
    }, status_code=status_code)
    if session.new:
        _set_cookie(request, response, session)
    return response


#: The session cookie is sent to every page (path "/"), so capabilities mounted beside the
#: steering loop (e.g. /prioritering) know who is signed in; cookies set before with path
#: /styrning are expired when a new one is set.
COOKIE_PATH = "/"


def _set_cookie(request: Request, response: Response, session: Session) -> None:
    response.delete_cookie(COOKIE, path="/styrning")
    response.set_cookie(COOKIE, context(request).codec.dump(session), httponly=True,
                        samesite="lax", secure=request.url.scheme == "https",
                        path=COOKIE_PATH, max_age=MAX_AGE)


def _back(request: Request, url: str) -> RedirectResponse:
    """303 to ``url`` in the language the form was posted in."""
    return RedirectResponse(with_lang(url, _lang(request)), status_code=303)


templates.env.globals["format_causes"] = format_causes


@functools.lru_cache(maxsize=1)
def _catalogue_labels() -> tuple[dict[str, str], dict[int, str]]:
    """Swedish titles of SDG goals/targets and målområden from the shipped catalogues."""
    try:
        from jamlik.catalog import sdg_goals, sdg_targets, target_areas
    except ImportError:  # pragma: no cover - catalogues always ship
        return {}, {}
    sdg = {str(r.goal): r.title_sv for r in sdg_goals().itertuples()}
    sdg |= {str(r.code): r.title_sv for r in sdg_targets().itertuples()}
    areas = {int(r.id): r.title_sv for r in target_areas().itertuples()}
    return sdg, areas


def sdg_label(code: str) -> str:
    sdg = _catalogue_labels()[0]
    title = sdg.get(str(code)) or sdg.get(str(code).split(".")[0])
    return f"{code} {title}" if title else str(code)


def target_area_label(number: int) -> str:
    title = _catalogue_labels()[1].get(int(number))
    return f"{number} {title}" if title else str(number)


templates.env.globals.update(sdg_label=sdg_label, target_area_label=target_area_label)


def _follow_up(request: Request, area: str, year: int):
    ctx = context(request)
    with ctx.store_lock:
        return follow_up(ctx.workflow, ctx.store, area, year, profile_cache=ctx.profile_cache())


def _indicator_title(request: Request, lang: str, indicator_id: str) -> str:
    """The indicator's name from the store's catalogue (English when asked and known); its id
    when the store does not have it."""
    ctx = context(request)
    try:
        with ctx.store_lock:
            meta = ctx.store.indicator(indicator_id)
    except KeyError:
        return indicator_id
    return in_language(lang, meta.title_sv, getattr(meta, "title_en", None))


def who(username: str | None, lang: str = "sv") -> str:
    """A person-readable name for whoever changed something: ``cli:anna`` (a command run by
    the operating-system user anna) → "anna (kommandoraden)", ``system`` (an import) →
    "jamlik (import)"; a signed-in user's name is shown as it is."""
    if not username:
        return "–"
    if username == "system":
        return "jamlik (import)"
    if username.startswith("cli:"):
        return f"{username[4:]} ({word(('kommandoraden', 'command line'), lang)})"
    return username


def latest_data_year(request: Request, org: Any) -> int:
    """The follow-up year worth linking to: the latest year the store has a value for any of
    the plan's indicators in the organisation's area (a follow-up of a later year would only
    repeat those values), else last year."""
    ids = sorted({gi.indicator for g in org.goals for gi in g.indicators})
    fallback = date.today().year - 1
    if not ids:
        return fallback
    ctx = context(request)
    with ctx.store_lock:
        obs = ctx.store.observations(ids, areas=[org.area])
    if obs.empty:
        return fallback
    return min(int(obs["period"].max()), fallback)
