"""The FastAPI application: HTML pages, downloads, fact sheets, the JSON API and static files."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from jamlik.catalog import KOLADA_ATTRIBUTION
from jamlik.portal._api import api_router
from jamlik.portal._articles import ArticleLibrary
from jamlik.portal._chartdata import chart_response, chart_version
from jamlik.portal._data import PortalData, release_memory
from jamlik.portal._format import split_codes
from jamlik.portal._links import Links
from jamlik.portal._pages import CachedResponse, PageStore, context_fingerprint, open_page_store
from jamlik.portal._render import (
    PACKAGE,
    environment,
    plotly_js_path,
    render_page,
    render_pdf,
    warm_pdf_in_background,
)
from jamlik.portal._security import SecuritySettings, install
from jamlik.portal._transfer import Precompressed, install_compression
from jamlik.portal._views import PAGE_ROWS, SECTION_ROWS, NotFound, Page, Views
from jamlik.store import Store
from jamlik.web import language, mount_static
from jamlik.web.cache import BoundedCache
from jamlik.web.pages import TableError, table_download

log = logging.getLogger(__name__)

_CACHEABLE = ("text/html", "text/csv", "application/json", "application/pdf",
              "application/vnd.openxmlformats", "text/javascript", "text/css", "image/")
#: request headers that never reach a cached page's render (they change only how it is sent)
_PER_VISITOR = (b"accept-encoding", b"if-none-match", b"if-modified-since", b"cookie",
                b"authorization")
#: Only the portal's own pages are cached; mounted routers (e.g. /styrning) are per-user.
#: Not /sok: every query is a new URL, and search also finds plans (workflow data the store
#: version does not track); it is cheap (about 10 ms on the sample).
_CACHED_PREFIXES = ("kommun", "indikator", "jamfor", "skillnader", "amne", "artikel",
                    "faktablad", "api", "static")


def is_cached_path(path: str) -> bool:
    """Whether the response cache (and so the page store) keeps this path's pages."""
    return path == "/" or path.split("/")[1] in _CACHED_PREFIXES


#: The query parameters some page or API endpoint reads; any other (``?nocache=…``) is dropped
#: before routing, so it neither reaches the pages nor makes a new cache entry.
QUERY_PARAMS = frozenset({"lang", "farg", "kon", "omraden", "indikator", "format", "tabell",
                          "q", "type", "indicator", "areas", "years", "sex", "grupp", "group",
                          "bilaga", "period", "span", "at_age", "amne", "sida", "diagram",
                          "v"})
_STATIC_PARAMS = frozenset({"v"})
#: sent by the warm-up's own requests, so they do not make the portal look busy to it
WARM_UP_HEADER = b"x-jamlik-warm-up"
#: its value from ``Warmer.prerender``: the page goes to the page store, not into memory (a
#: visitor's first request reads it from disk in a millisecond and keeps it then)
PRERENDER = b"page-store"
#: ``Warmer.prerender`` hands freed memory back to the system every this many pages …
RELEASE_EVERY = 50
#: … and holds the data cache to this many bytes meanwhile (``PortalData.cache_bounded``)
PRERENDER_CACHE_BYTES = 128 * 2**20
#: Paths whose last segment is an area code or name: cached under the canonical code, so
#: /kommun/Falun, /kommun/falun and /kommun/%20Falun are one entry (that of /kommun/2080).
_AREA_PATH = re.compile(r"^(/kommun/|/skillnader/|/faktablad/|/api/v1/areas/|"
                        r"/api/v1/profiles/|/api/v1/deviations/|/api/v1/life-expectancy/)"
                        r"([^/]+?)(\.html|\.pdf|\.docx)?$")


def canonical_query(query: bytes, known: frozenset[str] = QUERY_PARAMS) -> bytes:
    """The query string with only known, non-empty parameters, in their original order."""
    if not query:
        return b""
    pairs = [(k, v) for k, v in parse_qsl(query.decode("latin-1"), keep_blank_values=False)
             if k in known]
    return urlencode(pairs).encode("latin-1")


class ResponseCache:
    """Whole GET responses cached per store version (pure ASGI, so hits skip routing).

    Every page is a pure function of its URL and the store's data, so caching by URL is safe;
    the store fingerprint is checked at most once a second (PortalData.version). Keys are
    normalised (known query parameters only, canonical area codes), the cache is bounded
    (``max_entries`` and ``max_bytes`` of compressed bodies, least recently used dropped
    first), and concurrent misses for one key render it once (single-flight) while other keys
    go on in parallel.

    It sits outside the compression and cache-header middleware: a page is rendered plain,
    compressed once (``CachedResponse``) and then sent as it is to every client that accepts
    gzip, with its ETag (``304`` to ``If-None-Match``), so a hit costs neither compression nor
    hashing. ``pages`` (a function of the data version giving a ``PageStore`` or None) keeps
    the responses on disk too: a miss looks there before rendering, and every render is
    written there, so other worker processes and a restarted server find it.
    """

    def __init__(self, app: Callable, data: PortalData, max_bytes: int = 128 * 2**20,
                 max_entries: int = 5000, on_new_version: Callable[[], None] | None = None,
                 pages: Callable[[object], PageStore | None] | None = None):
        self.app = app
        self.on_new_version = on_new_version  # e.g. Warmer.start: refill after an update
        self.data = data
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.bytes = 0
        self.entries: OrderedDict[tuple[str, bytes], CachedResponse] = OrderedDict()
        self.version: object = None
        self.inflight: dict[tuple[str, bytes], asyncio.Event] = {}
        #: requests rendering right now and when the last one finished (the warm-up pauses)
        self.rendering = 0
        self.rendered_at = 0.0
        self.requested_at = 0.0  # the last cached route asked for (hits too)
        self.renders = 0  # pages rendered (not found in memory or in the page store)
        #: spelling -> canonical area code (None: unknown), bounded like the entries
        self.aliases: OrderedDict[str, str | None] = OrderedDict()
        self._open_pages = pages
        self.pages: PageStore | None = None
        self._pages_version: object = None
        self._pages_lock = asyncio.Lock()

    def _resolve(self, text: str) -> str | None:
        try:
            return self.data.resolve(unquote(text).strip())
        except (KeyError, ValueError):
            return None

    async def _canonical_path(self, path: str) -> str:
        match = _AREA_PATH.match(path)
        if match is None:
            return path
        prefix, code, suffix = match.group(1), match.group(2), match.group(3) or ""
        if code not in self.aliases:
            # data.resolve takes the store lock: never on the event loop
            self.aliases[code] = await anyio.to_thread.run_sync(self._resolve, code)
            while len(self.aliases) > self.max_entries:
                self.aliases.popitem(last=False)
        canonical = self.aliases.get(code)
        return f"{prefix}{canonical}{suffix}" if canonical else path

    async def page_store(self, version: object) -> PageStore | None:
        """The page store of this data version (opened once, in a thread), or None."""
        if self._open_pages is None:
            return None
        async with self._pages_lock:
            if self._pages_version != version:
                old, self.pages = self.pages, None
                if old is not None:
                    old.close()
                self.pages = await anyio.to_thread.run_sync(self._open_pages, version)
                self._pages_version = version
            return self.pages

    def _remember(self, key: tuple[str, bytes], entry: CachedResponse) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.bytes -= old.size
        if entry.size > self.max_bytes:
            return
        self.entries[key] = entry
        self.bytes += entry.size
        while self.entries and (self.bytes > self.max_bytes
                                or len(self.entries) > self.max_entries):
            self.bytes -= self.entries.popitem(last=False)[1].size

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] != "GET" or not is_cached_path(path):
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers") or ()
        visitor = (WARM_UP_HEADER, b"1") not in headers and (WARM_UP_HEADER, PRERENDER) not in headers
        if visitor:  # the warm-up's own requests do not make the portal look busy to it
            self.requested_at = time.monotonic()
        version = self.data.version(blocking=False)  # never block the event loop
        if version is None:
            await self.app(scope, receive, send)
            return
        if version != self.version:
            self.entries.clear()
            self.aliases.clear()
            self.bytes = 0
            if self.version is not None and self.on_new_version is not None:
                self.on_new_version()  # new data: warm the caches again in the background
            self.version = version
        request_headers = {k.lower(): v for k, v in scope.get("headers") or []}
        scope = dict(scope)
        # a static file's only parameter is its content version (?v=, cached for a year)
        scope["query_string"] = canonical_query(
            scope.get("query_string", b""),
            _STATIC_PARAMS if path.startswith("/static/") else QUERY_PARAMS)
        canonical = await self._canonical_path(path)
        if canonical != path:
            scope["path"] = canonical
            scope["raw_path"] = canonical.encode()
        key = (scope["path"], scope["query_string"])
        for _ in range(2):  # after waiting for another request's render, look again
            hit = self.entries.get(key)
            if hit is not None:
                self.entries.move_to_end(key)
                await self._send(hit, request_headers, send)
                return
            waiting = self.inflight.get(key)
            if waiting is None:
                break
            await waiting.wait()
        done = self.inflight[key] = asyncio.Event()
        self.rendering += 1  # the background warm-up waits while pages render
        try:
            await self._miss(scope, receive, send, key, version, request_headers)
        finally:
            self.rendering -= 1
            if visitor:  # else the pre-render waited half a second after each of its pages
                self.rendered_at = time.monotonic()
            self.inflight.pop(key, None)
            done.set()

    @staticmethod
    async def _send(entry: CachedResponse, request_headers: dict[bytes, bytes],
                    send: Callable) -> None:
        start, body = entry.answer(request_headers)
        await send(start)
        await send(body)

    async def _miss(self, scope: dict, receive: Callable, send: Callable,
                    key: tuple[str, bytes], version: object,
                    request_headers: dict[bytes, bytes]) -> None:
        static = key[0].startswith("/static/")  # package files: the same in every version
        pages = None if static else await self.page_store(version)
        if pages is not None:
            stored = await anyio.to_thread.run_sync(pages.get, PageStore.key(*key))
            if stored is not None and self.version == version:
                self._remember(key, stored)
                await self._send(stored, request_headers, send)
                return
        # Rendered plain, without the visitor's conditions and cookies: the entry is every
        # visitor's (their Accept-Encoding, If-None-Match and cookie apply when it is sent).
        scope["headers"] = [(k, v) for k, v in scope.get("headers") or []
                            if k.lower() not in _PER_VISITOR] + [(b"accept-encoding",
                                                                  b"identity")]
        captured: dict[str, Any] = {"body": [], "messages": []}

        async def capture(message: dict) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                captured["body"].append(message.get("body", b""))
            captured["messages"].append(message)

        self.renders += 1
        await self.app(scope, receive, capture)
        header_map = {k.lower(): v for k, v in captured.get("headers") or []}
        ctype = header_map.get(b"content-type", b"").decode()
        # A page rendered while the store switched snapshots may mix both: never keep it.
        if not (captured.get("status") == 200 and ctype.startswith(_CACHEABLE)
                and self.version == version == self.data.version(blocking=False)):
            for message in captured["messages"]:
                await send(message)
            return
        entry = await anyio.to_thread.run_sync(
            CachedResponse.make, 200, captured["headers"], b"".join(captured["body"]))
        if pages is None or request_headers.get(WARM_UP_HEADER) != PRERENDER:
            self._remember(key, entry)
        await self._send(entry, request_headers, send)
        if pages is not None:
            await anyio.to_thread.run_sync(pages.put, PageStore.key(*key), entry)


def _geo_js() -> bytes:
    """The municipality boundaries as a script (works from file:// where fetch() does not)."""
    geo = (PACKAGE / "data" / "kommun.geojson").read_text(encoding="utf-8")
    # Plotly's geo traces fetch a world topojson from its CDN unless one is preloaded; the map
    # hides the base layers, so an empty topology keeps the portal offline (no CDN).
    empty = {name: {"type": "GeometryCollection", "geometries": []}
             for name in ("land", "ocean", "lakes", "rivers", "coastlines", "countries",
                          "subunits")}
    world = json.dumps({"type": "Topology", "objects": empty, "arcs": []})
    return (f"window.JAMLIK_KOMMUN_GEOJSON={geo};\n"
            "window.PlotlyGeoAssets=window.PlotlyGeoAssets||{topojson:{}};\n"
            f"window.PlotlyGeoAssets.topojson.world_110m={world};\n").encode()


def create_app(store_path: str | os.PathLike[str] | Store, *, county: str = "20",
               extra_routers: Iterable[APIRouter] = (), articles: ArticleLibrary | None = None,
               cache: bool = True, warm: bool = True,
               security: SecuritySettings | None = None, page_store: bool = True) -> FastAPI:
    """The portal as an ASGI app. ``store_path`` is a DuckDB file (opened read-only) or a Store.

    extra_routers: routers mounted as they are. The other capabilities' pages (the steering
        loop's ``/styrning``) are mounted by the composition root, ``jamlik.app.create_app``.
    warm: fill the caches for the home county at start-up and after every data update
        (``Warmer``); a newly published snapshot is warmed (``PortalData.warm``) before the
        portal switches to it, the old one serving meanwhile (without: switch at once, cold).
    security: body limit, trusted proxies and HSTS (default: from the ``JAMLIK_*`` variables,
        see ``_security``); the headers and limits apply to every route, mounted ones too.
    page_store: keep rendered pages on disk beside the published snapshot (``_pages``), for
        every worker process and the next start (``JAMLIK_PAGE_STORE_MB=0`` turns it off).
    """
    store = store_path if isinstance(store_path, Store) else Store(store_path, read_only=True)
    data = PortalData(store, county, prewarm=warm)
    library = articles or ArticleLibrary.default()
    views = Views(data, library)
    env = environment()
    warmer: Warmer | None = None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        task = pdf_task = None
        if warm and warmer is not None:
            # In the background, pausing while requests render: the server answers at once
            # (it waited 25 s on the sample and minutes at 2,000 indicators for the warm-up).
            task = asyncio.create_task(warmer.warm_pages(_app, delay=1.0))
            pdf_task = asyncio.create_task(_warm_pdf_when_idle(warmer))
        try:
            yield
        finally:
            for running in (task, pdf_task, warmer._task if warmer is not None else None):
                if running is not None:
                    running.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await running

    app = FastAPI(title="jamlik – analyswebben", version="1", lifespan=lifespan,
                  description="Öppna data om jämlik hälsa: indikatorer, områden, profiler och "
                              f"avvikelser. {KOLADA_ATTRIBUTION}.",
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    app.state.data = data
    app.state.views = views
    geo_js = _geo_js()
    pdfs: BoundedCache[bytes] = BoundedCache(max_entries=400, max_bytes=256 * 2**20)
    app.state.pdfs = pdfs

    def respond(request: Request, build: Callable[[str], Page], name: str) -> Response:
        lang = language(request.query_params.get("lang"))
        version = chart_version(data)
        links = Links(lang=lang, current=request.url.path, query=dict(request.query_params),
                      chart_version=version, pairs=request.query_params.multi_items())
        try:
            page = build(lang)
        except NotFound as exc:
            return error_page(request, lang, 404, str(exc))
        except ValueError as exc:
            return error_page(request, lang, 400, str(exc))
        diagram = request.query_params.get("diagram")
        if diagram:  # a chart's data, loaded by the page (Links.chart)
            return chart_response(page, diagram, request.query_params.get("v"), version)
        fmt = request.query_params.get("format")
        if fmt:
            try:
                return table_download(page, fmt, request.query_params.get("tabell"), name,
                                      KOLADA_ATTRIBUTION)
            except TableError as exc:
                return error_page(request, lang, exc.status_code, str(exc))
        return HTMLResponse(render_page(env, page, links, lang))

    def error_page(request: Request, lang: str, status: int, message: str) -> HTMLResponse:
        links = Links(lang=lang, current=request.url.path)
        page = Page("error.html", "Sidan finns inte" if status == 404 else "Fel",
                    {"message": message, "status": status})
        return HTMLResponse(render_page(env, page, links, lang), status_code=status)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def start(request: Request) -> Response:
        return respond(request, views.start, "start")

    @app.get("/kommun", include_in_schema=False)
    def area_list(request: Request) -> Response:
        return respond(request, views.area_list, "omraden")

    @app.get("/kommun/{code}", include_in_schema=False)
    def area(request: Request, code: str, farg: str | None = None,
             grupp: str | None = None, amne: str | None = None, q: str | None = None,
             sida: str | None = None) -> Response:
        return respond(request, lambda lang: views.area(
            code, lang, farg, grupp, limit=SECTION_ROWS, amne=amne, q=q, sida=sida),
            f"profil-{code}")

    @app.get("/indikator", include_in_schema=False)
    def indicator_list(request: Request, amne: str | None = None, q: str | None = None,
                       sida: str | None = None) -> Response:
        return respond(request, lambda lang: views.indicator_list(
            lang, limit=SECTION_ROWS, amne=amne, q=q, sida=sida), "indikatorer")

    @app.get("/indikator/{indicator_id}", include_in_schema=False)
    def indicator(request: Request, indicator_id: str, grupp: str | None = None) -> Response:
        areas = _codes(request, "omraden")
        kon = _codes(request, "kon")
        return respond(request, lambda lang: views.indicator(indicator_id, lang, areas, kon,
                                                             grupp),
                       f"indikator-{indicator_id}")

    @app.get("/jamfor", include_in_schema=False)
    def compare(request: Request, indikator: str = "", grupp: str | None = None) -> Response:
        areas = _codes(request, "omraden")
        kon = _codes(request, "kon")
        return respond(request, lambda lang: views.compare(areas, indikator or None, lang, kon,
                                                           grupp),
                       "jamforelse")

    @app.get("/skillnader/{code}", include_in_schema=False)
    def gaps(request: Request, code: str, indikator: str = "", amne: str | None = None,
             q: str | None = None, sida: str | None = None) -> Response:
        return respond(request, lambda lang: views.gaps(
            code, lang, indikator or None, limit=SECTION_ROWS, amne=amne, q=q, sida=sida),
            f"skillnader-{code}")

    @app.get("/amne", include_in_schema=False)
    def target_areas(request: Request) -> Response:
        return respond(request, views.target_areas, "amnen")

    @app.get("/amne/{slug}", include_in_schema=False)
    def target_area(request: Request, slug: str, q: str | None = None,
                    sida: str | None = None) -> Response:
        return respond(request, lambda lang: views.target_area(
            slug, lang, limit=PAGE_ROWS, q=q, sida=sida), f"amne-{slug}")

    @app.get("/artikel", include_in_schema=False)
    def article_list(request: Request) -> Response:
        return respond(request, views.target_areas, "artiklar")

    @app.get("/artikel/{slug}", include_in_schema=False)
    def article(request: Request, slug: str) -> Response:
        return respond(request, lambda lang: views.article(slug, lang), f"artikel-{slug}")

    @app.get("/data", include_in_schema=False)
    def data_page(request: Request) -> Response:
        return respond(request, views.data_page, "data")

    @app.get("/sok", include_in_schema=False)
    def search(request: Request, q: str = "") -> Response:
        return respond(request, lambda lang: views.search(q, lang), "sok")

    @app.get("/faktablad/{name}", include_in_schema=False)
    def factsheet(request: Request, name: str, bilaga: str | None = None) -> Response:
        code, _, suffix = name.rpartition(".")
        lang = language(request.query_params.get("lang"))
        if suffix not in ("html", "pdf", "docx") or not code:
            return error_page(request, lang, 404, "Faktabladet finns som .html, .pdf och .docx, "
                              "t.ex. /faktablad/2080.pdf (bilagan med hela profilen: ?bilaga=1).")
        appendix = bilaga not in (None, "", "0", "nej")
        if suffix == "pdf":
            warm_pdf_in_background()  # a new process loads WeasyPrint while the sheet reads
        try:
            page = views.factsheet(code, lang, appendix=appendix)
        except NotFound as exc:
            return error_page(request, lang, 404, str(exc))
        canonical = page.context.get("code") or code
        if suffix == "docx":
            from jamlik.portal._factsheet import factsheet_docx

            return Response(factsheet_docx(page.context, lang), media_type=(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                headers={"Content-Disposition":
                         f'attachment; filename="faktablad-{canonical}.docx"'})
        links = Links(lang=lang, current=request.url.path)
        html = render_page(env, page, links, lang)
        if suffix == "html":
            return HTMLResponse(html)
        # one render per area (canonical code), language, appendix and data version, outside
        # the store lock, bounded; concurrent requests for the same sheet wait for the one render
        key = (canonical, lang, appendix, data.version(blocking=False))
        pdf = pdfs.get_or_make(key, lambda: _pdf(html))
        return Response(pdf, media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="faktablad-{code}.pdf"'})

    plotly = Precompressed(plotly_js_path(), "text/javascript")

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js(request: Request) -> Response:
        return plotly.response(request, {"Cache-Control": "public, max-age=86400"})

    @app.get("/static/kommun-geo.js", include_in_schema=False)
    def kommun_geo() -> Response:
        return Response(geo_js, media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/static/search-index.js", include_in_schema=False)
    def search_index() -> Response:
        return Response(search_index_js(views), media_type="text/javascript")

    mount_static(app)  # the shared stylesheet at /static/web/, before the portal's /static
    app.mount("/static", StaticFiles(directory=str(PACKAGE / "static")), name="static")
    app.include_router(api_router(data))
    for router in extra_routers:
        app.include_router(router)

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "Resursen finns inte."}, status_code=404)
        lang = language(request.query_params.get("lang"))
        return error_page(request, lang, 404, "Sidan finns inte. Gå till startsidan eller sök.")

    caches: list[ResponseCache] = []
    def busy() -> bool:  # a page rendering, or one asked or rendered in the last half second
        now = time.monotonic()
        return any(c.rendering or now - c.rendered_at < 0.5 or now - c.requested_at < 0.5
                   for c in caches)

    warmer = Warmer(data, views, busy=busy, caches=caches)
    app.state.warmer = warmer
    install_compression(app)  # for what the cache does not keep (other routers, errors)
    context: list[str] = []

    def open_pages(version: object) -> PageStore | None:  # in a thread, once per version
        if not context:  # everything else a page depends on, the mounted routes included
            routes = sorted(str(getattr(r, "path", "")) for r in app.routes)
            examples = os.environ.get("JAMLIK_EXAMPLES", "")
            context.append(context_fingerprint(
                data.county, routes, examples,
                files=[*(p for f in library.folders for p in Path(f).glob("*.md")),
                       *([Path(examples)] if examples else [])]))
        return open_page_store(store.path, version, context[0])

    if cache:  # outside compression and cache headers: it keeps the compressed answer
        app.add_middleware(_CacheMiddleware, data=data,
                           on_new_version=warmer.on_new_version if warm else None,
                           caches=caches,
                           pages=open_pages if page_store else None)
    install(app, security)  # outermost: nothing is read before the body limit
    return app


class Warmer:
    """Fills the caches in idle time, so most first visitors after a restart or an import
    find warm caches without anyone waiting for the warm-up.

    At start-up (a second after the server listens) ``warm_pages`` requests the start page
    and the home county's area and gap pages through the app, so the response cache holds
    them, then ``rest`` (every indicator's spine, the PDF engine's fonts) runs in a thread.
    After a data update ``run`` does the same on the data cache in a thread (``essential``:
    the start page, the home county's area and gap pages, the nation's profile). Both then
    ``prerender`` every page the data version's page store lacks (``_pages``; one worker
    process per version does it), so pages are rendered when the data change and a new
    worker or a restarted server answers from the page store at once. Each step
    first waits while pages render (``busy``, at most 10 s), so the warm-up never holds
    requests up for long. It used to run before the server accepted connections: the first
    answer came after 25–39 s on the sample and about 4 min with every Kolada KPI.
    """

    def __init__(self, data: PortalData, views: Views,
                 busy: Callable[[], bool] = lambda: False,
                 caches: list[ResponseCache] | None = None):
        self.data = data
        self.views = views
        self.busy = busy  # True while requests render (the response cache tells)
        self.caches = caches if caches is not None else []  # the app's response cache
        self._app: Callable | None = None  # set by warm_pages: pre-render after new data
        self._task: asyncio.Task | None = None
        #: whether the last ``prerender`` found or made every page (then ``rest`` warms
        #: only the PDF engine, ``data_warm`` False)
        self.complete = False
        self.data_warm = True
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.runs = 0

    def start(self, delay: float = 0.0) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(target=self.run, args=(delay,),
                                            name="jamlik-portal-warm", daemon=True)
            self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _codes(self) -> list[str]:
        return [self.data.county, *self.data.municipalities(self.data.county).index]

    def _yield(self, at_most: float = 10) -> None:
        """Wait (at most 10 s) while requests are rendering: the warm-up only fills idle time."""
        deadline = time.monotonic() + at_most
        while self.busy() and time.monotonic() < deadline:
            time.sleep(0.05)

    def page_paths(self) -> list[str]:
        """The pages the start-up warm-up requests: start, the home county's area and gap
        pages, the county and the nation."""
        codes = self._codes()
        return ["/", *(f"/kommun/{c}" for c in codes), f"/kommun/{self.data.nation()}",
                *(f"/skillnader/{c}" for c in codes)]

    async def warm_pages(self, app: Callable, delay: float = 1.0) -> None:
        """The start-up warm-up: request ``page_paths`` through the app itself (in process,
        every middleware), one at a time in idle moments, so the response cache holds the
        rendered pages — the first visitor of a home-county page gets it in a millisecond —
        then ``prerender`` (every page into the page store), then ``rest`` in a thread."""
        import httpx

        self._app = app
        await asyncio.sleep(delay)
        try:
            paths = await anyio.to_thread.run_sync(self.page_paths)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://jamlik.local",
                                         headers={"Accept-Encoding": "gzip",
                                                  WARM_UP_HEADER.decode(): "1"},
                                         timeout=None) as client:
                for path in paths:
                    await self._idle()
                    await client.get(path)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a failed warm-up only means slower first pages
            log.warning("förvärmning av portalens sidor misslyckades: %s", exc)
        if await self.prerender(app) == 0 and self.complete:
            # every page came from the page store: the data caches serve only the rare
            # miss, so they fill on demand instead of taking CPU from the first visitors
            self.data_warm = False
        self.start_rest()

    async def _idle(self, at_most: float = 10) -> None:
        deadline = time.monotonic() + at_most
        while self.busy() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    def prerender_paths(self) -> list[str]:
        """Every page the portal links to for the data, most visited first: ``page_paths``,
        then area by area its page, gaps page and JSON profile (one area's profile serves all
        three while it is in the data cache, so the cache need not hold every area's), every
        indicator's page, then the lists and the målområde pages (``?lang=en`` and
        comparisons are rendered when first asked, then kept). Only pages the page store
        keeps: one it never keeps (``/data``) was rendered again at every start, so the
        server always warmed its data caches too (+500 MB on the real Kolada dump)."""
        codes = [str(c) for c in self.data.areas().index]
        paths = [*self.page_paths(),
                 *(path for c in codes
                   for path in (f"/kommun/{c}", f"/skillnader/{c}", f"/api/v1/profiles/{c}")),
                 *(f"/indikator/{i}" for i in self.data.indicator_ids()),
                 "/kommun", "/indikator", "/amne", "/artikel",
                 *(f"/amne/{t.slug}" for t in self.data.target_areas())]
        return [p for p in dict.fromkeys(paths) if is_cached_path(p)]

    async def prerender(self, app: Callable, *, pause: bool = True) -> int:
        """Render every page of ``prerender_paths`` the page store of the current data version
        lacks, through the app (so the bytes are what a visitor gets), into the page store:
        pages are rendered when the data change, not when the first visitor asks. One process
        per version does it (``PageStore.claim``); ``pause``: wait while requests render.
        Stops when the data change again (the next version's run starts over). The pages go
        to the page store only (not the response cache), the data cache is held to
        ``PRERENDER_CACHE_BYTES`` and every ``RELEASE_EVERY`` pages freed memory goes back to
        the system (``release_memory``): rendering 3,000 pages peaked at 1.8–1.9 GB otherwise. Returns the number of pages requested."""
        import httpx

        rendered = 0
        try:
            version = await anyio.to_thread.run_sync(self.data.version)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://jamlik.local",
                                         headers={"Accept-Encoding": "gzip",
                                                  WARM_UP_HEADER.decode(): PRERENDER.decode()},
                                         timeout=None) as client:
                await client.get("/")  # builds the middleware (and the response cache)
                cache = self.caches[0] if self.caches else None
                pages = await cache.page_store(version) if cache is not None else None
                if pages is None or not await anyio.to_thread.run_sync(pages.claim):
                    return 0
                have = await anyio.to_thread.run_sync(pages.keys)
                paths = await anyio.to_thread.run_sync(self.prerender_paths)
                self.complete = False
                with self.data.cache_bounded(PRERENDER_CACHE_BYTES):
                    for path in paths:
                        if path in have:
                            continue
                        if self.data.version(blocking=False) != version:
                            return rendered
                        if pause:
                            await self._idle()
                        await client.get(path)
                        rendered += 1
                        if rendered % RELEASE_EVERY == 0:
                            await anyio.to_thread.run_sync(release_memory)
                self.complete = True
                await anyio.to_thread.run_sync(release_memory)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a failed pre-render only means slower first pages
            log.warning("förrendering av portalens sidor misslyckades: %s", exc)
        return rendered

    def on_new_version(self) -> None:
        """New data (from the response cache, on the event loop): warm the data caches in a
        thread and pre-render the pages of the new version."""
        self.data_warm = True
        self.start()
        if self._app is not None and (self._task is None or self._task.done()):
            self._task = asyncio.get_running_loop().create_task(self.prerender(self._app))

    def essential(self) -> None:
        """The start page, then the home county's area and gap pages, one at a time."""
        try:
            data, views = self.data, self.views
            self._yield()
            views.start("sv")
            codes = self._codes()
            for code in codes:  # what the route serves: a few rows per målområde
                self._yield()
                views.area(code, "sv", "signifikans", limit=SECTION_ROWS)
            for code in codes:
                self._yield()
                views.gaps(code, "sv", None, limit=SECTION_ROWS)
            self._yield()
            data.profile(data.nation())
        except Exception as exc:  # a failed warm-up only means slower first pages
            log.warning("förvärmning av portalens cache misslyckades: %s", exc)

    def rest(self) -> None:
        try:
            if self.data_warm:
                self._yield()
                self.data.warm([*self._codes(), self.data.nation()])
            # WeasyPrint and its fonts (seconds of CPU that hold the GIL): in a quiet moment,
            # at the latest a minute after start, not while visitors are being answered
            self._yield(at_most=60)
            _pdf("<p>jamlik</p>")  # loads WeasyPrint and its fonts once
            self.runs += 1
        except Exception as exc:  # a failed warm-up only means slower first pages
            log.warning("förvärmning av portalens cache misslyckades: %s", exc)

    def run(self, delay: float = 0.0) -> None:
        """Everything; ``delay``: seconds the first visitors get before the warm-up starts
        (the server's start passes 1 s)."""
        if delay:
            time.sleep(delay)
        self.essential()
        self.rest()

    def start_rest(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(target=self.rest, name="jamlik-portal-warm",
                                            daemon=True)
            self._thread.start()


class _CacheMiddleware:
    def __init__(self, app: Callable, data: PortalData,
                 on_new_version: Callable[[], None] | None = None,
                 caches: list[ResponseCache] | None = None,
                 pages: Callable[[object], PageStore | None] | None = None):
        self._cache = ResponseCache(app, data, on_new_version=on_new_version, pages=pages)
        if caches is not None:
            caches.append(self._cache)  # so the warm-up can see requests rendering

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        await self._cache(scope, receive, send)


def _codes(request: Request, name: str) -> list[str]:
    """Area codes from '?omraden=2080,2081' or from repeated '?omraden=2080&omraden=2081'."""
    return [c for value in request.query_params.getlist(name) for c in split_codes(value)]


def _pdf(html: str) -> bytes:
    return render_pdf(html)


async def _warm_pdf_when_idle(warmer: Warmer, delay: float = 1.0) -> None:
    """At start-up, once the first requests are answered (a second, then idle): load the PDF
    engine in a thread (``warm_pdf_in_background``), so the first fact sheet is not the one
    that waits for WeasyPrint and its fonts (29 s under load last session)."""
    await asyncio.sleep(delay)
    await warmer._idle()
    warm_pdf_in_background()


def search_index_js(views: Views) -> bytes:
    """Areas and indicators for the client-side search of the static site."""
    data = views.data
    items = [["kommun", r.code, r.name] for r in data.areas().itertuples()]
    items += [["indikator", i.id, i.title_sv] for i in data.indicators()]
    return f"window.JAMLIK_SEARCH={json.dumps(items, ensure_ascii=False)};\n".encode()

