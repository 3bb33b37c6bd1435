"""Synthetic survey waves: realistic-looking, entirely made-up responses for tests and demos.

There is no public microdata for ELSA or Lupp, so ``generate_wave`` writes a wave with the
shape of the real ones: Dalarna's 15 municipalities (from the catalogue), a few schools per
municipality, four grades, answer distributions that worsen with age and more so for girls
(as in Skolbarns hälsovanor), item non-response and ~7 % without consent. The identifier is
personnummer-shaped (12 digits, birth date fitting the grade, Luhn check digit) but random:
it names no one. Same seed → same files.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jamlik.surveys._definition import (
    FIXED_COLUMNS,
    GRADE_AGE,
    GRADES,
    Question,
    Questionnaire,
    parse_questionnaire,
)

QUESTIONNAIRE_FILE = "questionnaire.toml"
RESPONSES_FILE = "responses.csv"
#: the response files a wave folder may hold (exactly one): CSV, Excel or SPSS
RESPONSE_FILES = (RESPONSES_FILE, "responses.xlsx", "responses.sav")
#: Enrolled pupils per municipality × grade × sex: the population the weights are calibrated to.
POPULATION_FILE = "population.csv"
POPULATION_COLUMNS = ("municipality", "grade", "sex", "pupils")

DEFINITION_TOML = '''\
# Syntetisk enkät i ELSA/Lupp-stil (jamlik survey generate). Inga riktiga svar.
id = "elsa-syntetisk"
title_sv = "Elevhälsosamtal, syntetisk ELSA-lik enkät"
wave = "{wave}"
grades = ["F", "4", "7", "gy1"]

[[questions]]
id = "halsa"
text_sv = "Hur mår du för det mesta?"
text_en = "How do you feel most of the time?"
answers = {{ "1" = "Mycket bra", "2" = "Ganska bra", "3" = "Varken bra eller dåligt", "4" = "Ganska dåligt", "5" = "Mycket dåligt" }}
indicator_codes = ["1", "2"]
indicator_sv = "Andel som mår ganska/mycket bra"
indicator_en = "Share who feel fairly or very well"

[[questions]]
id = "somn"
text_sv = "Sover du tillräckligt på nätterna?"
text_en = "Do you get enough sleep at night?"
answers = {{ "1" = "Ja, oftast", "2" = "Ibland", "3" = "Sällan eller aldrig" }}
indicator_codes = ["1"]
indicator_sv = "Andel som oftast sover tillräckligt"
indicator_en = "Share who usually sleep enough"

[[questions]]
id = "trygg_skola"
text_sv = "Känner du dig trygg i skolan?"
text_en = "Do you feel safe at school?"
answers = {{ "1" = "Alltid", "2" = "Oftast", "3" = "Ibland", "4" = "Sällan eller aldrig" }}
indicator_codes = ["1", "2"]
indicator_sv = "Andel som alltid/oftast känner sig trygga i skolan"
indicator_en = "Share who always or usually feel safe at school"

[[questions]]
id = "fysisk_aktivitet"
text_sv = "Hur många dagar i veckan rör du dig minst 60 minuter?"
text_en = "On how many days a week are you active for at least 60 minutes?"
answers = {{ "1" = "Varje dag", "2" = "3–6 dagar", "3" = "1–2 dagar", "4" = "Ingen dag" }}
indicator_codes = ["1"]
indicator_sv = "Andel som rör sig minst 60 minuter varje dag"
indicator_en = "Share active at least 60 minutes every day"
scores = {{ "1" = 7, "2" = 4.5, "3" = 1.5, "4" = 0 }}
mean_sv = "Antal dagar i veckan med minst 60 minuters rörelse (medelvärde)"
mean_en = "Days a week with at least 60 minutes of activity (mean)"
'''

#: Probability of the indicator answer(s) by grade, boys; girls get GIRL_SHIFT in år 7 and gy1.
_POSITIVE = {
    "halsa": {"F": 0.93, "4": 0.90, "7": 0.82, "gy1": 0.76},
    "somn": {"F": 0.85, "4": 0.78, "7": 0.60, "gy1": 0.50},
    "trygg_skola": {"F": 0.92, "4": 0.90, "7": 0.84, "gy1": 0.88},
    "fysisk_aktivitet": {"F": 0.55, "4": 0.45, "7": 0.25, "gy1": 0.18},
}
_GIRL_SHIFT = {"halsa": -0.12, "somn": -0.06, "trygg_skola": -0.03, "fysisk_aktivitet": -0.06}
ITEM_NONRESPONSE = 0.02
NO_CONSENT = 0.07
#: Share of enrolled pupils who take part, by grade; boys in år 7 and gy1 take part less often.
#: Non-response that differs by grade and sex (where answers differ too) is what the weights fix.
_RESPONSE = {"F": 0.95, "4": 0.92, "7": 0.84, "gy1": 0.72}
_BOY_RESPONSE_SHIFT = -0.10


@dataclass(frozen=True)
class GeneratedWave:
    directory: Path
    responses: Path
    questionnaire: Path
    pupils: int
    identifiers: tuple[str, ...]
    population: Path | None = None
    #: enrolled pupils (respondents, without consent included, plus those who did not take part)
    enrolled: int = 0


def dalarna_municipalities() -> list[str]:
    """Dalarna's municipality codes (2021–2085) from the shipped catalogue."""
    from jamlik.catalog import municipalities

    return sorted(municipalities("20")["code"].astype(str))


def _luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def fake_identifier(rng: np.random.Generator, birth_year: int) -> str:
    """A random 12-digit personnummer-shaped string (YYYYMMDDNNNC); it names no one."""
    month = int(rng.integers(1, 13))
    day = int(rng.integers(1, 29))
    serial = f"{int(rng.integers(0, 1000)):03d}"
    body = f"{birth_year % 100:02d}{month:02d}{day:02d}{serial}"
    return f"{birth_year // 100:02d}{body}{_luhn_digit(body)}"


def generate_wave(pupils: int, out: Path, *, seed: int = 0, wave: str = "2026") -> GeneratedWave:
    """Write ``questionnaire.toml``, ``responses.csv`` for ``pupils`` synthetic pupils who took
    part, and ``population.csv``: the enrolled pupils per municipality × grade × sex, counting
    also those who did not take part (unit non-response that differs by grade and sex)."""
    if pupils < 1:
        raise ValueError(f"--pupils ska vara minst 1 (fick {pupils}).")
    definition = parse_questionnaire(DEFINITION_TOML.format(wave=wave))
    rng = np.random.default_rng(seed)
    munis = dalarna_municipalities()
    # 2–6 schools per municipality, each with its own small shift (clustering by school)
    schools = {m: [f"{m}-S{j + 1:02d}" for j in range(int(rng.integers(2, 7)))] for m in munis}
    shift = {s: float(rng.normal(0, 0.04)) for ss in schools.values() for s in ss}
    grades = list(GRADES)
    survey_year = int(wave[:4]) if wave[:4].isdigit() else 2026
    ids: set[str] = set()
    rows: list[list[str]] = []
    enrolled: dict[tuple[str, str, str], int] = {}
    while len(rows) < pupils:
        muni = munis[int(rng.integers(len(munis)))]
        school = schools[muni][int(rng.integers(len(schools[muni])))]
        grade = grades[int(rng.integers(len(grades)))]
        sex = "K" if rng.random() < 0.49 else "M"
        enrolled[muni, grade, sex] = enrolled.get((muni, grade, sex), 0) + 1
        if rng.random() >= take_part_probability(grade, sex):
            continue
        pnr = fake_identifier(rng, survey_year - GRADE_AGE[grade] - 1)
        while pnr in ids:
            pnr = fake_identifier(rng, survey_year - GRADE_AGE[grade] - 1)
        ids.add(pnr)
        consent = "nej" if rng.random() < NO_CONSENT else "ja"
        row = [pnr, muni, school, grade, sex, consent]
        for q in definition.questions:
            if rng.random() < ITEM_NONRESPONSE:
                row.append("")
                continue
            row.append(draw_answer(rng, q, good_answer_probability(q, grade, sex, shift[school])))
        rows.append(row)
    return write_wave(out, wave, definition, rows, enrolled)


def good_answer_probability(q: Question, grade: str, sex: str, school_shift: float) -> float:
    """P(an indicator answer) for a pupil: the grade's level, lower for girls in år 7 and gy1,
    the school's own shift; kept inside 0.01–0.99."""
    p = _POSITIVE[q.id][grade] + school_shift
    if sex == "K" and grade in ("7", "gy1"):
        p += _GIRL_SHIFT[q.id]
    return min(max(p, 0.01), 0.99)


def take_part_probability(grade: str, sex: str) -> float:
    """P(an enrolled pupil takes part): lower in higher grades, and for boys in år 7 and gy1."""
    return _RESPONSE[grade] + (_BOY_RESPONSE_SHIFT if sex == "M" and grade in ("7", "gy1")
                               else 0.0)


def draw_answer(rng: np.random.Generator, q: Question, p: float) -> str:
    """One answer code: an indicator ("good") code with probability p, else a poorer one, the
    worst the rarest."""
    codes = list(q.answers)
    good = [c for c in codes if c in q.indicator_codes]
    bad = [c for c in codes if c not in q.indicator_codes]
    if rng.random() < p:
        return good[int(rng.integers(len(good)))] if len(good) > 1 else good[0]
    w = np.array([0.5 ** i for i in range(len(bad))])
    return bad[int(rng.choice(len(bad), p=w / w.sum()))]


def write_wave(out: Path, wave: str, definition: Questionnaire, rows: list[list[str]],
               enrolled: dict[tuple[str, str, str], int]) -> GeneratedWave:
    """Write a wave's three files into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    qpath = out / QUESTIONNAIRE_FILE
    qpath.write_text(DEFINITION_TOML.format(wave=wave), encoding="utf-8")
    rpath = out / RESPONSES_FILE
    with rpath.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([*FIXED_COLUMNS, *(q.id for q in definition.questions)])
        writer.writerows(rows)
    ppath = out / POPULATION_FILE
    with ppath.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(POPULATION_COLUMNS)
        for (muni, grade, sex), count in sorted(enrolled.items()):
            writer.writerow([muni, grade, sex, count])
    return GeneratedWave(out, rpath, qpath, len(rows), tuple(r[0] for r in rows), ppath,
                         sum(enrolled.values()))
