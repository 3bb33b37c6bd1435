"""Targets (målvärden): is a target achieved, on track, off track, or can it not be assessed?

The one rule for every target in jamlik: the steering loop's follow-up and the deviation list
(``missed_target``) both ask ``assess_target``. The projection is ``stats.linear_projection``.
Status values and the rule texts are given in Swedish and English side by side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jamlik.analysis._words import STATUSES, en, sv
from jamlik.format import fmt_num, fmt_signed
from jamlik.language import word
from jamlik.stats.projection import linear_projection

#: how many of the latest values the on-track projection uses
PROJECTION_YEARS = 5
#: the fewest values the projection is made from
MIN_PROJECTION_VALUES = 3

STATUS_LABELS_SV = sv(STATUSES)
STATUS_LABELS_EN = en(STATUSES)

STATUS_RULE_SV = (
    "Uppnått: senaste värdet når målvärdet (på rätt sida om det). "
    "På väg: målet är inte nått men målåret har inte passerats, och en rak linje genom de "
    f"senaste {PROJECTION_YEARS} värdena når målvärdet senast målåret. "
    "Ej på väg: målåret är nått eller passerat utan att målvärdet nåtts, eller linjen når inte "
    "målvärdet i tid. Kan inte bedömas: värde, målvärde eller riktning saknas, eller det finns "
    f"färre än {MIN_PROJECTION_VALUES} värden att bedöma utvecklingen på."
)
STATUS_RULE_EN = (
    "Achieved: the latest value reaches the target (is on the right side of it). "
    "On track: the target is not reached but the target year has not passed, and a straight "
    f"line through the latest {PROJECTION_YEARS} values reaches the target by the target year. "
    "Not on track: the target year has come or passed without the target being reached, or the "
    "line does not reach the target in time. Cannot be assessed: the value, target or direction "
    f"is missing, or there are fewer than {MIN_PROJECTION_VALUES} values to judge the "
    "development on."
)
STATUS_RULE = {"sv": STATUS_RULE_SV, "en": STATUS_RULE_EN}


def direction_from_polarity(polarity: str) -> str | None:
    """"higher" / "lower" for an indicator's polarity; None when it makes no judgement."""
    return {"higher_is_better": "higher", "lower_is_better": "lower"}.get(str(polarity))


def assess_target(value: float | None, value_label: str | None, target: float | None,
                  target_year: int | None, direction: str | None,
                  series: Sequence[tuple[int, float]], year: int, *,
                  lang: str = "sv") -> tuple[str, str]:
    """(status, rule text) for one indicator against its target in ``year``.

    direction: "higher" or "lower" is better (None: cannot be assessed). target_year None means
    the target is due in ``year``. series: (period, value) up to ``year``, oldest first; a
    straight line through its last ``PROJECTION_YEARS`` points decides "on track" before the
    target year. lang: "sv" (default) or "en" — only the rule text changes, never the status.
    """
    def say(swedish: str, english: str) -> str:
        return word((swedish, english), lang)

    if target is None:
        return "cannot_assess", say("Kan inte bedömas: inget målvärde är satt.",
                                    "Cannot be assessed: no target is set.")
    if direction is None:
        return "cannot_assess", say(
            "Kan inte bedömas: indikatorn har ingen riktning (högre eller lägre är bättre) "
            "— ange riktning i planen.",
            "Cannot be assessed: the indicator has no direction (higher or lower is better) "
            "— set the direction in the plan.")
    if value is None:
        return "cannot_assess", say(
            f"Kan inte bedömas: inget värde finns för {year} eller tidigare.",
            f"Cannot be assessed: there is no value for {year} or earlier.")
    higher = direction == "higher"
    better = say("högre", "higher") if higher else say("lägre", "lower")
    reached = value >= target if higher else value <= target
    v, t = _fmt(value, lang), _fmt(target, lang)
    if reached:
        return "achieved", say(
            f"Uppnått: värdet {v} ({value_label}) är {better} än eller lika med målvärdet {t}.",
            f"Achieved: the value {v} ({value_label}) is {better} than or equal to the "
            f"target {t}.")
    deadline = target_year if target_year is not None else year
    if deadline <= year:
        return "off_track", say(
            f"Ej på väg: målvärdet {t} skulle nås {deadline}, men värdet ({value_label}) "
            f"är {v} — {better} är bättre.",
            f"Not on track: the target {t} was to be reached by {deadline}, but the value "
            f"({value_label}) is {v} — {better} is better.")
    recent = list(series)[-PROJECTION_YEARS:]
    if len(recent) < MIN_PROJECTION_VALUES:
        return "cannot_assess", say(
            f"Kan inte bedömas: målvärdet {t} ska nås {deadline}, men det finns bara "
            f"{len(recent)} värden att bedöma utvecklingen på.",
            f"Cannot be assessed: the target {t} is to be reached by {deadline}, but there are "
            f"only {len(recent)} values to judge the development on.")
    line_fit = linear_projection([p for p, _ in recent], [val for _, val in recent], deadline)
    projected = line_fit.value
    on_track = projected >= target if higher else projected <= target
    per_year = _fmt(line_fit.slope, lang, signed=True)
    line = say(f"en rak linje genom de senaste {len(recent)} värdena ({per_year} per år) "
               f"ger {_fmt(projected, lang)} år {deadline}",
               f"a straight line through the latest {len(recent)} values ({per_year} per year) "
               f"gives {_fmt(projected, lang)} in {deadline}")
    if on_track:
        return "on_track", say(f"På väg: {line}, vilket når målvärdet {t}.",
                               f"On track: {line}, which reaches the target {t}.")
    return "off_track", say(f"Ej på väg: {line}, vilket inte når målvärdet {t}.",
                            f"Not on track: {line}, which does not reach the target {t}.")


@dataclass(frozen=True)
class FollowUpDeviation:
    """One deviation of a goal indicator in a follow-up, in both languages."""

    kind: str  # missed_target | worse_than_similar | widening_gap (words: ``KINDS``)
    text_sv: str
    text_en: str


def follow_up_deviations(*, title: str, title_en: str | None, status: str,
                         value: float | None, period_label: str | None,
                         target: float | None, due: int | None, vs_similar: str | None,
                         vs_similar_label: str | None,
                         sex_gap: Mapping[str, Any] | None) -> list[FollowUpDeviation]:
    """The deviations the steering loop's follow-up lists for one goal indicator.

    missed_target when ``assess_target`` found the target off track (``due``: the target year,
    else the value's period); worse_than_similar when the comparison with similar
    municipalities is significantly worse; widening_gap when the women–men gap widens.
    """
    out = []
    if status == "off_track":
        out.append(FollowUpDeviation(
            "missed_target",
            f"{title}: {_fmt(value)} ({period_label}) mot målvärdet {_fmt(target)} till {due}.",
            f"{title_en or title}: {_fmt(value, 'en')} ({period_label}) "
            f"against the target {_fmt(target, 'en')} by {due}."))
    if vs_similar in ("worse", "worse_998"):
        out.append(FollowUpDeviation(
            "worse_than_similar",
            vs_similar_label or "Statistiskt säkerställt sämre än genomsnittet för "
            "liknande kommuner.",
            "Statistically significantly worse than the average of similar municipalities."))
    gap = sex_gap or {}
    if gap.get("trend") == "widening":
        out.append(FollowUpDeviation(
            "widening_gap",
            f"Kvinnor {_fmt(gap.get('women'))}, män {_fmt(gap.get('men'))} "
            f"(skillnad {_fmt(gap.get('difference'))}); skillnaden har ökat.",
            f"Women {_fmt(gap.get('women'), 'en')}, men {_fmt(gap.get('men'), 'en')} "
            f"(gap {_fmt(gap.get('difference'), 'en')}); the gap has widened."))
    return out


def _fmt(x: float | None, lang: str = "sv", *, signed: bool = False) -> str:
    """At most two decimals and no padded zero ("+2", not "+2,00"), in the shared Swedish/English
    number style."""
    return fmt_signed(x, lang) if signed else fmt_num(x, lang)
