"""Plans as TOML files, so analysts can keep their plan under version control.

```toml
[organisation]
area = "2080"
name = "Falu kommun"
vision = "…"                      # optional
perspectives = ["Invånare", "Ekonomi"]   # optional

[[goal]]
id = "G1"
title = "God och jämlik hälsa"
perspective = "Invånare"          # optional
sdg = ["3.4", "10.2"]
malomraden = [3, 4]

[[goal.indicator]]
id = "N00957"
target = 18.0
year = 2022
direction = "lower"               # optional: higher|lower (högre|lägre); default from polarity
sex = "T"                         # optional: T|K|M

[[action_plan]]                   # optional
title = "Handlingsplan folkhälsa 2023–2026"
years = [2023, 2026]
[[action_plan.activity]]
what = "…"; how = "…"; responsible = "…"; when = "…"; follow_up = "…"; budget = 250000
goal = "G1"
```
Goals and indicators in the file are created or updated; ones only in the database are kept
and reported, because removing them would also remove their analyses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jamlik.io import TomlError, read_toml
from jamlik.steering._auth import Actor
from jamlik.steering._errors import InvalidInput
from jamlik.steering._workflow import Workflow
from jamlik.store import Store

_DIRECTIONS = {"higher": "higher", "högre": "higher", "lower": "lower", "lägre": "lower"}


@dataclass
class PlanImport:
    area: str
    goals: int = 0
    indicators: int = 0
    activities: int = 0
    warnings: list[str] = field(default_factory=list)


def import_plan(workflow: Workflow, actor: Actor, path: str | Path,
                store: Store | None = None) -> PlanImport:
    """Create or update an organisation's plan from a TOML file (see the module docstring)."""
    path = Path(path)
    try:
        data = read_toml(path)
    except TomlError as exc:
        raise InvalidInput.from_error(exc) from None
    return import_plan_data(workflow, actor, data, store=store, where=str(path))


def import_plan_data(workflow: Workflow, actor: Actor, data: dict[str, Any], *,
                     store: Store | None = None, where: str = "planen") -> PlanImport:
    org = data.get("organisation")
    if not isinstance(org, dict) or not org.get("area") or not org.get("name"):
        raise InvalidInput(f"{where}: avsnittet [organisation] måste ha area (t.ex. \"2080\") "
                           "och name.")
    area = str(org["area"]).strip()
    if store is not None:
        try:
            area = store.resolve_area(area)
        except KeyError:
            raise InvalidInput(f"{where}: [organisation] area = {area!r} är ingen känd kommun "
                               "eller region i indikatordatabasen.") from None
    report = PlanImport(area=area)
    workflow.save_organisation(actor, area, str(org["name"]), vision=org.get("vision"),
                               perspectives=org.get("perspectives"))
    goal_ids: dict[str, int] = {}
    for n, g in enumerate(data.get("goal", []), start=1):
        here = f"{where}: mål nr {n}"
        if not g.get("id") or not g.get("title"):
            raise InvalidInput(f"{here} saknar id eller title.")
        goal = workflow.save_goal(
            actor, area, str(g["id"]), str(g["title"]), description=g.get("description"),
            perspective=g.get("perspective"), sdg_targets=[str(s) for s in g.get("sdg", [])],
            target_areas=[int(t) for t in g.get("malomraden", [])], position=n - 1)
        goal_ids[goal.key] = goal.id
        report.goals += 1
        seen = set()
        for m, ind in enumerate(g.get("indicator", []), start=1):
            iid = str(ind.get("id", "")).strip()
            if not iid:
                raise InvalidInput(f"{here}, indikator nr {m} saknar id (t.ex. \"N00957\").")
            direction = ind.get("direction")
            if direction is not None:
                if str(direction).lower() not in _DIRECTIONS:
                    raise InvalidInput(f"{here}, indikator {iid}: direction = {direction!r} — "
                                       "ange higher/högre eller lower/lägre.")
                direction = _DIRECTIONS[str(direction).lower()]
            if store is not None:
                try:
                    store.indicator(iid)
                except KeyError:
                    report.warnings.append(f"{here}: indikatorn {iid} finns inte i "
                                           "indikatordatabasen ännu; den kan inte följas upp.")
            target, year = ind.get("target"), ind.get("year")
            try:
                target = None if target is None else float(target)
                year = None if year is None else int(year)
            except (TypeError, ValueError):
                raise InvalidInput(f"{here}, indikator {iid}: target = {ind.get('target')!r} "
                                   f"och year = {ind.get('year')!r} måste vara tal — skriv t.ex. "
                                   "target = 18.0 och year = 2030.") from None
            try:
                workflow.set_goal_indicator(
                    actor, goal.id, iid, target_value=target, target_year=year,
                    direction=direction, sex=str(ind.get("sex", "T")).upper(),
                    note=ind.get("note"))
            except InvalidInput as exc:
                raise InvalidInput(f"{here}, indikator {iid}: {exc.message}") from None
            seen.add((iid, str(ind.get("sex", "T")).upper()))
            report.indicators += 1
        extra = [gi.indicator for gi in workflow.goal(goal.id).indicators
                 if (gi.indicator, gi.sex) not in seen]
        if extra:
            report.warnings.append(f"{here} ({goal.key}): {', '.join(extra)} finns i databasen "
                                   "men inte i filen och behölls.")
    existing = {p.title for p in workflow.organisation(area).action_plans}
    for p in data.get("action_plan", []):
        if str(p.get("title", "Handlingsplan")) in existing:
            report.warnings.append(f"{where}: handlingsplanen {p.get('title')!r} finns redan "
                                   "och ändrades inte (redigera den i portalen).")
            continue
        years = p.get("years") or [None, None]
        plan = workflow.add_action_plan(actor, area, str(p.get("title", "Handlingsplan")),
                                        year_from=years[0], year_to=years[-1])
        for a in p.get("activity", []):
            workflow.add_activity(
                actor, plan.id, str(a.get("what", "")), goal_id=goal_ids.get(a.get("goal")),
                how=a.get("how"), responsible=a.get("responsible"), timing=a.get("when"),
                follow_up_method=a.get("follow_up"), budget=a.get("budget"))
            report.activities += 1
    return report
