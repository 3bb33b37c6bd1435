"""Updating data while the portal serves: 20 clients read during an import and a sync.

    .venv/bin/python bench/bench_live_update.py [--clients 20] [--baseline 5]

1. Loads the bundled sample into a temporary store and serves it with uvicorn in its own process
   on 127.0.0.1 (as bench_portal.py), every page warmed once.
2. N clients (httpx async, one connection each) loop over the portal's page types the whole time.
3. After a baseline of --baseline seconds, `jamlik import` (a CSV changing one value) runs as its
   own process, then `jamlik sync kolada` against the local fake Kolada server of the test suite
   (tests/sources/sources_fake.py, 127.0.0.1) revising the same value.
4. Reports latency p50/p95 before and during the updates, failed requests, how long each writer
   took, the seconds from a writer's exit until the portal served its value, and the disk used
   by the store before, during (peak) and after cleanup.
Results are printed and written to bench/out/bench_live_update.json. Bounded: about a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_portal import _free_port, _pct, _sample_db, _start_server, urls  # noqa: E402

from jamlik.store import _snapshots as snapshots  # noqa: E402

KEY = "indicator=N01951&areas=2080&years=2022&sex=T"


def _jamlik(*args: str, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from jamlik.cli import main; main()", *args],
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"jamlik {' '.join(args[:2])} misslyckades:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - started, done


def _served(base: str) -> float:
    r = httpx.get(f"{base}/api/v1/observations?{KEY}", timeout=60)
    r.raise_for_status()
    return float(r.json()["observations"][0]["value"])


def _until_served(base: str, value: float, timeout: float = 120) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if _served(base) == value:
            return time.perf_counter() - start
        time.sleep(0.05)
    raise SystemExit(f"värdet {value} syntes inte inom {timeout:.0f} s")


class _Readers:
    """N async clients in a background thread; every request's end time, latency and error."""

    def __init__(self, base: str, paths: list[str], clients: int):
        self.base, self.paths, self.clients = base, paths, clients
        self.samples: list[tuple[float, float]] = []  # (monotonic end, ms)
        self.errors: list[tuple[float, str]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _run(self) -> None:
        async def loop(i: int) -> None:
            limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
            async with httpx.AsyncClient(base_url=self.base, timeout=60, limits=limits) as c:
                k = i
                while not self.stop.is_set():
                    path = self.paths[k % len(self.paths)]
                    k += 7
                    t = time.perf_counter()
                    try:
                        r = await c.get(path)
                        if r.status_code != 200:
                            self.errors.append((time.monotonic(), f"{r.status_code} {path}"))
                    except httpx.HTTPError as exc:
                        self.errors.append((time.monotonic(), f"{type(exc).__name__} {path}"))
                    self.samples.append((time.monotonic(), (time.perf_counter() - t) * 1000))

        await asyncio.gather(*(loop(i) for i in range(self.clients)))

    def window(self, start: float, end: float) -> dict:
        ms = [v for t, v in self.samples if start <= t <= end]
        errors = [e for t, e in self.errors if start <= t <= end]
        return {"requests": len(ms), "errors": len(errors), "error_examples": errors[:5],
                "p50_ms": round(_pct(ms, 0.50), 1), "p95_ms": round(_pct(ms, 0.95), 1),
                "max_ms": round(max(ms), 1) if ms else None}


def _disk(db: Path) -> dict:
    files = sorted(f.name for f in snapshots.versions_dir(db).iterdir()) if \
        snapshots.versions_dir(db).is_dir() else []
    return {"bytes": snapshots.disk_usage(db), "snapshots": sum(
        1 for f in files if f.endswith(".duckdb")), "files": files}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--baseline", type=float, default=5)
    args = parser.parse_args()
    from tests.sources.sources_fake import FakeServer

    tmp = Path(tempfile.mkdtemp(prefix="jamlik-bench-live-"))
    db = _sample_db(tmp)
    csv = tmp / "update.csv"
    csv.write_text("indicator,area,period,sex,value\nN01951,2080,2022,T,11111\n",
                   encoding="utf-8")
    env = {"JAMLIK_SYNC_RATE_LIMIT": "0", "XDG_CACHE_HOME": str(tmp / "cache")}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _start_server(db, port)
    paths = urls() + [f"/api/v1/observations?{KEY}"]
    result: dict = {"clients": args.clients, "cpu_count": os.cpu_count(),
                    "store_bytes": snapshots.current(db).stat().st_size}
    peak = {"bytes": 0, "snapshots": 0}
    watching = threading.Event()

    def watch_disk() -> None:
        while not watching.is_set():
            now = _disk(db)
            peak["bytes"] = max(peak["bytes"], now["bytes"])
            peak["snapshots"] = max(peak["snapshots"], now["snapshots"])
            time.sleep(0.02)

    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            for path in paths:
                client.get(path).raise_for_status()
        result["disk_before"] = _disk(db)
        readers = _Readers(base, paths, args.clients)
        readers.thread.start()
        watcher = threading.Thread(target=watch_disk, daemon=True)
        watcher.start()
        t0 = time.monotonic()
        time.sleep(args.baseline)
        t1 = time.monotonic()
        with FakeServer() as fake:
            seconds, _ = _jamlik("import", str(csv), "--db", str(db), env=env)
            import_visible = _until_served(base, 11111.0)
            fake.state.revise("N01951", "2080", 2022, "T", 22222.0, date(2024, 7, 1))
            sync_seconds, _ = _jamlik("sync", "kolada", "--base-url", fake.kolada, "--kpi",
                                      "N01951", "--area", "2080", "--years", "2022", "--db",
                                      str(db), env=env)
            sync_visible = _until_served(base, 22222.0)
        t2 = time.monotonic()
        time.sleep(2)
        readers.stop.set()
        readers.thread.join(120)
        watching.set()
        watcher.join(5)
        deadline = time.monotonic() + 20
        while _disk(db)["snapshots"] > 1 and time.monotonic() < deadline:
            _served(base)
            time.sleep(0.2)
        result.update({
            "baseline": readers.window(t0, t1),
            "during_updates": readers.window(t1, t2 + 2),
            "all": readers.window(t0, t2 + 2),
            "import": {"seconds": round(seconds, 2),
                       "visible_after_exit_s": round(import_visible, 2)},
            "sync": {"seconds": round(sync_seconds, 2),
                     "visible_after_exit_s": round(sync_visible, 2)},
            "disk_peak": peak, "disk_after": _disk(db),
        })
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    b, d = result["baseline"], result["during_updates"]
    print(f"{args.clients} klienter. Före: {b['requests']} anrop, p50 {b['p50_ms']} ms, "
          f"p95 {b['p95_ms']} ms, fel {b['errors']}. Under import+sync: {d['requests']} anrop, "
          f"p50 {d['p50_ms']} ms, p95 {d['p95_ms']} ms, max {d['max_ms']} ms, fel {d['errors']}.")
    print(f"import {result['import']['seconds']} s, synligt {result['import']['visible_after_exit_s']}"
          f" s efter; sync {result['sync']['seconds']} s, synligt "
          f"{result['sync']['visible_after_exit_s']} s efter.")
    mb = 2**20
    print(f"disk: databasen {result['store_bytes'] / mb:.1f} MB; före "
          f"{result['disk_before']['bytes'] / mb:.1f} MB, topp {peak['bytes'] / mb:.1f} MB "
          f"({peak['snapshots']} ögonblicksbilder), efter städning "
          f"{result['disk_after']['bytes'] / mb:.1f} MB ({result['disk_after']['snapshots']}).")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_live_update.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
