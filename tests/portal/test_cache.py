"""Caches: normalised keys, bounds, single-flight, one report per data version, PDF rate limit."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.testclient import TestClient

from jamlik.portal._app import ResponseCache, canonical_query
from jamlik.portal._security import SecuritySettings, install
from jamlik.portal._views import SECTION_ROWS
from jamlik.web.cache import BoundedCache


class FakeData:
    """What ResponseCache needs of PortalData: a version and area resolution."""

    def __init__(self):
        self.v = 1

    def version(self, blocking: bool = True):
        return self.v

    def resolve(self, text: str) -> str:
        aliases = {"falun": "2080", "2080": "2080", "borlänge": "2081", "2081": "2081"}
        try:
            return aliases[text.strip().lower()]
        except KeyError:
            raise KeyError(f"okänd områdeskod eller namn: {text!r}") from None


def _page_app(delay: float = 0.0):
    seen: list[tuple[str, bytes]] = []

    async def app(scope, receive, send):  # noqa: ANN001
        seen.append((scope["path"], scope["query_string"]))
        if delay:
            await asyncio.sleep(delay)
        body = f"{scope['path']}?{scope['query_string'].decode()}".encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/html; charset=utf-8")]})
        await send({"type": "http.response.body", "body": body})

    return app, seen


async def _get(cache: ResponseCache, path: str, query: bytes = b"") -> bytes:
    out: list[bytes] = []

    async def send(message: dict) -> None:
        if message["type"] == "http.response.body":
            out.append(message.get("body", b""))

    await cache({"type": "http", "method": "GET", "path": path, "query_string": query},
                None, send)
    return b"".join(out)


def test_unknown_query_parameters_and_area_spellings_share_one_entry():
    # issue 9: unique ?nocache= values bypassed the cache; Falun/falun/%20Falun were three
    app, seen = _page_app()
    cache = ResponseCache(app, FakeData())

    async def run() -> list[bytes]:
        return [await _get(cache, "/kommun/2080"),
                await _get(cache, "/kommun/2080", b"nocache=1"),
                await _get(cache, "/kommun/2080", b"nocache=2&_=3"),
                await _get(cache, "/kommun/Falun"),
                await _get(cache, "/kommun/falun"),
                await _get(cache, "/kommun/ Falun"),
                await _get(cache, "/kommun/%20Falun")]

    bodies = asyncio.run(run())
    assert seen == [("/kommun/2080", b"")]  # rendered once, never saw the unknown parameter
    assert set(bodies) == {b"/kommun/2080?"}
    asyncio.run(_get(cache, "/kommun/2080", b"farg=rang&nocache=9"))
    assert seen[-1] == ("/kommun/2080", b"farg=rang")  # known parameters still count
    asyncio.run(_get(cache, "/faktablad/Borl%C3%A4nge.pdf"))
    assert seen[-1][0] == "/faktablad/2081.pdf"
    asyncio.run(_get(cache, "/kommun/ZZZ"))
    assert seen[-1][0] == "/kommun/ZZZ"  # unknown areas reach the page (its 404)


def test_canonical_query_keeps_known_parameters_in_order():
    assert canonical_query(b"omraden=2080&nocache=1&omraden=2081&lang=en") == \
        b"omraden=2080&omraden=2081&lang=en"
    assert canonical_query(b"x=1&y=") == b""


def test_the_response_cache_is_bounded_by_entries_and_bytes():
    app, seen = _page_app()
    cache = ResponseCache(app, FakeData(), max_entries=3, max_bytes=10_000)

    async def run() -> None:
        for k in range(10):
            await _get(cache, "/jamfor", f"omraden={k}".encode())
        await _get(cache, "/jamfor", b"omraden=9")  # the newest is still there

    asyncio.run(run())
    assert len(cache.entries) == 3 and len(seen) == 10
    tiny = ResponseCache(_page_app()[0], FakeData(), max_bytes=30)
    asyncio.run(_get(tiny, "/jamfor", b"omraden=" + b"x" * 40))
    assert tiny.bytes <= 30


def test_concurrent_misses_for_one_page_render_it_once():
    app, seen = _page_app(delay=0.2)
    cache = ResponseCache(app, FakeData())

    async def run() -> list[bytes]:
        same = [_get(cache, "/kommun/2080", f"nocache={k}".encode()) for k in range(5)]
        other = [_get(cache, "/kommun/2081")]
        started = time.perf_counter()
        bodies = await asyncio.gather(*same, *other)
        assert time.perf_counter() - started < 0.6  # the other page did not wait in line
        return bodies

    bodies = asyncio.run(run())
    assert sorted(seen) == [("/kommun/2080", b""), ("/kommun/2081", b"")]
    assert len(set(bodies[:5])) == 1


def test_bounded_cache_makes_each_key_once_and_evicts_least_recently_used():
    cache: BoundedCache[bytes] = BoundedCache(max_entries=2)
    calls: list[str] = []

    def make(key: str):
        def inner() -> bytes:
            calls.append(key)
            time.sleep(0.1)
            return key.encode()
        return inner

    threads = [threading.Thread(target=cache.get_or_make, args=("a", make("a")))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert calls == ["a"] and cache.makes == 1
    cache.get_or_make("b", make("b"))
    cache.get("a")  # a is now the most recently used
    cache.get_or_make("c", make("c"))
    assert cache.get("b") is None and cache.get("a") == b"a" and len(cache) == 2


def test_expensive_outputs_are_rate_limited_per_client_with_retry_after():
    app = FastAPI()

    @app.get("/faktablad/{name}")
    def sheet(name: str) -> Response:
        return Response(b"%PDF", media_type="application/pdf")

    @app.get("/kommun/{code}")
    def page(code: str) -> Response:
        return Response(b"ok")

    install(app, SecuritySettings(pdf_per_minute=3))
    one = TestClient(app, client=("192.0.2.1", 1))
    assert [one.get("/faktablad/2080.pdf").status_code for _ in range(3)] == [200] * 3
    r = one.get("/faktablad/2081.pdf")
    assert r.status_code == 429 and 0 < int(r.headers["retry-after"]) <= 60
    assert "högst 3 i minuten" in r.text and r.headers["x-content-type-options"] == "nosniff"
    assert one.get("/faktablad/2080.html").status_code == 200  # HTML is not limited
    assert one.get("/kommun/2080").status_code == 200
    other = TestClient(app, client=("192.0.2.2", 1))
    assert other.get("/faktablad/2080.pdf").status_code == 200  # per client


def test_the_portal_renders_each_fact_sheet_pdf_once_per_area(client, app):
    pytest.importorskip("weasyprint")
    before = app.state.pdfs.makes
    for spelling in ("2080", "Falun", "falun", "%20Falun"):
        r = client.get(f"/faktablad/{spelling}.pdf")
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert app.state.pdfs.makes - before <= 1


def test_a_new_data_version_starts_the_warm_up_again():
    app, _ = _page_app()
    data = FakeData()
    started: list[int] = []
    cache = ResponseCache(app, data, on_new_version=lambda: started.append(data.v))
    asyncio.run(_get(cache, "/kommun/2080"))
    assert started == []  # the first version is warmed by create_app itself
    data.v = 2
    asyncio.run(_get(cache, "/kommun/2080"))
    asyncio.run(_get(cache, "/kommun/2081"))
    assert started == [2]


def test_the_warm_up_covers_what_the_home_countys_pages_need(app):
    views, data = app.state.views, app.state.data
    app.state.warmer.run()
    assert app.state.warmer.runs >= 1
    filled = len(data._cache)
    for code in ("2080", "2082", "2085"):  # Dalarna's municipalities, as the route asks
        views.area(code, "sv", "signifikans", limit=SECTION_ROWS)
        views.gaps(code, "sv", None)
    views.start("sv")
    assert len(data._cache) == filled  # nothing left to compute for these pages


def test_the_warm_ups_own_requests_do_not_make_the_portal_look_busy():
    from jamlik.portal._app import WARM_UP_HEADER

    app, _ = _page_app()
    cache = ResponseCache(app, FakeData())

    async def get(headers: list, path: str = "/kommun/2080") -> None:
        async def send(message: dict) -> None:
            pass

        await cache({"type": "http", "method": "GET", "path": path,
                     "query_string": b"", "headers": headers}, None, send)

    from jamlik.portal._app import PRERENDER

    for value in (b"1", PRERENDER):  # the start-up warm-up's and the pre-render's
        asyncio.run(get([(WARM_UP_HEADER, value)]))
        # the warm-up waits for visitors, not for itself (it once waited half a second after
        # each page it rendered: 3,000 pages took 25 minutes or more)
        assert cache.requested_at == 0.0 and cache.rendered_at == 0.0
    asyncio.run(get([(b"accept-encoding", b"gzip")], "/kommun/2081"))  # a visitor's miss
    assert cache.requested_at > 0.0 and cache.rendered_at > 0.0


def test_series_splits_do_not_keep_frames_alive():
    """A split lives as long as its frame and no longer: holding the frames kept 256 whole
    indicator series alive past the data cache's bound (1.3 GB when pre-rendering)."""
    import gc
    import weakref

    import pandas as pd

    from jamlik.portal import _views

    frame = pd.DataFrame({"indicator": ["N1"] * 3, "area": ["2080"] * 3, "sex": ["T"] * 3,
                          "period": [2020, 2021, 2022], "value": [1.0, None, 3.0],
                          "period_label": ["2020", "2021", "2022"],
                          "lower": [None] * 3, "upper": [None] * 3})
    split = _views._split_series(frame)
    assert _views._split_series(frame) is split  # made once per frame
    assert split.get(("N1", "2080", "T"))[0] == [2020, 2021, 2022]
    assert id(frame) in _views._SPLITS
    alive = weakref.ref(frame)
    key = id(frame)
    del frame
    gc.collect()
    assert alive() is None
    assert key not in _views._SPLITS


def test_the_data_cache_can_be_held_to_a_smaller_bound_for_a_while(sample_db):
    """Pre-rendering holds the data cache small (PortalData.cache_bounded): entries beyond the
    bound go at the next insert, the own bound is back afterwards."""
    from jamlik.portal._data import PortalData
    from jamlik.store import Store

    store = Store(str(sample_db), read_only=True)
    try:
        data = PortalData(store, prewarm=False, cache_bytes=64 * 2**20)
        for code in ("2080", "2081", "2082", "2083"):
            data.profile_table(code)
        full = data._cache.bytes
        assert full > 2 * 2**20 and len(data._cache) >= 4
        with data.cache_bounded(2**20):
            assert data._cache.max_bytes == 2**20
            data.profile_table("2084")  # an insert evicts down to the bound
            assert data._cache.bytes <= 2**20 or len(data._cache) == 1
            assert data._cache.bytes < full
        assert data._cache.max_bytes == 64 * 2**20
        with data.cache_bounded(2**40):  # never raised
            assert data._cache.max_bytes == 64 * 2**20
    finally:
        store.close()
