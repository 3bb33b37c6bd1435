"""The page store (issue 12): pages compressed once, kept per published snapshot on disk for
every worker and the next start, never served for another snapshot, bounded."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import jamlik
from jamlik.portal import create_app
from jamlik.portal._pages import CachedResponse, PageStore, accepts, open_page_store

PATHS = ["/", "/kommun/2080", "/skillnader/2081", "/api/v1/profiles/2080",
         "/indikator/N00957", "/kommun/2080?format=csv", "/static/web/jamlik.css"]


@pytest.fixture()
def store_copy(sample_db_path: Path, tmp_path: Path) -> Path:
    """The sample store as its own published snapshot (its page stores are this test's)."""
    db = tmp_path / "s.duckdb"
    shutil.copy(sample_db_path, db)  # a plain file that its first writer publishes
    _revise(db, 1.0)
    assert db.is_symlink()
    return db


def _revise(db: Path, by: float) -> None:
    """Publish a new snapshot: Falun's N00957 values raised by ``by``."""
    with jamlik.open(db) as store:
        obs = store.observations("N00957", areas=["2080"])
        store.upsert_observations(obs.assign(value=obs["value"] + by))


def _raw(client: TestClient, path: str, encoding: str) -> tuple[int, dict, bytes]:
    with client.stream("GET", path, headers={"Accept-Encoding": encoding}) as r:
        return r.status_code, dict(r.headers), b"".join(r.iter_raw())


def _renders(app) -> int:  # noqa: ANN001
    cache = app.middleware_stack  # built on the first request
    while cache is not None and not hasattr(cache, "_cache"):
        cache = getattr(cache, "app", None)
    return cache._cache.renders if cache is not None else -1


def test_compressed_hits_equal_the_page_rendered_without_any_cache(store_copy: Path) -> None:
    cached = create_app(store_copy, warm=False)
    plain = create_app(store_copy, warm=False, cache=False)
    try:
        with TestClient(cached) as c, TestClient(plain) as p:
            for path in PATHS:
                reference = p.get(path, headers={"Accept-Encoding": "identity"})
                assert reference.status_code == 200, path
                for _ in range(2):  # the miss, then the hit
                    status, headers, body = _raw(c, path, "gzip, br")
                    assert status == 200
                    if headers.get("content-encoding") == "gzip":
                        assert int(headers["content-length"]) == len(body)
                        body = gzip.decompress(body)
                    assert body == reference.content, path
                    status, headers, body = _raw(c, path, "identity")
                    assert "content-encoding" not in headers and body == reference.content
                etag = c.get(path).headers["etag"]
                again = c.get(path, headers={"If-None-Match": etag})
                assert again.status_code == 304 and again.content == b""
    finally:
        cached.state.data.store.close()
        plain.state.data.store.close()


def test_a_second_worker_serves_the_first_ones_pages_byte_for_byte(store_copy: Path) -> None:
    first = create_app(store_copy, warm=False)
    second = create_app(store_copy, warm=False)  # another process on the same snapshot
    alone = create_app(store_copy, warm=False, page_store=False)
    try:
        with TestClient(first) as a, TestClient(second) as b, TestClient(alone) as c:
            for path in PATHS:
                assert a.get(path).status_code == 200
            rendered = _renders(first)
            assert rendered == len(PATHS)
            for path in PATHS:
                ra, rb, rc = (_raw(x, path, "gzip") for x in (a, b, c))
                assert ra[2] == rb[2] == rc[2], path  # compressed bytes too
                assert ra[1]["etag"] == rb[1]["etag"] == rc[1]["etag"]
            # the second found every page but the static file (memory only) in the page store
            assert _renders(second) == 1
        files = sorted(p.name for p in Path(f"{store_copy}.versions").glob("*.pages-*.sqlite"))
        assert len(files) == 1
    finally:
        for app in (first, second, alone):
            app.state.data.store.close()


def test_a_new_snapshot_never_gets_the_old_snapshots_pages(store_copy: Path) -> None:
    app = create_app(store_copy, warm=False)
    try:
        with TestClient(app) as client:
            before = client.get("/api/v1/observations?indicator=N00957&areas=2080").json()
            old = sorted(Path(f"{store_copy}.versions").glob("*.pages-*.sqlite"))
            assert len(old) == 1
            _revise(store_copy, 5.0)
            app.state.data._checked = 0.0  # the next request looks for a new snapshot
            app.state.data.version()
            app.state.data._checked = 0.0
            after = client.get("/api/v1/observations?indicator=N00957&areas=2080").json()
            assert after != before
            files = sorted(Path(f"{store_copy}.versions").glob("*.pages-*.sqlite"))
            assert len(files) == 1 and files != old  # the old snapshot's pages are gone
    finally:
        app.state.data.store.close()


def test_the_page_store_is_bounded_and_can_be_turned_off(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    pages = PageStore(tmp_path / "p.sqlite", max_bytes=20_000)
    page = CachedResponse.make(200, [(b"content-type", b"text/html")], b"".join(
        f"<p>{k}</p>".encode() for k in range(2_000)))
    stored = [pages.put(f"/kommun/{k}", page) for k in range(100)]
    assert any(stored) and not all(stored)
    assert pages.bytes <= 20_000 and len(pages) == sum(stored)
    assert pages.get("/kommun/0") == page and pages.get("/kommun/99") is None
    assert not pages.put("/kommun/0", page)  # there already
    pages.close()
    monkeypatch.setenv("JAMLIK_PAGE_STORE_MB", "0")
    folder = tmp_path / "s.duckdb.versions"
    folder.mkdir()
    (folder / "000001-0123abcd.duckdb").write_bytes(b"")
    assert open_page_store(str(tmp_path / "s.duckdb"), ("000001-0123abcd.duckdb",), "x") is None
    monkeypatch.delenv("JAMLIK_PAGE_STORE_MB")
    found = open_page_store(str(tmp_path / "s.duckdb"), ("000001-0123abcd.duckdb",), "x")
    assert found is not None
    found.close()
    assert open_page_store(str(tmp_path / "s.duckdb"), ("plain.duckdb",), "x") is None


@pytest.mark.parametrize(("header", "expected"), [
    ("gzip", True), ("gzip, deflate, br", True), ("gzip;q=0", False), ("identity", False),
    ("*", True), ("", False), (b"br, gzip;q=0.5", True)])
def test_accept_encoding(header: str | bytes, expected: bool) -> None:
    assert accepts(header) is expected


def test_render_pages_fills_the_page_store_a_new_server_answers_from(
        store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from jamlik.cli import _load_commands
    from jamlik.cli import app as cli
    from jamlik.portal._app import Warmer

    _load_commands()

    wanted = ["/", "/kommun/2080", "/kommun/2081", "/skillnader/2080", "/indikator/N00957"]
    monkeypatch.setattr(Warmer, "prerender_paths", lambda self: wanted)  # not all 300 areas
    done = CliRunner().invoke(cli, ["render-pages", "--db", str(store_copy)])
    assert done.exit_code == 0, done.output
    assert "Sidlagret: 4 sidor renderade, 5 sidor" in done.output  # "/" was asked first
    again = CliRunner().invoke(cli, ["render-pages", "--db", str(store_copy)])
    assert "Sidlagret: 0 sidor renderade, 5 sidor" in again.output
    fresh = create_app(store_copy, warm=False)  # jamlik.portal's app: other routes …
    served = _served_by_jamlik_app(store_copy)
    try:
        with TestClient(served) as client:
            for path in wanted:
                assert client.get(path).status_code == 200
            assert _renders(served) == 0  # … but jamlik.app's (jamlik serve) found them all
        with TestClient(fresh) as client:
            client.get("/kommun/2080")
            assert _renders(fresh) == 1  # another context: its own page store
    finally:
        fresh.state.data.store.close()
        served.state.data.store.close()


def _served_by_jamlik_app(db: Path):  # noqa: ANN202 - what `jamlik serve` runs
    from jamlik.app import create_app as create_full_app

    return create_full_app(db, warm=False)


def test_prerender_fills_the_page_store_not_the_memory_cache(
        store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pre-rendering 3,000 pages must not hold them in memory too (it peaked at 1.9 GB): they
    go to the page store, and a visitor's first request takes one from there."""
    import asyncio

    from jamlik.portal import _app
    from jamlik.portal._app import Warmer

    wanted = ["/", "/kommun/2080", "/skillnader/2080", "/indikator/N00957"]
    monkeypatch.setattr(Warmer, "prerender_paths", lambda self: wanted)
    released: list[int] = []
    monkeypatch.setattr(_app, "RELEASE_EVERY", 1)
    monkeypatch.setattr(_app, "release_memory", lambda: released.append(1))
    app = create_app(store_copy, warm=False)
    try:
        warmer = app.state.warmer
        assert asyncio.run(warmer.prerender(app, pause=False)) == 3  # "/" built the cache
        cache = warmer.caches[0]
        assert cache.pages is not None and len(cache.pages) == 4
        assert not [key for key in cache.entries if key[0] in wanted]
        assert len(released) == 4  # after every page (RELEASE_EVERY = 1) and at the end
        with TestClient(app) as client:
            renders = cache.renders
            assert client.get("/kommun/2080").status_code == 200
            assert cache.renders == renders  # read from the page store …
            assert ("/kommun/2080", b"") in cache.entries  # … and kept in memory from then on
    finally:
        app.state.data.store.close()


def test_prerender_paths_keep_an_area_s_pages_together(store_copy: Path) -> None:
    """An area's page, gaps page and JSON profile one after the other: its profile is then in
    the data cache for all three, which need not hold every area's profile at once."""
    app = create_app(store_copy, warm=False)
    try:
        warmer = app.state.warmer
        paths = warmer.prerender_paths()
        assert paths[:len(warmer.page_paths())] == warmer.page_paths()
        at = paths.index("/kommun/0114")
        assert paths[at:at + 3] == ["/kommun/0114", "/skillnader/0114", "/api/v1/profiles/0114"]
        assert len(paths) == len(set(paths))
        assert {f"/indikator/{i}" for i in app.state.data.indicator_ids()} <= set(paths)
        # only pages the page store keeps: one it never kept (/data) was rendered at every
        # start, so a server with a complete page store warmed its data caches all the same
        from jamlik.portal._app import is_cached_path

        assert all(is_cached_path(p) for p in paths)
        assert not is_cached_path("/data") and not is_cached_path("/styrning/")
    finally:
        app.state.data.store.close()
