"""What a page weighs on the wire: compressed responses and the precompressed Plotly bundle.

Every chart page loads Plotly's bundle (4.8 MB); sent as it is, each page cost ~5 MB. Here:

- ``install_compression``: gzip for every response over 500 bytes whose client accepts it
  (HTML, JSON, CSV, scripts, the stylesheet). PDFs are compressed inside already and images
  are left to Starlette's own exclusions.
- ``Precompressed``: a large static file compressed once (level 9) and served as it is to
  clients that accept gzip, instead of compressing 4.8 MB on every request.
- ``asset_version`` and ``CacheHeaders``: the server's pages link Plotly, the map, the
  script and the stylesheet as ``/static/…?v=<content hash>``; such a URL never changes
  content, so it is cached for a year (``immutable``) and a new file gets a new URL. HTML
  pages are sent with ``Cache-Control: no-cache`` and an ETag (the browser asks again each
  time and gets ``304 Not Modified`` when the page is unchanged).
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

from jamlik.portal._pages import accepts

#: responses smaller than this are sent as they are (gzip's header costs more than it saves)
MINIMUM_SIZE = 500
#: zlib level for pages compressed per request: 6 is ~3× faster than 9 and ~2 % larger
PAGE_LEVEL = 6
EXCLUDED_TYPES = (*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/pdf")


def install_compression(app: FastAPI) -> None:
    """Gzip every response (all capabilities' pages, the API and static files) when the
    client accepts it, and set the cache headers (``CacheHeaders``). Add before ``_security.install``: the body limit stays outermost."""
    app.add_middleware(CacheHeaders)
    app.add_middleware(GZipMiddleware, minimum_size=MINIMUM_SIZE, compresslevel=PAGE_LEVEL,
                       exclude_content_types=EXCLUDED_TYPES)


def accepts_gzip(request: Request) -> bool:
    """Whether the client accepts gzip (``Accept-Encoding: gzip``, not ``gzip;q=0``)."""
    return accepts(request.headers.get("accept-encoding", ""))


class Precompressed:
    """A static file's bytes, plain and gzipped, read and compressed once on first use."""

    def __init__(self, path: Path, media_type: str):
        self.path = path
        self.media_type = media_type
        self._lock = threading.Lock()
        self._plain: bytes | None = None
        self._gzipped: bytes | None = None

    def _load(self) -> tuple[bytes, bytes]:
        with self._lock:
            if self._plain is None or self._gzipped is None:
                plain = self.path.read_bytes()
                self._gzipped = gzip.compress(plain, compresslevel=9, mtime=0)
                self._plain = plain
            return self._plain, self._gzipped

    def response(self, request: Request, headers: dict[str, str]) -> Response:
        plain, gzipped = self._load()
        headers = {**headers, "Vary": "Accept-Encoding"}
        if accepts_gzip(request):
            return Response(gzipped, media_type=self.media_type,
                            headers={**headers, "Content-Encoding": "gzip"})
        return Response(plain, media_type=self.media_type, headers=headers)


#: a versioned asset's answer: cached for a year, never revalidated
IMMUTABLE = "public, max-age=31536000, immutable"
#: an HTML page's answer: stored, but asked for again on every visit
PAGE = "no-cache"
#: the same for a request with a cookie or credentials: only the visitor's browser keeps it
PERSONAL_PAGE = "private, no-cache"


def _asset_paths() -> dict[str, Path]:
    """The static files the server's pages link, by their name under /static/."""
    from jamlik.web import STATIC_DIR

    portal = Path(__file__).resolve().parent
    return {"vendor/plotly.min.js": portal / "static" / "vendor" / "plotly.min.js",
            # kommun-geo.js is made from the boundaries file (and a fixed preamble)
            "kommun-geo.js": portal / "data" / "kommun.geojson",
            "portal.js": portal / "static" / "portal.js",
            "web/jamlik.css": STATIC_DIR / "jamlik.css"}


@cache
def asset_version(name: str) -> str | None:
    """The first 12 hex digits of the SHA-256 of a linked static file, or None for a file
    that is not versioned (e.g. search-index.js, made from the data)."""
    path = _asset_paths().get(name)
    if path is None or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


class CacheHeaders:
    """ASGI middleware: ``immutable`` for a static file asked with its current ``?v=``,
    ``no-cache`` (``private, no-cache`` with a cookie) and a weak ETag (of the plain body) for HTML pages that set no Cache-Control
    of their own; ``If-None-Match`` with that ETag is answered 304 without a body."""

    def __init__(self, app):  # noqa: ANN001
        self.app = app

    async def __call__(self, scope: dict, receive, send) -> None:  # noqa: ANN001
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        immutable = False
        if path.startswith("/static/"):
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            version = asset_version(path.removeprefix("/static/"))
            immutable = version is not None and query.get("v") == [version]

        held: dict | None = None  # an HTML page's start, held until its body gives the ETag
        request = {k.lower(): v for k, v in scope.get("headers", [])}

        async def headed(message: dict) -> None:
            nonlocal held
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = [(k, v) for k, v in message.get("headers", [])
                           if not (immutable and k.lower() == b"cache-control")]
                names = {k.lower() for k, _ in headers}
                ctype = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
                if immutable:
                    headers.append((b"cache-control", IMMUTABLE.encode()))
                elif ctype.startswith(b"text/html") and b"cache-control" not in names:
                    # a signed-in visitor's page (steering) is theirs: no shared cache keeps it
                    personal = b"cookie" in request or b"authorization" in request
                    headers.append((b"cache-control",
                                    (PERSONAL_PAGE if personal else PAGE).encode()))
                    if scope.get("method") == "GET" and b"etag" not in names:
                        held = {**message, "headers": headers}
                        return
                message = {**message, "headers": headers}
            elif held is not None and message["type"] == "http.response.body":
                start, held = held, None
                if message.get("more_body", False):  # a streamed page: no ETag
                    await send(start)
                else:
                    body = message.get("body", b"")
                    etag = f'W/"{hashlib.sha256(body).hexdigest()[:20]}"'.encode()
                    headers = [*start["headers"], (b"etag", etag)]
                    if etag in [t.strip() for t in request.get(b"if-none-match", b"").split(b",")]:
                        headers = [(k, v) for k, v in headers if k.lower() not in
                                   (b"content-length", b"content-type")]
                        await send({**start, "status": 304, "headers": headers})
                        await send({"type": "http.response.body", "body": b""})
                        return
                    await send({**start, "headers": headers})
            await send(message)

        await self.app(scope, receive, headed)


__all__ = ["EXCLUDED_TYPES", "IMMUTABLE", "MINIMUM_SIZE", "PAGE", "PERSONAL_PAGE", "CacheHeaders",
           "Precompressed", "accepts_gzip", "asset_version", "install_compression"]
