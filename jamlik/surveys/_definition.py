"""Questionnaire definitions (TOML): questions, answer codes and labels, derived indicators.

```toml
id = "elsa-syntetisk"
title_sv = "Elevhälsosamtal (syntetisk, ELSA-lik)"
wave = "2026"
grades = ["F", "4", "7", "gy1"]
linkable = true                     # false for anonymous surveys (Lupp): no cohorts

[[questions]]
id = "halsa"
text_sv = "Hur mår du för det mesta?"
text_en = "How do you feel most of the time?"
answers = { "1" = "Mycket bra", "2" = "Ganska bra", "3" = "Varken bra eller dåligt" }
indicator_codes = ["1", "2"]       # the derived share: those who answered one of these
indicator_sv = "Andel som mår ganska/mycket bra"
indicator_en = "Share who feel fairly or very well"
sensitive = false                  # true: cells shown only from 10 respondents
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jamlik.errors import JamlikError
from jamlik.io import TomlError, parse_toml

#: Grade codes: förskoleklass, år 4, år 7, gymnasiet år 1.
GRADES = {"F": "förskoleklass", "4": "år 4", "7": "år 7", "gy1": "gymnasiet år 1"}
#: Age in whole years at the survey (autumn) by grade; a cohort reaches a later grade this many
#: years apart.
GRADE_AGE = {"F": 6, "4": 10, "7": 13, "gy1": 16}
SEXES = {"K": "flickor", "M": "pojkar"}
#: the least number of respondents a cell of a sensitive question is shown from
SENSITIVE_THRESHOLD = 10
#: Column names a responses file must have besides one column per question.
ID_COLUMN = "personnummer"
CONSENT_COLUMN = "consent"
FIXED_COLUMNS = (ID_COLUMN, "municipality", "school", "grade", "sex", CONSENT_COLUMN)


class DefinitionError(JamlikError, ValueError):
    """A questionnaire definition that cannot be used; the message says what to change."""


@dataclass(frozen=True)
class Question:
    id: str
    text_sv: str
    text_en: str
    answers: dict[str, str]
    indicator_codes: tuple[str, ...]
    indicator_sv: str
    indicator_en: str
    #: a sensitive question (self-harm, abuse, drugs …): published only from SENSITIVE_THRESHOLD
    #: respondents per cell, whatever lower threshold is asked for
    sensitive: bool = False
    #: a number per answer code (e.g. days a week) for means; empty: shares only
    scores: dict[str, float] = field(default_factory=dict)
    mean_sv: str = ""
    mean_en: str = ""


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title_sv: str
    wave: str
    grades: tuple[str, ...]
    questions: tuple[Question, ...]
    #: pupils can be followed between waves by pseudonym (a student-health database with
    #: consent); false for anonymous surveys such as Lupp, compared only as cross-sections
    linkable: bool = True

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        known = ", ".join(q.id for q in self.questions)
        raise DefinitionError(f"frågan {question_id!r} finns inte i enkäten — välj en av: {known}.")


def parse_questionnaire(text: str, name: str = "enkätdefinitionen") -> Questionnaire:
    """Parse and check a questionnaire definition; DefinitionError names what is wrong."""
    try:
        raw = parse_toml(text, name)
    except TomlError as exc:
        raise DefinitionError.from_error(exc) from None
    for key in ("id", "wave", "questions"):
        if key not in raw:
            raise DefinitionError(f"{name}: nyckeln {key!r} saknas.")
    grades = tuple(str(g) for g in raw.get("grades", list(GRADES)))
    unknown = [g for g in grades if g not in GRADES]
    if unknown:
        raise DefinitionError(f"{name}: okända årskurser {unknown} — tillåtna: {list(GRADES)}.")
    questions = []
    seen: set[str] = set()
    for i, q in enumerate(raw["questions"], start=1):
        where = f"{name}, fråga {i}"
        qid = str(q.get("id", ""))
        if not qid.isidentifier() or qid in FIXED_COLUMNS or qid in seen:
            raise DefinitionError(f"{where}: id {qid!r} saknas, är ogiltigt eller används redan.")
        seen.add(qid)
        answers = {str(k): str(v) for k, v in dict(q.get("answers", {})).items()}
        if not answers:
            raise DefinitionError(f"{where} ({qid}): inga svarskoder (answers).")
        codes = tuple(str(c) for c in q.get("indicator_codes", []))
        if not codes or any(c not in answers for c in codes):
            raise DefinitionError(
                f"{where} ({qid}): indicator_codes ska vara svarskoder ur answers: {codes}.")
        sensitive = q.get("sensitive", False)
        if not isinstance(sensitive, bool):
            raise DefinitionError(f"{where} ({qid}): sensitive ska vara true eller false.")
        scores: dict[str, float] = {}
        for code, score in dict(q.get("scores", {})).items():
            if str(code) not in answers or isinstance(score, bool) or not isinstance(
                    score, int | float) or score != score or abs(score) == float("inf"):
                raise DefinitionError(f"{where} ({qid}): scores ska ge ett ändligt tal för "
                                      f"svarskoder ur answers (fel vid {code!r}).")
            scores[str(code)] = float(score)
        questions.append(Question(
            qid, str(q.get("text_sv", qid)), str(q.get("text_en", "")), answers, codes,
            str(q.get("indicator_sv", qid)), str(q.get("indicator_en", "")), sensitive,
            scores, str(q.get("mean_sv", "")), str(q.get("mean_en", ""))))
    linkable = raw.get("linkable", True)
    if not isinstance(linkable, bool):
        raise DefinitionError(f"{name}: linkable ska vara true eller false (fick {linkable!r}).")
    return Questionnaire(str(raw["id"]), str(raw.get("title_sv", raw["id"])), str(raw["wave"]),
                         grades, tuple(questions), linkable)


def load_questionnaire(path: Path) -> Questionnaire:
    return parse_questionnaire(path.read_text(encoding="utf-8"), path.name)
