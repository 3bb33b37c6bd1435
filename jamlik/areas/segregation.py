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
    year: default the newest year with counts for every municipality asked for (2025 for
    Dalarna's, over DeSO 2025 / RegSO 2025; 2022 nationally, over DeSO 2018 / RegSO 2020).
    Raises ValueError (Swedish) for an unknown group, unit, area or year.
    """
    d._ensure_loaded(store)
    if group not in d.GROUPS:
        raise ValueError(f"okänd grupp {group!r} — välj {', '.join(d.GROUPS)}.")
    for u in units:
        if u not in UNITS:
            raise ValueError(f"okänd områdesindelning {u!r} — välj deso eller regso.")
    municipalities = _municipalities(store, area)
    years = d.count_years(store, municipalities=municipalities)
    if not years:
        raise ValueError(f"inget år har antal för alla kommuner i {area!r}.")
    chosen = years[-1] if year is None else int(year)
    if chosen not in years:
        raise ValueError(f"år {chosen} finns inte i områdestabellerna för {area} — finns: "
                         f"{', '.join(map(str, years))}.")
    group_var, total_expr = d.GROUPS[group]
    out: list[dict[str, Any]] = []
    per_unit = {u: d.district_counts(store, u, municipalities, chosen) for u in units}
    deso_vintage = d.count_vintage(store, chosen)
    vintage = {"deso": deso_vintage, "regso": d.REGSO_OF_DESO.get(deso_vintage, deso_vintage)}
    for u in units:
        missing = [v for v in (group_var, *total_expr.split("+"))
                   if v not in per_unit[u].columns]
        if missing:
            raise ValueError(f"gruppen {group!r} finns inte för år {chosen} (saknar "
                             f"{', '.join(missing)}) — välj ett annat år.")
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
                    "vintage": vintage[unit], "group": group, "year": chosen,
                    "value": value, "units": len(counts), "note": note,
                })
    return out
