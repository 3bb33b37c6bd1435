"""Portal commands: ``jamlik serve`` and ``jamlik build-site``."""

from __future__ import annotations

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


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Adress att lyssna på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port att lyssna på.")] = 8000,
    county: CountyOption = "20",
) -> None:
    """Starta analyswebben (portalen) på databasen."""
    import uvicorn

    from jamlik.portal import create_app

    path = _db_path(db)
    try:
        web = create_app(path, county=county)
    except KeyError as exc:
        raise fail(f"--county {county}: {exc.args[0]} — ange en länskod som 20.") from None
    except ValueError as exc:  # JAMLIK_TRUSTED_PROXIES, JAMLIK_MAX_BODY_BYTES
        raise fail(str(exc)) from None
    except Exception as exc:  # duckdb.IOException when another process writes the file
        raise fail(f"kunde inte öppna {path}: {exc}") from None
    console.print(f"Analyswebben: http://{host}:{port}/  (Ctrl+C avslutar)")
    # X-Forwarded-For is read by the app itself, only from JAMLIK_TRUSTED_PROXIES (uvicorn's
    # own proxy_headers would trust 127.0.0.1 by default, letting any local proxy spoof it)
    uvicorn.run(web, host=host, port=port, log_level="warning", proxy_headers=False,
                server_header=False)


@app.command("build-site")
def build_site_command(
    out: Annotated[Path, typer.Argument(help="Mapp som webbplatsen skrivs till.")],
    db: DbOption = None,
    county: CountyOption = "20",
    areas: Annotated[str | None, typer.Option(
        "--omraden", help="Bara dessa områden, kommaseparerade koder (standard: alla).")] = None,
) -> None:
    """Bygg hela den publika portalen som statiska filer (alla kommuner och indikatorer)."""
    from jamlik.portal import build_site

    path = _db_path(db)
    codes = [c.strip() for c in areas.split(",") if c.strip()] if areas else None
    try:
        report = build_site(path, out, county=county, areas=codes)
    except KeyError as exc:
        raise fail(f"--omraden: {exc.args[0]} — ange koder som 2080,2081.") from None
    console.print(f"Klart: {report.pages} sidor och {report.files} filer i {report.out_dir} "
                  f"på {report.seconds:.1f} s. Öppna {report.out_dir / 'index.html'}.")
