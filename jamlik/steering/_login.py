"""Signing in with limits that stop password guessing but let no one lock another's account.

Three limits, all over the last ``WINDOW`` (15 minutes), kept in the workflow database
(``login_failures``) so they hold across processes and restarts:

* **name and client together**: after ``MAX_FAILURES`` (5) failures for one user name from one
  client address, that pair is refused (HTTP 429) until its oldest failure leaves the window.
  Someone guessing from elsewhere cannot lock the real user out of her own computer.
* **client**: after ``CLIENT_MAX_FAILURES`` (20) failures from one address, whatever the
  names, that address is refused — a spray over many names is stopped. The address is the
  direct peer, or ``X-Forwarded-For`` only from ``JAMLIK_TRUSTED_PROXIES`` (portal._security).
* **name, from anywhere**: after ``NAME_THROTTLE_AFTER`` (10) failures for a name, each new
  attempt for it must wait a delay that doubles per failure (2, 4, 8 … s, at most
  ``MAX_DELAY`` = 60 s) after the latest one — a progressive throttle, never a lock-out.

Unknown and known user names are treated alike, and every failure is written to the audit
log — never the password.
"""

from __future__ import annotations

import functools
import logging
import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, or_, select

from jamlik.steering._auth import Actor, hash_password, verify_password
from jamlik.steering._errors import SteeringError
from jamlik.steering._models import AuditEntry, LoginFailure, User
from jamlik.steering._roles import actor_for
from jamlik.steering._workflow import Workflow

log = logging.getLogger(__name__)

MAX_FAILURES = 5  # per (name, client)
CLIENT_MAX_FAILURES = 20  # per client, any names
NAME_THROTTLE_AFTER = 10  # per name, any clients: then a growing delay
MAX_DELAY = 60  # seconds
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
        by_pair = list(s.scalars(recent.where(LoginFailure.username == key,
                                              LoginFailure.client == client)))
        by_client = list(s.scalars(recent.where(LoginFailure.client == client)))
        by_name = sorted(s.scalars(recent.where(LoginFailure.username == key)))
        waits = [(sorted(ats)[-limit] + WINDOW - now).total_seconds()
                 for ats, limit in ((by_pair, MAX_FAILURES), (by_client, CLIENT_MAX_FAILURES))
                 if len(ats) >= limit]
        if len(by_name) >= NAME_THROTTLE_AFTER:
            delay = min(MAX_DELAY, 2 ** (len(by_name) - NAME_THROTTLE_AFTER + 1))
            waits.append((by_name[-1] + timedelta(seconds=delay) - now).total_seconds())
        wait = max(waits, default=0)
        if wait > 0:
            retry = max(1, math.ceil(wait))
            log.warning("sign-in refused (rate limit) for %r from %s", name, client)
            raise TooManyAttempts(_wait_message(retry), retry)
        user = s.scalar(select(User).where(User.username == name))
        ok = verify_password(user.password_hash if user else _dummy_hash(), password)
        if user is not None and user.active and ok:
            # a successful sign-in clears the name's failures (not the client's)
            s.execute(delete(LoginFailure).where(LoginFailure.username == key))
            return actor_for(s, user)
        s.add(LoginFailure(at=now, username=key, client=client))
        s.add(AuditEntry(at=now, username=name or "(tomt)", action="login_failed",
                         entity="login", entity_id=client[:40],
                         before=None, after={"username": name, "client": client}))
    return None


def _wait_message(seconds: int) -> str:
    if seconds < 60:
        span = f"{seconds} {'sekund' if seconds == 1 else 'sekunder'}"
    else:
        minutes = math.ceil(seconds / 60)
        span = f"{minutes} {'minut' if minutes == 1 else 'minuter'}"
    return (f"För många misslyckade inloggningsförsök. Vänta {span} och försök igen, eller be "
            "en administratör återställa ditt lösenord om du har glömt det.")


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
