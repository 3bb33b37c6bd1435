"""Fixtures: a fake Kolada/PxWeb server on 127.0.0.1, a fast HTTP client, a store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sources_fake import FakeServer, fast_config

from jamlik.sources import HttpClient
from jamlik.store import Area, AreaType, Store


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    with FakeServer() as server:
        yield server


@pytest.fixture
def http() -> Iterator[HttpClient]:
    client = HttpClient(fast_config())
    yield client
    client.close()


def seed_areas(store: Store) -> None:
    store.upsert_areas([
        Area("0000", "Riket", AreaType.NATION, None, "0000"),
        Area("20", "Dalarnas län", AreaType.COUNTY, "0000", "0020"),
        Area("2080", "Falun", AreaType.MUNICIPALITY, "20", "2080"),
        Area("2062", "Mora", AreaType.MUNICIPALITY, "20", "2062"),
    ])


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store(":memory:")
    seed_areas(s)
    yield s
    s.close()
