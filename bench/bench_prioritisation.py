"""Prioritisation benchmark: bootstrap rank intervals for a realistic round (issue 16).

SYNTHETIC DATA: 60 participants from 20 organisations rating 30 proposals on 1–9, with 10 %
missing answers, generated here for timing only. Prints one JSON object per measurement with the
median time per call over several runs. Goal: 30 proposals × 60 participants × 2 000 resamples
well under a second (clustered by organisation and per participant), so a facilitator's live
dashboard can recompute on every answer.

    python bench/bench_prioritisation.py
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

import numpy as np

from jamlik import stats


def _time(fn: Callable[[], object], runs: int = 7) -> float:
    fn()  # warm-up
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return statistics.median(out)


def main() -> None:
    rng = np.random.default_rng(2026)
    orgs = np.repeat(np.arange(20), 3)
    r = np.clip(np.rint(rng.uniform(3, 8, 30)[None, :] + rng.normal(0, 1.2, (60, 30))), 1, 9)
    r[rng.random(r.shape) < 0.10] = np.nan
    cases = {
        "bootstrap_ranks_clustered_30x60x2000": lambda: stats.bootstrap_ranks(
            r, clusters=orgs, resamples=2000, seed=1),
        "bootstrap_ranks_participants_30x60x2000": lambda: stats.bootstrap_ranks(
            r, resamples=2000, seed=1),
        "top_list_verdict_30x60x2000": lambda: stats.top_list_verdict(
            r, clusters=orgs, resamples=2000, seed=1),
        "krippendorff_alpha_interval_ordinal_30x60x2000": lambda: stats.krippendorff_alpha_interval(
            r, resamples=2000, seed=1),
        "kendall_w_30x60": lambda: stats.kendall_w(np.nan_to_num(r, nan=5)),
    }
    for name, fn in cases.items():
        print(json.dumps({"case": name, "seconds": round(_time(fn), 4)}))
    _workflow(rng)


def _workflow(rng: np.random.Generator) -> None:
    """The whole workflow on a SQLite workflow database: 60 participants (20 organisations)
    rate the Samling's 30 areas on 4 criteria (7 200 answers), then ``results`` (per theme:
    weighted sum, bootstrap ranks, RAND/UCLA, consensus, α, verdict) with 2 000 resamples."""
    import tempfile
    from pathlib import Path

    from jamlik.prioritisation import SAMLING_CRITERIA, Prioritisation
    from jamlik.steering import open_workflow

    with tempfile.TemporaryDirectory() as tmp:
        wf = open_workflow(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        prio = Prioritisation(wf.engine)
        prio.install_samling("bench")
        rnd = prio.create_round("bench", "samling-dalarna", "Bänk")
        prio.open_round("bench", rnd.id)
        start = time.perf_counter()
        for i in range(60):
            _, token = prio.invite("bench", rnd.id, organisation=f"org{i // 3}", group="kommun")
            prio.save_answers(rnd.id, token, [
                (str(k), c, int(rng.integers(1, 10))) for k in range(1, 31)
                for c, _ in SAMLING_CRITERIA], submit=True)
        saving = time.perf_counter() - start
        print(json.dumps({"case": "workflow_save_answers_60x30x4_sqlite",
                          "seconds": round(saving, 4),
                          "per_participant": round(saving / 60, 4)}))
        print(json.dumps({"case": "workflow_results_30x60x2000_sqlite",
                          "seconds": round(_time(lambda: prio.results(rnd.id), runs=3), 4)}))
        wf.close()


if __name__ == "__main__":
    main()
