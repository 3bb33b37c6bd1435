"""Indicators by SCB områdestyp: the gradient from typ 1 to typ 5 as an ordered breakdown.

DeSO are grouped by their RegSO's published områdestyp (typ 1 = stora socioekonomiska
utmaningar first, the most disadvantaged, as ``jamlik.stats.sii`` expects); for the DeSO 2025
indicators the type comes through the DeSO 2018 → 2025 key (unchanged areas only). Each type's
value is the population-weighted mean of its DeSO (weights: population 2025). The gradient is
summarised as the difference and the ratio between the most and the least disadvantaged type
present (``jamlik.stats.difference`` / ``ratio``) and, over all types, the SII/RII
(``jamlik.stats.sii``, dimension ``area_type``).

Limits (``LIMITED``: the shares of persons): each type's share p is treated as a binomial
proportion x/n with n = the type's population (``pop`` 2025) and x = Σ pᵢ·popᵢ — Wilson
limits (``jamlik.stats.proportion_ci``). They express random variation only ("the same
structure, another year"), and n is the whole population, not the age group an indicator
counts (20–64 for unemployment, 25–65 for education), so they are somewhat too narrow: an
approximation, said so on the page. The difference and ratio take their SEs from those
limits; the SII/RII are simulated from them (PHE's method, fixed seed). The median income,
the population and the share of rented dwellings (a share of dwellings, not of persons) get
no limits.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jamlik.areas import districts as d
from jamlik.stats import Estimate, SIIResult, difference, proportion_ci, ratio, sii
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
    sii: SIIResult | None = None  # over all types present, typ 1 first (limits when LIMITED)
    limits_note: str | None = None


#: the DeSO 2025 indicators that are shares of persons and get (approximate) binomial limits
LIMITED = ("foreign", "low_econ", "unemp", "higher_ed")
Z95 = 1.959963984540054


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
    limited = variable in LIMITED
    lower: list[float | None] = []
    upper: list[float | None] = []
    for r in groups.itertuples():
        if limited:
            share = min(max(float(r.value) / 100, 0.0), 1.0)
            est = proportion_ci(share * float(r.population), float(r.population), multiplier=100)
            lower.append(est.lower)
            upper.append(est.upper)
        else:
            lower.append(None)
            upper.append(None)
    groups["lower"] = pd.array(lower, dtype="Float64")
    groups["upper"] = pd.array(upper, dtype="Float64")
    lows = [x for x in lower if x is not None]
    highs = [x for x in upper if x is not None]
    se = ([(u - lo) / (2 * Z95) for lo, u in zip(lows, highs, strict=True)]
          if limited else None)
    diff = rat = None
    slope = None
    note = None
    if len(groups) >= 2:
        first, last = float(groups["value"].iloc[0]), float(groups["value"].iloc[-1])
        se_first = se[0] if se else None
        se_last = se[-1] if se else None
        diff = difference(first, last, se_first, se_last)
        rat = ratio(first, last, se_first, se_last) if last > 0 and first > 0 else None
        if limited and (groups["value"] > 0).all() and (groups["value"] < 100).all():
            # on the logit scale (proportions), so the fitted line stays within 0–100 %
            slope = sii(groups["value"].to_numpy(float) / 100,
                        groups["population"].to_numpy(float),
                        lower=[x / 100 for x in lows],
                        upper=[x / 100 for x in highs], value_type=2, transform=True,
                        multiplier=100, repetitions=20_000, seed=15, dimension="area_type")
    else:
        note = "bara en områdestyp finns i området — ingen skillnad kan beräknas."
    limits_note = (
        "Ungefärliga 95 %-gränser för slumpvariation: andelen behandlas som binomial med hela "
        "befolkningen i områdestypen som nämnare (inte åldersgruppen), så gränserna är något "
        "för smala." if limited else
        "Inga gränser: värdet är en median, ett antal eller en andel av bostäderna, inte av "
        "personer."
    )
    return Gradient(code, variable, int(frame["year"].iloc[0]), type_year, groups, diff, rat,
                    note, slope, limits_note)
