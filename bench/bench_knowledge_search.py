"""Search quality of the knowledge bank on the shipped ten examples: for each probe query
(jamlik.knowledge._probes.PROBES) the rank of the example that should come first; prints
the first-hit count and the mean reciprocal rank (a miss counts 0).

    .venv/bin/python bench/bench_knowledge_search.py [--first 19]

``--first N`` scores only the first N probes (19 = the set measured before synonyms).
"""

from __future__ import annotations

import argparse

from jamlik.knowledge._probes import PROBES, quality


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--first", type=int, default=len(PROBES))
    args = parser.parse_args()
    first, mrr, ranks = quality(PROBES[: args.first])
    for query, rank in ranks:
        print(f"{rank or '-':>3}  {query}")
    print(f"first hit {first} of {len(ranks)}, MRR {mrr:.3f}")


if __name__ == "__main__":
    main()
