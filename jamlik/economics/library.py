"""The parameter library: values with their source, price year and licence, and a case's own
values shown as such; target-group sizes read from the indicator store.

``library()`` reads data/parameters.csv. Each value says where it comes from (``source``),
its price year (None when the source we read does not state it — then it cannot be converted
to another price year, and ``in_price_year`` says so rather than guess) and what may be done
with it (``licence``). ``resolve(overrides)`` returns every value with ``origin``
"bibliotek" (the library's) or "eget värde" (the user's own, which wins and is shown as such).

Only values we could source are shipped: the unit costs the issue lists (placements,
försörjningsstöd, special support in school, BUP, psychiatry, sick leave, unemployment, crime)
are not — we found no Swedish source for them that we could check here (docs/ECONOMICS.md).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from jamlik.economics.case import Case, CaseError, Param
from jamlik.economics.prices import KPI_SOURCE, kpi, to_price_year
from jamlik.store import Store


@dataclass(frozen=True)
class LibraryValue:
    key: str
    label_sv: str
    value: float
    unit: str
    payer: str
    price_year: int | None
    source: str
    licence: str
    note: str = ""
    #: "bibliotek" (shipped) or "eget värde" (the user's own)
    origin: str = "bibliotek"

    def in_price_year(self, year: int) -> tuple[float, str]:
        """The value in ``year``'s prices with KPI, and the sentence saying how."""
        if self.price_year is None:
            raise ValueError(f"{self.label_sv}: prisåret saknas i källan — värdet kan inte "
                             "räknas om till ett annat prisår (ange prisåret först).")
        converted = to_price_year(self.value, self.price_year, year, kpi())
        return converted, (f"omräknat från {self.price_year} till {year} års priser med KPI "
                           f"({KPI_SOURCE})")

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label_sv": self.label_sv, "value": self.value,
                "unit": self.unit, "payer": self.payer, "price_year": self.price_year,
                "source": self.source, "licence": self.licence, "note": self.note,
                "origin": self.origin}


@lru_cache(maxsize=1)
def _library() -> tuple[LibraryValue, ...]:
    path = resources.files("jamlik.economics") / "data" / "parameters.csv"
    with path.open(encoding="utf-8") as fh:
        return tuple(LibraryValue(
            key=r["key"], label_sv=r["label_sv"], value=float(r["value"]), unit=r["unit"],
            payer=r["payer"], price_year=int(r["price_year"]) if r["price_year"] else None,
            source=r["source"], licence=r["licence"], note=r["note"])
            for r in csv.DictReader(fh))


def library() -> dict[str, LibraryValue]:
    """The shipped values by key."""
    return {v.key: v for v in _library()}


def resolve(overrides: dict[str, Any] | None = None) -> list[LibraryValue]:
    """Every library value, the user's own values replacing them (origin "eget värde").

    overrides: key -> a number, or {value, source, price_year}. An unknown key is a user's
    own parameter too. A non-finite or missing number is refused (ValueError, Swedish).
    """
    out = dict(library())
    for key, raw in (overrides or {}).items():
        spec = raw if isinstance(raw, dict) else {"value": raw}
        value = spec.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float) or \
                not math.isfinite(value):
            raise ValueError(f'eget värde för "{key}": {value!r} är inget ändligt tal.')
        base = out.get(key)
        out[key] = LibraryValue(
            key=key, label_sv=base.label_sv if base else key, value=float(value),
            unit=base.unit if base else str(spec.get("unit", "")),
            payer=base.payer if base else str(spec.get("payer", "")),
            price_year=spec.get("price_year"), source=str(spec.get("source") or "eget värde"),
            licence="användarens eget värde", note=str(spec.get("note", "")),
            origin="eget värde")
    return list(out.values())


# -- target groups from the store ----------------------------------------------------------
#: Population series in the store that can size a target group (Kolada, number of people).
TARGET_GROUPS: dict[str, str] = {
    "N01952": "invånare 0–5 år",
    "N01953": "invånare 6–15 år",
    "N01954": "invånare 16–19 år",
    "N01955": "invånare 20–64 år",
}


@dataclass(frozen=True)
class StoreValue:
    indicator: str
    area: str
    period: int
    value: float
    label: str
    source: str

    @property
    def sentence(self) -> str:
        n = f"{self.value:,.0f}".replace(",", "\u202f")
        return (f"{self.label} i {self.area} {self.period}: {n} ({self.source}, "
                f"indikator {self.indicator})")


def target_group_from_store(store: Store, area: str, indicator: str = "N01952",
                            year: int | None = None) -> StoreValue:
    """The size of a target group: a population count from the store (latest year by
    default), e.g. children 0–5 in Falun (N01952, 2080). ValueError (Swedish) when the store
    has no such value — never a guess."""
    if indicator not in TARGET_GROUPS:
        raise ValueError(f'"{indicator}" är ingen befolkningsserie för en målgrupp — välj '
                         f'bland {", ".join(f"{k} ({v})" for k, v in TARGET_GROUPS.items())}.')
    obs = store.observations(indicator, areas=area, sex="T")
    obs = obs[obs["value"].notna()]
    if year is not None:
        obs = obs[obs["period"] == year]
    if obs.empty:
        raise ValueError(f"{TARGET_GROUPS[indicator]} i {area}"
                         f"{f' år {year}' if year else ''} finns inte i databasen.")
    row = obs.sort_values("period").iloc[-1]
    value = float(row["value"])
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{TARGET_GROUPS[indicator]} i {area}: värdet saknas.")
    return StoreValue(indicator, area, int(row["period"]), value, TARGET_GROUPS[indicator],
                      str(row.get("source") or "Kolada (RKA)"))


def with_target_group(case: Case, value: StoreValue, share: float = 1.0) -> Case:
    """The case with its target-group size from the store (× ``share`` of that population,
    e.g. the share at raised risk), the source kept in the case so it stays linked."""
    if not 0 < share <= 1:
        raise CaseError(f"andelen av {value.label} ska ligga mellan 0 och 1 (nu {share:g}).")
    size = value.value * share
    note = value.sentence + (f" × andel {share:g}".replace(".", ",") if share != 1 else "")
    return replace(case, target_group=Param(size, source=note),
                   target_group_source=note)
