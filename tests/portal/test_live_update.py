"""Updating data while the real portal serves: `jamlik import` and `jamlik sync kolada` run as
separate processes while client threads read over HTTP; no request fails, the new values show
within seconds and the old snapshot is removed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path

from sources_fake import FakeServer

from jamlik.portal import create_app
from jamlik.store import _snapshots as snapshots

CLIENTS = 8  # the 20-client figure is bench/bench_live_update.py's
KEY = "indicator=N01951&areas=2080&years=2022&sex=T"


def _jamlik(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from jamlik.cli import main; main()", *args],
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=180)


def _value(base: str) -> float:
    with urllib.request.urlopen(f"{base}/api/v1/observations?{KEY}", timeout=30) as response:
        rows = json.loads(response.read())["observations"]
    return float(rows[0]["value"])


def _wait_for(base: str, value: float, timeout: float = 60.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if _value(base) == value:
            return time.monotonic() - start
        time.sleep(0.1)
    raise AssertionError(f"{value} was not served within {timeout:.0f} s")


def test_import_and_sync_while_clients_read_fail_no_request(sample_db_path: Path, serve_asgi,
                                                            tmp_path: Path) -> None:
    db = tmp_path / "live.duckdb"
    shutil.copyfile(sample_db_path, db)  # a plain single file, as stores were before snapshots
    env = {"JAMLIK_SYNC_RATE_LIMIT": "0", "JAMLIK_SYNC_BACKOFF": "0.001",
           "JAMLIK_SYNC_TIMEOUT": "10", "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "COLUMNS": "200"}
    csv = tmp_path / "update.csv"
    csv.write_text("indicator,area,period,sex,value\nN01951,2080,2022,T,11111\n",
                   encoding="utf-8")
    app = create_app(db, warm=False)
    failures: list[str] = []
    served = [0]
    stop = threading.Event()

    def read(base: str, n: int) -> None:
        paths = [f"/api/v1/observations?{KEY}", "/indikator/N01951", "/kommun/2080",
                 f"/api/v1/observations?{KEY}&lang=en"]
        i = n
        while not stop.is_set():
            path = paths[i % len(paths)]
            i += 1
            try:
                with urllib.request.urlopen(base + path, timeout=60) as response:
                    response.read()
                    if response.status != 200:
                        failures.append(f"{path}: {response.status}")
            except Exception as exc:  # noqa: BLE001 - every failure counts
                failures.append(f"{path}: {exc}")
            served[0] += 1

    with FakeServer() as fake, serve_asgi(app) as base:
        before = _value(base)
        assert before != 11111
        readers = [threading.Thread(target=read, args=(base, n), daemon=True)
                   for n in range(CLIENTS)]
        for t in readers:
            t.start()
        try:
            imported = _jamlik("import", str(csv), "--db", str(db), env=env)
            assert imported.returncode == 0, imported.stdout + imported.stderr
            # Seconds, not minutes; the first pages after a switch are computed afresh (on a
            # loaded 2-core machine the whole profile of 2080 takes a few seconds).
            _wait_for(base, 11111.0)
            assert db.is_symlink()  # the single file became the first published snapshot
            fake.state.revise("N01951", "2080", 2022, "T", 22222.0, date(2024, 7, 1))
            synced = _jamlik("sync", "kolada", "--base-url", fake.kolada, "--kpi", "N01951",
                             "--area", "2080", "--years", "2022", "--db", str(db), env=env)
            assert synced.returncode == 0, synced.stdout + synced.stderr
            _wait_for(base, 22222.0)
        finally:
            stop.set()
            for t in readers:
                t.join(60)
        published = snapshots.current(db)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(list(
                snapshots.versions_dir(db).glob("*.duckdb"))) > 1:
            _value(base)  # the portal cleans up after it switched
            time.sleep(0.2)
        assert [p.name for p in snapshots.versions_dir(db).glob("*.duckdb")] == [published.name]
        assert app.state.data.store.snapshot == str(published)
    assert failures == []
    assert served[0] > CLIENTS


def test_a_new_snapshot_is_warmed_while_the_old_one_serves_then_switched_to(
        sample_db_path: Path, tmp_path: Path, monkeypatch) -> None:
    import pandas as pd

    import jamlik
    from jamlik.portal._data import PortalData

    db = tmp_path / "warm.duckdb"
    shutil.copyfile(sample_db_path, db)
    data = PortalData(jamlik.open(db, read_only=True), check_interval=0)
    old = data.series("N01951")
    release = threading.Event()
    warmed: list[str] = []

    def warm(self: PortalData, codes: list[str] | None = None) -> None:
        self.series("N01951")  # computed on the new snapshot, in the staging thread
        warmed.append(self.store.version)
        assert release.wait(30)

    monkeypatch.setattr(PortalData, "warm", warm)
    with jamlik.open(db) as writer:
        writer.upsert_observations(pd.DataFrame({"indicator": ["N01951"], "area": ["2080"],
                                                 "period": [2022], "value": [33333.0]}))
    deadline = time.monotonic() + 30
    while not warmed and time.monotonic() < deadline:
        data.version()  # starts the staging thread, keeps serving the old snapshot
        time.sleep(0.05)
    assert warmed and data.store.version != warmed[0]
    assert data.series("N01951") is old  # still the old snapshot's cached frame
    release.set()
    data._staging.join(30)
    data.version()
    assert data.store.version == warmed[0]
    new = data.series("N01951")
    assert new is not old  # the staged cache, computed before the switch
    assert 33333.0 in new.loc[(new.area == "2080") & (new.period == 2022), "value"].tolist()
    assert [p.name for p in snapshots.versions_dir(db).glob("*.duckdb")] == [warmed[0]]
    data.store.close()
