"""Survey estimate benchmark (issue 19): every question × municipality × grade × sex, weighted.

Generates a synthetic wave of 200 000 pupils (``jamlik.surveys.generate_wave``) in a temporary
folder — never in the repository — imports it (pseudonymised), then times (median of 3 after a
warm-up) ``jamlik.surveys.estimate`` for every question by municipality × grade × sex
(post-stratification weights, linearised design-based limits, suppression) against the plain
unweighted DuckDB ``GROUP BY`` that counts respondents and "good" answers per cell.

    python bench/bench_survey.py [--pupils 200000]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from bench_prioritisation import _time  # the same timing loop (bench/ is on sys.path)

from jamlik.store import Store
from jamlik.surveys import estimate, generate_wave, import_wave, questionnaire

BY = ["municipality", "grade", "sex"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=200_000)
    args = parser.parse_args()
    key = os.urandom(32).hex().encode()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        generate_wave(args.pupils, root / "wave", seed=19)
        generated = time.perf_counter() - start
        with Store(root / "s.duckdb") as store:
            start = time.perf_counter()
            report = import_wave(store, root / "wave", key)
            imported = time.perf_counter() - start
            questions = questionnaire(store).questions

            def plain() -> None:
                for q in questions:
                    marks = ", ".join(f"'{c}'" for c in q.indicator_codes)
                    store.execute(
                        f"SELECT {', '.join(BY)}, count(*) AS n, count(*) FILTER (WHERE answer IN "
                        f"({marks})) AS x FROM survey_responses WHERE question = ? AND answer IS "
                        f"NOT NULL GROUP BY ALL", [q.id]).fetchall()

            def weighted() -> None:
                for q in questions:
                    estimate(store, q.id, BY)

            cells = sum(len(estimate(store, q.id, BY)) for q in questions)
            t_plain = _time(plain, runs=3)
            t_weighted = _time(weighted, runs=3)
    print(json.dumps({
        "case": "survey_estimate_every_question_by_municipality_grade_sex",
        "pupils": args.pupils, "stored": report.stored, "questions": len(questions),
        "cells": cells, "generate_seconds": round(generated, 2),
        "import_seconds": round(imported, 2),
        "group_by_seconds": round(t_plain, 3), "weighted_seconds": round(t_weighted, 3),
        "ratio": round(t_weighted / t_plain, 2),
    }))


if __name__ == "__main__":
    main()
