"""Cohorts: the same pupils followed from one grade to a later one, with attrition shown.

A pupil who answered in grade ``from`` (e.g. år 4, wave 2022) is looked up by pseudonym in the
wave where the cohort reaches grade ``to`` (år 7, wave 2025: the grades' age difference later).
Each pupil ends in one column: a good or a poor answer then, or *not followed* (moved away,
did not take part, no consent, consent withdrawn, or no answer). Transitions are counts of
pupils, unweighted: panel weights for attrition are not attempted, so the share among those
followed is stated as such and attrition is always shown beside it.

Disclosure control: every count 0 < n < threshold is suppressed (primary), then complementary
cells so that no suppressed count can be recovered from the row and column totals
(``jamlik.stats.secondary_suppression``). Only questionnaires that link pupils (``linkable``,
true for a student-health database with consent) can be followed: Lupp is anonymous and its
waves are compared as repeated cross-sections, never as a panel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jamlik.stats import proportion_ci, secondary_suppression
from jamlik.store import Store
from jamlik.surveys._access import SurveyAccess
from jamlik.surveys._definition import GRADE_AGE, GRADES, SENSITIVE_THRESHOLD, DefinitionError
from jamlik.surveys._estimate import DEFAULT_THRESHOLD, questionnaire, waves

BEFORE = ("good", "poor", "all")
AFTER = ("after_good", "after_poor", "not_followed", "total")


@dataclass(frozen=True)
class TransitionRow:
    from_wave: str
    to_wave: str
    before: str  # good / poor / all: the pupil's answer in the earlier grade
    counts: dict[str, int | None]  # AFTER → count, None = suppressed
    #: share (%) with a poor answer later among those followed, with Wilson limits
    share_poor_after: float | None
    lower: float | None
    upper: float | None

    def as_dict(self) -> dict[str, object]:
        return {"from_wave": self.from_wave, "to_wave": self.to_wave, "before": self.before,
                **self.counts, "share_poor_after": self.share_poor_after, "lower": self.lower,
                "upper": self.upper}


def cohort_transitions(store: Store, question: str, from_grade: str, to_grade: str, *,
                       threshold: int = DEFAULT_THRESHOLD, confidence: float = 0.95,
                       access: SurveyAccess | None = None) -> list[TransitionRow]:
    """Transition tables from ``from_grade`` to ``to_grade`` for every cohort whose later wave
    is in the store, oldest first; rows good, poor and all per cohort. ``access``: only the
    pupils of the user's municipalities (a pupil who moved to another one is not followed)."""
    for g in (from_grade, to_grade):
        if g not in GRADES:
            raise DefinitionError(f"okänd årskurs {g!r} — välj bland {', '.join(GRADES)}.")
    gap = GRADE_AGE[to_grade] - GRADE_AGE[from_grade]
    if gap <= 0:
        raise DefinitionError(f"årskurs {to_grade} kommer inte efter {from_grade}: följ eleverna "
                              "framåt i tiden.")
    if threshold < 1:
        raise ValueError(f"tröskeln ska vara minst 1 (fick {threshold}).")
    known = waves(store)
    pairs = [(w, str(int(w) + gap)) for w in known if w.isdigit() and str(int(w) + gap) in known]
    if not pairs:
        raise DefinitionError(
            f"ingen kohort kan följas från {GRADES[from_grade]} till {GRADES[to_grade]}: det "
            f"behövs omgångar med {gap} års mellanrum (importerade: {', '.join(known) or 'inga'}).")
    rows: list[TransitionRow] = []
    for earlier, later in pairs:
        definitions = (questionnaire(store, earlier), questionnaire(store, later))
        for d in definitions:
            if not d.linkable:
                raise DefinitionError(
                    f"omgång {d.wave} ({d.id}) är anonym och kan inte följas över tid: jämför "
                    "omgångarna som upprepade tvärsnitt med `jamlik survey estimate`.")
        q_then, q_now = (d.question(question) for d in definitions)
        if q_then.sensitive or q_now.sensitive:
            threshold = max(threshold, SENSITIVE_THRESHOLD)
        table = _table(store, question, earlier, later, from_grade, to_grade,
                       q_then.indicator_codes, q_now.indicator_codes,
                       access or SurveyAccess.everything())
        rows.extend(_published(earlier, later, table, threshold, confidence))
    return rows


def _table(store: Store, question: str, earlier: str, later: str, from_grade: str,
           to_grade: str, good_then: tuple[str, ...], good_now: tuple[str, ...],
           scope: SurveyAccess) -> np.ndarray:
    """Counts: rows good, poor, all (before); columns good, poor, not followed, total (after)."""
    where, codes = scope.sql()
    then_marks = ", ".join("?" for _ in good_then)
    now_marks = ", ".join("?" for _ in good_now)
    result = store.execute(f"""
        WITH a AS (SELECT pseudonym, answer IN ({then_marks}) AS good FROM survey_responses
                   WHERE wave = ? AND question = ? AND grade = ? AND answer IS NOT NULL{where}),
             b AS (SELECT pseudonym, answer IN ({now_marks}) AS good FROM survey_responses
                   WHERE wave = ? AND question = ? AND grade = ? AND answer IS NOT NULL{where})
        SELECT a.good, b.good, count(*) FROM a LEFT JOIN b USING (pseudonym) GROUP BY ALL""",
        [*good_then, earlier, question, from_grade, *codes, *good_now, later, question, to_grade,
         *codes]
    ).fetchall()
    table = np.zeros((3, 4), dtype=np.int64)
    for before, after, n in result:
        i = 0 if before else 1
        j = 2 if after is None else (0 if after else 1)
        table[i, j] += n
    table[2, :3] = table[:2, :3].sum(axis=0)
    table[:, 3] = table[:, :3].sum(axis=1)
    return table


def _published(earlier: str, later: str, table: np.ndarray, threshold: int,
               confidence: float) -> list[TransitionRow]:
    primary = (table > 0) & (table < threshold)
    mask = secondary_suppression(table, primary)
    out = []
    for i, before in enumerate(BEFORE):
        counts = {c: (None if mask[i, j] else int(table[i, j])) for j, c in enumerate(AFTER)}
        good, poor = table[i, 0], table[i, 1]
        share = lower = upper = None
        if not (mask[i, 0] or mask[i, 1]) and good + poor >= threshold:
            e = proportion_ci(int(poor), int(good + poor), confidence, multiplier=100)
            share, lower, upper = e.value, e.lower, e.upper
        out.append(TransitionRow(earlier, later, before, counts, share, lower, upper))
    return out
