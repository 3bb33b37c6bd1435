"""Shared fixtures: a store with the bundled real sample, loaded once per test session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import jamlik
from jamlik.catalog import load_sample

# Test folders are packages (so equal basenames such as test_cli.py can coexist); their
# support modules (sources_fake, io_support, …) stay importable by their plain names.
for _folder in sorted(Path(__file__).parent.iterdir()):
    if _folder.is_dir() and (_folder / "__init__.py").exists():
        sys.path.insert(0, str(_folder))


@pytest.fixture(scope="session")
def sample_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file with the catalogue and the real Kolada sample (read it, don't write)."""
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    with jamlik.open(path) as store:
        load_sample(store)
    return path


@pytest.fixture()
def sample_store(sample_db_path: Path):
    store = jamlik.open(sample_db_path, read_only=True)
    yield store
    store.close()
