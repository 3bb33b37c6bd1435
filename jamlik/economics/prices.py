"""Price-year conversion with a price index the caller names (e.g. SCB's KPI, 1980 = 100).

jamlik ships no index values yet (the parameter library will, with source and licence); the
function takes the index series so the source is always the caller's and is stated with the result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping


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


__all__ = ["to_price_year"]
