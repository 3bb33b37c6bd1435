"""Economics benchmark: Monte Carlo of an intervention case (issue 17).

Uses the shipped ILLUSTRATIVE example case (jamlik/economics/examples/foraldrastod.toml; its
numbers are illustrative, not Swedish evidence). Prints one JSON object per measurement with the
median time per call. Goal: 10 000 draws × 15 years × 5 payers (4 payers + society) well under a
second; the whole `run_case` (deterministic results, 3 discount rates, Monte Carlo, thresholds,
tornado) under a second.

    python bench/bench_economics.py
"""

from __future__ import annotations

import json
from pathlib import Path

from bench_prioritisation import _time  # the same timing loop (bench/ is on sys.path)

from jamlik.economics import load_case, monte_carlo_npv, run_case

EXAMPLE = Path(__file__).parents[1] / "jamlik" / "economics" / "examples" / "foraldrastod.toml"


def main() -> None:
    case = load_case(EXAMPLE)
    cases = {
        "monte_carlo_10000_draws_15_years_5_payers_3_horizons": lambda: monte_carlo_npv(
            case, draws=10_000, seed=1),
        "monte_carlo_100000_draws": lambda: monte_carlo_npv(case, draws=100_000, seed=1),
        "run_case_10000_draws_everything": lambda: run_case(case, draws=10_000, seed=1),
    }
    for name, fn in cases.items():
        print(json.dumps({"case": name, "seconds": round(_time(fn), 4)}))


if __name__ == "__main__":
    main()
