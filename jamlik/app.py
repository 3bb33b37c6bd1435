"""The composition root: one ASGI app with the pages of every capability.

``create_app`` builds the portal (pages, open API, static files, error pages, security and the
response cache) and then registers each capability in ``CAPABILITIES`` on it. Capabilities
never import each other; they meet only here (the import contracts in ``.importlinter`` check
it). ``jamlik serve``, the tests and the benchmarks build their app with ``create_app``.

Adding a capability's pages (docs/ARCHITECTURE.md, "where to change what"):

1. write one router module, e.g. ``jamlik/priorities/web.py`` with an ``APIRouter`` under its
   own prefix (``/prioritering``) that depends on ``jamlik.web`` (layout, words) and on the
   layers below, never on ``jamlik.portal`` or another capability;
2. write a function here, ``_priorities(app, services)``, that includes the router and hands
   it the services it needs, and append it to ``CAPABILITIES``;
3. add the package to the capability layer in ``.importlinter``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from fastapi import APIRouter, FastAPI, Request

from jamlik.portal import create_app as create_portal_app
from jamlik.portal._articles import ArticleLibrary
from jamlik.portal._search import SearchDoc
from jamlik.portal._security import SecuritySettings
from jamlik.prioritisation import Prioritisation
from jamlik.steering import Actor, Workflow
from jamlik.store import Store


@dataclass(frozen=True)
class Services:
    """What the composition root hands every capability."""

    store: Store
    #: DuckDB connections are not thread-safe: every capability reads the store under this lock
    store_lock: threading.RLock
    #: the steering loop's workflow database (None: from JAMLIK_DATABASE_URL on first use)
    workflow: Workflow | None = None


def _steering(app: FastAPI, services: Services) -> None:
    """The steering loop's pages under /styrning (plans, follow-up, analysis, decisions)."""
    from jamlik.steering import web

    app.include_router(web.router)
    ctx = web.configure(app, workflow=services.workflow, store=services.store,
                        store_lock=services.store_lock)
    views = getattr(app.state, "views", None)
    if views is not None:  # the portal's search finds plans too
        views.search_sources.append(lambda: _plan_documents(ctx.workflow))


def _plan_documents(workflow: Workflow) -> list[SearchDoc]:
    """Each organisation's plan (name, vision, goal titles) as a portal search document."""
    return [SearchDoc("plan", org.area, f"Plan: {org.name}",
                      text=" ".join(filter(None, [org.vision or "",
                                                  *(g.title for g in org.goals)])),
                      detail="plan", url=f"/styrning/{org.area}/plan")
            for org in workflow.organisations()]


def _knowledge(app: FastAPI, services: Services) -> None:
    """The knowledge bank's pages under /kunskapsbank (search, one page per example)."""
    from jamlik import knowledge_web

    def linked_activities(example_id: str) -> list[dict[str, object]]:
        # the steering loop keeps the link (activities.example_id); capabilities meet here
        ctx = getattr(app.state, "jamlik_steering", None)
        return ctx.workflow.activities_for_example(example_id) if ctx is not None else []

    def workflow_engine():  # noqa: ANN202 - a SQLAlchemy Engine
        return app.state.jamlik_steering.workflow.engine

    def identify(request: Request) -> str | None:
        # the steering loop's session cookie (path /) says who is signed in
        from jamlik.steering import ANONYMOUS, NotAuthenticated
        from jamlik.steering import web as steering_web

        if getattr(app.state, "jamlik_steering", None) is None:
            return None
        try:
            actor = steering_web.current_actor(request)
        except NotAuthenticated:
            return None
        return None if actor is ANONYMOUS else actor.username

    app.include_router(knowledge_web.router)
    knowledge_web.configure(app, linked_activities=linked_activities,
                            workflow_engine=workflow_engine, identify=identify)


def _districts(app: FastAPI, services: Services) -> None:
    """The areas below the municipality under /omraden (DeSO map, profiles, gradient,
    segregation, cross-table builder)."""
    from jamlik import areas_web

    app.include_router(areas_web.router)
    areas_web.configure(app, store=services.store, store_lock=services.store_lock)


def _prioritisation(app: FastAPI, services: Services) -> None:
    """The prioritisation's pages under /prioritering (participant forms, the facilitator's
    dashboard, results, reports), on the steering loop's workflow database; who is signed in
    and the hand-over to an action plan come from the steering loop, through here."""

    from jamlik import prioritisation_web
    from jamlik.prioritisation import PrioritisationError
    from jamlik.steering import ANONYMOUS, NotAuthenticated, Permission, SteeringError
    from jamlik.steering import web as steering_web

    made: list[Prioritisation] = []

    def prioritisation() -> Prioritisation:
        if not made:
            prio = Prioritisation(app.state.jamlik_steering.workflow.engine)
            prio.install_samling("system")
            made.append(prio)
        return made[0]

    def identify(request: Request) -> prioritisation_web.Identity:
        try:
            actor = steering_web.current_actor(request)
        except NotAuthenticated:
            return prioritisation_web.Identity(None)
        if actor is ANONYMOUS:
            return prioritisation_web.Identity(None)
        return prioritisation_web.Identity(actor.username, actor.can(Permission.ADMIN))

    def send(request: Request, round_id: int, area: str, keys: Sequence[str]) -> list[int]:
        actor = steering_web.current_actor(request)
        try:
            return send_to_action_plan(prioritisation(), app.state.jamlik_steering.workflow,
                                       actor, round_id, area, keys)
        except SteeringError as exc:  # e.g. no edit right in that municipality: its message
            err = PrioritisationError(exc.message)
            err.status_code = exc.status_code
            raise err from None

    app.include_router(prioritisation_web.router)
    prioritisation_web.configure(app, prioritisation=prioritisation, identify=identify,
                                 send_to_plan=send)


def send_to_action_plan(prioritisation: Prioritisation, workflow: Workflow, actor: Actor,
                        round_id: int, area: str, proposal_keys: Sequence[str], *,
                        plan_title: str | None = None) -> list[int]:
    """"Skicka till handlingsplanen": chosen proposals of a prioritisation round become
    activities in ``area``'s action plan, with their scores, evidence and the trace back.

    The hand-over lives here, in the composition root, because the prioritisation (domain
    layer) must not import the steering loop (a capability) and the steering loop takes plain
    data only (``Workflow.add_prioritised_activities``). The prioritisation then records
    where each proposal arrived (``prio_handovers``). Returns the new activities' ids.
    """
    items = prioritisation.handover_items(round_id, proposal_keys)
    title = plan_title or f"Prioriterade åtgärdsområden – {prioritisation.round(round_id).title}"
    ids = workflow.add_prioritised_activities(actor, area, items, plan_title=title)
    prioritisation.record_handover(actor.username, round_id, area, [
        (item["key"], activity_id, item["scores"])
        for item, activity_id in zip(items, ids, strict=True)])
    return ids


def _surveys(app: FastAPI, services: Services) -> None:
    """Published survey results under /enkater (by grade and sex, limits, response rates)."""
    from jamlik import surveys_web

    app.include_router(surveys_web.router)
    surveys_web.configure(app, store=services.store, store_lock=services.store_lock)


def _economics(app: FastAPI, services: Services) -> None:
    """Social investments under /ekonomi (case editor and results, report, fund); "send to
    the action plan" opens the steering plan page with the activity filled in."""
    from urllib.parse import urlencode

    from jamlik import economics_web
    from jamlik.economics import Investments
    from jamlik.steering import ANONYMOUS, NotAuthenticated, Permission
    from jamlik.steering import web as steering_web

    def plan_link(area: str, activity: dict[str, str]) -> str:
        query = urlencode({"aktivitet": activity.get("what", ""), "hur": activity.get("how", ""),
                           "budget": activity.get("budget", "")})
        return f"/styrning/{area}/plan?{query}#ny-aktivitet"

    made: list[Investments] = []

    def investments() -> Investments:
        if not made:
            made.append(Investments(app.state.jamlik_steering.workflow.engine))
        return made[0]

    #: the steering loop's roles per organisation → what the economics pages allow
    needs = {"read": (Permission.READ,), "edit": (Permission.EDIT_ANALYSIS, Permission.EDIT_PLAN),
             "decide": (Permission.DECIDE,)}

    def identify(request: Request) -> economics_web.Identity:
        try:
            actor = steering_web.current_actor(request)
        except NotAuthenticated:
            return economics_web.Identity(None)
        if actor is ANONYMOUS:
            return economics_web.Identity(None)
        return economics_web.Identity(actor.username, lambda action, area: any(
            actor.can(p, area) for p in needs.get(action, ())))

    app.include_router(economics_web.router)
    economics_web.configure(app, store=services.store, store_lock=services.store_lock,
                            plan_link=plan_link, investments=investments, identify=identify)


#: Every capability mounted on the portal, in order. A new capability appends one function.
CAPABILITIES: list[Callable[[FastAPI, Services], None]] = [_steering, _knowledge, _districts,
                                                           _surveys, _economics,
                                                           _prioritisation]


def create_app(store: str | os.PathLike[str] | Store, workflow: Workflow | None = None, *,
               county: str = "20", articles: ArticleLibrary | None = None,
               extra_routers: Iterable[APIRouter] = (), cache: bool = True, warm: bool = True,
               security: SecuritySettings | None = None) -> FastAPI:
    """jamlik's web app: the portal with every capability in ``CAPABILITIES`` mounted.

    store: a DuckDB file (opened read-only) or an open Store; every capability shares it.
    workflow: the steering loop's database (default: ``JAMLIK_DATABASE_URL``, opened lazily).
    extra_routers: further routers mounted as they are. county, articles, cache, warm and
    security: as ``jamlik.portal.create_app``.
    """
    shared = store if isinstance(store, Store) else Store(store, read_only=True)
    app = create_portal_app(shared, county=county, articles=articles, cache=cache, warm=warm,
                            security=security, extra_routers=extra_routers)
    services = Services(store=shared, store_lock=app.state.data.lock, workflow=workflow)
    for mount in CAPABILITIES:
        mount(app, services)
    return app


def app_from_env() -> FastAPI:
    """The app for a process manager that starts several workers (``uvicorn --workers N
    --factory jamlik.app:app_from_env``, what ``jamlik serve --workers N`` runs): the store from
    ``JAMLIK_DB``, the home county from ``JAMLIK_COUNTY`` (default 20). Every worker opens the
    published snapshot read-only with its own caches (docs/PRODUCTION.md, "Many workers")."""
    path = os.environ.get("JAMLIK_DB", "").strip()
    if not path:
        raise RuntimeError("JAMLIK_DB är inte satt: ange indikatordatabasen (DuckDB-filen).")
    return create_app(path, county=os.environ.get("JAMLIK_COUNTY", "20").strip() or "20")


__all__ = ["CAPABILITIES", "Services", "app_from_env", "create_app", "send_to_action_plan"]
