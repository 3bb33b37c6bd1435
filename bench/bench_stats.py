"""Statistics benchmark: time per call of each jamlik.stats method on realistic input sizes.

SYNTHETIC DATA: random counts, populations and group values generated here for timing only.
Prints one JSON object per method with the median time per call over several runs.
Goal: SII with 100 000 simulations well under a second (target < 0.1 s); every other method
under a millisecond per call, so that all 290 municipalities × dozens of indicators stay cheap.

    python bench/bench_stats.py
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

import numpy as np

from jamlik import stats


def _time(fn: Callable[[], object], calls: int) -> float:
    fn()  # warm-up
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        runs.append((time.perf_counter() - start) / calls)
    return statistics.median(runs)


def main() -> None:
    rng = np.random.default_rng(2024)
    pops = rng.integers(500, 5000, size=19)
    counts = rng.poisson(pops * 0.01)
    ref_pops = pops * 300
    ref_counts = rng.poisson(ref_pops * 0.01)
    values = np.sort(rng.normal(80, 2, size=10))
    group_pops = rng.integers(5000, 8000, size=10)
    ses = rng.uniform(1.2, 1.8, size=10)
    cases: list[tuple[str, Callable[[], object], int]] = [
        ("proportion_ci", lambda: stats.proportion_ci(65, 100), 2000),
        ("count_ci exact", lambda: stats.count_ci(7), 2000),
        ("rate_ci byars", lambda: stats.rate_ci(1045, 250_000), 2000),
        ("mean_ci (40 values)", lambda: stats.mean_ci(values.tolist() * 4), 2000),
        ("dsr (19 bands)", lambda: stats.dsr(counts, pops), 2000),
        ("isr (19 bands)", lambda: stats.isr(counts, pops, ref_counts, ref_pops), 2000),
        ("sii 100 000 simulations", lambda: stats.sii(values, group_pops, se=ses), 10),
        (
            "inequality_measures birth_region (point)",
            lambda: stats.inequality_measures(
                "birth_region", values[:4], group_pops[:4], favourable=True
            ),
            500,
        ),
        (
            "inequality_measures education (10 000 simulations)",
            lambda: stats.inequality_measures(
                "education",
                values[:3],
                group_pops[:3],
                favourable=True,
                uncertainty=stats.Uncertainty(ses[:3], seed=1),
            ),
            20,
        ),
    ]
    for name, fn, calls in cases:
        seconds = _time(fn, calls)
        print(json.dumps({"method": name, "ms_per_call": round(seconds * 1000, 4)}))


if __name__ == "__main__":
    main()
