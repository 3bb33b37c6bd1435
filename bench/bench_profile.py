"""Profile benchmark: jamlik.analysis profiles on a national-scale store vs a plain DuckDB aggregate.

SYNTHETIC DATA: 290 municipalities, 21 counties and the nation × 60 indicators × 20 years × 3 sexes
(≈ 1.1 million observations) with random values, generated here for timing only. The areas and
RKA "liknande kommuner" groups are the real catalogue (so the similar-group join is realistic).
Indicator mix: 20 proportions with numerator/denominator (Wilson limits, chi-squared trend),
20 with source limits (weighted regression), 20 without limits (Mann–Kendall), 10 of them pooled
4-year periods.

Measures: one municipality; one county (Dalarna, 15 municipalities; goal < 1 s); all 290 with
``profile_many``; their JSON rows (``ProfileRow.to_dict()``, what the portal and the static site
use); and a plain DuckDB aggregate over the same rows (count, mean, latest period and OLS slope
per area × indicator × sex) for the ratio.

``--sample`` times the real bundled Kolada sample instead: ``profile_many`` and ``to_dict`` for
all 312 areas (290 municipalities, 21 counties, the nation), best of ``--repeat`` runs.

    python bench/bench_profile.py [--indicators 60] [--years 20]
    python bench/bench_profile.py --sample [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pandas as pd

import jamlik
from jamlik.analysis import deviations_from_profile, profile, profile_many
from jamlik.catalog import load_catalog
from jamlik.store import DataKind, Indicator, MeasureType, Polarity, Store


def _indicators(n: int) -> list[Indicator]:
    out = []
    for i in range(n):
        kind = i % 3  # 0 counts, 1 source limits, 2 no limits
        pooled = kind == 2 and (i // 3) % 2 == 0
        out.append(Indicator(
            id=f"SYN{i:03d}", title_sv=f"SYNTETISK indikator {i} (bara för prestandatest)",
            unit="%" if kind != 1 else "dagar",
            measure_type=MeasureType.PROPORTION if kind != 1 else MeasureType.MEAN,
            multiplier=100.0 if kind != 1 else 1.0,
            polarity=[Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER,
                      Polarity.NO_JUDGEMENT][i % 5 % 3],
            data_kind=DataKind.SURVEY if pooled else DataKind.REGISTER,
            period_span=4 if pooled else 1, by_sex=True, source="SYNTETISK",
        ))
    return out


def build(path: Path, n_indicators: int, years: int) -> tuple[Store, int]:
    store = jamlik.open(path)
    load_catalog(store)
    store.execute("DELETE FROM indicators")
    store.upsert_indicators(_indicators(n_indicators))
    first = 2023 - years
    parquet = path.with_suffix(".parquet")
    store.execute(
        f"""
        COPY (
          WITH base AS (
            SELECT 'SYN' || lpad(CAST(i AS VARCHAR), 3, '0') AS indicator, i % 3 AS kind,
                   (i % 3 = 2 AND (i // 3) % 2 = 0) AS pooled, a.code AS area,
                   CAST({first} + y AS INTEGER) AS period, ['T', 'K', 'M'][s + 1] AS sex,
                   20 + 30 * random() + 0.3 * y AS v,
                   CASE a.type WHEN 'nation' THEN 5000000 WHEN 'county' THEN 200000
                        ELSE 500 + 20000 * random() END AS n
            FROM range({n_indicators}) r1(i), areas a, range({years}) r3(y), range(3) r4(s)
          )
          SELECT indicator, area, period,
                 CASE WHEN pooled THEN period - 3 ELSE period END AS period_start, sex,
                 '' AS breakdown_dim, '' AS breakdown_cat,
                 CASE WHEN kind = 0 THEN round(n * v / 100) / round(n) * 100 ELSE v END AS value,
                 CASE WHEN kind = 0 THEN round(n * v / 100) END AS numerator,
                 CASE WHEN kind = 0 THEN round(n) END AS denominator,
                 CASE WHEN kind = 1 THEN v - 1.5 END AS lower,
                 CASE WHEN kind = 1 THEN v + 1.5 END AS upper,
                 'final' AS status, false AS suppressed, CAST(NULL AS VARCHAR) AS suppression_reason,
                 CAST(NULL AS VARCHAR) AS note, 'SYNTETISK' AS source,
                 TIMESTAMP '2026-01-01' AS retrieved_at
          FROM base
        ) TO '{parquet}' (FORMAT parquet)
        """
    )
    rows = store.upsert_observations_from_parquet(parquet).inserted
    parquet.unlink()
    store.checkpoint()
    return store, rows


def plain_aggregate(store: Store, codes: list[str]) -> float:
    """The same rows through one DuckDB aggregate (no statistics, no Python per row)."""
    with store.registered("_bench_codes", pd.DataFrame({"code": codes})):
        start = time.perf_counter()
        store.execute(
            "SELECT indicator, area, sex, count(*), avg(value), max(period), "
            "regr_slope(value, period) FROM observations o JOIN _bench_codes c ON c.code = o.area "
            "GROUP BY ALL"
        ).fetchall()
        return time.perf_counter() - start


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def sample(repeat: int) -> dict[str, object]:
    """profile_many and to_dict for every area of the real bundled sample (best of ``repeat``)."""
    from jamlik.catalog import load_sample

    with tempfile.TemporaryDirectory() as tmp:
        store = jamlik.open(Path(tmp) / "sample.duckdb")
        load_sample(store)
        codes = store.areas()["code"].tolist()
        profile(store, "2080")  # warm-up
        runs = []
        for _ in range(repeat):
            t_many, many = _timed(lambda: profile_many(store, codes))
            t_dict, _ = _timed(lambda m=many: [r.to_dict() for v in m.values() for r in v])
            runs.append((t_many, t_dict))
        rows = sum(len(v) for v in many.values())
        store.close()
    best_many, best_dict = min(r[0] for r in runs), min(r[1] for r in runs)
    return {
        "data": "Kolada-urvalet (jamlik.catalog.load_sample)",
        "areas": len(codes),
        "profile_rows": rows,
        "repeat": repeat,
        "profile_many_all_seconds": round(best_many, 2),
        "to_dict_all_seconds": round(best_dict, 3),
        "to_dict_ms_per_area": round(1000 * best_dict / len(codes), 2),
        "runs_seconds": [[round(a, 2), round(b, 3)] for a, b in runs],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--sample", action="store_true",
                        help="time the real bundled sample (all 312 areas) instead")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.sample:
        print(json.dumps(sample(args.repeat), indent=2, ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory() as tmp:
        t_build, (store, rows) = _timed(lambda: build(Path(tmp) / "bench.duckdb",
                                                      args.indicators, args.years))
        munis = store.areas("municipality")["code"].tolist()
        dalarna = store.areas("municipality", parent="20")["code"].tolist()
        profile(store, "2080")  # warm-up (imports, DuckDB caches)
        t_one, rows_one = _timed(lambda: profile(store, "2080"))
        t_county, county = _timed(lambda: profile_many(store, dalarna))
        t_all, everything = _timed(lambda: profile_many(store, munis))
        t_dict, _ = _timed(lambda: [r.to_dict() for v in everything.values() for r in v])
        t_dev, _ = _timed(lambda: [deviations_from_profile(v) for v in everything.values()])
        agg_county = min(plain_aggregate(store, dalarna) for _ in range(3))
        agg_all = min(plain_aggregate(store, munis) for _ in range(3))
        tests = {}
        for prof in everything.values():
            for r in prof:
                tests[r.trend_test or "none"] = tests.get(r.trend_test or "none", 0) + 1
        store.close()
    print(json.dumps({
        "data": "SYNTETISK",
        "observations": rows,
        "indicators": args.indicators,
        "years": args.years,
        "build_seconds": round(t_build, 2),
        "one_municipality_seconds": round(t_one, 3),
        "one_municipality_rows": len(rows_one),  # type: ignore[arg-type]
        "county_municipalities": len(dalarna),
        "county_seconds": round(t_county, 3),
        "county_goal_met": t_county < 1.0,
        "all_290_seconds": round(t_all, 2),
        "per_municipality_ms_all": round(1000 * t_all / len(munis), 1),
        "to_dict_all_290_seconds": round(t_dict, 3),
        "deviations_all_290_from_profiles_seconds": round(t_dev, 3),
        "plain_duckdb_aggregate_county_seconds": round(agg_county, 4),
        "plain_duckdb_aggregate_all_seconds": round(agg_all, 4),
        "ratio_vs_plain_aggregate_county": round(t_county / agg_county, 1),
        "ratio_vs_plain_aggregate_all": round(t_all / agg_all, 1),
        "profile_rows_all": sum(len(v) for v in everything.values()),
        "trend_tests_used": tests,
        "county_rows": sum(len(v) for v in county.values()),  # type: ignore[union-attr]
    }, indent=2))


if __name__ == "__main__":
    main()
