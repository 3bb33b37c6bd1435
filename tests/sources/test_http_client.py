"""The shared HTTP layer: cache, rate limit, Retry-After forms, non-retryable errors."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest

from jamlik.sources import HttpClient, SyncError, sync_kolada
from jamlik.sources._http import _retry_after_seconds
from jamlik.sources.kolada import kpi_publication
from tests.sources.sources_fake import Fault, fast_config


def test_cache_serves_repeat_requests_and_never_stores_broken_json(fake, tmp_path):
    http = HttpClient(fast_config(cache_dir=tmp_path / "c"))
    url = f"{fake.kolada}/municipality/2080"
    fake.state.faults.append(Fault("/municipality", truncate=True))
    first = http.get_json(url)  # truncated once, retried, then cached
    assert first["values"][0]["title"] == "Falun"
    assert http.get_json(url) == first
    assert http.stats.requests == 2 and http.stats.cached == 1
    assert len(list((tmp_path / "c").rglob("*.json"))) == 1
    assert not list((tmp_path / "c").rglob("*.tmp"))


def test_cache_expires_after_ttl(fake, tmp_path):
    http = HttpClient(fast_config(cache_dir=tmp_path / "c", cache_ttl=0.05))
    url = f"{fake.kolada}/municipality/2080"
    http.get_json(url)
    time.sleep(0.1)
    http.get_json(url)
    assert http.stats.requests == 2 and http.stats.cached == 0


def test_rate_limit_spaces_requests(fake):
    slept: list[float] = []
    http = HttpClient(fast_config(rate_limit=5.0), sleep=slept.append)
    for _ in range(3):
        http.get_json(f"{fake.kolada}/municipality/2080")
    # about 0.2 s between request starts at 5 requests/s
    assert len(slept) == 2 and all(0.1 < s <= 0.2 for s in slept)


def test_retry_after_accepts_seconds_and_http_dates():
    assert _retry_after_seconds("3") == 3.0
    assert _retry_after_seconds(None) is None
    assert _retry_after_seconds("soon") is None
    later = _retry_after_seconds(formatdate(time.time() + 30, usegmt=True))
    assert later is not None and 25 < later <= 30


def test_404_is_not_retried_and_explains(fake, http):
    with pytest.raises(SyncError, match="HTTP 404.*--base-url"):
        http.get_json(f"{fake.url}/v3/nothing-here")
    assert http.stats.requests == 1


def test_persistent_5xx_gives_up_after_max_attempts(fake, http):
    fake.state.faults += [Fault("/municipality", status=502) for _ in range(4)]
    with pytest.raises(SyncError, match="efter 4 försök: servern svarade HTTP 502"):
        http.get_json(f"{fake.kolada}/municipality/2080")
    assert http.stats.requests == 4


def test_kolada_publication_metadata_is_kept(fake, http, store):
    sync_kolada(store, ["N00923"], ["2080"], [2022], base_url=fake.kolada, http=http)
    meta = kpi_publication(store).set_index("id")
    # rKolada's 2026 catalogue: N00923 publishes 2026-03-21, publ_period 2025
    assert meta.loc["N00923", "publication_date"] == "2026-03-21"
    assert meta.loc["N00923", "operating_area"] == "Befolkning"
    assert not meta.loc["N00923", "is_divided_by_gender"]
