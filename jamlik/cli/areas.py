"""Area-level commands: ``jamlik crosstab``, ``jamlik areas``, ``jamlik segregation``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jamlik.cli._app import app, console, fail


@app.command("crosstab")
def crosstab_command(
    data: Annotated[Path, typer.Argument(help="Parquet-fil, mapp med Parquet-filer eller CSV-fil")],
    by: Annotated[str, typer.Option("--by", help="Dimensioner, kommaseparerade: deso,sex,age_band")],
    out: Annotated[Path, typer.Option("--out", help="Utfil: .csv, .parquet eller .json")],
    threshold: Annotated[int, typer.Option("--threshold", help="Undertryck celler med n under detta")] = 5,
    count_column: Annotated[
        str | None, typer.Option("--count-column", help="Kolumn med antal (en rad per cell)")
    ] = None,
    rounding: Annotated[
        int | None, typer.Option("--round", help="Avrunda visade antal till denna bas, t.ex. 5")
    ] = None,
) -> None:
    """Korstabell med röjandekontroll: primär och sekundär undertryckning, totaler och logg."""
    from jamlik.areas import crosstab

    try:
        result = crosstab(
            data, by.split(","), threshold=threshold, count_column=count_column,
            rounding=rounding, out=out,
        )
    except ValueError as exc:
        raise fail(str(exc)) from None
    audit = out.with_name(out.stem + ".audit.csv")
    console.print(
        f"{len(result.table)} celler (med totaler) skrivna till {out}; "
        f"{result.primary} undertryckta under tröskeln {result.threshold} (primärt) och "
        f"{result.secondary} för att de inte ska kunna räknas fram (sekundärt). "
        f"Logg: {audit}",
        highlight=False,
    )
