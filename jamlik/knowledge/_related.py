"""Examples that match where a decision is made: "andra som arbetat med detta".

Given a municipality and what a deviation (or an action area, a proposal, a plan activity) is
about — its indicators, the Samling's action areas, målområden — the bank's examples that
share at least one of them, ranked: a shared indicator weighs 3, a shared action area 2, a
shared målområde 1; the municipality's own examples first, then the county's, then the rest.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from jamlik import catalog
from jamlik.knowledge._model import Example
from jamlik.store import Store

#: why an example matches, (Swedish, English): "samma målområde: 3" / "same target area: 3"
REASONS: dict[str, tuple[str, str]] = {
    "indicator": ("samma indikator", "same indicator"),
    "action_area": ("samma åtgärdsområde", "same action area"),
    "target_area": ("samma målområde", "same target area"),
}


@dataclass(frozen=True)
class Related:
    """One matching example, why it matches (Swedish ``reasons``, English ``reasons_en``, from
    the same ``REASONS``) and where it is from."""

    example: Example
    score: float
    #: 0 the municipality's own, 1 the same county, 2 elsewhere
    proximity: int
    reasons: tuple[str, ...]
    reasons_en: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {**self.example.as_json(), "score": self.score, "proximity": self.proximity,
                "reasons": list(self.reasons), "reasons_en": list(self.reasons_en)}


@functools.lru_cache(maxsize=1)
def _parents() -> dict[str, str]:
    df = catalog.municipalities()
    return dict(zip(df["code"], df["parent"], strict=True))


def _county(code: str) -> str:
    return _parents().get(code, "")


def related_examples(examples: Iterable[Example], municipality: str, *,
                     action_areas: Iterable[int] = (), malomraden: Iterable[int] = (),
                     indicators: Iterable[str] = (), limit: int | None = 5) -> list[Related]:
    """The examples sharing an indicator, action area or målområde with what is asked, best first.

    municipality: the SCB code the decision is made for (its own examples rank first).
    Raises ValueError (Swedish) for an unknown municipality code.
    """
    county = _county(municipality)
    if not county:
        raise ValueError(f'"{municipality}" är ingen känd kommunkod — ange SCB:s kod, t.ex. '
                         "2081 för Borlänge.")
    want_aa, want_mo, want_ind = set(action_areas), set(malomraden), set(indicators)
    out = []
    for e in examples:
        ind = sorted(want_ind & set(e.indicators))
        aa = sorted(want_aa & set(e.action_areas))
        mo = sorted(want_mo & set(e.malomraden))
        score = 3.0 * len(ind) + 2.0 * len(aa) + 1.0 * len(mo)
        if not score:
            continue
        shared = [(REASONS[kind], ", ".join(map(str, codes))) for kind, codes in
                  (("indicator", ind), ("action_area", aa), ("target_area", mo)) if codes]
        reasons = tuple(f"{words[0]}: {codes}" for words, codes in shared)
        reasons_en = tuple(f"{words[1]}: {codes}" for words, codes in shared)
        if municipality in e.municipality_codes:
            proximity = 0
        elif any(_county(c) == county for c in e.municipality_codes):
            proximity = 1
        else:
            proximity = 2
        out.append(Related(e, score, proximity, reasons, reasons_en))
    out.sort(key=lambda r: (r.proximity, -r.score, r.example.id))
    return out if limit is None else out[:limit]


def related_to_indicator(store: Store, examples: Iterable[Example], municipality: str,
                         indicator: str, *, limit: int | None = 5) -> list[Related]:
    """Examples for a deviation on ``indicator``: its own id and its målområden in the store."""
    try:
        target_areas = store.indicator(indicator).target_areas
    except KeyError:
        target_areas = ()
    return related_examples(examples, municipality, indicators=[indicator],
                            malomraden=target_areas, limit=limit)
