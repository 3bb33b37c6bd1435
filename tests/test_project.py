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
