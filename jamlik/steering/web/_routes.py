"""The steering pages under /styrning: sign-in, plan, follow-up, analysis, actions, decisions,
reports and administration (one router, in this order)."""

from __future__ import annotations

import functools
import re
from datetime import date
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from jamlik.format import json_safe
from jamlik.steering import _examples as examples
from jamlik.steering._auth import (
    ANONYMOUS,
    Permission,
)
from jamlik.steering._errors import (
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from jamlik.steering._login import TooManyAttempts, sign_in
from jamlik.steering._report import FORMATS, build_report, render
from jamlik.steering._session import (
    COOKIE,
    Session,
    SessionCodec,
    end_session,
    live_sessions,
    start_session,
)
from jamlik.steering._workflow import Workflow
from jamlik.steering.web._context import context
from jamlik.steering.web._deps import (
    Admin,
    Analyst,
    Csrf,
    Decider,
    PlanEditor,
    PublicReader,
    Reader,
    _session,
    current_actor,
)
from jamlik.steering.web._forms import _date, _float, _int, _list, cause_fields, parse_causes
from jamlik.steering.web._render import (
    _back,
    _follow_up,
    _page,
    _set_cookie,
    _SteeringRoute,
    _translator,
    latest_data_year,
)
from jamlik.web.documents import for_screen

_MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
          "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

router = APIRouter(prefix="/styrning", route_class=_SteeringRoute, tags=["styrning"])


# -- sign in and out --------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse, name="steering_index")
def index(request: Request, actor: PublicReader) -> Response:
    wf = context(request).workflow
    orgs = wf.organisations()
    years = {o.area: latest_data_year(request, wf.organisation(o.area)) for o in orgs}
    return _page(request, "index.html", {"title": _translator(request)("title_index"),
                                         "orgs": orgs, "years": years,
                                         "new_area": request.query_params.get("omrade", ""),
                                         "year": date.today().year - 1})


@router.post("/ny-plan", dependencies=[Csrf])
def create_plan(request: Request, area: Annotated[str, Form()], name: Annotated[str, Form()],
                vision: Annotated[str, Form()] = "",
                perspectives: Annotated[str, Form()] = "") -> Response:
    """A new organisation's plan from the form on /styrning/ (the area is a form field, so
    the role is checked here for that area, as PlanEditor does for the one in a URL)."""
    area = area.strip()
    actor = current_actor(request)
    if actor is ANONYMOUS:
        raise NotAuthenticated("Logga in för att skapa en plan (/styrning/logga-in).")
    if not actor.can(Permission.EDIT_PLAN, area):
        raise PermissionDenied(f"Du saknar behörighet att skapa en plan för {area or 'området'}"
                               ". Be en administratör om rätt roll.")
    wf = context(request).workflow
    if any(o.area == area for o in wf.organisations()):
        raise InvalidInput(f"Det finns redan en plan för {area}: ändra den under "
                           f"/styrning/{area}/plan.")
    _require_known_area(request, area)
    wf.save_organisation(actor, area, name.strip(), vision=vision or None,
                         perspectives=_list(perspectives))
    return _back(request, f"/styrning/{area}/plan")


@router.get("/{area}/analysera")
def analyse_indicator(request: Request, area: str, actor: PublicReader,
                      indikator: str = "") -> Response:
    """"Lägg till i analys" from a deviation anywhere (the portal's area profile): the plan
    target's analysis when the plan follows the indicator, else the plan page with the
    indicator filled in for a new target, else a new plan for the area."""
    wf = context(request).workflow
    indicator = indikator.strip().upper()
    if not re.fullmatch(r"[A-Z0-9_.-]{1,40}", indicator):
        raise InvalidInput("Ange indikatorn som ?indikator=N00957.")
    target = f"/styrning/{area}/plan?indikator={indicator}#ny-malindikator"
    if not any(o.area == area for o in wf.organisations()):
        target = f"/styrning/?omrade={quote(area)}#ny-plan"
    else:
        org = wf.organisation(area)
        year = latest_data_year(request, org)
        target = next((f"/styrning/{area}/analys/{year}/{gi.id}" for g in org.goals
                       for gi in g.indicators if gi.indicator == indicator), target)
    if actor is ANONYMOUS:  # sign in first, then on to the analysis
        return _back(request, f"/styrning/logga-in?next={quote(target, safe='')}")
    return _back(request, target)


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
    response.delete_cookie(COOKIE, path="/styrning")  # a cookie from before COOKIE_PATH
    response.delete_cookie(COOKIE, path="/")
    return response


# -- plan -------------------------------------------------------------------------------------
@router.get("/{area}/plan", response_class=HTMLResponse)
def plan_page(request: Request, area: str, actor: PublicReader) -> Response:
    org = context(request).workflow.organisation(area)
    areas = sorted({a for g in org.goals for a in (g.target_areas or [])})
    return _page(request, "plan.html", {"title": f"{_translator(request)('title_plan')}: "
                                                 f"{org.name}", "org": org,
                                        "year": latest_data_year(request, org),
                                        "examples": {e.id: e for e in examples.bank()},
                                        # an activity handed over by another page (e.g. a
                                        # social-investment case): fills the first form
                                        "prefill": {k: request.query_params.get(k, "")[:2000]
                                                    for k in ("aktivitet", "hur", "budget")},
                                        "related": examples.for_target_areas(area, areas)})


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


def _known_indicator(ctx, indicator_id: str) -> bool:  # noqa: ANN001 - the steering context
    with ctx.store_lock:
        try:
            ctx.store.indicator(indicator_id)
        except KeyError:
            return False
    return True


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


@router.post("/{area}/handlingsplan/{plan_id}/exempel", dependencies=[Csrf])
def activity_from_example(request: Request, area: str, plan_id: int, actor: PlanEditor,
                          example_id: Annotated[str, Form()],
                          goal_id: Annotated[str, Form()] = "",
                          responsible: Annotated[str, Form()] = "") -> Response:
    context(request).workflow.add_activity_from_example(
        actor, plan_id, example_id.strip(), goal_id=_int(goal_id, "mål"),
        responsible=responsible or None, area=area)
    return _back(request, f"/styrning/{area}/plan")


# -- follow up --------------------------------------------------------------------------------
@router.get("/{area}/uppfoljning/{year}", response_class=HTMLResponse)
def follow_up_page(request: Request, area: str, year: int, actor: PublicReader) -> Response:
    fu = _follow_up(request, area, year)
    title = f"{_translator(request)('title_follow_up')} {year}: {fu.name}"
    ctx = context(request)
    with ctx.store_lock:
        related = examples.for_deviations(
            ctx.store, area, [(i.goal_indicator_id, i.indicator, g.target_areas)
                              for g, i in fu.deviations])
    return _page(request, "followup.html", {"title": title, "related": related,
                                            "fu": fu, "area": area, "year": year})


@router.get("/api/{area}/uppfoljning/{year}")
def follow_up_json(request: Request, area: str, year: int, actor: PublicReader) -> JSONResponse:
    return JSONResponse(json_safe(_follow_up(request, area, year).to_dict()))


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
                  cause_text: Annotated[list[str] | None, Form()] = None,
                  cause_indicator: Annotated[list[str] | None, Form()] = None,
                  cause_link: Annotated[list[str] | None, Form()] = None,
                  conclusions: Annotated[str, Form()] = "",
                  deviation: Annotated[str, Form()] = "",
                  status: Annotated[str, Form()] = "draft",
                  version: Annotated[str, Form()] = "") -> Response:
    # the form's structured fields (one row per cause); the one-line syntax
    # ("orsak | N00957, https://…") stays for API clients and TOML-minded power users
    ctx = context(request)
    structured = cause_fields(cause_text or [], cause_indicator or [], cause_link or [],
                              known_indicator=functools.partial(_known_indicator, ctx))
    ctx.workflow.save_analysis(
        actor, goal_indicator_id, year, causes=structured + parse_causes(causes),
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
        body = render(data, fmt)  # rendered outside the store lock
        return (for_screen(body.decode("utf-8")).encode("utf-8") if fmt == "html" else body,
                data.follow_up.area)

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
