"""Load benchmark of the analysis portal, and the static site build time.

    .venv/bin/python bench/bench_portal.py [--db PATH] [--clients 50] [--seconds 15] [--no-site]

1. Serves the portal with uvicorn in a separate process on 127.0.0.1 (a free port).
2. Warms the cache: every URL once (reports that cold latency separately).
3. N concurrent clients (httpx async, one connection each) loop over the page types for the given
   time: start, area profile, indicator (map + bars), compare, gaps, topic, article, fact sheet,
   JSON API. Reports p50/p95/p99 latency, requests/s and errors. Goal: p95 < 100 ms, 0 errors.
4. Builds the static site for all municipalities × all indicators and reports the time
   (goal < 60 s).
Without --db it loads the bundled sample into a temporary store first (~5 s).
Results are printed and written to bench/out/bench_portal.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DALARNA = ["2080", "2081", "2021", "2023", "2026", "2029", "2031", "2034", "2039", "2061",
           "2062", "2082", "2083", "2084", "2085"]


def urls() -> list[str]:
    out = ["/", "/amne/halsoutfall", "/artikel/medellivslangd-dalarna", "/artikel/ohalsotal-kon",
           "/indikator/N00957", "/indikator/U01405", "/indikator/medellivslangd",
           "/jamfor?omraden=2080,2081,20,0000&indikator=N00957",
           "/api/v1/observations?indicator=N00957&areas=2080"]
    for code in DALARNA:
        out += [f"/kommun/{code}", f"/kommun/{code}?farg=rang", f"/skillnader/{code}",
                f"/faktablad/{code}.html", f"/api/v1/profiles/{code}"]
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sample_db(folder: Path) -> Path:
    from jamlik.catalog import load_sample
    from jamlik.store import Store

    path = folder / "sample.duckdb"
    store = Store(path)
    load_sample(store)
    store.close()
    return path


def _start_server(db: Path, port: int) -> subprocess.Popen:
    code = ("import uvicorn; from jamlik.app import create_app; "
            f"uvicorn.run(create_app({str(db)!r}), host='127.0.0.1', port={port}, "
            "log_level='warning', access_log=False)")
    # The steering pages create_app mounts keep their workflow database next to the store.
    env = {**os.environ, "JAMLIK_DATABASE_URL": f"sqlite:///{db.parent / 'workflow.sqlite'}"}
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/portal.css", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("portalen startade inte inom 60 s")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def _warm(base: str, paths: list[str]) -> list[float]:
    out = []
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        for path in paths:
            t = time.perf_counter()
            r = await client.get(path)
            out.append((time.perf_counter() - t) * 1000)
            r.raise_for_status()
    return out


async def _load(base: str, paths: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.monotonic() + seconds

    async def client_loop(i: int) -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
            k = i
            while time.monotonic() < stop:
                path = paths[k % len(paths)]
                k += 7  # clients spread over the page types
                t = time.perf_counter()
                try:
                    r = await client.get(path)
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {path}")
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__} {path}")
                latencies.append((time.perf_counter() - t) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(client_loop(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    return {"requests": len(latencies), "errors": len(errors), "error_examples": errors[:5],
            "seconds": round(elapsed, 1), "requests_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(_pct(latencies, 0.50), 1), "p95_ms": round(_pct(latencies, 0.95), 1),
            "p99_ms": round(_pct(latencies, 0.99), 1),
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--no-site", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="jamlik-bench-"))
    db = args.db or _sample_db(tmp)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _start_server(db, port)
    result: dict = {"clients": args.clients, "cpu_count": os.cpu_count()}
    try:
        paths = urls()
        cold = asyncio.run(_warm(base, paths))
        result["cold_first_request_ms"] = {"p50": round(_pct(cold, 0.5), 1),
                                           "max": round(max(cold), 1), "pages": len(paths)}
        result["load"] = asyncio.run(_load(base, paths, args.clients, args.seconds))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    if not args.no_site:
        from jamlik.portal import build_site

        report = build_site(db, tmp / "site")
        result["static_site"] = {"pages": report.pages, "files": report.files,
                                 "seconds": round(report.seconds, 1)}
    load = result["load"]
    print(f"{args.clients} klienter, {load['requests']} anrop på {load['seconds']} s "
          f"({load['requests_per_s']}/s): p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms, "
          f"p99 {load['p99_ms']} ms, fel {load['errors']}")
    print(f"kall cache (första anropet per sida): p50 {result['cold_first_request_ms']['p50']} ms,"
          f" max {result['cold_first_request_ms']['max']} ms")
    if "static_site" in result:
        site = result["static_site"]
        print(f"statisk webbplats: {site['pages']} sidor, {site['files']} filer på "
              f"{site['seconds']} s")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_portal.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
