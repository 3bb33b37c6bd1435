"""jamlik: indicators, honest analysis and steering for equitable health in Swedish
municipalities and regions."""

from __future__ import annotations

import os

from jamlik.store import Store

__version__ = "0.1.0"


def open(path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> Store:  # noqa: A001
    """Open (and migrate) an indicator store; ``None`` means the user's default store."""
    return Store(path, read_only=read_only)


__all__ = ["Store", "open", "__version__"]
