"""The data behind a funnel plot: every municipality's value and size for one indicator and
period, and Spiegelhalter's control limits around the nation's value (``stats.funnel``).

Size n per municipality, in this order: the source's denominator (counts); the indicator's
population base (``denominator_indicator``, summed over a pooled period's years, as the
profile's derived limits use); or, for an area with published 95 % limits only, the effective
size that gives its standard error, n = θᵢ(1 − θᵢ)/SEᵢ² (proportion) or θᵢ/SEᵢ² (rate), with
SEᵢ = (upper − lower)/(2·1.96). Only proportions and rates have a funnel.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from jamlik.analysis._data import _BASE_SQL, _SUPPRESSED_SQL, DEFAULT_SUPPRESSION_THRESHOLD
from jamlik.stats.funnel import funnel_limits, funnel_positions
from jamlik.store import Store

KINDS = {"proportion": "proportion", "rate": "rate"}


def funnel_data(store: Store, indicator: str, period: int, sex: str = "T", *,
                threshold: float = DEFAULT_SUPPRESSION_THRESHOLD) -> dict[str, Any] | None:
    """{kind, target, multiplier, points: DataFrame(area, value, n, size_source, position),
    curve: DataFrame(n, lower95, upper95, lower998, upper998)} in the indicator's own units,
    or None when the indicator is not a proportion or rate, or fewer than 10 areas have a
    size."""
    meta = store.sql("SELECT measure_type, multiplier FROM indicators WHERE id = ?", [indicator])
    if meta.empty or str(meta.iloc[0]["measure_type"]) not in KINDS:
        return None
    kind = KINDS[str(meta.iloc[0]["measure_type"])]
    mult = float(meta.iloc[0]["multiplier"] or (100.0 if kind == "proportion" else 1.0))
    nation = store.nation_code()
    target_row = store.sql(
        "SELECT value FROM observations WHERE indicator = ? AND area = ? AND period = ? AND "
        "sex = ? AND breakdown_dim = '' AND breakdown_cat = '' AND subperiod = ''",
        [indicator, nation, int(period), sex])
    if target_row.empty or pd.isna(target_row.iloc[0]["value"]):
        return None
    target = float(target_row.iloc[0]["value"]) / mult
    if kind == "proportion" and not 0 < target < 1:
        return None
    sql = f"""
        WITH _an_ind AS (SELECT ? AS id),
        _an_where AS (SELECT code FROM areas WHERE type = 'municipality'),
        {_BASE_SQL}
        SELECT o.area, o.value, o.numerator, o.denominator, o.lower, o.upper,
               b.base * (o.period - o.period_start + 1) AS base
        FROM observations o JOIN _an_where w ON w.code = o.area
        LEFT JOIN base b ON b.indicator = o.indicator AND b.area = o.area
             AND b.period = o.period AND b.sex = o.sex
        WHERE o.indicator = ? AND o.period = ? AND o.sex = ? AND o.breakdown_dim = ''
          AND o.breakdown_cat = '' AND o.subperiod = '' AND o.value IS NOT NULL
          AND NOT {_SUPPRESSED_SQL.format(t=float(threshold))}
        ORDER BY o.area
    """
    df = store.execute(sql, [indicator, indicator, int(period), sex]).df()
    rows = []
    for r in df.itertuples(index=False):
        y = float(r.value) / mult
        n, source = None, None
        if _ok(r.denominator) and r.denominator > 0:
            n, source = float(r.denominator), "counts"
        elif _ok(r.base) and r.base > 0:
            n, source = float(r.base), "base"
        elif _ok(r.lower) and _ok(r.upper) and r.upper > r.lower and y > 0:
            se = (float(r.upper) - float(r.lower)) / mult / (2 * 1.959963984540054)
            var = y * (1 - y) if kind == "proportion" else y
            if var > 0:
                n, source = var / se**2, "limits"
        if n is None or n < 1:
            continue
        rows.append({"area": r.area, "value": float(r.value), "n": n, "size_source": source})
    points = pd.DataFrame(rows, columns=["area", "value", "n", "size_source"])
    if len(points) < 10:
        return None
    points["position"] = funnel_positions((points["value"] / mult).tolist(),
                                          points["n"].tolist(), target, kind)
    grid = np.geomspace(max(points["n"].min() * 0.8, 1.0), points["n"].max() * 1.2, 60)
    lim = funnel_limits(target, list(grid), kind)
    curve = pd.DataFrame({"n": grid, "lower95": np.array(lim.lower95) * mult,
                          "upper95": np.array(lim.upper95) * mult,
                          "lower998": np.array(lim.lower998) * mult,
                          "upper998": np.array(lim.upper998) * mult})
    return {"kind": kind, "target": target * mult, "multiplier": mult, "points": points,
            "curve": curve}


def _ok(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) \
        and value is not pd.NA
