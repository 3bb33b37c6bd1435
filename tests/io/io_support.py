"""Test data for the import tests: five real areas, two indicators, a store checksum."""

from __future__ import annotations

from pathlib import Path

from jamlik.store import Area, AreaType, Indicator, MeasureType, Polarity, Store

DATA = Path(__file__).parent / "data"

# SCB codes and Kolada codes of the areas (SCB kommunkoder och länskoder 2025)
AREAS = [
    Area("0000", "Riket", AreaType.NATION, None, "0000"),
    Area("20", "Dalarnas län", AreaType.COUNTY, "0000", "0020"),
    Area("2080", "Falun", AreaType.MUNICIPALITY, "20", "2080"),
    Area("2062", "Mora", AreaType.MUNICIPALITY, "20", "2062"),
    Area("2081", "Borlänge", AreaType.MUNICIPALITY, "20", "2081"),
]
INDICATOR = Indicator(
    "N00001", "Andel med gott hälsotillstånd", unit="andel",
    measure_type=MeasureType.PROPORTION, polarity=Polarity.HIGHER_IS_BETTER,
)
POOLED = Indicator(
    "S00004", "Andel som röker dagligen", unit="procent", measure_type=MeasureType.PROPORTION,
    polarity=Polarity.LOWER_IS_BETTER, period_span=4,
)


def snapshot(store: Store) -> tuple:
    """Counts of every table plus an order-independent checksum of all observations."""
    checksum = store.sql(
        "SELECT count(*) AS n, coalesce(bit_xor(hash(o)), 0) AS h FROM observations o"
    ).iloc[0]
    logs = store.sql("SELECT count(*) AS n FROM import_log")["n"].iat[0]
    return (tuple(sorted(store.counts().items())), int(checksum["n"]), int(checksum["h"]),
            int(logs))
