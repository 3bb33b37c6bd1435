"""Cross-table benchmark (issue 15): 10 million persons by DeSO × sex × age band × background.

Generates a synthetic Parquet of 10 000 000 persons (every Swede, one year) in a temporary
folder — never in the repository — with 5 984 DeSO codes, 2 sexes, 17 five-year age bands and
2 backgrounds, then times (median of 3 after a warm-up) the plain DuckDB GROUP BY and ``jamlik.areas.crosstab``
with totals and primary + secondary suppression (threshold 5). Goal: crosstab < 10 s; the
ratio to the plain GROUP BY is printed.

    python bench/bench_crosstab.py [--persons 10000000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import duckdb
from bench_prioritisation import _time  # the same timing loop (bench/ is on sys.path)

from jamlik.areas import crosstab

BY = ["deso", "sex", "age_band", "background"]


def make_people(path: Path, persons: int) -> None:
    con = duckdb.connect()
    con.execute(
        f"""
        COPY (
          SELECT
            '20' || lpad(CAST(hash(i) % 5984 AS VARCHAR), 4, '0') || 'C' AS deso,
            CASE WHEN hash(i + 1) % 2 = 0 THEN 'K' ELSE 'M' END AS sex,
            CAST((hash(i + 2) % 17) * 5 AS VARCHAR) || '-' AS age_band,
            CASE WHEN hash(i + 3) % 4 = 0 THEN 'utländsk' ELSE 'svensk' END AS background
          FROM range({int(persons)}) t(i)
        ) TO '{path}' (FORMAT parquet, COMPRESSION zstd)
        """
    )
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=10_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.parquet"
        start = time.perf_counter()
        make_people(path, args.persons)
        generate = time.perf_counter() - start

        def plain() -> None:
            con = duckdb.connect()
            con.execute(
                f"SELECT {', '.join(BY)}, count(*) AS n FROM read_parquet('{path}') GROUP BY ALL"
            ).df()
            con.close()

        result = crosstab(path, BY)
        t_plain = _time(plain, runs=3)
        t_cross = _time(lambda: crosstab(path, BY), runs=3)
    print(json.dumps({
        "case": "crosstab_deso_sex_age_band_background",
        "persons": args.persons,
        "generate_seconds": round(generate, 2),
        "group_by_seconds": round(t_plain, 3),
        "crosstab_seconds": round(t_cross, 3),
        "ratio": round(t_cross / t_plain, 2),
        "cells_with_totals": len(result.table),
        "primary_suppressed": result.primary,
        "secondary_suppressed": result.secondary,
    }))


if __name__ == "__main__":
    main()
