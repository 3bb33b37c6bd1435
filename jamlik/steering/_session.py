"""Web sessions: a signed cookie with the username and a CSRF token; API tokens as Bearer.

The cookie holds no password or token, only ``{"u": username | None, "csrf": random}``, signed
with the installation's secret key (itsdangerous), HttpOnly and SameSite=Lax. Every form POST
must echo the CSRF token; requests authenticated with an API token are exempt because a
browser never attaches them on its own.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "jamlik_styrning"
MAX_AGE = 8 * 3600  # a working day


@dataclass
class Session:
    username: str | None
    csrf: str
    new: bool = False


class SessionCodec:
    def __init__(self, secret_key: str):
        self._s = URLSafeTimedSerializer(secret_key, salt="jamlik-steering-session")

    def load(self, cookie: str | None) -> Session:
        if cookie:
            try:
                data = self._s.loads(cookie, max_age=MAX_AGE)
                return Session(data.get("u"), str(data["csrf"]))
            except (BadSignature, KeyError, TypeError):
                pass
        return Session(None, self.fresh_csrf(), new=True)

    @staticmethod
    def fresh_csrf() -> str:
        return secrets.token_urlsafe(24)

    def dump(self, session: Session) -> str:
        return self._s.dumps({"u": session.username, "csrf": session.csrf})


def csrf_ok(session: Session, submitted: str | None) -> bool:
    return bool(submitted) and not session.new and hmac.compare_digest(
        session.csrf.encode(), str(submitted).encode())
