"""Build jamlik/data/sample/scb_mortality.parquet from SCB's deaths and mean population.

One-off, offline conversion (no network): reads the two SCB Statistikdatabasen exports kept in
scripts/data/scb_mortality/ (provenance in its README.md) and writes the store's long format:

- SCB_DODA            deaths by single year of age (0 … 100+, age reached during the year), sex
                      and year (SCB BE0101D9, "Döda efter region, ålder och kön")
- SCB_MEDELFOLKMANGD  mean population by the same ages (SCB BE0101A5, "Medelfolkmängd")

for Riket (area "0000"), women (K) and men (M), the years both tables cover (2006–2020), with the
age as breakdown (``breakdown_dim = "age"``, category "0" … "99", "100+"). Values are copied
unchanged. Usage: .venv/bin/python scripts/build_scb_mortality.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "scripts" / "data" / "scb_mortality"
OUT = ROOT / "jamlik" / "data" / "sample" / "scb_mortality.parquet"
FILES = {"SCB_DODA": "BE0101D9_20210304-130831.csv",
         "SCB_MEDELFOLKMANGD": "BE0101A5_20210304-132026.csv"}
SEXES = {"men": "M", "women": "K"}


def _read(indicator: str, name: str) -> pd.DataFrame:
    with open(RAW / name, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[2]
    if header[:3] != ["region", "age", "sex"]:
        raise SystemExit(f"{name}: unexpected header {header[:3]}")
    years = [int(y) for y in header[3:]]
    out = []
    for r in rows[3:]:
        if not r:
            continue
        region, age, sex = r[0], r[1], r[2]
        if region != "00 Sweden":
            raise SystemExit(f"{name}: unexpected region {region!r}")
        category = age.split()[0]  # "0 years" -> "0", "1 year" -> "1", "100+ years" -> "100+"
        for year, value in zip(years, r[3:], strict=True):
            out.append((indicator, "0000", year, year, SEXES[sex], "age", category, float(value)))
    return pd.DataFrame(out, columns=["indicator", "area", "period", "period_start", "sex",
                                      "breakdown_dim", "breakdown_cat", "value"])


def main() -> None:
    frames = [_read(ind, name) for ind, name in FILES.items()]
    common = set(frames[0].period) & set(frames[1].period)
    frame = pd.concat(frames, ignore_index=True)
    frame = frame[frame.period.isin(common)].sort_values(
        ["indicator", "area", "period", "sex", "breakdown_cat"]).reset_index(drop=True)
    for col in ("period", "period_start"):
        frame[col] = frame[col].astype("int32")
    frame.to_parquet(OUT, compression="zstd", index=False)
    print(f"{OUT.relative_to(ROOT)}: {len(frame)} rows, years {min(common)}–{max(common)}")


if __name__ == "__main__":
    main()
