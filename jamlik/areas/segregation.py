"""Segregation measures per municipality from the district counts (``jamlik segregation``).

For each municipality: D, isolation, exposure and Theil's H of a group (default foreign
background) over its DeSO and over its RegSO — side by side, because every measure depends on
the areal unit (MAUP). Formulas in ``jamlik.stats.segregation``.
"""

from __future__ import annotations

from typing import Any

from jamlik.areas import districts as d
from jamlik.stats import dissimilarity, exposure, isolation, theil_h
from jamlik.store import Store

MEASURES = {
    "dissimilarity": dissimilarity,
    "isolation": isolation,
    "exposure": exposure,
    "theil_h": theil_h,
}
UNITS = ("deso", "regso")


def _municipalities(store: Store, area: str) -> list[str]:
    code = str(area).strip()
    rows = store.execute(
        "SELECT DISTINCT municipality FROM district_areas WHERE kind = 'deso' AND vintage = 2018 "
        "AND (? = 'all' OR municipality = ? OR (length(?) = 2 AND substr(municipality, 1, 2) = ?))"
        " ORDER BY 1",
        [code, code, code, code],
    ).fetchall()
    if not rows:
        raise ValueError(f"området {code!r} har inga DeSO i databasen — ange en kommunkod "
                         "(2081), en länskod (20) eller all.")
    return [str(r[0]) for r in rows]


def segregation(store: Store, area: str, *, units: tuple[str, ...] = UNITS,
                group: str = "foreign_background", year: int | None = None) -> list[dict[str, Any]]:
    """Rows ``{area, measure, unit, vintage, group, year, value, units}`` per municipality.

    area: a municipality (2081), a county (20: all its municipalities) or ``all``.
    Raises ValueError (Swedish) for an unknown group, unit, area or year.
    """
    d._ensure_loaded(store)
    if group not in d.GROUPS:
        raise ValueError(f"okänd grupp {group!r} — välj {', '.join(d.GROUPS)}.")
    for u in units:
        if u not in UNITS:
            raise ValueError(f"okänd områdesindelning {u!r} — välj deso eller regso.")
    years = d.count_years(store)
    chosen = years[-1] if year is None else int(year)
    if chosen not in years:
        raise ValueError(f"år {chosen} finns inte i områdestabellerna — finns: "
                         f"{', '.join(map(str, years))}.")
    group_var, total_expr = d.GROUPS[group]
    out: list[dict[str, Any]] = []
    municipalities = _municipalities(store, area)
    per_unit = {u: d.district_counts(store, u, municipalities, chosen) for u in units}
    for municipality in municipalities:
        for unit in units:
            counts = per_unit[unit][per_unit[unit]["municipality"] == municipality]
            x = counts[group_var].to_numpy()
            t = sum(counts[v].to_numpy() for v in total_expr.split("+"))
            for name, fn in MEASURES.items():
                try:
                    value: float | None = fn(x, t)
                    note = None
                except ValueError as exc:
                    value, note = None, str(exc)
                out.append({
                    "area": municipality, "measure": name, "unit": unit,
                    "vintage": d.BASE_VINTAGE[unit], "group": group, "year": chosen,
                    "value": value, "units": len(counts), "note": note,
                })
    return out
