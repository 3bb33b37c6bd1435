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


class _CliConsole(Console):
    """A console whose messages are never broken mid-text and whose width is read at each print.

    ``soft_wrap``: a long path, an 80-column terminal or a pipe would otherwise turn
    "finns inte" into "finns\ninte"; tables still fit the width. Rich fixes ``COLUMNS`` once
    when the console is made (at import); here the width comes from ``COLUMNS``, else the
    terminal, else 80, at every print — so the same command prints the same text in a test, a
    pipe and a terminal of that width.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(soft_wrap=True, **kwargs)  # type: ignore[arg-type]
        self._width = None


console = _CliConsole()
err_console = _CliConsole(stderr=True)

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


def open_store(db: Path | None, *, read_only: bool = False, private: bool = False):
    """The store at ``db``; ``private``: a throw-away copy (dry runs take no update lock)."""
    from jamlik.store import Store

    return Store(db, read_only=read_only, private=private)


def refresh_results(store) -> None:  # noqa: ANN001 - a writable Store
    """Recompute the stored profile results of the indicators whose data changed, before the
    command publishes its snapshot, so a running portal serves them at once (docs/ANALYSIS.md,
    "Lagrade resultat"). Only in a store that keeps results (``jamlik materialise`` ran once)."""
    from jamlik.analysis import has_results, materialise

    if not has_results(store):
        return
    done = materialise(store)
    if done.changed:
        err_console.print(
            f"Profilresultat: {done.changed} av {done.indicators} indikatorer omräknade för alla "
            f"områden ({done.rows} rader, {done.seconds:.1f} s).", highlight=False)
