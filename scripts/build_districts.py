"""Rebuild the shipped DeSO/RegSO reference data in jamlik/areas/data/ from ../shared.

    python scripts/build_districts.py ../shared

Reads (never at run or test time) shared/data/deso_regso/ and shared/data/kolada_ddf_dump/
and writes compact gzip CSVs; jamlik/areas/data/README.md says where each column comes from.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pandas as pd

OUT = Path(__file__).parents[1] / "jamlik" / "areas" / "data"
GZ = {"method": "gzip", "mtime": 0}  # byte-identical rebuilds


def main(shared: Path) -> None:
    dr = shared / "data" / "deso_regso"
    liu = dr / "scb_deso2018_2022_liu_thesis"
    kol = shared / "data" / "kolada_ddf_dump"
    code = r"^\d{4}[ABC]\d{4}$"
    deso = pd.read_csv(kol / "ddf--entities--geo--deso.csv", dtype=str)
    key = pd.read_csv(dr / "scb_regso_omradestyp" / "koppling-deso2018-regso2020.csv", dtype=str,
                      encoding="utf-8-sig")
    key = key.rename(columns={"DeSO_2018": "deso", "RegSOkod_2020": "regso"})[["deso", "regso"]]
    frame = deso[["deso", "name", "kommun", "deso_type"]].rename(columns={"kommun": "municipality"})
    frame = frame.merge(key, on="deso", how="left", validate="one_to_one")
    assert frame["regso"].notna().all()
    bg = pd.read_csv(liu / "foreignborn_demographics_deso.csv", dtype={"deso": str})
    frame = frame.merge(bg.rename(columns={"total": "population", "foreign": "foreign_background",
                                           "swedish": "swedish_background"}), on="deso",
                        validate="one_to_one")
    edu = pd.read_csv(liu / "education_demographics_deso.csv", dtype={"deso": str}).rename(columns={
        "middle_school": "edu_forgymnasial", "gymnasium": "edu_gymnasial",
        "post_gymnasium_less_than_3": "edu_post_lt3", "post_gymnasium_more_than_3": "edu_post_ge3",
        "education_missing": "edu_missing"})
    frame = frame.merge(edu, on="deso", validate="one_to_one")
    inc = pd.read_csv(liu / "income_demographics_deso.csv", dtype=str).iloc[:, :3]
    inc.columns = ["deso", "median_income_tkr", "income_persons"]
    inc = inc[inc["deso"].str.match(code, na=False)]
    frame = frame.merge(inc, on="deso", validate="one_to_one")
    assert len(frame) == 5984 and frame["population"].sum() == 10_521_556
    OUT.mkdir(parents=True, exist_ok=True)
    frame.sort_values("deso").to_csv(OUT / "deso2018.csv.gz", index=False, compression=GZ)

    regso = pd.read_csv(dr / "scb_regso_omradestyp" / "regso_omradestyp_2022_2023_derived.csv",
                        dtype=str)
    regso = regso.rename(columns={"regso_code": "regso", "kommun_code": "municipality",
                                  "regso_name": "name"})
    regso = regso[["regso", "name", "municipality", "omradestyp_2022", "omradestyp_2023"]]
    assert len(regso) == 3363 and set(frame["regso"]) == set(regso["regso"])
    regso.sort_values("regso").to_csv(OUT / "regso2020.csv.gz", index=False, compression=GZ)

    d25 = pd.read_csv(dr / "am_dashboard_se_dalarna_deso2025" / "deso2025_dalarna_stats_derived.csv",
                      dtype={"deso_code": str, "regso_code": str, "kommun_code": str})
    d25 = d25.rename(columns={"deso_code": "deso", "regso_code": "regso",
                              "kommun_code": "municipality"})
    cols = ["deso", "regso", "municipality", "pop", "foreign", "low_econ", "unemp", "income_med",
            "higher_ed", "renters"]
    d25 = d25[cols].sort_values("deso")
    assert len(d25) == 175
    d25.to_csv(OUT / "deso2025_dalarna.csv.gz", index=False, compression=GZ)

    geo = json.loads((dr / "am_dashboard_se_dalarna_deso2025" / "deso2025_dalarna_derived.geojson")
                     .read_text(encoding="utf-8"))
    features = [{"type": "Feature",
                 "properties": {"code": f["properties"]["deso_code"],
                                "regso": f["properties"]["regso_code"],
                                "municipality": f["properties"]["kommun_code"]},
                 "geometry": f["geometry"]} for f in geo["features"]]
    assert len(features) == 175
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    (OUT / "deso2025_dalarna.geojson.gz").write_bytes(gzip.compress(text.encode(), mtime=0))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared"))
