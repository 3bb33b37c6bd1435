"""Time `import_file` on 100,000 real rows (the bundled Kolada sample) in jamlik's export layout.

Run: .venv/bin/python tests/io/bench_import.py   (not collected by pytest: it takes ~20 s)
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import jamlik
from jamlik.catalog import load_catalog, load_sample
from jamlik.io import import_file

ROWS = 100_000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = jamlik.open(":memory:")
        load_catalog(src)
        load_sample(src)
        obs = src.observations(breakdown="*").head(ROWS).drop(columns=["area_type"])
        csv = Path(tmp) / "kolada_100k.csv"
        # as `jamlik export --decimal-comma` writes it: semicolons, decimal comma, BOM
        obs.to_csv(csv, index=False, sep=";", decimal=",", encoding="utf-8-sig")
        print(f"{len(obs)} rader, {csv.stat().st_size / 1e6:.1f} MB")

        store = jamlik.open(Path(tmp) / "bench.duckdb")
        load_catalog(store)
        for label, kwargs in [("provkörning (tom databas)", {"dry_run": True}),
                              ("import (tom databas)", {}),
                              ("import igen (allt oförändrat)", {})]:
            t = time.perf_counter()
            report = import_file(store, csv, **kwargs)
            print(f"{label}: {time.perf_counter() - t:.2f} s — nya {report.inserted}, "
                  f"reviderade {report.revised}, oförändrade {report.unchanged}, "
                  f"skyddade {report.suppressed}")


if __name__ == "__main__":
    main()
