"""Survey results as ordinary indicators in the store, so profiles, gaps, trends and the portal
use them like any Kolada KPI.

One indicator per questionnaire × question × grade ("Andel som mår ganska/mycket bra, år 7"),
data kind ``survey``, a proportion in per cent by sex, one period per wave. Values and limits
are ``estimate``'s: post-stratified, design-based (docs/SURVEYS.md). Areas: every municipality
in the wave, and the county when the wave covers all of its municipalities — the county value
is estimated from all pupils with their weights, which is the right way to merge the
municipalities' results (each municipality counts as many pupils as it has, not one vote
each). A cell under the threshold is stored as suppressed (``small_count``) without a value,
so nothing below it can be shown or exported downstream. Only aggregates leave the survey
tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from jamlik.store import Store
from jamlik.store.model import DataKind, Indicator, MeasureType, Polarity
from jamlik.surveys._definition import GRADES, Question, Questionnaire
from jamlik.surveys._estimate import (
    DEFAULT_THRESHOLD,
    SurveyEstimate,
    estimate,
    method_sv,
    questionnaire,
    waves,
)

SOURCE = "jamlik survey"


@dataclass(frozen=True)
class PublishReport:
    indicators: int
    values: int
    suppressed: int
    waves: tuple[str, ...]
    county: str | None
    note: str | None


def indicator_id(definition: Questionnaire, question: Question, grade: str) -> str:
    """A stable id such as ``enkat_elsa_syntetisk_halsa_7``."""
    raw = f"enkat_{definition.id}_{question.id}_{grade}"
    return re.sub(r"[^0-9A-Za-z_]+", "_", raw).lower()


def _indicator(definition: Questionnaire, question: Question, grade: str, method: str) -> Indicator:
    title_en = f"{question.indicator_en}, {grade}" if question.indicator_en else None
    return Indicator(
        id=indicator_id(definition, question, grade),
        title_sv=f"{question.indicator_sv}, {GRADES[grade]}",
        title_en=title_en,
        description=(f"Egen enkät ({definition.title_sv}), frågan ”{question.text_sv}”. "
                     f"{method}"),
        unit="%",
        measure_type=MeasureType.PROPORTION,
        multiplier=100.0,
        polarity=Polarity.HIGHER_IS_BETTER,
        data_kind=DataKind.SURVEY,
        source=f"Egen enkät: {definition.title_sv}",
        by_sex=True,
        attribution=f"Källa: egen enkät ({definition.title_sv})",
    )


def _rows(ind: str, area: str, wave: str, sex: str, est: SurveyEstimate,
          method: str) -> dict[str, object]:
    rate = ("" if est.response_rate is None else
            f" Svarsfrekvens {round(100 * est.response_rate)} %.")
    return {"indicator": ind, "area": area, "period": int(wave), "sex": sex,
            "value": est.value, "lower": est.lower, "upper": est.upper,
            "denominator": None if est.n is None else float(est.n),
            "suppressed": est.suppressed,
            "suppression_reason": "small_count" if est.suppressed else None,
            "note": None if est.suppressed else f"{method}{rate}"}


def publish_indicators(store: Store, *, threshold: int = DEFAULT_THRESHOLD) -> PublishReport:
    """Write every wave's results as indicators and observations (all or nothing)."""
    known = [w for w in waves(store) if w[:4].isdigit()]
    indicators: dict[str, Indicator] = {}
    records: list[dict[str, object]] = []
    county: str | None = None
    note: str | None = None
    for wave in known:
        definition = questionnaire(store, wave)
        method = method_sv(store, wave)
        munis = {r[0] for r in store.execute(
            "SELECT DISTINCT municipality FROM survey_responses WHERE wave = ?", [wave]).fetchall()}
        counties = {store.county_of(m) for m in munis} - {None}
        wave_county = None
        if len(counties) == 1:
            c = next(iter(counties))
            members = set(store.areas(parent=c)["code"].astype(str)) if c else set()
            if members and members <= munis:
                wave_county = c
            else:
                note = (f"omgång {wave}: {len(munis)} av länets {len(members)} kommuner deltog — "
                        "inget länsvärde (det vore bara de deltagande kommunernas).")
        county = county or wave_county
        for q in definition.questions:
            for grade in definition.grades:
                ind = indicator_id(definition, q, grade)
                indicators[ind] = _indicator(definition, q, grade, method)
            # four estimates per question cover every grade: municipality × sex, municipality,
            # and the county (all pupils, weighted) × sex and in all
            queries: list[tuple[list[str], str | None]] = [
                (["municipality", "grade", "sex"], None), (["municipality", "grade"], None)]
            if wave_county:
                queries += [(["grade", "sex"], wave_county), (["grade"], wave_county)]
            for by, area in queries:
                for e in estimate(store, q.id, by, wave=wave, threshold=threshold):
                    ind = indicator_id(definition, q, e.keys["grade"])
                    records.append(_rows(ind, area or e.keys["municipality"], wave,
                                         e.keys.get("sex", "T"), e, method))
    if not records:
        return PublishReport(0, 0, 0, tuple(known), county, note)
    frame = pd.DataFrame.from_records(records)
    with store.transaction():
        store.upsert_indicators(indicators.values())
        store.upsert_observations(frame, source=SOURCE)
    return PublishReport(len(indicators), int((~frame["suppressed"]).sum()),
                         int(frame["suppressed"].sum()), tuple(known), county, note)


@dataclass(frozen=True)
class SurveyGroup:
    """One published question across grades: the indicator id per grade, in school order."""

    key: str
    title_sv: str
    title_en: str | None
    indicators: dict[str, str]  # grade → indicator id
    attribution: str | None


def published_groups(store: Store) -> list[SurveyGroup]:
    """The published survey indicators grouped by question (what the survey pages show).
    Reads the indicator catalogue only: aggregates, never the survey tables."""
    frame = store.indicators()
    if frame.empty:
        return []
    frame = frame[(frame["data_kind"] == "survey") & frame["id"].str.startswith("enkat_")]
    groups: dict[str, dict[str, object]] = {}
    suffixes = {g.lower(): g for g in GRADES}
    for row in frame.itertuples(index=False):
        key, _, suffix = str(row.id).rpartition("_")
        grade = suffixes.get(suffix)
        if grade is None:
            continue
        title_sv = str(row.title_sv).removesuffix(f", {GRADES[grade]}")
        title_en = getattr(row, "title_en", None)
        if isinstance(title_en, str):
            title_en = title_en.removesuffix(f", {grade}")
        g = groups.setdefault(key, {"title_sv": title_sv, "title_en": title_en,
                                    "indicators": {}, "attribution": getattr(row, "attribution",
                                                                              None)})
        g["indicators"][grade] = str(row.id)  # type: ignore[index]
    order = list(GRADES)
    return [SurveyGroup(k, str(v["title_sv"]),
                        v["title_en"] if isinstance(v["title_en"], str) else None,
                        dict(sorted(v["indicators"].items(),  # type: ignore[attr-defined]
                                    key=lambda kv: order.index(kv[0]))),
                        v["attribution"] if isinstance(v["attribution"], str) else None)
            for k, v in sorted(groups.items())]
