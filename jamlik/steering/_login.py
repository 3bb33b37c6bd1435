"""Signing in with a rate limit: stops password guessing without telling who exists.

After ``MAX_FAILURES`` failed sign-ins for the same user name, or from the same client
address, within ``WINDOW``, further attempts are refused (HTTP 429) until the oldest of those
failures is older than the window. The count is kept in the workflow database
(``login_failures``), so it holds across processes and restarts. Unknown and known user names
are treated alike, and every failure is written to the audit log — never the password.
"""

from __future__ import annotations

import functools
import logging
import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, or_, select

from jamlik.steering._auth import Actor, Role, hash_password, verify_password
from jamlik.steering._errors import SteeringError
from jamlik.steering._models import AuditEntry, LoginFailure, User
from jamlik.steering._workflow import Workflow

log = logging.getLogger(__name__)

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)


class TooManyAttempts(SteeringError):
    """Sign-in refused for a while after repeated failures."""

    status_code = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # checked for unknown names too, so the answer takes as long whether the user exists or not
    return hash_password("ingen-sådan-användare", check=False)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # the workflow database stores naive UTC


def sign_in(workflow: Workflow, username: str, password: str, *, client: str | None = None,
            now: datetime | None = None) -> Actor | None:
    """The user's Actor, or None for a wrong name or password (the failure is recorded).

    client: the caller's address (``request.client.host``); "okänd" when not known.
    now: naive UTC, for tests. Raises TooManyAttempts while the name or the client is locked.
    """
    name = username.strip()[:80]
    key = name.lower()
    client = (client or "okänd")[:64]
    now = now or _now()
    since = now - WINDOW
    with workflow.session() as s:
        recent = select(LoginFailure.at).where(LoginFailure.at > since)
        by_name = list(s.scalars(recent.where(LoginFailure.username == key)))
        by_client = list(s.scalars(recent.where(LoginFailure.client == client)))
        locked = [sorted(ats)[-MAX_FAILURES] for ats in (by_name, by_client)
                  if len(ats) >= MAX_FAILURES]
        if locked:
            retry = max(1, math.ceil((max(locked) + WINDOW - now).total_seconds()))
            minutes = math.ceil(retry / 60)
            log.warning("sign-in refused (rate limit) for %r from %s", name, client)
            raise TooManyAttempts(
                f"För många misslyckade inloggningsförsök. Vänta {minutes} "
                f"{'minut' if minutes == 1 else 'minuter'} och försök igen, eller be en "
                "administratör återställa ditt lösenord om du har glömt det.", retry)
        user = s.scalar(select(User).where(User.username == name))
        ok = verify_password(user.password_hash if user else _dummy_hash(), password)
        if user is not None and user.active and ok:
            # a successful sign-in clears the name's failures (not the client's)
            s.execute(delete(LoginFailure).where(LoginFailure.username == key))
            return Actor(user.username, Role(user.role))
        s.add(LoginFailure(at=now, username=key, client=client))
        s.add(AuditEntry(at=now, username=name or "(tomt)", action="login_failed",
                         entity="login", entity_id=client[:40],
                         before=None, after={"username": name, "client": client}))
    return None


def failures(workflow: Workflow, *, username: str | None = None, client: str | None = None,
             now: datetime | None = None) -> int:
    """Failed sign-ins within the window for a name or a client address (for admins, tests)."""
    since = (now or _now()) - WINDOW
    conditions = []
    if username is not None:
        conditions.append(LoginFailure.username == username.strip().lower())
    if client is not None:
        conditions.append(LoginFailure.client == client)
    with workflow.session() as s:
        q = select(func.count()).select_from(LoginFailure).where(LoginFailure.at > since)
        if conditions:
            q = q.where(or_(*conditions))
        return int(s.scalar(q) or 0)
