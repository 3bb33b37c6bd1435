"""Estimates from a stored wave: the derived share of a question by breakdown, disclosure-controlled.

First step, stated plainly: **unweighted** proportions with Wilson score limits
(``jamlik.stats.proportion_ci``), treating respondents as a simple random sample. No
non-response weights, no stratification or clustering by school yet, so the limits are too
narrow where schools differ. A cell with fewer than ``threshold`` respondents (default 5) is
suppressed: value, limits and n are all withheld.
"""

from __future__ import annotations

from dataclasses import dataclass

from jamlik.stats import proportion_ci
from jamlik.store import Store
from jamlik.surveys._definition import DefinitionError, Questionnaire, parse_questionnaire
from jamlik.surveys._import import ensure_tables

#: Breakdowns ``estimate`` accepts for ``--by``.
BREAKDOWNS = ("municipality", "school", "grade", "sex")
DEFAULT_THRESHOLD = 5
#: förskoleklass, år 4, år 7, gymnasiet år 1 in school order rather than alphabetically
_GRADE_ORDER = "list_position(['F', '4', '7', 'gy1'], grade)"
METHOD_SV = ("Oviktade andelar med Wilsons konfidensgränser (95 %); ännu inga vikter för "
             "bortfall och ingen hänsyn till skolkluster.")


@dataclass(frozen=True)
class SurveyEstimate:
    keys: dict[str, str]
    value: float | None
    lower: float | None
    upper: float | None
    n: int | None
    suppressed: bool

    def as_dict(self) -> dict[str, object]:
        return {**self.keys, "value": self.value, "lower": self.lower, "upper": self.upper,
                "n": self.n, "suppressed": self.suppressed}


def waves(store: Store) -> list[str]:
    ensure_tables(store)
    return [r[0] for r in store.execute("SELECT wave FROM survey_waves ORDER BY wave").fetchall()]


def questionnaire(store: Store, wave: str | None = None) -> Questionnaire:
    """The definition a wave was imported with (the latest wave if none is named)."""
    known = waves(store)
    if not known:
        raise DefinitionError("inga enkätsvar i databasen — kör först `jamlik survey import`.")
    wave = wave or known[-1]
    if wave not in known:
        raise DefinitionError(f"omgången {wave!r} finns inte — importerade: {', '.join(known)}.")
    text = store.scalar("SELECT definition FROM survey_waves WHERE wave = ?", [wave])
    return parse_questionnaire(str(text), f"omgång {wave}")


def estimate(store: Store, question: str, by: list[str], *, wave: str | None = None,
             threshold: int = DEFAULT_THRESHOLD, confidence: float = 0.95) -> list[SurveyEstimate]:
    """The share answering ``question``'s indicator codes, per combination of ``by``, in per cent.

    n counts respondents who answered the question (item non-response is left out).
    """
    if threshold < 1:
        raise ValueError(f"tröskeln ska vara minst 1 (fick {threshold}).")
    bad = [b for b in by if b not in BREAKDOWNS]
    if bad or len(set(by)) != len(by):
        raise ValueError(f"--by {','.join(by)!r}: välj bland {', '.join(BREAKDOWNS)}, var och en "
                         "högst en gång.")
    definition = questionnaire(store, wave)
    q = definition.question(question)
    cols = "".join(f"{b}, " for b in by)
    order = ", ".join(_GRADE_ORDER if b == "grade" else b for b in by)
    group = f"GROUP BY {', '.join(by)} ORDER BY {order}" if by else ""
    marks = ", ".join("?" for _ in q.indicator_codes)
    rows = store.execute(
        f"SELECT {cols}count(*) AS n, count(*) FILTER (WHERE answer IN ({marks})) AS x "
        f"FROM survey_responses WHERE wave = ? AND question = ? AND answer IS NOT NULL {group}",
        [*q.indicator_codes, definition.wave, q.id]).fetchall()
    out = []
    for row in rows:
        keys = {b: str(v) for b, v in zip(by, row, strict=False)}
        n, x = int(row[len(by)]), int(row[len(by) + 1])
        if n < threshold:
            out.append(SurveyEstimate(keys, None, None, None, None, True))
            continue
        e = proportion_ci(x, n, confidence, multiplier=100)
        out.append(SurveyEstimate(keys, e.value, e.lower, e.upper, n, False))
    return out
