"""Copy the Kolada unit costs the social-investment library uses out of the real Kolada dump.

    .venv/bin/python scripts/kolada_unit_costs.py /work/shared/data/kolada_ddf_full/kolada_observations.parquet

Writes ``jamlik/economics/data/kolada_unit_costs.csv``: for each KPI in ``KPIS`` and ``YEAR``, the
value of Riket and of every municipality (region KPIs: every region), total (T), exactly as the dump
holds it. The dump is open-numbers/ddf--kolada--dump @8501d5c7694b444dbf59d063c5156754e2a9b819
(scraped from the Kolada API, August 2024); the values are Kolada's open data, "Källa: Kolada (RKA)".
Kolada's cost KPIs are in the year's own (current) prices, so the price year is the year.
Run by hand when the dump changes; tests never read the dump.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import duckdb

from jamlik.economics.library import KOLADA_UNIT_COSTS

YEAR = 2022
KPIS = KOLADA_UNIT_COSTS
OUT = Path(__file__).resolve().parents[1] / "jamlik" / "economics" / "data" / "kolada_unit_costs.csv"


def main(dump: str) -> None:
    con = duckdb.connect()
    rows = con.execute(
        "SELECT kpi, geo, value FROM read_parquet(?) WHERE gender = 'T' AND year = ? "
        f"AND kpi IN ({', '.join('?' for _ in KPIS)}) ORDER BY kpi, geo",
        [dump, YEAR, *KPIS]).fetchall()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["kpi", "key", "area", "year", "value"])
        n = 0
        for kpi, geo, value in rows:
            level = KPIS[kpi][4]
            area = "0000" if geo == "0" else geo
            if geo != "0" and (len(geo) == 4) != (level == "kommun"):
                continue
            w.writerow([kpi, KPIS[kpi][0], area, YEAR, repr(float(value))])
            n += 1
    print(f"{OUT}: {n} värden ({len(KPIS)} KPI:er, {YEAR})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else
         "/work/shared/data/kolada_ddf_full/kolada_observations.parquet")
