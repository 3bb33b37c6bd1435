"""Synthetic yearly waves in which the same pupils come back: förskoleklass → år 4 → år 7 → gy1.

A regional student-health database asks every pupil in förskoleklass, år 4, år 7 and gymnasiet
år 1 each year, so a pupil answers four times over ten years. ``generate_panel`` writes one
wave folder per year (``DIR/2020``, ``DIR/2021``, …) for Dalarna's municipalities: birth
cohorts move up a grade stage as the years pass, each pupil keeps a persistent well-being
trait (so answers correlate over time, as real ones do), about 3 % move away each year
(attrition), and participation and consent vary by wave. Same seed → same files. Entirely
made up; the identifiers are personnummer-shaped but name no one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jamlik.surveys._definition import GRADE_AGE, GRADES, parse_questionnaire
from jamlik.surveys._generate import (
    DEFINITION_TOML,
    ITEM_NONRESPONSE,
    NO_CONSENT,
    GeneratedWave,
    dalarna_municipalities,
    draw_answer,
    fake_identifier,
    good_answer_probability,
    take_part_probability,
    write_wave,
)

#: Share of pupils who move out of the county each year.
MOVE_AWAY = 0.03
#: How strongly the persistent trait moves the logit of a good answer (SD of the pupil effect).
TRAIT_SD = 1.0


@dataclass
class _Pupil:
    identifier: str
    municipality: str
    sex: str
    birth_year: int
    trait: float
    moved_away: int  # the first year the pupil is no longer in the county (large: never)


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def generate_panel(pupils: int, out: Path, *, years: int = 7, last_year: int = 2026,
                   seed: int = 0) -> list[GeneratedWave]:
    """Write ``years`` yearly waves ending in ``last_year`` into ``out/<year>/``; ``pupils`` is
    about the number of enrolled pupils per wave (four grades)."""
    if pupils < 8:
        raise ValueError(f"--pupils ska vara minst 8 (fick {pupils}).")
    if not 1 <= years <= 15:
        raise ValueError(f"--years ska vara 1–15 (fick {years}).")
    rng = np.random.default_rng(seed)
    munis = dalarna_municipalities()
    schools = {m: [f"{m}-S{j + 1:02d}" for j in range(int(rng.integers(2, 7)))] for m in munis}
    shift = {s: float(rng.normal(0, 0.04)) for ss in schools.values() for s in ss}
    first_year = last_year - years + 1
    per_cohort = max(pupils // (len(GRADES) * len(munis)), 1)
    # every birth cohort that is in one of the four grades in some wave
    births = sorted({y - GRADE_AGE[g] - 1 for y in range(first_year, last_year + 1) for g in GRADES})
    people: dict[tuple[str, int], list[_Pupil]] = {}
    ids: set[str] = set()
    for muni in munis:
        for birth in births:
            cohort = []
            for _ in range(max(int(rng.poisson(per_cohort)), 1)):
                pnr = fake_identifier(rng, birth)
                while pnr in ids:
                    pnr = fake_identifier(rng, birth)
                ids.add(pnr)
                # years from school start (age 6) until the pupil moves away
                stay = int(rng.geometric(MOVE_AWAY))
                cohort.append(_Pupil(pnr, muni, "K" if rng.random() < 0.49 else "M", birth,
                                     float(rng.normal(0, TRAIT_SD)), birth + 7 + stay))
            people[muni, birth] = cohort
    waves = []
    for year in range(first_year, last_year + 1):
        definition = parse_questionnaire(DEFINITION_TOML.format(wave=str(year)))
        rows: list[list[str]] = []
        enrolled: dict[tuple[str, str, str], int] = {}
        for muni in munis:
            for grade in GRADES:
                for pupil in people.get((muni, year - GRADE_AGE[grade] - 1), []):
                    if year >= pupil.moved_away:
                        continue
                    cell = (muni, grade, pupil.sex)
                    enrolled[cell] = enrolled.get(cell, 0) + 1
                    if rng.random() >= take_part_probability(grade, pupil.sex):
                        continue
                    school = schools[muni][int(rng.integers(len(schools[muni])))]
                    consent = "nej" if rng.random() < NO_CONSENT else "ja"
                    row = [pupil.identifier, muni, school, grade, pupil.sex, consent]
                    for q in definition.questions:
                        if rng.random() < ITEM_NONRESPONSE:
                            row.append("")
                            continue
                        p = good_answer_probability(q, grade, pupil.sex, shift[school])
                        p = 1 / (1 + math.exp(-(_logit(p) + pupil.trait)))
                        row.append(draw_answer(rng, q, p))
                    rows.append(row)
        waves.append(write_wave(out / str(year), str(year), definition, rows, enrolled))
    return waves
