"""Portal commands: ``jamlik serve``, ``jamlik render-pages`` and ``jamlik build-site``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from jamlik.cli._app import DbOption, app, console, fail
from jamlik.store import default_db_path

CountyOption = Annotated[str, typer.Option(
    "--county", help="Hemlänet som startsidan visar (SCB-kod, t.ex. 20 för Dalarna).")]


def _db_path(db: Path | None) -> Path:
    path = Path(db) if db is not None else default_db_path()
    if not path.exists():
        raise fail(f"databasen {path} finns inte — skapa den med "
                   f"`jamlik init --sample --db {path}` eller ange --db.")
    return path


def _check_port(host: str, port: int) -> None:
    """Refuse, in Swedish and before anything starts, a port that cannot be listened on."""
    import errno
    import socket

    if not 0 < port < 65536:
        raise fail(f"--port {port}: ange en port mellan 1 och 65535, t.ex. 8000.")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError):
        raise fail(f"--host {host}: adressen finns inte på den här datorn — ange t.ex. "
                   "127.0.0.1 eller 0.0.0.0.") from None
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise fail(f"porten {port} på {host} används redan av ett annat program (kanske "
                           f"en portal som redan körs) — stoppa det eller välj en annan port, "
                           f"t.ex. --port {port + 1 if port < 65535 else 8000}.") from None
            if exc.errno == errno.EACCES:
                raise fail(f"du saknar behörighet att lyssna på port {port} — välj en port över "
                           "1023, t.ex. --port 8000.") from None
            raise fail(f"kan inte lyssna på {host}:{port}: {exc.strerror or exc} — ange en "
                       "annan --host eller --port.") from None


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Adress att lyssna på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port att lyssna på.")] = 8000,
    county: CountyOption = "20",
    workers: Annotated[int, typer.Option(
        "--workers", min=1, max=64, help="Antal processer (var och en läser samma publicerade "
        "databasversion; docs/PRODUCTION.md).")] = 1,
) -> None:
    """Starta analyswebben (portalen) på databasen."""
    import uvicorn

    from jamlik.app import create_app

    path = _db_path(db)
    _check_port(host, port)
    try:
        web = create_app(path, county=county)
    except KeyError as exc:
        raise fail(f"--county {county}: {exc.args[0]} — ange en länskod som 20.") from None
    except ValueError as exc:  # JAMLIK_TRUSTED_PROXIES, JAMLIK_MAX_BODY_BYTES
        raise fail(str(exc)) from None
    except Exception as exc:  # duckdb.IOException when another process writes the file
        raise fail(f"kunde inte öppna {path}: {exc}") from None
    from jamlik.steering._db import default_database_url, safe_url

    console.print(f"Analyswebben: http://{host}:{port}/  (Ctrl+C avslutar)")
    console.print(f"Styrningen (/styrning/: planer, analyser, inloggning) läser "
                  f"{safe_url(default_database_url())}", highlight=False, markup=False)
    # X-Forwarded-For is read by the app itself, only from JAMLIK_TRUSTED_PROXIES (uvicorn's
    # own proxy_headers would trust 127.0.0.1 by default, letting any local proxy spoof it)
    if workers > 1:
        # Each worker process builds its own app on the same snapshot (jamlik.app.app_from_env).
        web.state.data.store.close()
        os.environ["JAMLIK_DB"] = str(path)
        os.environ["JAMLIK_COUNTY"] = county
        uvicorn.run("jamlik.app:app_from_env", factory=True, workers=workers, host=host,
                    port=port, log_level="warning", proxy_headers=False, server_header=False)
        return
    uvicorn.run(web, host=host, port=port, log_level="warning", proxy_headers=False,
                server_header=False)


@app.command("render-pages")
def render_pages(
    db: DbOption = None,
    county: CountyOption = "20",
) -> None:
    """Rendera portalens sidor för den publicerade databasversionen i förväg (sidlagret).

    En körande portal gör det själv i bakgrunden när data ändras; kör kommandot efter
    `jamlik materialise`, `import` eller `sync` när ingen portal kör, så att nästa start (och
    varje `--workers`-process) svarar direkt från sidlagret (docs/OPERATIONS.md).
    """
    import asyncio
    import time

    from jamlik.app import create_app

    path = _db_path(db)
    started = time.perf_counter()
    web = create_app(path, county=county, warm=False)
    try:
        count = asyncio.run(web.state.warmer.prerender(web, pause=False))
        cache = web.state.warmer.caches[0] if web.state.warmer.caches else None
        pages = cache.pages if cache is not None else None
        if pages is None:
            raise fail(f"inget sidlager för {path}: databasen är ingen publicerad version, "
                       "mappen bredvid den är skrivskyddad eller JAMLIK_PAGE_STORE_MB=0.")
        console.print(f"Sidlagret: {count} sidor renderade, {len(pages)} sidor "
                      f"({pages.bytes / 2**20:.1f} MB) i {pages.path.name} "
                      f"({time.perf_counter() - started:.1f} s).", highlight=False)
    finally:
        web.state.data.store.close()


@app.command("build-site")
def build_site_command(
    out: Annotated[Path, typer.Argument(help="Mapp som webbplatsen skrivs till.")],
    db: DbOption = None,
    county: CountyOption = "20",
    areas: Annotated[str | None, typer.Option(
        "--omraden", help="Bara dessa områden, kommaseparerade koder (standard: alla).")] = None,
    gzip: Annotated[bool, typer.Option(
        "--gzip", help="Skriv också en .gz av varje sida och tabell (för webbservrar som "
                       "skickar förkomprimerade filer, t.ex. nginx gzip_static).")] = False,
) -> None:
    """Bygg hela den publika portalen som statiska filer (alla kommuner och indikatorer)."""
    from jamlik.portal import build_site

    path = _db_path(db)
    codes = [c.strip() for c in areas.split(",") if c.strip()] if areas else None
    try:
        report = build_site(path, out, county=county, areas=codes, gzip=gzip)
    except KeyError as exc:
        raise fail(f"--omraden: {exc.args[0]} — ange koder som 2080,2081.") from None
    console.print(f"Klart: {report.pages} sidor och {report.files} filer i {report.out_dir} "
                  f"på {report.seconds:.1f} s. Öppna {report.out_dir / 'index.html'}.")
