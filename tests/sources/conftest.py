"""Fixtures: a fake Kolada/PxWeb server on 127.0.0.1, a fast HTTP client, a store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jamlik.sources import HttpClient
from jamlik.store import Store
from tests.sources.sources_fake import FakeServer, fast_config, seed_areas


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    with FakeServer() as server:
        yield server


@pytest.fixture
def http() -> Iterator[HttpClient]:
    client = HttpClient(fast_config())
    yield client
    client.close()


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store(":memory:")
    seed_areas(s)
    yield s
    s.close()
