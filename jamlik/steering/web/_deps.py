"""Who is asking: the signed-in actor, permission and CSRF dependencies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from jamlik.steering._auth import (
    ANONYMOUS,
    PERMISSION_LABELS_SV,
    ROLE_LABELS_SV,
    Actor,
    Permission,
)
from jamlik.steering._errors import (
    NotAuthenticated,
    PermissionDenied,
)
from jamlik.steering._session import (
    COOKIE,
    Session,
    csrf_ok,
    session_user,
)
from jamlik.steering.web._context import context


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
