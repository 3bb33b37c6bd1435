"""Shared fixtures: a store with the bundled real sample, loaded once per test session, a real
HTTP server on 127.0.0.1 for any ASGI app and Debian's headless chromium (browser tests), and
the workflow database on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

import jamlik
from jamlik.catalog import load_sample

# Test folders are packages (so equal basenames such as test_cli.py can coexist); their
# support modules (sources_fake, io_support, …) stay importable by their plain names.
for _folder in sorted(Path(__file__).parent.iterdir()):
    if _folder.is_dir() and (_folder / "__init__.py").exists():
        sys.path.insert(0, str(_folder))


@pytest.fixture(autouse=True)
def _fixed_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """CLI tables fit the width of the terminal: every test sees the same 120 columns, whatever
    terminal (or none) runs the suite. A test that checks another width passes its own COLUMNS."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture(scope="session", autouse=True)
def _default_stores_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Without --db or a URL, jamlik opens the user's data directory (its DuckDB store and the
    workflow SQLite beside it): every test gets temporary ones instead, so no test reads or
    migrates a file another checkout or developer left there."""
    folder = tmp_path_factory.mktemp("defaults")
    old = {name: os.environ.get(name) for name in ("JAMLIK_DB", "JAMLIK_DATABASE_URL")}
    os.environ["JAMLIK_DB"] = str(folder / "jamlik.duckdb")
    os.environ["JAMLIK_DATABASE_URL"] = f"sqlite:///{folder / 'workflow.sqlite'}"
    yield
    for name, value in old.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def sample_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file with the catalogue and the real Kolada sample (read it, don't write)."""
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    with jamlik.open(path) as store:
        load_sample(store)
    return path


@pytest.fixture(scope="session")
def survey_db(sample_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample store with two synthetic Dalarna survey waves imported and published
    (what ``jamlik survey publish`` does): the survey pages' data (read it, don't write)."""
    import shutil

    from jamlik.surveys import generate_panel, import_wave, publish_indicators

    root = tmp_path_factory.mktemp("surveys")
    db = root / "s.duckdb"
    shutil.copy(sample_db_path, db)
    waves = generate_panel(1000, root / "waves", years=2, seed=5)
    with jamlik.open(db) as store:
        for w in waves:
            import_wave(store, w.directory, b"en-hemlig-testnyckel-0123456789")
        publish_indicators(store)
    return db


@pytest.fixture()
def sample_store(sample_db_path: Path):
    store = jamlik.open(sample_db_path, read_only=True)
    yield store
    store.close()


@contextmanager
def _serve_asgi(app: Any, *, timeout: float = 20.0) -> Iterator[str]:
    """Run ``app`` with uvicorn in a daemon thread; yield its base URL; stop it afterwards.

    The socket is bound here (port 0: the OS picks a free port) and handed to uvicorn, so no
    other process can take the port between choosing and listening.
    """
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name=f"uvicorn-{port}")
    thread.start()
    try:
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the test server on 127.0.0.1:{port} did not start within "
                                   f"{timeout:.0f} s (see the log above)")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def serve_asgi() -> Callable[..., AbstractContextManager[str]]:
    """``with serve_asgi(app) as base_url: ...`` — the app over real HTTP on a free port.

    A session fixture returning a context manager, so module- and function-scoped fixtures
    can both use it (each decides how long its server lives).
    """
    return _serve_asgi


# -- a real browser: Debian's chromium through Playwright -------------------------------------
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-background-networking")


@contextmanager
def _launch_chromium() -> Iterator[Any]:
    """Debian's chromium, headless, no sandbox, no background network; skips the test when
    the package or Playwright is missing."""
    if not CHROMIUM.exists():
        pytest.skip("Debian-paketet chromium saknas (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def launch_chromium() -> Callable[[], AbstractContextManager[Any]]:
    """``with launch_chromium() as browser: ...`` — for a browser that lives longer than one
    test (a module-scoped fixture decides how long)."""
    return _launch_chromium


@pytest.fixture()
def browser() -> Iterator[Any]:
    """Debian's headless chromium for one test."""
    with _launch_chromium() as b:
        yield b


# -- the workflow database on SQLite and on PostgreSQL (steering, prioritisation, …) ----------
def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as con:
        con.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        con.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'styrning.sqlite'}"
    url = os.environ.get("JAMLIK_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("JAMLIK_TEST_POSTGRES_URL är inte satt (kör scripts/start_postgres.sh)")
    _reset_postgres(url)
    return url


@pytest.fixture()
def workflow(db_url: str):
    from jamlik.steering import open_workflow

    wf = open_workflow(db_url)
    yield wf
    wf.close()
