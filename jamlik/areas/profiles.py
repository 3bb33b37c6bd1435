"""District profiles: one DeSO compared with its municipality, its county and the nation.

Two sources, each with its own year and vintage, never mixed:

- the DeSO 2025 indicators (Dalarna, ``districts.VALUE_VARIABLES``): a municipality's or the
  county's value is the population-weighted mean of its DeSO 2025 values (weights ``pop``
  2025) — exact for a share of the whole population, an approximation for a share of an age
  group (unemployment 20–64, education 25–65). The median income has no aggregate: a median
  cannot be computed from the areas' medians. The nation has no value here: the shipped DeSO
  2025 values cover Dalarna only.
- the national DeSO 2018 counts (2022, ``districts.COUNT_VARIABLES``): shares computed from the
  summed counts, exact at every level (DeSO, municipality, county, nation). A DeSO 2025 gets
  them only through the 2018 → 2025 key when it is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jamlik.areas import districts as d
from jamlik.store import Store

#: shares from the 2022 counts: name → (numerator variables, denominator variables, sv, en)
COUNT_SHARES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str, str]] = {
    "foreign_background": (("foreign_background",), ("population",),
                           "utländsk bakgrund, %", "foreign background, %"),
    "edu_forgymnasial": (("edu_forgymnasial",),
                         ("edu_forgymnasial", "edu_gymnasial", "edu_post_lt3", "edu_post_ge3"),
                         "förgymnasial utbildning, % (med känd utbildning)",
                         "pre-upper-secondary education only, % (of known)"),
    "edu_post": (("edu_post_lt3", "edu_post_ge3"),
                 ("edu_forgymnasial", "edu_gymnasial", "edu_post_lt3", "edu_post_ge3"),
                 "eftergymnasial utbildning, % (med känd utbildning)",
                 "post-secondary education, % (of known)"),
}
#: DeSO 2025 values that are not shares of persons: no weighted aggregate
NO_AGGREGATE = {"income_med": "en median kan inte räknas fram ur områdenas medianer"}


@dataclass(frozen=True)
class ProfileRow:
    variable: str
    label_sv: str
    label_en: str
    year: int
    vintage: int  # the DeSO vintage the values are of
    district: float | None
    municipality: float | None
    county: float | None
    nation: float | None
    note: str | None = None


@dataclass(frozen=True)
class DistrictProfile:
    code: str
    name: str
    kind: str
    vintage: int
    municipality: str
    county: str
    regso: str | None
    area_type: int | None
    area_type_year: int | None
    rows: list[ProfileRow]


def _weighted(frame: pd.DataFrame, variable: str, prefix: str) -> float | None:
    part = frame[frame["code"].str.startswith(prefix)]
    values = part[variable]
    ok = values.notna() & part["pop"].notna()
    if not ok.any():
        return None
    weights = part.loc[ok, "pop"]
    return float((values[ok] * weights).sum() / weights.sum())


def _values_2025(store: Store) -> pd.DataFrame:
    frame = store.execute(
        "SELECT code, variable, value FROM district_values WHERE kind = 'deso' AND vintage = 2025"
    ).df()
    if frame.empty:
        return pd.DataFrame(columns=["code", "pop"])
    return frame.pivot(index="code", columns="variable", values="value").reset_index()


def _count_shares(store: Store, deso2018: str | None, municipality: str) -> list[ProfileRow]:
    year = max(d.count_years(store, vintage=2018))
    sums = store.execute(
        """
        SELECT variable,
               sum(value) FILTER (WHERE code = ?) AS district,
               sum(value) FILTER (WHERE substr(code, 1, 4) = ?) AS municipality,
               sum(value) FILTER (WHERE substr(code, 1, 2) = ?) AS county,
               sum(value) AS nation
        FROM district_counts WHERE kind = 'deso' AND vintage = 2018 AND year = ?
        GROUP BY variable
        """,
        [deso2018 or "", municipality, municipality[:2], year],
    ).df().set_index("variable")

    def share(level: str, num: tuple[str, ...], den: tuple[str, ...]) -> float | None:
        top = sum(float(sums.at[v, level]) if pd.notna(sums.at[v, level]) else 0.0 for v in num)
        bottom = sum(float(sums.at[v, level]) if pd.notna(sums.at[v, level]) else 0.0
                     for v in den)
        return 100 * top / bottom if bottom > 0 else None

    rows = []
    for name, (num, den, sv, en) in COUNT_SHARES.items():
        rows.append(ProfileRow(
            name, sv, en, year, 2018,
            share("district", num, den) if deso2018 else None,
            share("municipality", num, den), share("county", num, den),
            share("nation", num, den),
            None if deso2018 else "området har ändrats sedan DeSO 2018 — inga värden för 2022",
        ))
    population = ProfileRow(
        "population_2022", "befolkning 2022", "population 2022", year, 2018,
        float(sums.at["population", "district"]) if deso2018 else None,
        float(sums.at["population", "municipality"]), float(sums.at["population", "county"]),
        float(sums.at["population", "nation"]))
    return [population, *rows]


def district_profile(store: Store, code: str) -> DistrictProfile:
    """The profile of a DeSO (newest vintage that has it): its values beside the
    municipality's, the county's and the nation's. Raises ValueError (Swedish) for an
    unknown code."""
    d._ensure_loaded(store)
    wanted = str(code).strip()
    row = store.execute(
        "SELECT kind, vintage, code, name, municipality, parent FROM district_areas "
        "WHERE kind = 'deso' AND code = ? ORDER BY vintage DESC LIMIT 1", [wanted]).fetchone()
    if row is None:
        raise ValueError(f"{wanted!r} är ingen känd DeSO-kod (t.ex. 2081C1140).")
    kind, vintage, code, name, municipality, parent = row
    listing = d.districts(store, "deso", municipality, vintage=int(vintage))
    me = listing[listing["code"] == code].iloc[0]
    area_type = None if pd.isna(me["area_type"]) else int(me["area_type"])
    type_year = None if pd.isna(me["area_type_year"]) else int(me["area_type_year"])
    rows: list[ProfileRow] = []
    if int(vintage) == 2025:
        values = _values_2025(store)
        mine = values[values["code"] == code]
        for var, (year, sv, en) in d.VALUE_VARIABLES.items():
            if var not in values.columns:
                continue
            own = mine[var].iloc[0] if not mine.empty else None
            own_value = None if own is None or pd.isna(own) else float(own)
            if var == "pop":
                mun = float(values.loc[values["code"].str.startswith(municipality), "pop"].sum())
                cty = float(values.loc[values["code"].str.startswith(municipality[:2]), "pop"]
                            .sum())
                rows.append(ProfileRow(var, sv, en, year, 2025, own_value, mun, cty, None,
                                       "riket: finns inte i de levererade DeSO 2025-värdena"))
                continue
            if var in NO_AGGREGATE:
                rows.append(ProfileRow(var, sv, en, year, 2025, own_value, None, None, None,
                                       NO_AGGREGATE[var]))
                continue
            rows.append(ProfileRow(
                var, sv, en, year, 2025, own_value, _weighted(values, var, municipality),
                _weighted(values, var, municipality[:2]), None,
                "kommun och län: DeSO-värdena vägda med befolkningen; riket: finns inte i de "
                "levererade DeSO 2025-värdena"))
        try:
            old: str | None = d.translate(store, "deso", [code], 2025, 2018)[code]
        except ValueError:
            old = None
    else:
        old = code
    rows += _count_shares(store, old, municipality)
    return DistrictProfile(code, name, kind, int(vintage), municipality, municipality[:2],
                           parent, area_type, type_year, rows)
