"""Price-year conversion with a documented price index.

jamlik ships SCB's KPI (konsumentprisindex, fastställda tal, 1980 = 100), annual means
2006–2023 (``kpi()``, data/kpi.csv with the twelve monthly values beside each mean, so a
transcription error shows: each mean equals the mean of its months to ±0.01). Any other
index (e.g. SKR's cost index for municipal costs) can be passed to ``to_price_year``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

#: Where the shipped index comes from (shown with every converted amount).
KPI_SOURCE = ("SCB, Konsumentprisindex (KPI), fastställda tal, 1980 = 100, årsmedeltal "
              "(scb.se, tabell 'KPI, fastställda tal'); öppna data, fri att återanvända med "
              "angivande av källa")


@lru_cache(maxsize=1)
def _kpi_table() -> tuple[tuple[int, tuple[float, ...], float], ...]:
    path = resources.files("jamlik.economics") / "data" / "kpi.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    months = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    return tuple((int(r["year"]), tuple(float(r[m]) for m in months), float(r["annual_mean"]))
                 for r in rows)


def kpi() -> dict[int, float]:
    """SCB's KPI annual means (1980 = 100), 2006–2023: year -> index (``KPI_SOURCE``)."""
    return {year: mean for year, _, mean in _kpi_table()}


def kpi_months() -> dict[int, tuple[float, ...]]:
    """The twelve monthly KPI values behind each annual mean (for checking the file)."""
    return {year: months for year, months, _ in _kpi_table()}


def to_price_year(
    amount: float, from_year: int, to_year: int, index: Mapping[int, float]
) -> float:
    """amount in from_year's prices → to_year's prices: amount · I(to_year) / I(from_year).

    index: year → index value (any base year, e.g. KPI årsmedeltal 1980 = 100, or the
    regional/municipal cost index SKR publishes). Reference: HM Treasury (2022), The Green Book
    (real prices: nominal amounts rebased with a general price index). Raises ValueError (Swedish) for a year missing
    from the index, a non-positive or non-finite index value, or a non-finite amount.
    """
    if not isinstance(amount, (int, float)) or isinstance(amount, bool) or not math.isfinite(amount):
        raise ValueError(f"beloppet {amount!r} är inte ett ändligt tal.")
    for year in (from_year, to_year):
        if year not in index:
            have = f"{min(index)}–{max(index)}" if index else "inga år"
            raise ValueError(
                f"prisindexet saknar år {year} (har {have}) — välj ett år som finns i indexet."
            )
        value = index[year]
        if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
            raise ValueError(f"prisindexet för år {year} är {value!r} — ett index måste vara > 0.")
    return float(amount) * float(index[to_year]) / float(index[from_year])


__all__ = ["KPI_SOURCE", "kpi", "kpi_months", "to_price_year"]
