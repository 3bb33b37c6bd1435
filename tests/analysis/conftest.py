"""Fixtures: the bundled real Kolada sample (loaded once per session) and a synthetic store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from analysis_synthetic import build_synthetic_store, synthetic_rows

import jamlik
from jamlik.catalog import load_sample
from jamlik.store import Store


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = jamlik.open(tmp_path_factory.mktemp("sample") / "sample.duckdb")
    load_sample(store)
    yield store
    store.close()


@pytest.fixture
def synthetic_store() -> Iterator[Store]:
    store = build_synthetic_store(synthetic_rows())
    yield store
    store.close()
