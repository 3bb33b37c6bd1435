"""Package attributes imported on first use (PEP 562), for packages that re-export heavy modules.

``jamlik.stats`` re-exports ~20 modules, most of which need SciPy (``scipy.stats`` alone takes
about a second to import); ``jamlik.knowledge`` re-exports its SQLAlchemy workflow models
(0.4 s). A portal page or fact sheet needs few of them, so each package names what it
re-exports from where, and a module is imported the first time one of its names is used.
Type checkers read the package's ``if TYPE_CHECKING:`` imports instead.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def lazy_exports(package: str, modules: Mapping[str, tuple[str, ...]]
                 ) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: each name in ``modules[m]`` is imported from
    ``package.m`` on first use and kept in the package (later uses cost nothing)."""
    where = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__
