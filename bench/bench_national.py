"""National scale on one laptop (issue 12): every KPI, every area, with ratios from the same run.

    python bench/bench_national.py --kolada-parquet ../shared/data/kolada_ddf_full/kolada_observations.parquet
    python bench/bench_national.py --kpis 2000 [--years 7]          # synthetic, no real data needed
    nice python bench/bench_national.py --store DIR/national.duckdb --only profiles  # one section

REAL DATA with ``--kolada-parquet``: the open-numbers Kolada dump as one Parquet file (columns
kpi, geo, gender, year, value; 7.4 M values). The project never reads ``../shared`` at run or
test time; only this benchmark reads the path it is given. SYNTHETIC with ``--kpis N``: random
values for N KPIs × 312 areas × ``--years`` years, T for all and K/M for 40 % of the KPIs.

Sections (``--only NAME``, repeatable; default all, in this order; every figure with the load
average; printed, and written to bench/out/bench_national[_NAME].json):
1. ``ingest``: ``Store.upsert_observations_from_parquet`` vs a raw DuckDB ``CREATE TABLE AS`` of
   the same file (``--store`` skips it and uses a store an earlier run built);
2. ``materialise``: the full materialisation, then a 1 % change (1 % of the KPIs revised) and
   the incremental recompute, against the plain aggregate over all areas;
3. ``profiles``: one area (Falun 2080), a county (Dalarna's 15 municipalities) and all 312
   areas read from the materialised results (columns, JSON dicts, ``ProfileRow`` objects) and
   computed (``profile_many``; the per-series reference ``batch=False`` for one area), each
   against a plain DuckDB aggregate over the same rows (count, mean, latest period, OLS slope
   per area × indicator × sex);
4. ``portal`` (uvicorn in its own process, ``portal``): seconds until the first answer on
   ``/``, then ``--clients`` clients over a realistic mix (area pages of every municipality, a
   third of their gap pages and JSON profiles, indicator pages, comparisons, the start page)
   cold (right after start) and warm (the same mix again), against a same-run baseline (the
   same clients on a static file of the same server): p50/p95/p99, errors, the ratio of p95 to
   the baseline's; the server's peak RSS; ``/kommun/2080`` bytes plain and gzipped; Plotly's
   bytes and cache header; the fact sheet PDF for Västerås (1980); ``--compare-with CHECKOUT``
   serves another checkout's portal first on the same store (before/after in one run);
   ``pages``: the uncached render time and bytes of ``/kommun/2080``, ``/kommun/20``,
   ``/skillnader/2080``, ``/indikator/N00957``, ``/api/v1/profiles/2080`` and ``/amne/bakgrund``
   in a fresh portal process each run (``--compare-with CHECKOUT``: that checkout and this one
   take turns, ``--page-runs`` times, best of the runs); ``lists``: the same for every page
   and API list with one row per indicator (``LISTS``: gaps pages, the indicator index, a
   målområde's indicators, the comparison page's picker, the JSON lists);
5. ``factsheet``: Västerås's one-page PDF as a running portal makes it (view, HTML, PDF, the
   route, and the first sheet in a new process: cold, and with the PDF engine made ready as
   a running portal does at start — wall and CPU seconds; no page store) against a raw
   DuckDB read of the same rows, a plain Jinja render and WeasyPrint on one line; the page
   count of the sheets that must stay one page (Mora, Falun, Borlänge, Dalarna, Riket);
6. ``static``: the static site for all 312 areas with every KPI and with the core indicators
   only (a store of the same values for the curated core KPIs, built and materialised apart),
   each against one plain Jinja page per area from a raw read of the stored profile rows
   (``--no-site`` skips it);
7. ``version``: the portal's data-version check (``PortalData.version(blocking=False)``, run on
   the event loop about once a second) per call when nothing changed, against the one-scan
   ``Store.data_fingerprint`` query every check ran before; then on a private writable copy
   (removed afterwards) the same check, and a value written through the store noticed by the
   next check. Run heavy sections ``nice``, one at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import httpx

ROOT = Path(__file__).resolve().parents[1]
DALARNA = ["2080", "2081", "2021", "2023", "2026", "2029", "2031", "2034", "2039", "2061",
           "2062", "2082", "2083", "2084", "2085"]
_CANON = """
    SELECT indicator, area, CAST(period AS INTEGER) AS period,
           CAST(period AS INTEGER) AS period_start, sex, '' AS breakdown_dim,
           '' AS breakdown_cat, CAST(value AS DOUBLE) AS value, NULL::DOUBLE AS numerator,
           NULL::DOUBLE AS denominator, NULL::DOUBLE AS lower, NULL::DOUBLE AS upper,
           'final' AS status, false AS suppressed, NULL::VARCHAR AS suppression_reason,
           NULL::VARCHAR AS note, '{source}' AS source,
           TIMESTAMP '2024-08-01 00:00:00' AS retrieved_at, '' AS subperiod
    FROM ({inner})
"""


def _clock() -> float:
    return time.perf_counter()


def real_parquet(src: Path, out: Path, codes: list[str]) -> int:
    """The dump in jamlik's canonical observation layout (areas the catalogue knows)."""
    con = duckdb.connect()
    con.execute("CREATE TABLE known AS SELECT unnest(?) AS code", [codes])
    inner = (f"SELECT kpi AS indicator, CASE WHEN geo = '0' THEN '0000' ELSE geo END AS area, "
             f"year AS period, gender AS sex, value FROM read_parquet('{src}') "
             "WHERE (CASE WHEN geo = '0' THEN '0000' ELSE geo END) IN (SELECT code FROM known) "
             "AND isfinite(value)")
    con.execute(f"COPY ({_CANON.format(source='Kolada', inner=inner)}) TO '{out}' "
                "(FORMAT parquet, COMPRESSION zstd)")
    return int(con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0])


def synthetic_parquet(out: Path, codes: list[str], kpis: int, years: int) -> int:
    """SYNTHETIC values: random walks per KPI × area × sex, for timing only."""
    con = duckdb.connect()
    con.execute("CREATE TABLE known AS SELECT unnest(?) AS code", [codes])
    inner = f"""
        SELECT 'SYN' || lpad(CAST(k AS VARCHAR), 5, '0') AS indicator, a.code AS area,
               2023 - {years} + y AS period, s.sex,
               round(50 + 20 * sin(k + hash(a.code) % 97) + 0.4 * y * (k % 3 - 1)
                     + 5 * random(), 1) AS value
        FROM range({kpis}) r(k), known a, range({years}) ry(y),
             (VALUES ('T'), ('K'), ('M')) s(sex)
        WHERE s.sex = 'T' OR k % 5 < 2
    """
    con.execute(f"COPY ({_CANON.format(source='SYNTETISK', inner=inner)}) TO '{out}' "
                "(FORMAT parquet, COMPRESSION zstd)")
    return int(con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0])


def _indicators(parquet: Path, have: set[str]) -> list:
    from jamlik.store import Indicator, MeasureType

    ids = [r[0] for r in duckdb.sql(
        f"SELECT DISTINCT indicator FROM read_parquet('{parquet}') ORDER BY 1").fetchall()]
    return [Indicator(id=k, title_sv=f"Nyckeltal {k}", measure_type=MeasureType.INDEX,
                      source="Kolada") for k in ids if k not in have]


def ingest(parquet: Path, folder: Path) -> dict:
    """Raw DuckDB CREATE TABLE AS vs the store's bulk path, into fresh files."""
    import jamlik
    from jamlik.catalog import load_catalog

    raw = duckdb.connect(str(folder / "raw.duckdb"))
    t = _clock()
    raw.execute(f"CREATE TABLE observations AS SELECT * FROM read_parquet('{parquet}')")
    raw_s = _clock() - t
    raw.close()
    store = jamlik.open(folder / "national.duckdb")
    load_catalog(store)
    have = {r[0] for r in store.execute("SELECT id FROM indicators").fetchall()}
    store.upsert_indicators(_indicators(parquet, have))
    t = _clock()
    result = store.upsert_observations_from_parquet(parquet)
    jamlik_s = _clock() - t
    store.close()
    return {"rows": result.inserted, "raw_duckdb_s": round(raw_s, 2),
            "jamlik_s": round(jamlik_s, 2), "ratio": round(jamlik_s / raw_s, 2)}


def _aggregate(store, codes: list[str]) -> float:  # noqa: ANN001 - a Store
    """A plain DuckDB aggregate over the same rows a profile reads."""
    t = _clock()
    store.execute(
        "SELECT area, indicator, sex, count(*), avg(value), max(period), "
        "regr_slope(value, period) FROM observations WHERE area IN (SELECT unnest(?)) "
        "AND breakdown_dim = '' AND subperiod = '' GROUP BY ALL", [codes]).fetchall()
    return _clock() - t


def _load_average() -> list[float]:
    return [round(x, 1) for x in os.getloadavg()]


def _every_area(store) -> list[str]:  # noqa: ANN001 - a Store
    return [r[0] for r in store.execute(
        "SELECT code FROM areas WHERE type IN ('nation', 'county', 'municipality') "
        "ORDER BY code").fetchall()]


def materialise_section(db: Path) -> dict:
    """``--only materialise``: the full materialisation, then a 1 % change (1 % of the KPIs
    revised through the store's bulk path, which CHANGES the store) and the incremental
    recompute; each against the plain aggregate over all areas measured in the same run."""
    import jamlik
    from jamlik.analysis import materialise

    out: dict = {"load_average_before": _load_average()}
    store = jamlik.open(db)
    every = _every_area(store)
    agg = min(_aggregate(store, every) for _ in range(2))
    cpu = _cpu_s()
    t = _clock()
    done = materialise(store, full=True)
    full_s = _clock() - t
    # CPU seconds (DuckDB's threads included): on a shared machine the wall time is mostly
    # waiting for a core, so the CPU seconds are the steadier before/after figure.
    out["full"] = {"seconds": round(full_s, 1), "cpu_s": round(_cpu_s() - cpu, 1),
                   "rows": done.rows, "indicators": done.indicators,
                   "phases_s": getattr(done, "phases", None),
                   "rows_built": getattr(done, "built", None),
                   "aggregate_all_s": round(agg, 3), "ratio": round(full_s / agg, 1),
                   "load_average": _load_average()}
    kpis = [r[0] for r in store.execute(
        "SELECT DISTINCT indicator FROM observations ORDER BY 1").fetchall()]
    changed = random.Random(12).sample(kpis, max(1, len(kpis) // 100))
    change = db.parent / "change.parquet"
    store.execute(
        f"COPY (SELECT * REPLACE (value + 1 AS value, TIMESTAMP '2024-09-01' AS retrieved_at) "
        f"FROM observations WHERE indicator IN (SELECT unnest(?))) TO '{change}' (FORMAT parquet)",
        [changed])
    t = _clock()
    store.upsert_observations_from_parquet(change)
    upsert_s = _clock() - t
    cpu = _cpu_s()
    t = _clock()
    done = materialise(store)
    inc_s = _clock() - t
    out["one_percent"] = {"kpis_changed": len(changed), "recomputed": done.changed,
                          "rows": done.rows, "upsert_s": round(upsert_s, 2),
                          "seconds": round(inc_s, 2), "cpu_s": round(_cpu_s() - cpu, 2),
                          "phases_s": getattr(done, "phases", None),
                          "ratio_to_aggregate_all": round(inc_s / agg, 1),
                          "load_average": _load_average()}
    t = _clock()
    store.close()  # publishes the snapshot the portal reads
    out["publish_s"] = round(_clock() - t, 1)
    return out


def profiles_section(db: Path, reference: bool = True) -> dict:
    """``--only profiles``: one area (Falun 2080), a county (Dalarna's 15 municipalities) and
    all 312 areas, each against a plain DuckDB aggregate over the same rows (best of three,
    same run): read from the materialised results as columns (``read_profile_table``, one
    query), as the JSON contract (``read_profile_dicts``) and as ``ProfileRow`` objects
    (``read_profiles``); computed (``profile_many``, the set-based engine) and by the
    per-series reference (``batch=False``) for one area and the county. Materialises first
    when the stored results are not current."""
    import jamlik
    from jamlik.analysis import (
        materialise,
        profile_many,
        read_profile_dicts,
        read_profile_table,
        read_profiles,
        results_current,
    )

    out: dict = {"load_average_before": _load_average()}
    store = jamlik.open(db, read_only=True)  # a shared store is only read
    if not results_current(store):
        store.close()
        store = jamlik.open(db)
        t = _clock()
        materialise(store)
        out["materialised_first_s"] = round(_clock() - t, 1)
    every = _every_area(store)
    t = _clock()
    results_current(store)
    out["results_current_check_s"] = round(_clock() - t, 3)
    for label, codes in (("one_area_2080", ["2080"]), ("county_dalarna", DALARNA),
                         ("all_areas", every)):
        agg = min(_aggregate(store, codes) for _ in range(3))
        row: dict = {"aggregate_s": round(agg, 4)}
        readers = [("table", read_profile_table), ("dicts", read_profile_dicts)]
        if label != "all_areas":
            readers.append(("rows", read_profiles))
        for name, read in readers:
            t = _clock()
            stored = read(store, codes)  # with the currency check, as a caller does
            seconds = _clock() - t
            assert stored is not None
            row[f"{name}_s"] = round(seconds, 3)
            row[f"{name}_ratio"] = round(seconds / agg, 1)
            if name == "table":
                row["rows"] = stored.num_rows
        if label != "all_areas":
            t = _clock()
            profile_many(store, codes)
            row["computed_s"] = round(_clock() - t, 2)
            row["computed_ratio"] = round(row["computed_s"] / agg, 1)
            if reference and label == "one_area_2080":
                t = _clock()  # the per-series reference for every row (before the engine)
                profile_many(store, codes, batch=False)
                row["reference_s"] = round(_clock() - t, 2)
                row["reference_ratio"] = round(row["reference_s"] / agg, 1)
        row["load_average"] = _load_average()
        out[label] = row
        print(label, json.dumps(row), flush=True)
    store.close()
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _status_mb(pid: int, field: str = "VmHWM") -> float | None:
    """A process's memory from /proc (VmHWM: peak RSS, VmRSS: now) in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return round(int(line.split()[1]) / 1024, 0)
    except OSError:
        return None
    return None


async def _load(base: str, paths: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.monotonic() + seconds

    async def client_loop(i: int) -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits,
                                     headers={"Accept-Encoding": "gzip"}) as client:
            k = i * 13
            while time.monotonic() < stop:
                path = paths[k % len(paths)]
                k += 1
                t = _clock()
                try:
                    # the bytes as sent, not decompressed: the server's latency, not the
                    # client's gzip (50 clients in one Python process on the same cores)
                    async with client.stream("GET", path) as r:
                        async for _ in r.aiter_raw():
                            pass
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {path}")
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__} {path}")
                latencies.append((_clock() - t) * 1000)

    started = _clock()
    await asyncio.gather(*(client_loop(i) for i in range(clients)))
    elapsed = _clock() - started
    return {"requests": len(latencies), "errors": len(errors), "error_examples": errors[:5],
            "seconds": round(elapsed, 1), "requests_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(_pct(latencies, 0.50), 1), "p95_ms": round(_pct(latencies, 0.95), 1),
            "p99_ms": round(_pct(latencies, 0.99), 1),
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None}


def portal_paths(db: Path) -> list[str]:
    """A realistic mix: every municipality's area page, a third of their gap pages and JSON
    profiles, 40 indicator pages, the start page and comparisons (shuffled, fixed seed)."""
    import jamlik

    with jamlik.open(db, read_only=True) as store:
        munis = [r[0] for r in store.execute(
            "SELECT code FROM areas WHERE type = 'municipality' ORDER BY code").fetchall()]
        kpis = [r[0] for r in store.execute(
            "SELECT DISTINCT indicator FROM observations ORDER BY 1 LIMIT 40").fetchall()]
    paths = [f"/kommun/{c}" for c in munis] + [f"/skillnader/{c}" for c in munis[1::3]]
    paths += [f"/api/v1/profiles/{c}" for c in munis[2::3]]
    paths += [f"/indikator/{k}" for k in kpis] + ["/"] * 20
    paths += [f"/jamfor?omraden=2080,20,0000&indikator={k}" for k in kpis[:10]]
    random.Random(7).shuffle(paths)
    return paths


def portal(db: Path, clients: int, seconds: float, checkout: Path | None = None) -> dict:
    """The portal in its own process (``jamlik serve``'s app under uvicorn on 127.0.0.1).

    1. seconds from starting the process until ``/`` answers 200;
    2. COLD: ``clients`` clients over the mix right after that (every page rendered the first
       time by some client), then WARM: the same mix again;
    3. BASELINE in the same run, right after the first answer: the same clients on a static
       file of the same server (``/static/portal.js``): what loopback, uvicorn and the
       machine's load give, so the pages' p95 reads as a ratio to it;
    4. the server's peak RSS (VmHWM) and RSS at the end, the load average before and after.

    checkout: serve another checkout's jamlik (e.g. main before a change, ``--compare-with``)
    on the same store, for a before/after in the same run.
    """
    paths = portal_paths(db)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    code = ("import uvicorn; from jamlik.app import create_app; "
            f"uvicorn.run(create_app({str(db)!r}), host='127.0.0.1', port={port}, "
            "log_level='warning', access_log=False)")
    # one workflow database per checkout: a before checkout may not know the after's migrations
    label = "" if checkout is None else f"-{checkout.resolve().name}"
    env = {**os.environ,
           "JAMLIK_DATABASE_URL": f"sqlite:///{db.parent / f'workflow{label}.sqlite'}"}
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout)
    out: dict = {"clients": clients, "seconds_per_run": seconds, "mix_pages": len(paths),
                 "code": str(checkout or ROOT), "load_average_before": _load_average()}
    started = _clock()
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=checkout or ROOT, env=env)
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                if httpx.get(f"{base}/", timeout=60).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("portalen svarade inte på / inom 600 s")
            time.sleep(0.05)
        out["first_answer_on_start_s"] = round(_clock() - started, 2)
        # the baseline first, while no page is queued: a static file (no store, no render)
        out["baseline_static_file"] = asyncio.run(
            _load(base, ["/static/portal.js"], clients, min(seconds, 10)))
        out["cold"] = asyncio.run(_load(base, paths, clients, seconds))
        out["rss_after_cold_mb"] = _status_mb(proc.pid, "VmRSS")
        out["warm"] = asyncio.run(_load(base, paths, clients, seconds))
        for run in ("cold", "warm"):
            b = out["baseline_static_file"]["p95_ms"]
            out[run]["p95_ratio_to_baseline"] = round(out[run]["p95_ms"] / b, 1) if b else None
        with httpx.Client(base_url=base, timeout=120) as client:
            plain = client.get("/kommun/2080", headers={"Accept-Encoding": "identity"})
            out["kommun_2080_bytes"] = len(plain.content)
            out["kommun_2080_gzip_bytes"] = len(gzip.compress(plain.content, 6))
            out["kommun_2080_rows"] = plain.text.count("<tr")
            bundle = client.get("/static/vendor/plotly.min.js")
            out["plotly_bytes_on_wire"] = int(bundle.headers.get("content-length", 0))
            out["plotly_cache_control"] = bundle.headers.get("cache-control")
            t = _clock()
            pdf = client.get("/faktablad/1980.pdf")
            out["factsheet_1980_pdf_s"] = round(_clock() - t, 2)
            out["factsheet_status"] = pdf.status_code
        out["server_peak_rss_mb"] = _status_mb(proc.pid)
        out["server_rss_end_mb"] = _status_mb(proc.pid, "VmRSS")
        out["load_average_after"] = _load_average()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # busy in its warm-up: do not leave it running
            proc.kill()
            proc.wait(timeout=30)
    return out


def _page_store_files(db: Path) -> list[Path]:
    folder = Path(f"{db}.versions")
    return sorted(folder.glob("*.pages-*")) if folder.is_dir() else []


def prerender(db: Path) -> dict:
    """``jamlik render-pages`` in its own process, from an empty page store (what a running
    portal, or this command after ``jamlik materialise``, does once per data version): seconds,
    pages, the page store's size, the process's peak RSS and CPU seconds."""
    for file in _page_store_files(db):  # this run's store: start from nothing
        file.unlink()
    env = {**os.environ, "JAMLIK_DATABASE_URL": f"sqlite:///{db.parent / 'workflow.sqlite'}"}
    # The peak is VmHWM, not ru_maxrss: ru_maxrss of a child started by vfork/posix_spawn begins
    # at the parent's peak (a bench that has just built every area's dicts reported 7.3 GB).
    code = ("import resource, sys; from jamlik.cli import main; sys.argv = ['jamlik', "
            f"'render-pages', '--db', {str(db)!r}]\ntry:\n    main()\nfinally:\n"
            "    u = resource.getrusage(resource.RUSAGE_SELF)\n"
            "    hwm = [x.split()[1] for x in open('/proc/self/status') if x.startswith('VmHWM:')]\n"
            "    print('RUSAGE', hwm[0], u.ru_utime + u.ru_stime, flush=True)")
    load = _load_average()
    t = _clock()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=7200)
    seconds = _clock() - t
    usage = [line.split() for line in done.stdout.splitlines() if line.startswith("RUSAGE")]
    files = [f for f in _page_store_files(db) if f.name.endswith(".sqlite")]
    out = {"seconds": round(seconds, 1), "returncode": done.returncode,
           "output": done.stdout.strip().splitlines()[:1] or done.stderr.strip()[-300:],
           "page_store_mb": round(sum(f.stat().st_size for f in _page_store_files(db)) / 2**20, 1),
           "load_average_before": load, "load_average_after": _load_average()}
    if files:
        import sqlite3

        with sqlite3.connect(files[0]) as con:
            out["pages"], out["body_mb"] = con.execute(
                "SELECT count(*), round(sum(length(body)) / 1048576.0, 1) FROM pages").fetchone()
    if usage:
        out["peak_rss_mb"] = round(int(usage[0][1]) / 1024)
        out["cpu_s"] = round(float(usage[0][2]), 1)
    return out


def _cpu_of(pid: int) -> float:
    """A process's CPU seconds (user + system) from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _page_count(db: Path) -> int:
    """Pages in the store's page store (0 before it exists)."""
    import sqlite3

    files = [f for f in _page_store_files(db) if f.name.endswith(".sqlite")]
    if not files:
        return 0
    try:
        with contextlib.closing(sqlite3.connect(f"file:{files[0]}?mode=ro", uri=True)) as con:
            return int(con.execute("SELECT count(*) FROM pages").fetchone()[0])
    except sqlite3.OperationalError:  # created but no table yet
        return 0


def serve_prerender(db: Path, seconds_idle: float = 15.0) -> dict:
    """``--only serve-prerender``: a server started on an empty page store pre-renders every
    page itself (what ``jamlik serve`` does after a data change): how long until the page
    store is complete (no new page and the server's CPU idle for ``seconds_idle``), its
    peak RSS meanwhile,
    and a visitor's wait for the start page and an uncached area page during it (one request
    every second, so the pre-render's pause for visitors is measured, not saturated)."""
    for file in _page_store_files(db):
        file.unlink()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    code = ("import uvicorn; from jamlik.app import create_app; "
            f"uvicorn.run(create_app({str(db)!r}), host='127.0.0.1', port={port}, "
            "log_level='warning', access_log=False)")
    env = {**os.environ, "JAMLIK_DATABASE_URL": f"sqlite:///{db.parent / 'workflow.sqlite'}"}
    out: dict = {"load_average_before": _load_average()}
    started = _clock()
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)
    waits: list[float] = []
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            while True:
                try:
                    if client.get("/").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            out["first_answer_s"] = round(_clock() - started, 2)
            munis = [f"/kommun/{c}?lang=en" for c in ("0114", "0180", "1280", "1480", "2480")]
            cpu, count, quiet_since, k = _cpu_of(proc.pid), 0, _clock(), 0
            while _clock() - quiet_since < seconds_idle and _clock() - started < 3600:
                t = _clock()
                client.get("/" if k % 2 == 0 else munis[(k // 2) % len(munis)])
                waits.append((_clock() - t) * 1000)
                k += 1
                time.sleep(1.0)
                now, pages = _cpu_of(proc.pid), _page_count(db)
                # still working: new pages, or CPU beyond what a visitor's page costs
                if pages != count or now - cpu > 0.3:
                    quiet_since = _clock()
                cpu, count = now, pages
        out["prerender_done_s"] = round(quiet_since - started, 1)
        out["server_peak_rss_mb"] = _status_mb(proc.pid)
        out["server_rss_end_mb"] = _status_mb(proc.pid, "VmRSS")
        out["server_cpu_s"] = round(_cpu_of(proc.pid), 1)
        out["visitor_requests"] = len(waits)
        out["visitor_p50_ms"] = round(_pct(waits, 0.50), 1)
        out["visitor_p95_ms"] = round(_pct(waits, 0.95), 1)
        out["visitor_max_ms"] = round(max(waits), 1) if waits else None
        out["pages"] = _page_count(db)
        out["load_average_after"] = _load_average()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
    return out


def portal_section(args: argparse.Namespace, db: Path) -> dict:
    """``--only portal`` (on ``--store``: a store with every KPI, materialised): with
    ``--compare-with CHECKOUT`` that checkout's portal first (e.g. main before a change), then
    this one, one at a time on the same store, so before and after share the run's load.

    This one's pages are pre-rendered first (``prerender``: what happens once per data
    version, when the data change), so its "cold" is a new server process right after a data
    change; ``--no-prerender`` measures it with an empty page store instead (the first
    visitors render every page). The store's folder gets the page store files: use a copy."""
    out: dict = {}
    if args.compare_with is not None:
        out["before"] = portal(db, args.clients, args.seconds, args.compare_with)
        print(json.dumps({"portal_before": out["before"]}, ensure_ascii=False), flush=True)
    if args.no_prerender:
        for file in _page_store_files(db):
            file.unlink()
    else:
        out["prerender"] = prerender(db)
        print(json.dumps({"prerender": out["prerender"]}, ensure_ascii=False), flush=True)
    out.update(portal(db, args.clients, args.seconds))
    return out


# -- pages (issue 12: pages read stored results as columns) ----------------------------------
#: the pages timed by ``--only pages``: (what, the page, a sibling rendered first so the
#: process-wide caches (areas, indicator metadata, decimals and spines) are warm)
PAGES = (("area_2080", "/kommun/2080", "/kommun/2081"),
         ("county_20", "/kommun/20", "/kommun/21"),
         ("gaps_2080", "/skillnader/2080", "/skillnader/2081"),
         ("indicator_N00957", "/indikator/N00957", "/indikator/N00925"),
         ("api_profile_2080", "/api/v1/profiles/2080", "/api/v1/profiles/2081"),
         ("target_area_bakgrund", "/amne/bakgrund", "/amne/halsoutfall"))

#: ``--only lists``: every page and API list with one row per indicator (issue 12, "pages that
#: stay light at 2,000 indicators"), as ``PAGES``: the gaps pages of a municipality, the county
#: and the nation, the indicator index, a målområde's indicators, the JSON lists
LISTS = (("gaps_2080", "/skillnader/2080", "/skillnader/2081"),
         ("gaps_20", "/skillnader/20", "/skillnader/21"),
         ("gaps_0000", "/skillnader/0000", "/skillnader/2082"),
         ("gaps_2080_en", "/skillnader/2080?lang=en", "/skillnader/2083?lang=en"),
         ("indicator_index", "/indikator", "/kommun"),
         ("target_area_bakgrund", "/amne/bakgrund", "/amne/halsoutfall"),
         ("compare", "/jamfor?omraden=2080,20,0000&indikator=N00957",
          "/jamfor?omraden=2081,20,0000&indikator=N00957"),
         ("api_indicators", "/api/v1/indicators", "/api/v1/areas"),
         ("api_profile_2080", "/api/v1/profiles/2080", "/api/v1/profiles/2081"),
         ("api_group_2080", "/api/v1/areas/2080/groups/socioekonomi",
          "/api/v1/areas/2081/groups/socioekonomi"),
         ("api_deviations_2080", "/api/v1/deviations/2080", "/api/v1/deviations/2081"))

_PAGES_WORKER = r"""
import gzip, json, re, sys, time
from starlette.testclient import TestClient
from jamlik.portal._app import create_app
from jamlik.store import Store
db, pages = sys.argv[1], json.loads(sys.argv[2])
t = time.perf_counter()
client = TestClient(create_app(Store(db, read_only=True), cache=False, warm=False))
out = {"first_request_s": None}
def get(path):
    t = time.perf_counter()
    r = client.get(path, headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200, (path, r.status_code)
    return time.perf_counter() - t, r
for name, path, sibling in pages:
    first, _ = get(sibling)
    if out["first_request_s"] is None:
        out["first_request_s"] = round(time.perf_counter() - t, 2)
    uncached, r = get(path)
    again = min(get(path)[0] for _ in range(2))
    body = r.content
    row = {"uncached_s": round(uncached, 3), "cached_data_s": round(again, 3),
           "sibling_s": round(first, 3), "bytes": len(body),
           "gzip_bytes": len(gzip.compress(body, 6))}
    if "html" in r.headers.get("content-type", ""):
        row["inline_specs"] = body.count(b'class="plot-spec"')
        urls = re.findall(rb'data-src="([^"]+)"', body)
        charts = [client.get(u.decode().replace("&amp;", "&"),
                             headers={"Accept-Encoding": "identity"}).content for u in urls]
        row["chart_requests"] = len(charts)
        row["chart_bytes"] = sum(len(c) for c in charts)
        row["chart_gzip_bytes"] = sum(len(gzip.compress(c, 6)) for c in charts)
        row["table_rows"] = body.count(b"<tr")
    out[name] = row
print(json.dumps(out))
"""


def pages_section(db: Path, checkout: Path | None = None, repeat: int = 3,
                  pages: tuple = PAGES) -> dict:
    """``--only pages``: the uncached render time of the pages issue 12 names, each in a fresh
    portal process (``create_app`` without the response cache, TestClient): a sibling page
    first (so only this page's own data is uncached), then the page (``uncached_s``), then the
    page again from warm data caches (``cached_data_s``, best of two); the bytes of each page
    raw and gzipped (level 6) and the chart data it fetches (``data-src``). With
    ``--compare-with CHECKOUT`` that checkout's code (``before``) and this one take turns,
    ``repeat`` times each on the same store in the same run; times are the best of the runs.
    pages: which (``PAGES``; ``LISTS`` for ``--only lists``)."""
    out: dict = {"load_average_before": _load_average(), "runs": repeat}
    runs = [("before", checkout)] if checkout is not None else []
    for _ in range(repeat):  # before and after taking turns: the machine's load hits both
        for label, code in [*runs, ("after", None)]:
            env = dict(os.environ)
            if code is not None:
                env["PYTHONPATH"] = str(code)
            done = subprocess.run([sys.executable, "-c", _PAGES_WORKER, str(db),
                                   json.dumps(pages)], cwd=code or ROOT, env=env, check=True,
                                  capture_output=True, text=True, timeout=1800)
            run = json.loads(done.stdout.strip().splitlines()[-1])
            print(label, json.dumps(run), flush=True)
            if label not in out:
                out[label] = run
                out[label]["code"] = str(code or ROOT)
                continue
            for name, _, _ in pages:  # the best of the runs
                for key in ("uncached_s", "cached_data_s", "sibling_s"):
                    out[label][name][key] = min(out[label][name][key], run[name][key])
        for label in out:
            if isinstance(out[label], dict) and "code" in out[label]:
                out[label]["load_average"] = _load_average()
    if "before" in out:
        out["ratio_after_to_before"] = {
            name: round(out["after"][name]["uncached_s"] / out["before"][name]["uncached_s"], 2)
            for name, _, _ in pages if out["before"][name]["uncached_s"]}
    return out


# -- fact sheet and static site (issue 12 C) --------------------------------------------------
#: the sheets that must stay one A4 page (Mora, Falun, Borlänge, Dalarna, Riket) and the timed one
ONE_PAGE = ("2062", "2080", "2081", "20", "0000")
FACTSHEET_AREA = "1980"  # Västerås


def _raw_sheet_rows(db: Path, code: str, ids: list[str], codes: list[str]) -> float:
    """Baseline: a raw DuckDB read of the rows the sheet shows (the area's stored profile rows,
    its charts' series in the area, county and nation), in its own read-only connection."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        t = _clock()
        con.execute("SELECT * FROM profile_results WHERE area = ? AND sex = 'T'",
                    [code]).fetchall()
        con.execute("SELECT * FROM observations WHERE indicator IN (SELECT unnest(?)) "
                    "AND area IN (SELECT unnest(?))", [ids, codes]).fetchall()
        return _clock() - t
    finally:
        con.close()


def factsheet_section(db: Path) -> dict:
    """``--only factsheet``: Västerås's one-page PDF as a running portal makes it (process-wide
    caches and fonts warm from another area's sheet, the area itself cold): the view (reading),
    the HTML and the PDF, through the app's route as well; against a raw DuckDB read of the
    same rows, a plain Jinja render of the same cards and WeasyPrint on a one-line page. Then
    the page count of the sheets that must stay one page, and the first sheet in a new
    process (imports, fonts and the store's one-scan statistics included)."""
    import io

    from fastapi.testclient import TestClient
    from jinja2 import Template
    from pypdf import PdfReader

    from jamlik.portal import create_app
    from jamlik.portal._links import Links
    from jamlik.portal._render import environment, render_page, render_pdf

    out: dict = {"area": FACTSHEET_AREA, "load_average_start": _load_average()}
    # No page store: the shared store's folder must not be written, and a PDF a page store
    # kept from an earlier run would be no first sheet at all.
    env_vars = {**os.environ, "JAMLIK_PAGE_STORE_MB": "0"}
    first = ("import sys, time; t = time.perf_counter(); c0 = time.process_time(); "
             "from fastapi.testclient import TestClient; from jamlik.portal import create_app; "
             "from jamlik.portal._render import warm_pdf_in_background; "
             f"c = TestClient(create_app({str(db)!r}, warm=False, page_store=False)); "
             "{ready}"
             "t1 = time.perf_counter(); "
             f"r = c.get('/faktablad/{FACTSHEET_AREA}.pdf'); assert r.status_code == 200; "
             "print(round(time.perf_counter() - t, 2), round(time.perf_counter() - t1, 2), "
             "round(time.process_time() - c0, 2))")
    for key, ready in (("new_process", ""),
                       ("new_process_pdf_engine_ready", "warm_pdf_in_background().join(); ")):
        done = subprocess.run([sys.executable, "-c", first.replace("{ready}", ready)], cwd=ROOT,
                              capture_output=True, text=True, check=True, timeout=900,
                              env=env_vars)
        total, route, cpu = (float(x) for x in done.stdout.split()[-3:])  # after any progress
        out[f"{key}_total_s"], out[f"{key}_route_s"], out[f"{key}_cpu_s"] = total, route, cpu
    out["new_process_first_pdf_s"] = out["new_process_total_s"]
    app = create_app(db, warm=False, page_store=False)
    data, views = app.state.data, app.state.views
    env = environment()
    with TestClient(app) as client:
        t = _clock()
        assert client.get("/faktablad/2080.pdf").status_code == 200  # warms the process
        out["warm_up_sheet_2080_s"] = round(_clock() - t, 2)
        t = _clock()
        page = views.factsheet(FACTSHEET_AREA, "sv")
        view_s = _clock() - t
        t = _clock()
        html = render_page(env, page, Links(current=f"/faktablad/{FACTSHEET_AREA}.pdf"), "sv")
        html_s = _clock() - t
        t = _clock()
        pdf = render_pdf(html)
        pdf_s = _clock() - t
        out["view_s"], out["html_s"], out["pdf_s"] = (round(view_s, 3), round(html_s, 3),
                                                      round(pdf_s, 2))
        out["total_s"] = round(view_s + html_s + pdf_s, 2)
        out["pages"] = len(PdfReader(io.BytesIO(pdf)).pages)
        data.forget({"profile_rows", "profile", "deviations", "series_of"})  # cold again
        t = _clock()
        r = client.get(f"/faktablad/{FACTSHEET_AREA}.pdf?lang=en")  # not in the PDF cache
        out["route_pdf_s"] = round(_clock() - t, 2)
        assert r.status_code == 200
        counts = {}
        for area in ONE_PAGE:
            r = client.get(f"/faktablad/{area}.pdf")
            counts[area] = len(PdfReader(io.BytesIO(r.content)).pages)
        out["page_count"] = counts
        out["one_page_holds"] = all(n == 1 for n in counts.values()) and out["pages"] == 1
    ids = [c["id"] for c in page.context["cards"]] + ["medellivslangd"]
    codes = [FACTSHEET_AREA, data.county_of(FACTSHEET_AREA), data.nation()]
    out["baseline_raw_read_s"] = round(min(_raw_sheet_rows(db, FACTSHEET_AREA, ids, codes)
                                           for _ in range(3)), 3)
    plain = Template("<html><body><h1>{{ name }}</h1>{% for c in cards %}<section><h3>"
                     "{{ c.title }}</h3><p>{{ c.value }} ({{ c.period }}) {{ c.county_value }}"
                     " {{ c.nation_value }}</p><p>{{ c.verdict }}</p></section>{% endfor %}"
                     "</body></html>")
    t = _clock()
    plain.render(name=page.context["name"], cards=page.context["cards"])
    out["baseline_plain_jinja_s"] = round(_clock() - t, 4)
    t = _clock()
    render_pdf("<p>jamlik</p>")
    out["baseline_weasyprint_one_line_s"] = round(_clock() - t, 3)
    out["ratio_to_raw_read_plus_one_line_pdf"] = round(
        out["total_s"] / (out["baseline_raw_read_s"] + out["baseline_weasyprint_one_line_s"]), 1)
    out["load_average_end"] = _load_average()
    data.store.close()
    return out


def _per_call_us(call, n: int) -> dict:  # noqa: ANN001 - any callable
    times = []
    for _ in range(n):
        t = _clock()
        call()
        times.append((_clock() - t) * 1e6)
    times.sort()
    return {"calls": n, "median_us": round(statistics.median(times), 1),
            "p95_us": round(times[int(0.95 * (n - 1))], 1), "max_us": round(times[-1], 1)}


def version_section(db: Path) -> dict:
    """``--only version``: what the data-version check costs the event loop (see the module
    docstring), read-only on the store and on a private writable copy of it."""
    from jamlik.portal._data import PortalData
    from jamlik.store import Store

    out: dict = {"load_average_start": _load_average()}
    store = Store(db, read_only=True)
    try:
        data = PortalData(store, check_interval=0, prewarm=False)  # every call checks
        data.version()
        out["fingerprint_query"] = _per_call_us(store.data_fingerprint, 50)
        out["check_read_only"] = _per_call_us(lambda: data.version(blocking=False), 5000)
        cached = PortalData(store, check_interval=1e9, prewarm=False)
        cached.version()
        out["within_interval"] = _per_call_us(lambda: cached.version(blocking=False), 5000)
    finally:
        store.close()
    t = _clock()
    writer = Store(db, private=True)  # a throw-away copy beside the store, removed on close
    out["private_copy_s"] = round(_clock() - t, 2)
    try:
        data = PortalData(writer, check_interval=0, prewarm=False)
        before = data.version()
        out["check_writable"] = _per_call_us(lambda: data.version(blocking=False), 5000)
        obs = writer.observations("N00957", areas=["1980"]).head(1)
        writer.upsert_observations(obs.assign(value=obs["value"] + 1.0))
        t = _clock()
        after = data.version(blocking=False)
        out["check_after_write_ms"] = round((_clock() - t) * 1e3, 2)
        out["write_noticed"] = after != before
        out["check_after_write_again"] = _per_call_us(lambda: data.version(blocking=False), 1000)
    finally:
        writer.close()
    out["ratio_query_to_check"] = round(out["fingerprint_query"]["median_us"]
                                        / out["check_read_only"]["median_us"])
    out["load_average_end"] = _load_average()
    return out


def _core_store(db: Path, folder: Path) -> tuple[Path, dict]:
    """A store with the curated core indicators only (the same values, every area): what a
    region that syncs ``--preset core`` holds; ingested and materialised (timed apart)."""
    import jamlik
    from jamlik.analysis import materialise
    from jamlik.catalog import load_catalog
    from jamlik.sources.kolada import core_kpis

    core = folder / "core"
    shutil.rmtree(core, ignore_errors=True)
    core.mkdir(parents=True)
    with jamlik.open(db, read_only=True) as store:
        ids = core_kpis(store)
        store.execute(f"COPY (SELECT * FROM observations WHERE indicator IN (SELECT unnest(?))) "
                      f"TO '{core / 'core.parquet'}' (FORMAT parquet)", [ids])
    t = _clock()
    store = jamlik.open(core / "core.duckdb")
    load_catalog(store)
    have = {r[0] for r in store.execute("SELECT id FROM indicators").fetchall()}
    store.upsert_indicators(_indicators(core / "core.parquet", have))
    rows = store.upsert_observations_from_parquet(core / "core.parquet").inserted
    materialise(store, full=True)
    kpis = store.scalar("SELECT count(DISTINCT indicator) FROM observations")
    store.close()
    return core / "core.duckdb", {"rows": rows, "kpis": int(kpis),
                                  "ingest_and_materialise_s": round(_clock() - t, 1)}


def _plain_site(db: Path, out: Path) -> float:
    """Baseline: every area's stored profile rows (one raw DuckDB read) as one plain Jinja page
    per area (a row per indicator: value, county, nation, verdict), written to ``out``."""
    from jinja2 import Template

    page = Template("<!doctype html><html lang=sv><meta charset=utf-8><title>{{ code }}</title>"
                    "<table>{% for r in rows %}<tr><td>{{ r[1] }}<td>{{ r[2] }}<td>{{ r[3] }}"
                    "<td>{{ r[4] }}<td>{{ r[5] }}</tr>{% endfor %}</table></html>")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    t = _clock()
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT area, indicator, value, county_value, nation_value, verdict "
                           "FROM profile_results WHERE sex = 'T' ORDER BY area, indicator"
                           ).fetchall()
    finally:
        con.close()
    by_area: dict[str, list] = {}
    for r in rows:
        by_area.setdefault(r[0], []).append(r)
    for code, area_rows in by_area.items():
        (out / f"{code}.html").write_text(page.render(code=code, rows=area_rows),
                                          encoding="utf-8")
    return _clock() - t


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (the site's worker processes)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _site_run(db: Path, out: Path, gzip: bool = False) -> dict:
    """One build; with its CPU seconds (all processes): on a shared machine the wall time is
    mostly waiting for a core, so ``cpu_s`` / 2 is what 2 idle cores would take."""
    from jamlik.portal import build_site

    shutil.rmtree(out, ignore_errors=True)
    cpu = _cpu_s()
    report = build_site(db, out, gzip=gzip)
    cpu = _cpu_s() - cpu
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {"pages": report.pages, "files": report.files, "seconds": round(report.seconds, 1),
            "cpu_s": round(cpu, 1), "megabytes": round(size / 2**20, 1),
            "load_average": _load_average()}


def static_section(db: Path, folder: Path) -> dict:
    """``--only static``: the static site for all 312 areas with every KPI of the store, and
    with the core indicators only; each against the same-run baseline (one plain Jinja page
    per area from a raw read of the stored profile rows, written to disk)."""
    out: dict = {"load_average_start": _load_average()}
    core_db, out["core_store"] = _core_store(db, folder)
    out["core"] = _site_run(core_db, folder / "site-core")
    out["core"]["baseline_plain_s"] = round(_plain_site(core_db, folder / "plain-core"), 2)
    out["core"]["ratio"] = round(out["core"]["seconds"] / out["core"]["baseline_plain_s"], 1)
    out["core"]["goal_30s_holds"] = out["core"]["seconds"] < 30
    out["every_kpi"] = _site_run(db, folder / "site")
    out["every_kpi"]["baseline_plain_s"] = round(_plain_site(db, folder / "plain"), 2)
    out["every_kpi"]["ratio"] = round(out["every_kpi"]["seconds"]
                                      / out["every_kpi"]["baseline_plain_s"], 1)
    out["every_kpi"]["goal_180s_holds"] = out["every_kpi"]["seconds"] < 180
    out["load_average_end"] = _load_average()
    return out


def build_store(args: argparse.Namespace, folder: Path, result: dict) -> Path:
    """``--only ingest``: the national store from the dump or the generator (Parquet in the
    canonical layout, then the store's ingest against a raw DuckDB ``CREATE TABLE AS``)."""
    from jamlik.catalog import areas as catalogue_areas

    frame = catalogue_areas()
    codes = frame.loc[frame["type"].isin(["nation", "county", "municipality"]), "code"].tolist()
    parquet = folder / "observations.parquet"
    result["data"] = ("real Kolada dump" if args.kolada_parquet else
                      f"SYNTHETIC {args.kpis} KPIs × {args.years} years")
    t = _clock()
    result["parquet_rows"] = (real_parquet(args.kolada_parquet, parquet, codes)
                              if args.kolada_parquet else
                              synthetic_parquet(parquet, codes, args.kpis, args.years))
    result["prepare_s"] = round(_clock() - t, 1)
    result["ingest"] = {**ingest(parquet, folder), "load_average": _load_average()}
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return folder / "national.duckdb"


#: Sections in run order: name → (result key, function(args, store path, work folder) → dict).
#: Each developer's part is its own entry, so parts are added without touching the others.
SECTIONS: dict[str, tuple[str, object]] = {
    "materialise": ("materialise", lambda args, db, folder: materialise_section(db)),
    "profiles": ("profiles", lambda args, db, folder: profiles_section(
        db, reference=not args.no_reference)),
    "portal": ("portal", lambda args, db, folder: portal_section(args, db)),
    "pages": ("pages", lambda args, db, folder: pages_section(db, args.compare_with,
                                                              args.page_runs)),
    "lists": ("lists", lambda args, db, folder: pages_section(db, args.compare_with,
                                                              args.page_runs, LISTS)),
    "factsheet": ("factsheet", lambda args, db, folder: factsheet_section(db)),
    "static": ("static_site", lambda args, db, folder: static_section(db, folder)),
    "version": ("version_check", lambda args, db, folder: version_section(db)),
    "serve-prerender": ("serve_prerender", lambda args, db, folder: serve_prerender(db)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument("--kolada-parquet", type=Path, help="the real dump (kpi, geo, gender, year, value)")
    src.add_argument("--kpis", type=int, help="synthetic: this many KPIs")
    src.add_argument("--store", type=Path,
                     help="an existing national store (from an earlier run's --dir): skip ingest")
    parser.add_argument("--years", type=int, default=7, help="synthetic: years per series")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--only", action="append", choices=["ingest", *SECTIONS],
                        help="run only these sections (repeatable); default: all")
    parser.add_argument("--compare-with", type=Path,
                        help="portal: also serve this checkout's jamlik first (e.g. main)")
    parser.add_argument("--page-runs", type=int, default=3,
                        help="pages: fresh processes per checkout (the best is reported)")
    parser.add_argument("--no-portal", action="store_true")
    parser.add_argument("--no-prerender", action="store_true",
                        help="portal: start with an empty page store (no `jamlik render-pages`)")
    parser.add_argument("--no-site", action="store_true")
    parser.add_argument("--no-reference", action="store_true",
                        help="profiles: skip the per-series reference (slow)")
    parser.add_argument("--dir", type=Path, help="work folder (default: a temporary one)")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="jamlik-national-"))
    folder.mkdir(parents=True, exist_ok=True)
    wanted = args.only or ["ingest", *SECTIONS]
    if args.no_portal and "portal" in wanted and not args.only:
        wanted.remove("portal")
    if args.no_site and "static" in wanted and not args.only:
        wanted.remove("static")
    result: dict = {"cpu_count": os.cpu_count(), "sections": wanted,
                    "load_average_start": _load_average()}
    if args.store is not None:
        db = args.store
        result["data"] = f"store {db}"
    elif "ingest" in wanted or args.kolada_parquet or args.kpis:
        db = build_store(args, folder, result)
    for name, (key, run) in SECTIONS.items():
        if name in wanted:
            result[key] = run(args, db, folder)  # type: ignore[operator]
            print(json.dumps({key: result[key]}, ensure_ascii=False), flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if not args.only else "_" + "_".join(args.only)
    (out / f"bench_national{suffix}.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
