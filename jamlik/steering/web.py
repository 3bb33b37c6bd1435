"""Portal pages for the steering loop under ``/styrning/…`` (a FastAPI ``APIRouter``).

Wire it into an app with::

    from jamlik.steering import web
    web.configure(app, store=store, store_lock=lock)   # optional; defaults come from the env
    app.include_router(web.router)

Every endpoint declares the permission it needs; forms carry a CSRF token; edits carry the
version they started from and get a 409 page in Swedish when someone else saved in between.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from jamlik.format import parse_number
from jamlik.steering._auth import (
    ANONYMOUS,
    PERMISSION_LABELS_SV,
    ROLE_LABELS_SV,
    Actor,
    Permission,
)
from jamlik.steering._errors import (
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    SteeringError,
)
from jamlik.steering._followup import DEVIATION_LABELS_SV, STATUS_LABELS_SV, follow_up
from jamlik.steering._i18n import language, translator, with_lang
from jamlik.steering._login import TooManyAttempts, sign_in
from jamlik.steering._report import FORMATS, build_report, environment, render
from jamlik.steering._session import (
    COOKIE,
    MAX_AGE,
    Session,
    SessionCodec,
    csrf_ok,
    end_session,
    live_sessions,
    session_user,
    start_session,
)
from jamlik.steering._workflow import QUADRANTS_SV, Workflow
from jamlik.store import Store
from jamlik.web.cache import BoundedCache

PROFILE_TTL = 300.0  # seconds; a data refresh shows in the follow-up within five minutes
_MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
          "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


# -- configuration ----------------------------------------------------------------------------
@dataclass
class SteeringContext:
    workflow: Workflow
    store_factory: Callable[[], Store]
    store_lock: threading.RLock = field(default_factory=threading.RLock)
    _store: Store | None = None
    _codec: SessionCodec | None = None
    #: the statistics core's profile rows, reused for PROFILE_TTL seconds
    _profiles: dict = field(default_factory=dict)
    _profiles_at: float = 0.0
    #: rendered reports per data version (bounded, one render per key at a time)
    reports: BoundedCache = field(default_factory=lambda: BoundedCache(
        max_entries=64, max_bytes=128 * 2**20, size=lambda v: len(v[0])))

    def profile_cache(self) -> dict:
        now = time.monotonic()
        if now - self._profiles_at > PROFILE_TTL:
            self._profiles.clear()
            self._profiles_at = now
        return self._profiles

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = self.store_factory()
        return self._store

    @property
    def codec(self) -> SessionCodec:
        if self._codec is None:
            self._codec = SessionCodec(self.workflow.secret_key())
        return self._codec


def configure(app: FastAPI, *, workflow: Workflow | None = None, store: Store | None = None,
              store_lock: threading.RLock | None = None) -> SteeringContext:
    """Attach the workflow database and the indicator store the pages use.

    Without arguments the workflow comes from ``JAMLIK_DATABASE_URL`` (SQLite by default) and
    the store from ``JAMLIK_DB``/the default file, opened read-only on first use. Pass the
    portal's store and its lock to share one DuckDB connection.
    """
    ctx = SteeringContext(
        workflow=workflow or Workflow.open(),
        store_factory=(lambda: store) if store is not None else (lambda: Store(read_only=True)),
        store_lock=store_lock or threading.RLock(),
    )
    app.state.jamlik_steering = ctx
    return ctx


def context(request: Request) -> SteeringContext:
    ctx = getattr(request.app.state, "jamlik_steering", None)
    if ctx is None:
        ctx = configure(request.app)
    return ctx


# -- errors as pages --------------------------------------------------------------------------
class _SteeringRoute(APIRoute):
    """Turns steering errors into a Swedish page (or JSON under /api) with the right status."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except SteeringError as exc:
                return _error_response(request, exc)

        return route


def _error_response(request: Request, exc: SteeringError) -> Response:
    if "/api/" in request.url.path or _bearer(request):
        return JSONResponse({"detail": exc.message}, status_code=exc.status_code)
    t = _translator(request)
    title = t(f"error_{exc.status_code}")
    return _page(request, "error.html", {
        "title": title if title != f"error_{exc.status_code}" else t("error_other"),
        "message": exc.message, "status": exc.status_code}, status_code=exc.status_code)


router = APIRouter(prefix="/styrning", route_class=_SteeringRoute, tags=["styrning"])
templates = Jinja2Templates(env=environment())
templates.env.globals.update(STATUS_LABELS_SV=STATUS_LABELS_SV, ROLE_LABELS_SV=ROLE_LABELS_SV,
                             DEVIATION_LABELS_SV=DEVIATION_LABELS_SV, QUADRANTS_SV=QUADRANTS_SV,
                             Permission=Permission)


# -- who is asking ----------------------------------------------------------------------------
def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else None


def _session(request: Request) -> Session:
    cached = getattr(request.state, "steering_session", None)
    if cached is None:
        cached = context(request).codec.load(request.cookies.get(COOKIE))
        request.state.steering_session = cached
    return cached


def current_actor(request: Request) -> Actor:
    cached = getattr(request.state, "steering_actor", None)
    if cached is not None:
        return cached
    wf = context(request).workflow
    token = _bearer(request)
    if token:
        actor = wf.actor_for_token(token)
        if actor is None:
            raise NotAuthenticated("API-nyckeln är ogiltig eller återkallad.")
    else:
        # the cookie names a server-side session; a revoked or expired one is anonymous
        token = _session(request).token
        actor = (session_user(wf, token) if token else None) or ANONYMOUS
    request.state.steering_actor = actor
    return actor


def requires(permission: Permission) -> Callable[..., Actor]:
    """Dependency: the acting user, who must hold ``permission``."""

    def dependency(request: Request) -> Actor:
        actor = current_actor(request)
        # roles are per organisation: the one in the URL (region-wide roles hold everywhere)
        area = request.path_params.get("area")
        if not actor.can(permission, area if permission is not Permission.ADMIN else None):
            if actor is ANONYMOUS:
                raise NotAuthenticated(
                    f"Logga in för att {PERMISSION_LABELS_SV[permission]} "
                    f"(/styrning/logga-in).")
            raise PermissionDenied(
                f"Du saknar behörighet att {PERMISSION_LABELS_SV[permission]} (din roll: "
                f"{ROLE_LABELS_SV[actor.role_in(area)]}). Be en administratör om rätt roll.")
        return actor

    return dependency


async def csrf_protect(request: Request) -> None:
    """Dependency for every form POST: the submitted token must match the session's."""
    if _bearer(request):
        return
    form = await request.form()
    if not csrf_ok(_session(request), form.get("csrf_token")):  # type: ignore[arg-type]
        raise PermissionDenied(
            "Formuläret kunde inte verifieras (CSRF-skydd). Ladda om sidan och försök igen.")


Reader = Annotated[Actor, Depends(requires(Permission.READ))]
PublicReader = Annotated[Actor, Depends(requires(Permission.READ_PUBLIC))]
PlanEditor = Annotated[Actor, Depends(requires(Permission.EDIT_PLAN))]
Analyst = Annotated[Actor, Depends(requires(Permission.EDIT_ANALYSIS))]
Decider = Annotated[Actor, Depends(requires(Permission.DECIDE))]
Admin = Annotated[Actor, Depends(requires(Permission.ADMIN))]
Csrf = Depends(csrf_protect)


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
    other = "sv" if lang == "en" else "en"
    query = {k: v for k, v in request.query_params.items() if k != "lang"}
    switch = with_lang(str(request.url.path) + (f"?{urlencode(query)}" if query else ""), other)
    response = templates.TemplateResponse(request, name, {
        "actor": actor, "csrf": session.csrf, "signed_in": actor is not ANONYMOUS,
        "role_label": t(f"role_{actor.role_in(request.path_params.get('area'))}"),
        "lang": lang, "t": t, "u": functools.partial(with_lang, lang=lang),
        "switch_language": switch,
        # the indicator's English title when the catalogue has one (as the portal does)
        "title_of": lambda i: (getattr(i, "title_en", None) if lang == "en" else None) or i.title,
        **ctx,
    }, status_code=status_code)
    if session.new:
        _set_cookie(request, response, session)
    return response


def _set_cookie(request: Request, response: Response, session: Session) -> None:
    response.set_cookie(COOKIE, context(request).codec.dump(session), httponly=True,
                        samesite="lax", secure=request.url.scheme == "https",
                        path="/styrning", max_age=MAX_AGE)


def _back(request: Request, url: str) -> RedirectResponse:
    """303 to ``url`` in the language the form was posted in."""
    return RedirectResponse(with_lang(url, _lang(request)), status_code=303)


def _int(text: str | None, what: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(f"{what}: {text!r} är inget heltal.") from None


def _float(text: str | None, what: str) -> float | None:
    text = (text or "").strip()
    if not text:
        return None
    try:  # accepts what fmt_num writes: decimal comma, U+2212 minus, U+202F between thousands
        return parse_number(text)
    except ValueError:
        raise InvalidInput(f"{what}: {text!r} är inget tal.") from None


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{what}: {text!r} är inget datum — skriv ÅÅÅÅ-MM-DD.") from None


def _list(text: str | None) -> list[str]:
    return [t.strip() for t in re.split(r"[,;\n]", text or "") if t.strip()]


def parse_causes(text: str) -> list[dict[str, Any]]:
    """One cause per line: ``orsak | underlag, underlag``; an underlag that looks like a URL or
    path is a document, anything else an indicator id."""
    causes = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        cause, _, refs = line.partition("|")
        evidence = [{"kind": "document" if ("/" in r or r.startswith("http")) else "indicator",
                     "ref": r, "label": r} for r in _list(refs)]
        causes.append({"text": cause.strip(), "evidence": evidence})
    return causes


def format_causes(causes: list[dict[str, Any]]) -> str:
    lines = []
    for c in causes or []:
        refs = ", ".join(e["ref"] for e in c.get("evidence", []))
        lines.append(c["text"] + (f" | {refs}" if refs else ""))
    return "\n".join(lines)


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


# -- sign in and out --------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse, name="steering_index")
def index(request: Request, actor: PublicReader) -> Response:
    orgs = context(request).workflow.organisations()
    return _page(request, "index.html", {"title": _translator(request)("title_index"),
                                         "orgs": orgs,
                                         "year": date.today().year - 1})


@router.get("/logga-in", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/styrning/") -> Response:
    return _page(request, "login.html", {"title": _translator(request)("log_in"),
                                         "next": next, "error": None})


@router.post("/logga-in", dependencies=[Csrf])
def login(request: Request, username: Annotated[str, Form()], password: Annotated[str, Form()],
          next: Annotated[str, Form()] = "/styrning/") -> Response:
    client = request.client.host if request.client else None
    try:
        actor = sign_in(context(request).workflow, username, password, client=client)
    except TooManyAttempts as exc:
        response = _page(request, "login.html", {
            "title": _translator(request)("log_in"), "next": next, "error": exc.message},
            status_code=exc.status_code)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if actor is None:
        return _page(request, "login.html", {
            "title": _translator(request)("log_in"), "next": next,
            "error": _translator(request)("login_failed")}, status_code=401)
    target = next if next.startswith("/styrning") else "/styrning/"
    response = _back(request, target)
    # a new server-side session and a fresh CSRF token at sign-in prevent session fixation
    token = start_session(context(request).workflow, actor.username)
    _set_cookie(request, response, Session(actor.username, SessionCodec.fresh_csrf(),
                                           token=token))
    return response


@router.post("/logga-ut", dependencies=[Csrf])
def logout(request: Request) -> Response:
    token = _session(request).token
    if token:
        end_session(context(request).workflow, token)  # a replayed cookie is worth nothing
    response = _back(request, "/styrning/")
    response.delete_cookie(COOKIE, path="/styrning")
    return response


# -- plan -------------------------------------------------------------------------------------
@router.get("/{area}/plan", response_class=HTMLResponse)
def plan_page(request: Request, area: str, actor: PublicReader) -> Response:
    org = context(request).workflow.organisation(area)
    return _page(request, "plan.html", {"title": f"{_translator(request)('title_plan')}: "
                                                 f"{org.name}", "org": org,
                                        "year": date.today().year - 1})


@router.post("/{area}/plan", dependencies=[Csrf])
def save_plan(request: Request, area: str, actor: PlanEditor, name: Annotated[str, Form()],
              version: Annotated[str, Form()] = "", vision: Annotated[str, Form()] = "",
              perspectives: Annotated[str, Form()] = "") -> Response:
    wf = context(request).workflow
    if not any(o.area == area for o in wf.organisations()):
        _require_known_area(request, area)  # a new organisation needs a real area
    wf.save_organisation(
        actor, area, name, vision=vision or None, perspectives=_list(perspectives),
        expected_version=_int(version, "version"))
    return _back(request, f"/styrning/{area}/plan")


def _require_known_area(request: Request, area: str) -> None:
    """Organisations are made only for areas the indicator store knows, by their own code."""
    ctx = context(request)
    with ctx.store_lock:
        try:
            canonical = ctx.store.resolve_area(area)
        except KeyError:
            canonical = None
    if canonical is None or canonical != area:
        hint = f" Använd koden {canonical}." if canonical else ""
        raise InvalidInput(f"Området {area!r} finns inte i indikatordatabasen som kod, så ingen "
                           f"organisation kan skapas för det.{hint} Ange en kommun- eller "
                           "regionkod som 2080 eller 20.")


@router.post("/{area}/mal", dependencies=[Csrf])
def create_goal(request: Request, area: str, actor: PlanEditor, key: Annotated[str, Form()],
                title: Annotated[str, Form()], perspective: Annotated[str, Form()] = "",
                sdg_targets: Annotated[str, Form()] = "",
                target_areas: Annotated[str, Form()] = "") -> Response:
    context(request).workflow.save_goal(
        actor, area, key, title, perspective=perspective or None,
        sdg_targets=_list(sdg_targets),
        target_areas=[n for t in _list(target_areas) if (n := _int(t, "målområde")) is not None])
    return _back(request, f"/styrning/{area}/plan")


@router.post("/{area}/mal/{goal_id}", dependencies=[Csrf])
def update_goal(request: Request, area: str, goal_id: int, actor: PlanEditor,
                title: Annotated[str, Form()], version: Annotated[str, Form()],
                description: Annotated[str, Form()] = "",
                perspective: Annotated[str, Form()] = "",
                sdg_targets: Annotated[str, Form()] = "",
                target_areas: Annotated[str, Form()] = "") -> Response:
    context(request).workflow.update_goal(
        actor, goal_id, _int(version, "version"), area=area, title=title.strip(),
        description=description or None, perspective=perspective or None,
        sdg_targets=_list(sdg_targets),
        target_areas=[n for t in _list(target_areas) if (n := _int(t, "målområde")) is not None])
    return _back(request, f"/styrning/{area}/plan")


@router.post("/{area}/mal/{goal_id}/indikator", dependencies=[Csrf])
def save_goal_indicator(request: Request, area: str, goal_id: int, actor: PlanEditor,
                        indicator: Annotated[str, Form()],
                        target_value: Annotated[str, Form()] = "",
                        target_year: Annotated[str, Form()] = "",
                        direction: Annotated[str, Form()] = "",
                        sex: Annotated[str, Form()] = "T",
                        version: Annotated[str, Form()] = "") -> Response:
    ctx = context(request)
    indicator = indicator.strip().upper()
    with ctx.store_lock:
        try:
            ctx.store.indicator(indicator)
        except KeyError:
            raise InvalidInput(f"Indikatorn {indicator!r} finns inte i indikatordatabasen. "
                               "Kontrollera id:t (t.ex. N00957).") from None
    ctx.workflow.set_goal_indicator(
        actor, goal_id, indicator, target_value=_float(target_value, "målvärde"),
        target_year=_int(target_year, "målår"), direction=direction or None, sex=sex,
        expected_version=_int(version, "version"), area=area)
    return _back(request, f"/styrning/{area}/plan")


@router.post("/{area}/malindikator/{goal_indicator_id}/ta-bort", dependencies=[Csrf])
def remove_goal_indicator(request: Request, area: str, goal_indicator_id: int,
                          actor: PlanEditor, version: Annotated[str, Form()] = "") -> Response:
    context(request).workflow.remove_goal_indicator(actor, goal_indicator_id,
                                                    _int(version, "version"), area=area)
    return _back(request, f"/styrning/{area}/plan")


@router.post("/{area}/handlingsplan", dependencies=[Csrf])
def create_action_plan(request: Request, area: str, actor: PlanEditor,
                       title: Annotated[str, Form()], year_from: Annotated[str, Form()] = "",
                       year_to: Annotated[str, Form()] = "") -> Response:
    context(request).workflow.add_action_plan(actor, area, title,
                                              year_from=_int(year_from, "från år"),
                                              year_to=_int(year_to, "till år"))
    return _back(request, f"/styrning/{area}/plan")


@router.post("/{area}/handlingsplan/{plan_id}/aktivitet", dependencies=[Csrf])
def create_activity(request: Request, area: str, plan_id: int, actor: PlanEditor,
                    what: Annotated[str, Form()], goal_id: Annotated[str, Form()] = "",
                    how: Annotated[str, Form()] = "", responsible: Annotated[str, Form()] = "",
                    timing: Annotated[str, Form()] = "",
                    follow_up_method: Annotated[str, Form()] = "",
                    budget: Annotated[str, Form()] = "") -> Response:
    context(request).workflow.add_activity(
        actor, plan_id, what, goal_id=_int(goal_id, "mål"), how=how or None,
        responsible=responsible or None, timing=timing or None,
        follow_up_method=follow_up_method or None, budget=_float(budget, "budget"), area=area)
    return _back(request, f"/styrning/{area}/plan")


# -- follow up --------------------------------------------------------------------------------
@router.get("/{area}/uppfoljning/{year}", response_class=HTMLResponse)
def follow_up_page(request: Request, area: str, year: int, actor: PublicReader) -> Response:
    fu = _follow_up(request, area, year)
    title = f"{_translator(request)('title_follow_up')} {year}: {fu.name}"
    return _page(request, "followup.html", {"title": title,
                                            "fu": fu, "area": area, "year": year})


@router.get("/api/{area}/uppfoljning/{year}")
def follow_up_json(request: Request, area: str, year: int, actor: PublicReader) -> JSONResponse:
    return JSONResponse(_follow_up(request, area, year).to_dict())


# -- analyse ----------------------------------------------------------------------------------
@router.get("/{area}/analys/{year}", response_class=HTMLResponse)
def analyses_page(request: Request, area: str, year: int, actor: Reader) -> Response:
    fu = _follow_up(request, area, year)
    analyses = {a.goal_indicator_id: a for a in
                context(request).workflow.analyses(area, period=year)}
    title = f"{_translator(request)('title_analysis')} {year}: {fu.name}"
    return _page(request, "analyses.html", {"title": title, "fu": fu,
                                            "analyses": analyses, "area": area, "year": year})


def _goal_indicator_in(wf: Workflow, area: str, goal_indicator_id: int):  # noqa: ANN202
    """The goal indicator, which must belong to the organisation in the URL (else 404)."""
    gi = wf.goal_indicator(goal_indicator_id)
    if gi.goal.organisation_id != wf.organisation(area).id:
        raise NotFound(f"Hittade inte målindikatorn med id {goal_indicator_id} i {area}.")
    return gi


@router.get("/{area}/analys/{year}/{goal_indicator_id}", response_class=HTMLResponse)
def analysis_page(request: Request, area: str, year: int, goal_indicator_id: int,
                  actor: Reader) -> Response:
    wf = context(request).workflow
    gi = _goal_indicator_in(wf, area, goal_indicator_id)
    fu = _follow_up(request, area, year)
    item = next((i for g in fu.goals for i in g.indicators if i.goal_indicator_id == gi.id), None)
    analysis = next((a for a in wf.analyses(area, period=year)
                     if a.goal_indicator_id == gi.id), None)
    return _page(request, "analysis.html", {
        "title": f"{_translator(request)('title_analysis')}: "
                 f"{item.title if item else gi.indicator} ({year})", "gi": gi,
        "item": item, "analysis": analysis, "area": area, "year": year})


@router.post("/{area}/analys/{year}/{goal_indicator_id}", dependencies=[Csrf])
def save_analysis(request: Request, area: str, year: int, goal_indicator_id: int,
                  actor: Analyst, causes: Annotated[str, Form()] = "",
                  conclusions: Annotated[str, Form()] = "",
                  deviation: Annotated[str, Form()] = "",
                  status: Annotated[str, Form()] = "draft",
                  version: Annotated[str, Form()] = "") -> Response:
    context(request).workflow.save_analysis(
        actor, goal_indicator_id, year, causes=parse_causes(causes),
        conclusions=conclusions or None, deviation=deviation or None, status=status,
        expected_version=_int(version, "version"), area=area)
    return _back(request, f"/styrning/{area}/analys/{year}/{goal_indicator_id}")


@router.post("/{area}/analys/{year}/{goal_indicator_id}/forslag", dependencies=[Csrf])
def propose(request: Request, area: str, year: int, goal_indicator_id: int, actor: Analyst,
            title: Annotated[str, Form()], description: Annotated[str, Form()] = "",
            consequence_if_done: Annotated[str, Form()] = "",
            consequence_if_not_done: Annotated[str, Form()] = "",
            effect: Annotated[str, Form()] = "", resources: Annotated[str, Form()] = "") -> Response:
    wf = context(request).workflow
    _goal_indicator_in(wf, area, goal_indicator_id)
    analysis = next((a for a in wf.analyses(area, period=year)
                     if a.goal_indicator_id == goal_indicator_id), None)
    if analysis is None:
        raise InvalidInput("Spara analysen (orsaker och slutsatser) innan du föreslår åtgärder.")
    wf.propose_action(actor, analysis.id, title, description=description or None,
                      consequence_if_done=consequence_if_done or None,
                      consequence_if_not_done=consequence_if_not_done or None,
                      effect=_int(effect, "effekt"), resources=_int(resources, "resursbehov"),
                      area=area)
    return _back(request, f"/styrning/{area}/analys/{year}/{goal_indicator_id}")


# -- act --------------------------------------------------------------------------------------
@router.get("/{area}/atgarder/{year}", response_class=HTMLResponse)
def actions_page(request: Request, area: str, year: int, actor: Reader) -> Response:
    from jamlik.steering._charts import priority_matrix_svg

    wf = context(request).workflow
    org = wf.organisation(area)
    ranked = wf.priority_matrix(area, period=year)
    svg = priority_matrix_svg([(r.rank, r.action.title, r.action.effect, r.action.resources)
                               for r in ranked if r.quadrant != "unassessed"])
    return _page(request, "actions.html", {"title": f"{_translator(request)('title_actions')} "
                                                    f"{year}: {org.name}", "org": org,
                                           "ranked": ranked,
                                           "matrix": svg, "area": area, "year": year})


@router.post("/{area}/atgarder/{action_id}/bedomning", dependencies=[Csrf])
def assess_action(request: Request, area: str, action_id: int, actor: Analyst,
                  version: Annotated[str, Form()], effect: Annotated[str, Form()] = "",
                  resources: Annotated[str, Form()] = "",
                  consequence_if_done: Annotated[str, Form()] = "",
                  consequence_if_not_done: Annotated[str, Form()] = "",
                  year: Annotated[str, Form()] = "") -> Response:
    context(request).workflow.assess_action(
        actor, action_id, _int(version, "version"), effect=_int(effect, "effekt"),
        resources=_int(resources, "resursbehov"),
        consequence_if_done=consequence_if_done or None,
        consequence_if_not_done=consequence_if_not_done or None, area=area)
    return _back(request, f"/styrning/{area}/atgarder/{year or date.today().year - 1}")


@router.get("/{area}/beslut/{year}", response_class=HTMLResponse)
def decisions_page(request: Request, area: str, year: int, actor: PublicReader) -> Response:
    wf = context(request).workflow
    org = wf.organisation(area)
    ranked = wf.priority_matrix(area, period=year) if actor.can(Permission.READ) else []
    return _page(request, "decisions.html", {
        "title": f"{_translator(request)('title_decisions')} {year}: {org.name}", "org": org,
        "decisions": wf.decisions(area, period=year), "assignments": wf.assignments(area),
        "ranked": ranked, "area": area, "year": year, "today": date.today().isoformat()})


@router.post("/{area}/beslut/{year}", dependencies=[Csrf])
def decide(request: Request, area: str, year: int, actor: Decider,
           text: Annotated[str, Form()], decided_by: Annotated[str, Form()],
           decided_on: Annotated[str, Form()], owner: Annotated[str, Form()],
           follow_up_on: Annotated[str, Form()], proposed_action_id: Annotated[str, Form()] = "",
           assignment: Annotated[str, Form()] = "") -> Response:
    context(request).workflow.decide(
        actor, area, year, text, decided_by=decided_by,
        decided_on=_date(decided_on, "beslutsdatum"), owner=owner,
        follow_up_on=_date(follow_up_on, "uppföljningsdatum"),
        proposed_action_id=_int(proposed_action_id, "åtgärdsförslag"),
        assignment=assignment or None)
    return _back(request, f"/styrning/{area}/beslut/{year}")


@router.post("/{area}/uppdrag/{assignment_id}", dependencies=[Csrf])
def update_assignment(request: Request, area: str, assignment_id: int, actor: Decider,
                      version: Annotated[str, Form()], status: Annotated[str, Form()] = "",
                      report: Annotated[str, Form()] = "",
                      year: Annotated[str, Form()] = "") -> Response:
    context(request).workflow.update_assignment(
        actor, assignment_id, _int(version, "version"), status=status or None,
        report=report or None, area=area)
    return _back(request, f"/styrning/{area}/beslut/{year or date.today().year - 1}")


# -- report -----------------------------------------------------------------------------------
@router.get("/{area}/rapport/{year}.{fmt}")
def report(request: Request, area: str, year: int, fmt: str, actor: PublicReader) -> Response:
    if fmt not in FORMATS:
        raise InvalidInput(f"Okänt rapportformat {fmt!r}: välj html, pdf eller docx.")
    ctx = context(request)
    profiles = ctx.profile_cache()  # first: it starts a new generation when its TTL has passed

    def make() -> tuple[bytes, str]:
        with ctx.store_lock:
            data = build_report(ctx.workflow, ctx.store, area, year, profile_cache=profiles)
        return render(data, fmt), data.follow_up.area  # rendered outside the store lock

    # the same for every reader, so made once per data version: the workflow's last change
    # and the profile cache's generation (new data shows within PROFILE_TTL)
    key = (area, year, fmt, ctx.workflow.last_change(), ctx._profiles_at)
    payload, org_area = ctx.reports.get_or_make(key, make)
    headers = {}
    if fmt != "html":
        headers["Content-Disposition"] = (f'attachment; filename="analysrapport-'
                                          f'{org_area}-{year}.{fmt}"')
    return Response(payload, media_type=_MEDIA[fmt], headers=headers)


# -- administration ---------------------------------------------------------------------------
@router.get("/anvandare", response_class=HTMLResponse)
def users_page(request: Request, actor: Admin) -> Response:
    wf = context(request).workflow
    users = wf.users()
    return _page(request, "users.html", {"title": _translator(request)("users"), "users": users,
                                         "sessions": {u.username: live_sessions(wf, u.username)
                                                      for u in users},
                                         "memberships": {u.username: wf.memberships(u.username)
                                                         for u in users},
                                         "orgs": wf.organisations()})


@router.post("/anvandare", dependencies=[Csrf])
def create_user(request: Request, actor: Admin, username: Annotated[str, Form()],
                role: Annotated[str, Form()], password: Annotated[str, Form()],
                display_name: Annotated[str, Form()] = "",
                organisation: Annotated[str, Form()] = "") -> Response:
    try:
        context(request).workflow.create_user(actor, username, role, password=password,
                                              display_name=display_name or None,
                                              organisation=organisation.strip() or None)
    except ValueError as exc:  # password policy, unknown role
        raise InvalidInput(str(exc)) from None
    return _back(request, "/styrning/anvandare")


@router.post("/anvandare/{username}/logga-ut", dependencies=[Csrf])
def revoke_sessions(request: Request, username: str, actor: Admin) -> Response:
    """Sign a user out everywhere (a lost laptop, a person who left)."""
    context(request).workflow.revoke_sessions(actor, username)
    return _back(request, "/styrning/anvandare")


@router.get("/logg", response_class=HTMLResponse)
def audit_page(request: Request, actor: Admin) -> Response:
    return _page(request, "audit.html", {"title": _translator(request)("audit"),
                                         "entries": context(request).workflow.audit_log()})


TEMPLATES_DIR = Path(__file__).parent / "templates"
