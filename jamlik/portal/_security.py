"""Security middleware for the whole web app (portal, steering, API and static files).

Three pure-ASGI layers, installed by :func:`install` around everything else:

* ``BodyLimit`` refuses a request body over ``JAMLIK_MAX_BODY_BYTES`` (1 MiB by default) with
  413, by its Content-Length before anything is read and, for chunked uploads, as soon as the
  bytes received pass the limit — so no form is parsed (or held in memory) before the CSRF check
  can even run. Paths that need larger uploads get their own limit (``large_bodies``).
* ``TrustedProxies`` takes the client address from ``X-Forwarded-For`` (and the scheme from
  ``X-Forwarded-Proto``) only when the direct peer is one of ``JAMLIK_TRUSTED_PROXIES``
  (addresses or networks, comma-separated; none by default). Anyone else's header is ignored,
  so rotating it does not get around per-client limits.
* ``ExpensiveRateLimit`` allows each client ``JAMLIK_PDF_PER_MINUTE`` (20) requests a minute
  for the outputs that cost seconds to make (fact-sheet PDFs, steering reports as PDF/DOCX);
  beyond that 429 with ``Retry-After``. 0 turns it off.
* ``SecurityHeaders`` adds a Content-Security-Policy without inline scripts, nosniff,
  frame-ancestors 'none' / X-Frame-Options DENY, Referrer-Policy and Permissions-Policy to
  every response, and HSTS when ``JAMLIK_HSTS`` is set (only behind TLS).
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from starlette.exceptions import HTTPException

MIB = 2**20
DEFAULT_MAX_BODY = 1 * MIB

#: Scripts only from the portal itself (Plotly is served from /static/vendor); styles may be
#: inline because Plotly writes style attributes and the legend swatches carry their colour.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class SecuritySettings:
    """What the middleware enforces; :meth:`from_env` reads the ``JAMLIK_*`` variables."""

    max_body: int = DEFAULT_MAX_BODY
    #: path prefix -> byte limit, for the few endpoints that take larger uploads
    large_bodies: Mapping[str, int] = field(default_factory=dict)
    trusted_proxies: tuple[Network, ...] = ()
    hsts: bool = False
    #: expensive outputs per client and minute (0 = no limit)
    pdf_per_minute: int = 20

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SecuritySettings:
        env = os.environ if environ is None else environ
        raw = env.get("JAMLIK_MAX_BODY_BYTES", "").strip()
        try:
            max_body = int(raw) if raw else DEFAULT_MAX_BODY
        except ValueError:
            raise ValueError(f"JAMLIK_MAX_BODY_BYTES={raw!r} är inget heltal (antal byte, "
                             "t.ex. 1048576).") from None
        raw_rate = env.get("JAMLIK_PDF_PER_MINUTE", "").strip()
        try:
            rate = int(raw_rate) if raw_rate else 20
        except ValueError:
            raise ValueError(f"JAMLIK_PDF_PER_MINUTE={raw_rate!r} är inget heltal (antal per "
                             "minut och klient, 0 = ingen gräns).") from None
        return cls(max_body=max_body,
                   trusted_proxies=parse_networks(env.get("JAMLIK_TRUSTED_PROXIES", "")),
                   hsts=env.get("JAMLIK_HSTS", "").strip().lower() in ("1", "true", "ja", "yes"),
                   pdf_per_minute=rate)


def parse_networks(text: str) -> tuple[Network, ...]:
    """'10.0.0.1, 192.168.0.0/16' -> networks; a Swedish ValueError names a bad entry."""
    out = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"JAMLIK_TRUSTED_PROXIES: {part!r} är ingen IP-adress eller "
                             "nätverk (t.ex. 127.0.0.1 eller 10.0.0.0/8).") from None
    return tuple(out)


def _in(host: str, networks: Iterable[Network]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in n for n in networks)


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit.

    An HTTPException, so that FastAPI's body parsing passes it on (it turns other errors into
    400) and Starlette answers 413 even when the middleware does not see it.
    """

    def __init__(self, limit: int):
        super().__init__(413, _too_large_text(limit))


class BodyLimit:
    def __init__(self, app: Callable, settings: SecuritySettings):
        self.app = app
        self.settings = settings

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.settings.large_bodies.items():
            if path.startswith(prefix):
                return limit
        return self.settings.max_body

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _too_large(send, limit, status=400)
                    return
                if declared > limit:
                    await _too_large(send, limit)
                    return
        received = 0
        started = False

        async def limited_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _too_large(send, limit)


def _too_large_text(limit: int) -> str:
    return (f"Förfrågan är för stor: högst {limit // 1024} KiB tas emot. "
            f"Request body too large (max {limit // 1024} KiB).")


async def _too_large(send: Callable, limit: int, status: int = 413) -> None:
    if status == 413:
        text = _too_large_text(limit)
    else:
        text = "Ogiltig Content-Length. Invalid Content-Length."
    body = text.encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()), (b"connection", b"close"),
        *HEADERS]})
    await send({"type": "http.response.body", "body": body})


class TrustedProxies:
    def __init__(self, app: Callable, settings: SecuritySettings):
        self.app = app
        self.trusted = settings.trusted_proxies

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] in ("http", "websocket") and self.trusted:
            client = scope.get("client")
            if client and _in(client[0], self.trusted):
                scope = dict(scope)
                headers = dict(scope.get("headers", ()))
                forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
                # the nearest hop not one of our proxies is the client; anything to its left
                # was written by that client and cannot be trusted
                hops = [h.strip() for h in forwarded.split(",") if h.strip()]
                for hop in reversed(hops):
                    if not _in(hop, self.trusted):
                        scope["client"] = (hop, 0)
                        break
                proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").strip()
                if proto in ("http", "https"):
                    scope["scheme"] = proto
        await self.app(scope, receive, send)


#: outputs that take a second or more to make, whoever asks
EXPENSIVE = re.compile(r"^/faktablad/[^/]+\.(pdf|docx)$|^/styrning/[^/]+/rapport/[^/]+\.(pdf|docx)$"
                       r"|^/ekonomi/fall(/\d+)?/rapport\.(pdf|docx)$")


class ExpensiveRateLimit:
    """At most ``pdf_per_minute`` expensive requests per client in any 60 seconds."""

    WINDOW = 60.0
    MAX_CLIENTS = 10_000  # remembered clients (least recently seen dropped first)

    def __init__(self, app: Callable, settings: SecuritySettings):
        self.app = app
        self.limit = settings.pdf_per_minute
        self.clients: OrderedDict[str, deque[float]] = OrderedDict()

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if (scope["type"] != "http" or self.limit <= 0
                or not EXPENSIVE.match(scope.get("path", ""))):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("okänd", 0))[0]
        now = time.monotonic()
        times = self.clients.pop(client, None) or deque()
        while times and now - times[0] >= self.WINDOW:
            times.popleft()
        self.clients[client] = times
        while len(self.clients) > self.MAX_CLIENTS:
            self.clients.popitem(last=False)
        if len(times) >= self.limit:
            retry = max(1, math.ceil(self.WINDOW - (now - times[0])))
            body = (f"För många förfrågningar om PDF och rapporter: högst {self.limit} i minuten. "
                    f"Vänta {retry} sekunder. Too many requests; retry in {retry} s.").encode()
            await send({"type": "http.response.start", "status": 429, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(retry).encode()), *HEADERS]})
            await send({"type": "http.response.body", "body": body})
            return
        times.append(now)
        await self.app(scope, receive, send)


class SecurityHeaders:
    def __init__(self, app: Callable, settings: SecuritySettings):
        self.app = app
        self.extra = (*HEADERS, HSTS) if settings.hsts else HEADERS

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", ())}
                message = dict(message)
                message["headers"] = [*message.get("headers", ()),
                                      *(h for h in self.extra if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)


def install(app, settings: SecuritySettings | None = None) -> SecuritySettings:  # noqa: ANN001
    """Wrap a Starlette/FastAPI app; call after every other ``add_middleware``.

    Starlette runs the last-added middleware first, so the body limit sees the request before
    anything else does, and the headers are added to every answer, 413s and cache hits too.
    """
    settings = settings or SecuritySettings.from_env()
    app.add_middleware(SecurityHeaders, settings=settings)
    app.add_middleware(ExpensiveRateLimit, settings=settings)  # sees the real client address
    app.add_middleware(TrustedProxies, settings=settings)
    app.add_middleware(BodyLimit, settings=settings)
    return settings
