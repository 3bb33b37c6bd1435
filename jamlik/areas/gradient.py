"""Indicators by SCB områdestyp: the gradient from typ 1 to typ 5 as an ordered breakdown.

DeSO are grouped by their RegSO's published områdestyp (typ 1 = stora socioekonomiska
utmaningar first, the most disadvantaged, as ``jamlik.stats.sii`` expects); for the DeSO 2025
indicators the type comes through the DeSO 2018 → 2025 key (unchanged areas only). Each type's
value is the population-weighted mean of its DeSO (weights: population 2025). The gradient is
summarised as the difference and the ratio between the most and the least disadvantaged type
present (``jamlik.stats.difference`` / ``ratio``, point estimates). SII/RII
(``jamlik.stats.sii``, dimension ``area_type``) need each type's standard error, which the
shipped DeSO values do not carry, so they are not computed here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jamlik.areas import districts as d
from jamlik.stats import Estimate, difference, ratio
from jamlik.store import Store


@dataclass(frozen=True)
class Gradient:
    area: str
    variable: str
    year: int
    area_type_year: int
    groups: pd.DataFrame  # area_type, deso, population, value
    difference: Estimate | None  # first type present − last type present
    ratio: Estimate | None
    note: str | None


def area_type_gradient(store: Store, area: str, variable: str, *,
                       area_type_year: int | None = None) -> Gradient:
    """The indicator's population-weighted mean per områdestyp over the area's DeSO 2025.

    area: a municipality (2081) or a county (20). Raises ValueError (Swedish) for an unknown
    variable or an area without DeSO 2025 values.
    """
    d._ensure_loaded(store)
    if variable not in d.VALUE_VARIABLES:
        raise ValueError(f"okänd indikator {variable!r} — välj {', '.join(d.VALUE_VARIABLES)}.")
    code = str(area).strip()
    type_year = area_type_year or int(store.scalar(
        "SELECT max(year) FROM district_area_types WHERE kind = 'deso'"))
    frame = store.execute(
        """
        SELECT t.area_type, v.code, p.value AS population, v.value, v.year
        FROM district_values v
        JOIN district_values p ON p.kind = v.kind AND p.vintage = v.vintage AND p.code = v.code
         AND p.variable = 'pop'
        JOIN district_keys k ON k.kind = 'deso' AND k.to_vintage = v.vintage
         AND k.to_code = v.code AND k.from_vintage = 2018 AND k.relation = 'unchanged'
        JOIN district_area_types t ON t.kind = 'deso' AND t.vintage = 2018
         AND t.code = k.from_code AND t.year = ?
        WHERE v.kind = 'deso' AND v.vintage = 2025 AND v.variable = ?
          AND (substr(v.code, 1, 4) = ? OR (length(?) = 2 AND substr(v.code, 1, 2) = ?))
        """,
        [type_year, variable, code, code, code],
    ).df()
    if frame.empty:
        raise ValueError(f"{code}: inga DeSO 2025-värden för {variable} med områdestyp — "
                         "värden finns för Dalarnas kommuner (20xx).")
    frame["weighted"] = frame["value"] * frame["population"]
    groups = frame.groupby("area_type").agg(deso=("code", "size"), population=("population", "sum"),
                                            weighted=("weighted", "sum")).reset_index()
    groups["value"] = groups["weighted"] / groups["population"]
    groups = groups.drop(columns="weighted").sort_values("area_type").reset_index(drop=True)
    diff = rat = None
    note = None
    if len(groups) >= 2:
        first, last = float(groups["value"].iloc[0]), float(groups["value"].iloc[-1])
        diff = difference(first, last)
        rat = ratio(first, last) if last > 0 else None
    else:
        note = "bara en områdestyp finns i området — ingen skillnad kan beräknas."
    return Gradient(code, variable, int(frame["year"].iloc[0]), type_year, groups, diff, rat,
                    note)
