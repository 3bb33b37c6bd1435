"""Good examples where the steering loop's decisions are made ("andra som arbetat med detta").

The knowledge bank (``jamlik.knowledge``, a lower layer) is read once per bank file:
``JAMLIK_EXAMPLES`` or the shipped bank. A deviation shows the examples sharing its indicator
or its målområden, a plan the examples sharing its goals' målområden; an activity taken from
an example keeps the example's id (``activities.example_id``), so both sides show the link.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from jamlik.knowledge import Example, Related, load_bank, related_examples
from jamlik.store import Store

#: examples shown beside one deviation or plan
LIMIT = 3


@lru_cache(maxsize=4)
def _bank(path: str) -> tuple[Example, ...]:
    return tuple(load_bank(Path(path) if path else None))


def bank() -> tuple[Example, ...]:
    """The bank the pages show: ``JAMLIK_EXAMPLES``, else the shipped one."""
    return _bank(os.environ.get("JAMLIK_EXAMPLES", ""))


def find_example(example_id: str) -> Example | None:
    return next((e for e in bank() if e.id == example_id), None)


def for_deviations(store: Store, area: str,
                   items: Iterable[tuple[int, str, Iterable[int]]],
                   limit: int = LIMIT) -> dict[int, list[Related]]:
    """goal indicator id -> the examples matching its deviation: the indicator itself, its
    målområden in the store and its goal's målområden. Empty outside municipalities."""
    out: dict[int, list[Related]] = {}
    for gi_id, indicator, goal_areas in items:
        try:
            own = store.indicator(indicator).target_areas
        except KeyError:
            own = ()
        try:
            out[gi_id] = related_examples(bank(), area, indicators=[indicator],
                                          malomraden={*own, *goal_areas}, limit=limit)
        except ValueError:  # a county or the nation: examples are per municipality
            out[gi_id] = []
    return out


def for_target_areas(area: str, target_areas: Iterable[int],
                     limit: int | None = None) -> list[Related]:
    """The examples sharing a målområde with a plan's goals (own municipality first)."""
    try:
        return related_examples(bank(), area, malomraden=target_areas, limit=limit)
    except ValueError:
        return []
