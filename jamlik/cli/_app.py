"""The Typer application every CLI module registers its commands on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(
    name="jamlik",
    help="jamlik – indikatorer, analys och styrning för jämlik hälsa.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Databasfil (DuckDB). Standard: en fil i användarens datamapp.",
                 envvar="JAMLIK_DB"),
]
FormatOption = Annotated[str, typer.Option("--format", help="table, csv eller json")]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a Swedish error message to stderr and return an Exit to raise."""
    from rich.markup import escape

    err_console.print(f"[bold red]Fel:[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


def open_store(db: Path | None, *, read_only: bool = False):
    from jamlik.store import Store

    return Store(db, read_only=read_only)
