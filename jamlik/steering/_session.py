"""Web sessions: a signed cookie pointing at a revocable server-side session; API tokens as Bearer.

The cookie holds no password and no user name, only ``{"s": session token | absent,
"csrf": random}``, signed with the installation's secret key (itsdangerous), HttpOnly and
SameSite=Lax. Signing in creates a row in ``web_sessions`` (only the token's SHA-256 is stored)
with its creation, last-seen and expiry times; signing out, a password change and an
administrator revoke rows, after which a replayed cookie is just an anonymous visitor.
Every form POST must echo the CSRF token; requests authenticated with an API token are exempt
because a browser never attaches them on its own.
"""

from __future__ import annotations

import hmac
import secrets
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select, update

from jamlik.steering._auth import Actor, hash_token
from jamlik.steering._models import User, WebSession
from jamlik.steering._roles import actor_for


class Workflow(Protocol):
    """What this module needs of ``_workflow.Workflow`` (which imports this module)."""

    def session(self) -> AbstractContextManager[Any]: ...

COOKIE = "jamlik_styrning"
MAX_AGE = 8 * 3600  # a working day
#: last_seen_at is written at most this often per session (not on every request)
TOUCH_EVERY = timedelta(minutes=1)


@dataclass
class Session:
    username: str | None
    csrf: str
    new: bool = False
    #: the server-side session's token (in the cookie only), None for anonymous visitors
    token: str | None = None


class SessionCodec:
    def __init__(self, secret_key: str):
        self._s = URLSafeTimedSerializer(secret_key, salt="jamlik-steering-session")

    def load(self, cookie: str | None) -> Session:
        """The cookie's contents; ``username`` is filled in by :func:`session_user`."""
        if cookie:
            try:
                data = self._s.loads(cookie, max_age=MAX_AGE)
                token = data.get("s")
                return Session(None, str(data["csrf"]), token=str(token) if token else None)
            except (BadSignature, KeyError, TypeError, AttributeError):
                pass
        return Session(None, self.fresh_csrf(), new=True)

    @staticmethod
    def fresh_csrf() -> str:
        return secrets.token_urlsafe(24)

    def dump(self, session: Session) -> str:
        data = {"csrf": session.csrf}
        if session.token:
            data["s"] = session.token
        return self._s.dumps(data)


def csrf_ok(session: Session, submitted: str | None) -> bool:
    return bool(submitted) and not session.new and hmac.compare_digest(
        session.csrf.encode(), str(submitted).encode())


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # the workflow database stores naive UTC


def start_session(workflow: Workflow, username: str, *, now: datetime | None = None) -> str:
    """A new server-side session for a user who just signed in; returns its token."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    with workflow.session() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise KeyError(username)
        # sessions that ended more than a day ago are of no use any more
        s.execute(delete(WebSession).where(WebSession.expires_at < now - timedelta(days=1)))
        s.add(WebSession(id=hash_token(token), user_id=user.id, created_at=now,
                         last_seen_at=now, expires_at=now + timedelta(seconds=MAX_AGE)))
    return token


def session_user(workflow: Workflow, token: str, *, now: datetime | None = None) -> Actor | None:
    """The Actor of a live session: not revoked, not expired, the user still active."""
    now = now or _now()
    with workflow.session() as s:
        row = s.execute(select(WebSession, User).join(User, User.id == WebSession.user_id)
                        .where(WebSession.id == hash_token(token))).first()
        if row is None:
            return None
        session, user = row
        if session.revoked_at is not None or session.expires_at <= now or not user.active:
            return None
        if now - session.last_seen_at >= TOUCH_EVERY:
            session.last_seen_at = now
        return actor_for(s, user)


def end_session(workflow: Workflow, token: str, *, now: datetime | None = None) -> None:
    """Sign-out: the session is revoked, so its cookie is worth nothing any more."""
    with workflow.session() as s:
        s.execute(update(WebSession).where(WebSession.id == hash_token(token),
                                           WebSession.revoked_at.is_(None))
                  .values(revoked_at=now or _now()))


def revoke_user_sessions(s, user_id: int, *, now: datetime | None = None) -> int:  # noqa: ANN001
    """Revoke every live session of a user inside an open ORM session; returns how many."""
    result = s.execute(update(WebSession).where(WebSession.user_id == user_id,
                                                WebSession.revoked_at.is_(None))
                       .values(revoked_at=now or _now()))
    return int(result.rowcount or 0)


def live_sessions(workflow: Workflow, username: str, *, now: datetime | None = None) -> int:
    """How many unrevoked, unexpired sessions a user has (for the users page and tests)."""
    now = now or _now()
    with workflow.session() as s:
        rows = s.scalars(select(WebSession.id).join(User, User.id == WebSession.user_id).where(
            User.username == username, WebSession.revoked_at.is_(None),
            WebSession.expires_at > now))
        return len(list(rows))
