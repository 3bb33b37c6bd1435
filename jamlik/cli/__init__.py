"""Command-line interface: ``jamlik <command>``.

Every module in this package that does not start with ``_`` registers its commands on
``jamlik.cli._app.app`` when imported, so a capability adds a command by adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil

from jamlik.cli._app import app


def _load_commands() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


def main() -> None:
    from jamlik.cli._app import err_console
    from jamlik.store import NonFiniteValueError, StoreError

    _load_commands()
    try:
        app()
    except (StoreError, NonFiniteValueError) as exc:  # busy, no room, a refused number
        from rich.markup import escape

        err_console.print(f"[bold red]Fel:[/] {escape(str(exc))}", highlight=False)
        raise SystemExit(1) from None


__all__ = ["app", "main"]
