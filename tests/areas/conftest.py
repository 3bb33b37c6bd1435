"""A store with the shipped DeSO/RegSO loaded, one per test module."""

from __future__ import annotations

import pytest

from jamlik.areas import districts as d
from jamlik.store import Store


@pytest.fixture(scope="module")
def store():
    s = Store(":memory:")
    d.load_districts(s)
    yield s
    s.close()
