"""Roles, permissions, password and token hashing.

Passwords are hashed with argon2id (argon2-cffi); API tokens are random and only their SHA-256
is stored, so a leaked database does not leak usable credentials.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from jamlik.steering._passwords import check_password


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    EDITOR = "editor"
    VIEWER = "viewer"
    PUBLIC = "public"  # anonymous visitor of the published portal


class Permission(StrEnum):
    READ_PUBLIC = "read_public"  # plan, follow-up, decisions and the report
    READ = "read"  # also analyses, proposals, priorities and the audit trail
    EDIT_ANALYSIS = "edit_analysis"  # causes, conclusions, proposed actions, assessments
    EDIT_PLAN = "edit_plan"  # organisation, goals, indicators, targets, action plans
    DECIDE = "decide"  # decisions and assignments
    ADMIN = "admin"  # users and tokens


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PUBLIC: frozenset({Permission.READ_PUBLIC}),
    Role.VIEWER: frozenset({Permission.READ_PUBLIC, Permission.READ}),
    Role.ANALYST: frozenset({Permission.READ_PUBLIC, Permission.READ, Permission.EDIT_ANALYSIS}),
    Role.EDITOR: frozenset({Permission.READ_PUBLIC, Permission.READ, Permission.EDIT_PLAN,
                            Permission.DECIDE}),
    Role.ADMIN: frozenset(Permission),
}

ROLE_LABELS_SV: dict[str, str] = {
    "admin": "administratör",
    "analyst": "analytiker",
    "editor": "redaktör",
    "viewer": "läsare",
    "public": "allmänheten",
}

PERMISSION_LABELS_SV: dict[str, str] = {
    "read_public": "läsa den publicerade uppföljningen",
    "read": "läsa analyser och underlag",
    "edit_analysis": "redigera analyser",
    "edit_plan": "redigera planen",
    "decide": "registrera beslut och uppdrag",
    "admin": "administrera användare",
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, a token holder or the anonymous public.

    role: the region-wide role (all organisations); Role.PUBLIC when there is none.
    org_roles: (area code, role) for each organisation the user has a role in (``_roles``).
    """

    username: str
    role: Role
    org_roles: tuple[tuple[str, Role], ...] = ()

    def can(self, permission: Permission, area: str | None = None) -> bool:
        """May act here: region-wide, or in organisation ``area`` when one is given."""
        if permission in ROLE_PERMISSIONS[self.role]:
            return True
        return area is not None and any(
            a == area and permission in ROLE_PERMISSIONS[r] for a, r in self.org_roles)

    def can_somewhere(self, permission: Permission) -> bool:
        """Holds ``permission`` region-wide or in at least one organisation."""
        return self.can(permission) or any(
            permission in ROLE_PERMISSIONS[r] for _, r in self.org_roles)

    def role_in(self, area: str | None) -> Role:
        """The strongest of the region-wide role and the role in ``area`` (for labels)."""
        roles = [self.role, *(r for a, r in self.org_roles if a == area)]
        return max(roles, key=lambda r: len(ROLE_PERMISSIONS[r]))


ANONYMOUS = Actor("anonym", Role.PUBLIC)
SYSTEM = Actor("system", Role.ADMIN)

_hasher = PasswordHasher()


def hash_password(password: str, username: str | None = None, *, check: bool = True) -> str:
    """The argon2id hash; a password against the policy (``_passwords``) raises ValueError."""
    if check:
        check_password(password, username)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return "jlk_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        allowed = ", ".join(r.value for r in Role if r is not Role.PUBLIC)
        raise ValueError(f"okänd roll {text!r}: välj en av {allowed}.") from None
