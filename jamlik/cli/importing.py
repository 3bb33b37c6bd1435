"""`jamlik import FILE`: load a CSV, XLSX or Parquet file into the store, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jamlik.cli._app import (
    DbOption,
    app,
    console,
    err_console,
    fail,
    open_store,
    refresh_results,
)


def _number(n: int) -> str:
    """Swedish thousands grouping with a narrow no-break space: 12 345."""
    return f"{n:,}".replace(",", "\u202f")


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="Filen att läsa in: .csv, .txt, .xlsx eller "
                                              ".parquet.", show_default=False)],
    mapping: Annotated[Path | None, typer.Option(
        "--mapping", "-m", help="Mappning (TOML) från filens kolumner till jamlik. Utan "
                                "mappning läses jamliks eget exportformat.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Kontrollera filen och visa vad som skulle läsas in, utan att "
                          "spara något.")] = False,
    source: Annotated[str | None, typer.Option(
        "--source", help="Källans namn (annars mappningens source eller filnamnet).")] = None,
    db: DbOption = None,
) -> None:
    """Läs in en fil (CSV, Excel eller Parquet) i databasen — allt eller inget.

    Varje fel rapporteras som fil:rad:kolumn med en förklaring; finns något fel sparas
    ingenting. Se docs/IMPORT.md för mappningens format.
    """
    from jamlik.io import ImportRejected, MappingError, import_file
    from jamlik.store import StoreWriteError

    if not file.exists():
        raise fail(f'filen "{file}" finns inte — kontrollera sökvägen.')
    if mapping is not None and not mapping.exists():
        raise fail(f'mappningsfilen "{mapping}" finns inte — kontrollera sökvägen.')
    store = open_store(db, private=dry_run)  # a dry run works on a copy: no update lock
    try:
        report = import_file(store, file, mapping, dry_run=dry_run, source=source)
        if not report.dry_run:
            refresh_results(store)
    except (MappingError, StoreWriteError) as exc:
        raise fail(str(exc)) from None
    except ImportRejected as exc:
        err_console.print(
            f"[bold red]Importen avbröts:[/] {_number(exc.total)} fel i {file.name}. "
            "Ingenting har sparats; rätta felen och kör kommandot igen.", highlight=False)
        for error in exc.errors:
            err_console.print(str(error), markup=False, highlight=False, soft_wrap=True)
        if exc.more:
            err_console.print(f"… och {_number(exc.more)} fel till", highlight=False)
        raise typer.Exit(1) from None
    finally:
        store.close()

    title = ("Provkörning — ingenting har sparats" if report.dry_run
             else "Importen är klar")
    table = Table(title=f"{title}: {report.file} ({report.format_sv})", show_header=False,
                  title_justify="left")
    table.add_column("", style="bold")
    table.add_column("", justify="right")
    dry = report.dry_run
    table.add_row("Rader lästa", _number(report.rows_read))
    table.add_row("Nya värden" + (" (skulle läggas till)" if dry else ""),
                  _number(report.inserted))
    table.add_row("Reviderade värden " + ("(skulle ersätta tidigare)" if dry else
                                          "(tidigare värden sparas i historiken)"),
                  _number(report.revised))
    table.add_row("Oförändrade", _number(report.unchanged))
    table.add_row("Skyddade eller saknade värden", _number(report.suppressed))
    console.print(table)
    if report.indicators_created:
        console.print(("Nya indikatorer som skulle skapas: " if dry else "Nya indikatorer: ")
                      + ", ".join(report.indicators_created),
                      highlight=False)
    if report.period_start_inferred:
        console.print(
            f"{_number(report.period_start_inferred)} värden avser sammanslagna år enligt "
            "indikatorns period_span; perioden räknas bakåt från det angivna året.",
            highlight=False)
    if report.ignored_columns:
        console.print("Kolumner som inte lästes: " + ", ".join(report.ignored_columns),
                      markup=False, highlight=False)
    console.print(f"Källa: {report.source}", markup=False, highlight=False)
