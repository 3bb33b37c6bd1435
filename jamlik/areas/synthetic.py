"""Synthetic persons of a municipality, for trying the cross-table builder without microdata.

``synthetic_persons(store, "2081")``: one row per person of the municipality's DeSO 2018 in
2022 — as many persons per DeSO as SCB counted, of whom exactly as many have utländsk
bakgrund as SCB counted (the real counts, ``district_counts``). Sex and five-year age band
are drawn at random (fixed seed; sexes 50/50, age bands with fixed weights close to Sweden's
age pyramid), so every cross-table involving sex or age is invented. The portal says so on
every page that uses them. Columns: deso, regso, area_type (SCB områdestyp of the RegSO, newest
year), sex (K/M), age_band, background (svensk/utländsk).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jamlik.areas import districts as d
from jamlik.store import Store

AGE_BANDS = ("0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
             "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80+")
#: rough shares of Sweden's population per band (sums to 1 after normalising)
AGE_WEIGHTS = (5.6, 6.1, 6.2, 5.9, 5.9, 6.6, 6.9, 6.6, 6.3, 6.4, 6.5, 6.2, 5.6, 5.4, 5.3, 4.3, 6.2)
COLUMNS = ("deso", "regso", "area_type", "sex", "age_band", "background")


def synthetic_persons(store: Store, municipality: str, *, seed: int = 15) -> pd.DataFrame:
    """Persons of ``municipality`` (see the module doc). Raises ValueError (Swedish) for a
    municipality without DeSO counts."""
    d._ensure_loaded(store)
    year = max(d.count_years(store, vintage=2018))
    code = str(municipality).strip()
    counts = d.district_counts(store, "deso", [code], year)
    if counts.empty:
        raise ValueError(f"kommunkoden {code!r} har inga DeSO-antal — ange en kommunkod, t.ex. "
                         "2081.")
    listing = d.districts(store, "deso", code, vintage=2018)
    parent = dict(zip(listing["code"], listing["parent"], strict=True))
    types = dict(zip(listing["code"], listing["area_type"], strict=True))
    sizes = counts["population"].to_numpy(dtype=np.int64)
    foreign = counts["foreign_background"].to_numpy(dtype=np.int64)
    desos = counts["code"].to_numpy()
    rng = np.random.default_rng(seed)
    total = int(sizes.sum())
    deso_col = np.repeat(desos, sizes)
    rank = np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    background = np.where(rank < np.repeat(foreign, sizes), "utländsk", "svensk")
    weights = np.asarray(AGE_WEIGHTS) / sum(AGE_WEIGHTS)
    age = np.asarray(AGE_BANDS)[rng.choice(len(AGE_BANDS), size=total, p=weights)]
    sex = np.where(rng.random(total) < 0.5, "K", "M")
    area_type = pd.Series(deso_col).map(types)
    return pd.DataFrame({
        "deso": deso_col,
        "regso": pd.Series(deso_col).map(parent).to_numpy(),
        "area_type": ["" if pd.isna(t) else f"typ {int(t)}" for t in area_type],
        "sex": sex, "age_band": age, "background": background,
    })
