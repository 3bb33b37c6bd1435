"""Follow-up (uppföljning): each goal's indicators against their targets for one period.

Values come from the indicator store; trend, certainty and comparisons from the statistics
core (``jamlik.analysis.profile``); the status rule, its texts and the deviation words from
``jamlik.analysis`` (``assess_target``, ``KINDS``), the one target engine. The status rule is
deliberately simple and is shown to the reader next to every status.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from jamlik.analysis import (
    KINDS,
    PROJECTION_YEARS,
    STATUS_LABELS_EN,
    STATUS_LABELS_SV,
    STATUS_RULE_EN,
    STATUS_RULE_SV,
    direction_from_polarity,
    follow_up_deviations,
)
from jamlik.analysis import assess_target as assess
from jamlik.format import fmt_num, fmt_signed
from jamlik.stats.trend import trend_label
from jamlik.steering._models import Assignment, GoalIndicator
from jamlik.steering._workflow import Workflow
from jamlik.store import Polarity, Store

log = logging.getLogger(__name__)

#: The deviation kinds a follow-up reports; words from analysis' one catalogue (``KINDS``).
FOLLOW_UP_KINDS = ("missed_target", "worse_than_similar", "widening_gap")
DEVIATION_LABELS_SV = {k: KINDS[k][0] for k in FOLLOW_UP_KINDS}
DEVIATION_LABELS_EN = {k: KINDS[k][1] for k in FOLLOW_UP_KINDS}
SEX_LABELS_SV = {"T": "totalt", "K": "kvinnor", "M": "män"}
SEX_LABELS_EN = {"T": "total", "K": "women", "M": "men"}

__all__ = [
    "DEVIATION_LABELS_EN", "DEVIATION_LABELS_SV", "PROJECTION_YEARS", "SEX_LABELS_EN",
    "SEX_LABELS_SV", "STATUS_LABELS_EN", "STATUS_LABELS_SV", "STATUS_RULE_EN", "STATUS_RULE_SV",
    "DeviationItem", "FollowUp", "GoalFollowUp", "IndicatorFollowUp", "assess", "follow_up",
    "resolve_direction", "to_markdown",
]


@dataclass
class DeviationItem:
    kind: str
    label: str
    text: str
    text_en: str = ""


@dataclass
class IndicatorFollowUp:
    goal_indicator_id: int
    indicator: str
    title: str
    unit: str | None
    sex: str
    direction: str | None  # "higher" | "lower" | None
    direction_source: str  # "plan" | "polarity" | "none"
    target_value: float | None
    target_year: int | None
    value: float | None = None
    period: int | None = None
    period_label: str | None = None
    lower: float | None = None
    upper: float | None = None
    status: str = "cannot_assess"
    status_label: str = STATUS_LABELS_SV["cannot_assess"]
    rule: str = ""
    rule_en: str = ""
    trend: str | None = None
    trend_label: str | None = None
    trend_label_en: str | None = None
    verdict: str | None = None
    verdict_en: str | None = None
    vs_similar: str | None = None
    vs_similar_label: str | None = None
    sex_gap: dict[str, Any] | None = None
    flags: list[str] = field(default_factory=list)
    deviations: list[DeviationItem] = field(default_factory=list)
    series: list[tuple[int, float]] = field(default_factory=list)
    nation_series: list[tuple[int, float]] = field(default_factory=list)
    #: women's and men's values when the target is for the total and the source splits by sex
    sex_series: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    attribution: str | None = None
    title_en: str | None = None

    @property
    def has_deviation(self) -> bool:
        return bool(self.deviations)

    def _latest(self, sex: str) -> float | None:
        points = [v for p, v in self.sex_series.get(sex, []) if p == self.period]
        return points[0] if points else None

    @property
    def women_value(self) -> float | None:
        """Women's value for the same period (for total-population targets)."""
        return self._latest("K")

    @property
    def men_value(self) -> float | None:
        return self._latest("M")


@dataclass
class GoalFollowUp:
    goal_id: int
    key: str
    title: str
    perspective: str | None
    sdg_targets: list[str]
    target_areas: list[int]
    indicators: list[IndicatorFollowUp]


@dataclass
class FollowUp:
    area: str
    name: str
    period: int
    vision: str | None
    goals: list[GoalFollowUp]
    open_assignments: list[dict[str, Any]]
    notes: list[str]
    generated_at: str
    rule: str = STATUS_RULE_SV
    rule_en: str = STATUS_RULE_EN

    @property
    def deviations(self) -> list[tuple[GoalFollowUp, IndicatorFollowUp]]:
        """Goal indicators with at least one deviation, the most serious first."""
        out = [(g, i) for g in self.goals for i in g.indicators if i.deviations]
        return sorted(out, key=lambda gi: (-len(gi[1].deviations), gi[0].key, gi[1].indicator))

    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUS_LABELS_SV, 0)
        for g in self.goals:
            for i in g.indicators:
                counts[i.status] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["deviations"] = [
            {"goal": g.key, "goal_title": g.title, "goal_indicator_id": i.goal_indicator_id,
             "indicator": i.indicator, "title": i.title,
             "deviations": [asdict(d) for d in i.deviations]}
            for g, i in self.deviations
        ]
        data["status_counts"] = self.status_counts()
        return data


def follow_up(workflow: Workflow, store: Store, area: str, year: int, *,
              profile_cache: MutableMapping[Any, Any] | None = None) -> FollowUp:
    """The follow-up of an organisation's plan for ``year`` (latest value up to that year).

    profile_cache: a dict the caller keeps to reuse the statistics core's profile rows
    between calls (the web pages pass one that they clear when the store changes).
    """
    try:  # accept every spelling the store knows: 2080, Falun, 0020 for a county
        area = store.resolve_area(area)
    except KeyError:
        pass  # the workflow's NotFound below says what to do
    org = workflow.organisation(area)
    store_area = store.resolve_area(org.area)
    notes: list[str] = []
    # targets for women or men get the profile of that sex: its own trend and certainty
    by_sex: dict[str, dict[str, dict[str, Any]]] = {}
    for sex in sorted({gi.sex for g in org.goals for gi in g.indicators}):
        ids = sorted({gi.indicator for g in org.goals for gi in g.indicators if gi.sex == sex})
        key = (store_area, tuple(ids), sex)
        if profile_cache is not None and key in profile_cache:
            rows, cached_notes = profile_cache[key]
        else:
            cached_notes = []
            rows = _profile_rows(store, store_area, ids, cached_notes, sex=sex)
            if profile_cache is not None:
                profile_cache[key] = (rows, list(cached_notes))
        by_sex[sex] = rows
        notes.extend(n for n in cached_notes if n not in notes)
    goals = []
    for goal in org.goals:
        items = [
            _indicator_follow_up(store, store_area, gi, year,
                                 by_sex.get(gi.sex, {}).get(gi.indicator), notes)
            for gi in goal.indicators
        ]
        goals.append(GoalFollowUp(goal.id, goal.key, goal.title, goal.perspective,
                                  list(goal.sdg_targets or []),
                                  list(goal.target_areas or []), items))
    assignments = [_assignment_dict(a) for a in
                   workflow.assignments(area, open_only=True, before_period=year)]
    return FollowUp(area=org.area, name=org.name, period=year, vision=org.vision, goals=goals,
                    open_assignments=assignments, notes=notes,
                    generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))


def _assignment_dict(a: Assignment) -> dict[str, Any]:
    return {
        "id": a.id, "description": a.description, "owner": a.owner,
        "follow_up_on": a.follow_up_on.isoformat(), "status": a.status, "period": a.period,
        "version": a.version, "decision": a.decision.text if a.decision else None,
        "decided_by": a.decision.decided_by if a.decision else None,
        "decided_on": a.decision.decided_on.isoformat() if a.decision else None,
    }


def _profile_rows(store: Store, area: str, ids: list[str], notes: list[str],
                  sex: str = "T") -> dict[str, dict[str, Any]]:
    """Profile rows by indicator (for one sex) from the statistics core, or {} with a note."""
    if not ids:
        return {}
    try:
        from jamlik.analysis import profile
    except ImportError:
        notes.append("Trend och säkerhet kan inte visas: statistikkärnan (jamlik.analysis) "
                     "är inte installerad.")
        return {}
    try:
        rows = profile(store, area, indicators=ids, sex=sex)
    except Exception as exc:  # the follow-up stays usable when the statistics fail
        log.warning("profile failed for %s: %s", area, exc)
        notes.append(f"Trend och säkerhet kunde inte beräknas ({type(exc).__name__}: {exc}).")
        return {}
    return {r["indicator"]: r for r in (row.to_dict() for row in rows)}


def resolve_direction(gi: GoalIndicator, polarity: Polarity) -> tuple[str | None, str]:
    """(direction, where it came from): the plan's own direction, else the polarity's."""
    if gi.direction in ("higher", "lower"):
        return gi.direction, "plan"
    from_polarity = direction_from_polarity(polarity)
    return from_polarity, ("polarity" if from_polarity else "none")


def _indicator_follow_up(store: Store, area: str, gi: GoalIndicator, year: int,
                         prow: dict[str, Any] | None, notes: list[str]) -> IndicatorFollowUp:
    try:
        meta = store.indicator(gi.indicator)
    except KeyError:
        notes.append(f"Indikatorn {gi.indicator} finns inte i indikatordatabasen — hämta den "
                     "eller ta bort den från planen.")
        return IndicatorFollowUp(gi.id, gi.indicator, gi.indicator, None, gi.sex, gi.direction,
                                 "plan" if gi.direction else "none", gi.target_value,
                                 gi.target_year, rule="Kan inte bedömas: indikatorn saknas i "
                                 "indikatordatabasen.",
                                 rule_en="Cannot be assessed: the indicator is missing from the "
                                 "indicator database.")
    direction, source = resolve_direction(gi, meta.polarity)
    item = IndicatorFollowUp(gi.id, gi.indicator, meta.title_sv, meta.unit, gi.sex, direction,
                             source, gi.target_value, gi.target_year,
                             attribution=meta.attribution, title_en=meta.title_en)
    obs = store.observations(gi.indicator, areas=[area, store.nation_code()],
                             years=range(year - 15, year + 1), include_suppressed=False)
    mine = obs[(obs["area"] == area) & (obs["sex"] == gi.sex)].dropna(subset=["value"])
    item.series = [(int(p), float(v)) for p, v in zip(mine["period"], mine["value"], strict=True)]
    if gi.sex == "T":
        for sex in ("K", "M"):
            rows = obs[(obs["area"] == area) & (obs["sex"] == sex)].dropna(subset=["value"])
            if not rows.empty:
                item.sex_series[sex] = [(int(p), float(v)) for p, v in
                                        zip(rows["period"], rows["value"], strict=True)]
    nation = obs[(obs["area"] == store.nation_code()) & (obs["sex"] == gi.sex)]
    item.nation_series = [(int(p), float(v)) for p, v in
                          zip(nation["period"], nation["value"], strict=True) if v == v]
    if not mine.empty:
        last = mine.iloc[-1]
        item.value, item.period = float(last["value"]), int(last["period"])
        item.period_label = str(last["period_label"])
        item.lower = None if last["lower"] != last["lower"] else last["lower"]
        item.upper = None if last["upper"] != last["upper"] else last["upper"]
    _apply_profile(item, prow, meta.polarity)
    args = (item.value, item.period_label, item.target_value, item.target_year, direction,
            item.series, year)
    item.status, item.rule = assess(*args)
    item.rule_en = assess(*args, lang="en")[1]
    item.status_label = STATUS_LABELS_SV[item.status]
    item.deviations = _deviations(item)
    return item


def _apply_profile(item: IndicatorFollowUp, prow: dict[str, Any] | None,
                   polarity: str = "no_judgement") -> None:
    """Trend, certainty and comparisons — only when the profile describes the same value."""
    if prow is None:
        return
    if prow.get("period") == item.period:  # the profile was made for item.sex
        item.trend = prow.get("trend")
        item.trend_label = prow.get("trend_label")
        if item.trend:  # the same words in English, from the same sentence source
            item.trend_label_en = trend_label(item.trend, prow.get("polarity") or polarity,
                                              "en")
        item.verdict = prow.get("verdict")
        item.verdict_en = prow.get("verdict_en")
        item.vs_similar = prow.get("vs_similar")
        item.vs_similar_label = prow.get("vs_similar_label")
        item.flags = list(prow.get("flags") or [])
        if item.lower is None and prow.get("lower") is not None:
            item.lower, item.upper = prow.get("lower"), prow.get("upper")
    gap = prow.get("sex_gap")
    if gap and prow.get("period") == item.period:
        item.sex_gap = dict(gap)


def _deviations(item: IndicatorFollowUp) -> list[DeviationItem]:
    """The item's deviations, as the analysis engine finds them (``follow_up_deviations``)."""
    found = follow_up_deviations(
        title=item.title, title_en=item.title_en, status=item.status, value=item.value,
        period_label=item.period_label, target=item.target_value,
        due=item.target_year or item.period, vs_similar=item.vs_similar,
        vs_similar_label=item.vs_similar_label, sex_gap=item.sex_gap)
    return [DeviationItem(d.kind, DEVIATION_LABELS_SV[d.kind], d.text_sv, d.text_en)
            for d in found]


def _fmt(x: float | None, lang: str = "sv", *, signed: bool = False) -> str:
    """At most two decimals (signed: always two), in the shared Swedish/English number style."""
    return fmt_signed(x, lang, 2) if signed else fmt_num(x, lang)


def to_markdown(fu: FollowUp) -> str:
    """The follow-up as Markdown (for the CLI and for pasting into documents)."""
    lines = [f"# Uppföljning {fu.period}: {fu.name} ({fu.area})", ""]
    if fu.deviations:
        lines += ["## Avvikelser", ""]
        for g, i in fu.deviations:
            for d in i.deviations:
                lines.append(f"- **{g.key} {g.title}** – {d.label}: {d.text}")
        lines.append("")
    if fu.open_assignments:
        lines += ["## Öppna uppdrag från tidigare beslut", ""]
        for a in fu.open_assignments:
            lines.append(f"- {a['description']} (ansvarig: {a['owner']}, följs upp "
                         f"{a['follow_up_on']}; beslut {a['decided_on']} av {a['decided_by']})")
        lines.append("")
    for g in fu.goals:
        lines += [f"## {g.key} {g.title}", "",
                  "| Indikator | Kön | Värde | Kvinnor | Män | Period | Målvärde | Målår | Status "
                  "| Regel |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for i in g.indicators:
            lines.append(
                f"| {i.indicator} {i.title} | {SEX_LABELS_SV[i.sex]} | {_fmt(i.value)} | "
                f"{_fmt(i.women_value)} | {_fmt(i.men_value)} | {i.period_label or '–'} | {_fmt(i.target_value)} | {i.target_year or '–'} | "
                f"{i.status_label} | {i.rule} |")
        lines.append("")
    lines += [f"*Statusregel:* {fu.rule}", ""]
    lines += [f"- {n}" for n in fu.notes]
    lines.append("Källa: Kolada (RKA), CC BY 4.0.")
    return "\n".join(lines) + "\n"
