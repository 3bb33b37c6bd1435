"""Security and denial-of-service checks of the portal, on loopback, each bounded in time.

    .venv/bin/python bench/bench_security.py body   [--fields 990 --field-kb 1000] [--chunked]
    .venv/bin/python bench/bench_security.py cachebust [--clients 5 --seconds 10]
    .venv/bin/python bench/bench_security.py report [--clients 10 --seconds 10]
    .venv/bin/python bench/bench_security.py cold   [--clients 10]
    common: [--db PATH] [--code DIR]   (--code: run the server from another checkout, e.g. main,
                                        for a before/after comparison)

body       one sign-in form of FIELDS × FIELD_KB KB to /styrning/logga-in (streamed by the
           client, never held in its memory); the server's RSS before and after (issue 9:
           629 → 1,546 MB without a body limit). Goal: 413 and RSS growth < 50 MB.
cachebust  5 clients ask for area pages with a unique ?nocache= each time; p50/p95.
           Goal: p95 like the warm cache (the parameter is not part of the cache key).
report     10 clients fetch the public steering report PDF; requests/s and p50, and how
           many got 429 (the per-client limit). Goal: one render per data version.
cold       a fresh server, then CLIENTS clients at once on different pages; the slowest first
           answer. Goal: no request waits for a cold cache for more than a few seconds.
Results are printed and written to bench/out/bench_security_<check>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_portal import DALARNA, _free_port, _pct, _sample_db  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _serve(db: Path, port: int, code_dir: Path | None, env_extra: dict | None = None,
           warm: bool = True) -> tuple[subprocess.Popen, float]:
    """The portal in its own process; returns it and the seconds until it answered."""
    code = ("import uvicorn; from jamlik.app import create_app; "
            f"uvicorn.run(create_app({str(db)!r}), host='127.0.0.1', port={port}, "
            "log_level='warning', access_log=False)")
    env = {**os.environ, "JAMLIK_DATABASE_URL": f"sqlite:///{db.parent / 'workflow.sqlite'}",
           **(env_extra or {})}
    if code_dir is not None:
        env["PYTHONPATH"] = str(code_dir)
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=code_dir or ROOT, env=env)
    deadline = started + 90
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/portal.css", timeout=1)
            return proc, time.monotonic() - started
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("portalen startade inte inom 90 s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _settled_rss(pid: int, limit_s: float = 60) -> float:
    last = _rss_mb(pid)
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        time.sleep(1.5)
        now = _rss_mb(pid)
        if abs(now - last) < 2:
            return now
        last = now
    return last


# -- body ---------------------------------------------------------------------------------------
def check_body(base: str, proc: subprocess.Popen, args: argparse.Namespace) -> dict:
    field = b"a" * (args.field_kb * 1000)
    fields = args.fields
    parts = [f"f{i}=".encode() for i in range(fields)]
    total = sum(len(p) + len(field) + 1 for p in parts) - 1

    def body():
        for i, prefix in enumerate(parts):
            yield (b"&" if i else b"") + prefix
            yield field

    before = _settled_rss(proc.pid)  # after the start-up warm-up has filled its caches
    headers = {"content-type": "application/x-www-form-urlencoded"}
    if not args.chunked:
        headers["content-length"] = str(total)
    t = time.perf_counter()
    status: object
    try:
        r = httpx.post(f"{base}/styrning/logga-in", content=body(), headers=headers, timeout=300)
        status = r.status_code
    except httpx.HTTPError as exc:  # the server may close the connection mid-upload
        status = type(exc).__name__
    seconds = time.perf_counter() - t
    time.sleep(0.5)
    after = _rss_mb(proc.pid)
    return {"fields": fields, "field_kb": args.field_kb, "body_mb": round(total / 1e6, 1),
            "chunked": args.chunked, "status": status, "seconds": round(seconds, 2),
            "rss_before_mb": round(before), "rss_after_mb": round(after),
            "rss_growth_mb": round(after - before)}


# -- cache busting ------------------------------------------------------------------------------
async def _clients(base: str, make_path, clients: int, seconds: float) -> dict:  # noqa: ANN001
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    stop = time.monotonic() + seconds

    async def loop(i: int) -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
            k = 0
            while time.monotonic() < stop:
                path = make_path(i, k)
                k += 1
                t = time.perf_counter()
                try:
                    r = await client.get(path)
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                except httpx.HTTPError as exc:
                    errors.append(type(exc).__name__)
                latencies.append((time.perf_counter() - t) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(loop(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    return {"clients": clients, "requests": len(latencies), "statuses": statuses,
            "errors": len(errors), "seconds": round(elapsed, 1),
            "requests_per_s": round(len(latencies) / elapsed, 2),
            "p50_ms": round(_pct(latencies, 0.5), 1), "p95_ms": round(_pct(latencies, 0.95), 1),
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None}


def check_cachebust(base: str, proc: subprocess.Popen, args: argparse.Namespace) -> dict:
    for code in DALARNA:  # warm the normal cache first: only the parameter is new
        httpx.get(f"{base}/kommun/{code}", timeout=120)
    counter = iter(range(10**9))

    def path(i: int, k: int) -> str:
        return f"/kommun/{DALARNA[(i + k) % len(DALARNA)]}?nocache={next(counter)}"

    out = asyncio.run(_clients(base, path, args.clients, args.seconds))
    out["rss_after_mb"] = round(_rss_mb(proc.pid))
    return out


# -- steering report ------------------------------------------------------------------------------
def _seed_plan(db: Path) -> None:
    env = {**os.environ, "JAMLIK_DATABASE_URL": f"sqlite:///{db.parent / 'workflow.sqlite'}"}
    subprocess.run([sys.executable, "-c", "from jamlik.cli import main; main()", "plan", "import",
                    str(ROOT / "jamlik/steering/examples/falun_plan.toml"), "--db", str(db)],
                   env=env, check=True, capture_output=True)


def check_report(base: str, proc: subprocess.Popen, args: argparse.Namespace) -> dict:
    url = "/styrning/2080/rapport/2022.pdf"
    t = time.perf_counter()
    first = httpx.get(f"{base}{url}", timeout=120)
    first_ms = (time.perf_counter() - t) * 1000
    out = asyncio.run(_clients(base, lambda i, k: url, args.clients, args.seconds))
    out["first_status"] = first.status_code
    out["first_ms"] = round(first_ms)
    return out


# -- cold start ---------------------------------------------------------------------------------
def check_cold(base: str, proc: subprocess.Popen, args: argparse.Namespace) -> dict:
    paths = ["/", "/kommun/2080", "/indikator/N00957", "/skillnader/2080",
             "/jamfor?omraden=2080,2081,20,0000&indikator=N00957", "/kommun/2081",
             "/faktablad/2080.html", "/api/v1/profiles/2080", "/amne/halsoutfall",
             "/kommun/2021", "/indikator/U01405", "/styrning/2080/uppfoljning/2022"]
    paths = [paths[i % len(paths)] for i in range(args.clients)]

    async def one(path: str) -> tuple[str, float, int]:
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:
            t = time.perf_counter()
            r = await client.get(path)
            return path, (time.perf_counter() - t) * 1000, r.status_code

    async def all_at_once() -> list:
        return await asyncio.gather(*(one(p) for p in paths))

    results = asyncio.run(all_at_once())
    ms = [r[1] for r in results]
    return {"clients": len(paths), "max_ms": round(max(ms)), "p50_ms": round(_pct(ms, 0.5)),
            "slowest": max(results, key=lambda r: r[1])[0],
            "statuses": sorted({r[2] for r in results})}


CHECKS = {"body": check_body, "cachebust": check_cachebust, "report": check_report,
          "cold": check_cold}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("check", choices=sorted(CHECKS))
    parser.add_argument("--db", type=Path)
    parser.add_argument("--code", type=Path, help="checkout to run the server from")
    parser.add_argument("--fields", type=int, default=990)
    parser.add_argument("--field-kb", type=int, default=1000)
    parser.add_argument("--chunked", action="store_true")
    parser.add_argument("--clients", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    args.clients = args.clients or {"cachebust": 5, "report": 10, "cold": 10}.get(args.check, 1)
    tmp = Path(tempfile.mkdtemp(prefix="jamlik-bench-sec-"))
    db = args.db or _sample_db(tmp)
    if args.check == "report":
        _seed_plan(db)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc, startup_s = _serve(db, port, args.code)
    try:
        result = CHECKS[args.check](base, proc, args)
    finally:
        _stop(proc)
    result = {"check": args.check, "code": str(args.code or ROOT), "startup_s":
              round(startup_s, 1), **result}
    print(json.dumps(result, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    suffix = "_main" if args.code else ""
    (out / f"bench_security_{args.check}{suffix}.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
