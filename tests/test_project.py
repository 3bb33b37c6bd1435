"""The project itself: packaging metadata and a test run without our own deprecation warnings."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_licence_is_an_spdx_string_so_setuptools_does_not_warn() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"  # PEP 639; a table is deprecated
    assert "setuptools>=77" in project["build-system"]["requires"]


def test_fastapi_testclient_imports_without_a_deprecation_warning() -> None:
    # starlette.testclient warns (StarletteDeprecationWarning) when it runs on httpx, not httpx2
    done = subprocess.run([sys.executable, "-W", "error", "-c", "import fastapi.testclient"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_workflow_database_models_share_one_type_map_and_one_clock() -> None:
    """The utcnow()/type map of the workflow database's declarative bases is defined once, in
    jamlik/orm.py (owning no tables); each owner keeps its own base and metadata."""
    import re

    import jamlik
    from jamlik.economics._models import Base as Economics
    from jamlik.knowledge._review import KnowledgeBase
    from jamlik.orm import TYPE_ANNOTATION_MAP, utcnow
    from jamlik.prioritisation._models import Base as Prioritisation
    from jamlik.steering._models import Base as Steering

    bases = (Steering, Prioritisation, Economics)
    for base in bases:
        assert base.type_annotation_map is TYPE_ANNOTATION_MAP, base
    tables = [set(b.metadata.tables) for b in (*bases, KnowledgeBase)]
    assert all(tables) and sum(map(len, tables)) == len(set().union(*tables))  # no table twice
    assert utcnow().tzinfo is None
    package = Path(jamlik.__file__).parent
    copies = sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py")
                    if re.search(r"^def utcnow\(|^\s+type_annotation_map = \{",
                                 p.read_text(encoding="utf-8"), re.M))
    assert copies == ["orm.py"]
