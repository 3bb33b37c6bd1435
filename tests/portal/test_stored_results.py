"""The portal serves materialised profile results, and a new snapshot's results without a
restart (nothing is computed at request time when the stored rows are current)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

import jamlik
import jamlik.analysis
import jamlik.analysis._results
from jamlik.analysis import materialise
from jamlik.catalog import load_sample
from jamlik.portal import create_app


def _no_computing(*args: object, **kwargs: object) -> None:
    raise AssertionError("the portal computed a profile although stored rows were current")


def _unversioned(body: bytes) -> bytes:
    return re.sub(rb"([?&](?:amp;)?v=)[0-9a-f]{12}", rb"\1-", body)


def _ohalsotal(client: TestClient) -> float:
    response = client.get("/api/v1/profiles/2080")
    assert response.status_code == 200
    return next(r["value"] for r in response.json()["rows"] if r["indicator"] == "N00957")


#: pages built from the profile's columns: byte for byte the same from stored and computed rows
_PROFILE_PAGES = ("/kommun/2080", "/kommun/2080?amne=1&sida=2", "/kommun/2080?q=ohalsotal",
                  "/kommun/2080?lang=en&farg=rang", "/kommun/20", "/kommun/2080?grupp=lan-20",
                  "/kommun/2080?format=csv&tabell=profil", "/api/v1/profiles/2080",
                  "/api/v1/deviations/2080", "/skillnader/2080")


def test_portal_reads_stored_results_and_sees_new_ones(tmp_path: Path, sample_db: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "results.duckdb"
    with jamlik.open(path) as store:
        load_sample(store)
        materialise(store)
        expected = {r.indicator: r.value for r in jamlik.analysis.profile_many(store, ["2080"])["2080"]}
    computed = create_app(sample_db, warm=False)  # the same data, profiles computed
    try:
        with TestClient(computed) as client:
            pages = {p: client.get(p).content for p in _PROFILE_PAGES}
    finally:
        computed.state.data.store.close()
    monkeypatch.setattr(jamlik.analysis, "profile_many", _no_computing)
    monkeypatch.setattr(jamlik.analysis._results, "profile_many", _no_computing)
    app = create_app(path, warm=False)
    try:
        with TestClient(app) as client:
            for page, body in pages.items():  # the charts' URLs name the data version
                assert _unversioned(client.get(page).content) == _unversioned(body), page
            before = _ohalsotal(client)
            assert before == expected["N00957"]
            assert client.get("/kommun/2080").status_code == 200
            assert client.get("/api/v1/deviations/2080").status_code == 200
            # A writer publishes a new snapshot with a changed value and its recomputed rows.
            monkeypatch.undo()
            with jamlik.open(path) as writer:
                writer.upsert_observations(pd.DataFrame([{
                    "indicator": "N00957", "area": "2080", "period": 2022, "sex": "T",
                    "value": before + 4.0, "source": "test"}]))
                assert materialise(writer).changed == 1
            monkeypatch.setattr(jamlik.analysis, "profile_many", _no_computing)
            monkeypatch.setattr(jamlik.analysis._results, "profile_many", _no_computing)
            deadline = time.monotonic() + 30
            while _ohalsotal(client) != pytest.approx(before + 4.0):
                assert time.monotonic() < deadline, "the new results were not served"
                time.sleep(0.2)
    finally:
        app.state.data.store.close()


def test_two_workers_on_one_snapshot_serve_the_same_answers(sample_db: Path) -> None:
    """Two app instances (as ``uvicorn --workers 2`` or two containers) on one published
    snapshot, each with its own read-only connection and caches, answer byte for byte alike."""
    first, second = create_app(sample_db, warm=False), create_app(sample_db, warm=False)
    paths = ["/api/v1/profiles/2080", "/api/v1/deviations/2080", "/api/v1/profiles/20",
             "/api/v1/observations?indicator=N00957&areas=2080,20,0000", "/kommun/2080",
             "/kommun/1980?q=ohalsotal", "/indikator/N00957", "/"]
    try:
        with TestClient(first) as a, TestClient(second) as b:
            for path in paths:
                ra, rb = a.get(path), b.get(path)
                assert ra.status_code == rb.status_code == 200, path
                assert ra.content == rb.content, path
                assert ra.headers.get("etag") == rb.headers.get("etag"), path
    finally:
        first.state.data.store.close()
        second.state.data.store.close()


def test_worker_factory_reads_the_store_from_the_environment(sample_db: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import jamlik.app

    monkeypatch.delenv("JAMLIK_DB", raising=False)
    with pytest.raises(RuntimeError, match="JAMLIK_DB"):
        jamlik.app.app_from_env()
    calls: dict[str, object] = {}
    monkeypatch.setattr(jamlik.app, "create_app",
                        lambda path, **kw: calls.update(path=path, **kw) or "the app")
    monkeypatch.setenv("JAMLIK_DB", str(sample_db))
    monkeypatch.setenv("JAMLIK_COUNTY", "21")
    assert jamlik.app.app_from_env() == "the app"
    assert calls == {"path": str(sample_db), "county": "21"}
