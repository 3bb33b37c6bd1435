"""Per-organisation roles: who may do what where.

A user holds roles through ``memberships``: one per organisation (``scope`` = the area code,
e.g. ``2080`` — Falun's editor edits Falun) and at most one region-wide (``scope`` =
``"region"`` — e.g. the region's folkhälsostrateg, who works on every organisation). Roles
given before migration 0004 were global; they became region-wide memberships, so nothing
changed for existing users. An Actor carries both (``role`` is the region-wide one, ``org_roles``
the rest) and ``Actor.can(permission, area)`` checks them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.steering._auth import Actor, Role
from jamlik.steering._models import Membership, User

REGION = "region"


def actor_for(s: Session, user: User) -> Actor:
    """The Actor of a user with all of their memberships."""
    region = Role.PUBLIC
    orgs = []
    for scope, role in s.execute(select(Membership.scope, Membership.role)
                                 .where(Membership.user_id == user.id)
                                 .order_by(Membership.scope)):
        if scope == REGION:
            region = Role(role)
        else:
            orgs.append((scope, Role(role)))
    return Actor(user.username, region, tuple(orgs))


def set_membership(s: Session, user: User, scope: str | None, role: Role | None) -> None:
    """Give ``user`` ``role`` in ``scope`` (None = region-wide); role None removes it."""
    scope = scope or REGION
    row = s.scalar(select(Membership).where(Membership.user_id == user.id,
                                            Membership.scope == scope))
    if role is None:
        if row is not None:
            s.delete(row)
    elif row is None:
        s.add(Membership(user_id=user.id, scope=scope, role=role.value))
    else:
        row.role = role.value
