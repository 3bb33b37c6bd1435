"""A tiny store with five real areas and two indicators for the import tests."""

from __future__ import annotations

import pytest

import jamlik
from jamlik.store import Store
from tests.io.io_support import AREAS, INDICATOR, POOLED


@pytest.fixture
def store() -> Store:
    s = jamlik.open(":memory:")
    s.upsert_areas(AREAS)
    s.upsert_indicators([INDICATOR, POOLED])
    yield s
    s.close()
