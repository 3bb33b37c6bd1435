"""SYNTHETIC test data for the analysis tests: tiny stores with made-up values.

Everything here is made up and labelled SYNTETISK; it exercises limits from margins and counts,
suppression and small numbers, which the real sample does not contain.
"""

from __future__ import annotations

import pandas as pd

import jamlik
from jamlik.store import Area, AreaType, DataKind, Indicator, MeasureType, Polarity, Store

MUNICIPALITIES = {"2080": "Falun", "2081": "Borlänge", "2082": "Säter", "2083": "Hedemora",
                  "2084": "Avesta"}


def build_synthetic_store(rows: list[dict], *, indicators: list[Indicator] | None = None) -> Store:
    """An in-memory store with Riket, Dalarna, five municipalities, Falun's similar group
    (Borlänge, Säter, Hedemora) and the given observation rows (SYNTHETIC)."""
    store = jamlik.open(":memory:")
    store.upsert_areas([
        Area("0000", "Riket", AreaType.NATION, None, "0000"),
        Area("20", "Dalarnas län", AreaType.COUNTY, "0000", "0020"),
        *[Area(c, n, AreaType.MUNICIPALITY, "20", c) for c, n in MUNICIPALITIES.items()],
    ])
    store.upsert_area_group("GSYN", "Liknande kommuner socioekonomi, Falun (SYNTETISK)", "similar",
                            ["2081", "2082", "2083"], theme="socioekonomi", owner_area="2080",
                            year=2023, source="syntetisk")
    store.upsert_indicators(indicators or SYNTHETIC_INDICATORS)
    store.upsert_observations(pd.DataFrame(rows), source="SYNTETISK testdata")
    return store


SYNTHETIC_INDICATORS = [
    Indicator("SYN_SURVEY", "SYNTETISK enkätandel", unit="%", measure_type=MeasureType.PROPORTION,
              multiplier=100, polarity=Polarity.LOWER_IS_BETTER, data_kind=DataKind.SURVEY,
              margin_indicator="SYN_SURVEY_M", by_sex=True),
    Indicator("SYN_COUNT", "SYNTETISK andel med täljare", unit="%",
              measure_type=MeasureType.PROPORTION, multiplier=100,
              polarity=Polarity.HIGHER_IS_BETTER, by_sex=True),
    Indicator("SYN_REG", "SYNTETISK registervärde utan osäkerhet", unit="dagar",
              measure_type=MeasureType.MEAN, polarity=Polarity.LOWER_IS_BETTER, by_sex=True),
    Indicator("SYN_NOJ", "SYNTETISK andel utan riktning", unit="%",
              measure_type=MeasureType.PROPORTION, multiplier=100,
              polarity=Polarity.NO_JUDGEMENT),
]


def synthetic_rows() -> list[dict]:
    """SYNTETISKA värden (made-up numbers for tests)."""
    rows: list[dict] = []
    areas = ["0000", "20", *MUNICIPALITIES]
    for year in range(2014, 2023):
        k = year - 2014
        for i, area in enumerate(areas):
            falun = area == "2080"
            # Survey share with a published margin (osäkerhetstal) of ±1 percentage point.
            survey = 20 + 2 * k if falun else 25.0 + i * 0.1
            for sex, shift in (("T", 0.0), ("K", 1.0 + (0.8 * k if falun else 0)), ("M", -1.0)):
                rows.append(dict(indicator="SYN_SURVEY", area=area, period=year, sex=sex,
                                 value=survey + shift))
                rows.append(dict(indicator="SYN_SURVEY_M", area=area, period=year, sex=sex,
                                 value=1.0))
            # Counts: Falun has a rising share from a large base, but only 3 women in 2022.
            den = 1000.0
            num = 300.0 + (20 * k if falun else 0) + i
            rows.append(dict(indicator="SYN_COUNT", area=area, period=year, sex="T",
                             numerator=num, denominator=den, value=num / den * 100))
            w_num = 3.0 if (falun and year == 2022) else 150.0
            rows.append(dict(indicator="SYN_COUNT", area=area, period=year, sex="K",
                             numerator=w_num, denominator=500.0, value=w_num / 500 * 100))
            rows.append(dict(indicator="SYN_COUNT", area=area, period=year, sex="M",
                             numerator=150.0, denominator=500.0, value=30.0))
            # Register value without limits: Falun is the worst (highest, lower is better).
            reg = 30.0 if falun else 10.0 + i
            for sex in ("T", "K", "M"):
                rows.append(dict(indicator="SYN_REG", area=area, period=year, sex=sex, value=reg,
                                 status="preliminary" if year == 2022 else "final"))
            rows.append(dict(indicator="SYN_NOJ", area=area, period=year, sex="T",
                             value=50.0 + i, lower=49.0 + i, upper=51.0 + i))
    return rows

