"""The parameter library: values with their source, price year and licence, and a case's own
values shown as such; target-group sizes read from the indicator store.

``library()`` reads data/parameters.csv. Each value says where it comes from (``source``),
its price year (None when the source we read does not state it — then it cannot be converted
to another price year, and ``in_price_year`` says so rather than guess) and what may be done
with it (``licence``). ``resolve(overrides)`` returns every value with ``origin``
"bibliotek" (the library's) or "eget värde" (the user's own, which wins and is shown as such).

Unit costs from Kolada (``KOLADA_UNIT_COSTS``, data/kolada_unit_costs.csv, copied from the real
Kolada dump by scripts/kolada_unit_costs.py): Riket's value in the library with the spread
between municipalities (10th–90th percentile) as its range, and ``unit_cost(key, area)`` gives an
area's own value. Kolada has no cost per placement, per BUP or psychiatry contact, per sick-leave
day, per unemployed person or per crime; those stay the user's own values ("eget värde") —
docs/ECONOMICS.md lists what was searched.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from jamlik.economics.case import Case, CaseError, Param
from jamlik.economics.prices import KPI_SOURCE, kpi, to_price_year
from jamlik.format import fmt_num
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
    #: a range for the uncertainty analysis (for Kolada values: 10th–90th percentile between
    #: municipalities or regions), None when the source gives none
    low: float | None = None
    high: float | None = None

    @property
    def monetary(self) -> bool:
        """False for counts and shares (e.g. placements per 1 000), which have no price year."""
        return not self.unit.startswith(("antal", "andel"))

    def in_price_year(self, year: int) -> tuple[float, str]:
        """The value in ``year``'s prices with KPI, and the sentence saying how."""
        if not self.monetary:
            raise ValueError(f"{self.label_sv}: {self.unit} är inget belopp — det har inget "
                             "prisår att räkna om.")
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
                "origin": self.origin, "low": self.low, "high": self.high}


@lru_cache(maxsize=1)
def _library() -> tuple[LibraryValue, ...]:
    path = resources.files("jamlik.economics") / "data" / "parameters.csv"
    with path.open(encoding="utf-8") as fh:
        return tuple(LibraryValue(
            key=r["key"], label_sv=r["label_sv"], value=float(r["value"]), unit=r["unit"],
            payer=r["payer"], price_year=int(r["price_year"]) if r["price_year"] else None,
            source=r["source"], licence=r["licence"], note=r["note"],
            low=float(r["low"]) if r.get("low") else None,
            high=float(r["high"]) if r.get("high") else None)
            for r in csv.DictReader(fh))


def library() -> dict[str, LibraryValue]:
    """The shipped values by key: parameters.csv and Riket's Kolada unit costs."""
    out = {v.key: v for v in _library()}
    for key in _kolada():
        out[key] = unit_cost(key)
    return out


# -- unit costs from Kolada ---------------------------------------------------------------
#: Where the Kolada values come from (shown with each of them).
KOLADA_DUMP = ("hämtat ur open-numbers/ddf--kolada--dump @8501d5c (Kolada API, augusti 2024), "
               "kopierat med scripts/kolada_unit_costs.py")
KOLADA_LICENCE = "Kolada öppna data (RKA); fri att använda med källan angiven: Kolada (RKA)"

#: KPI → (key, Swedish label, unit, payer, level: kommun or region)
KOLADA_UNIT_COSTS: dict[str, tuple[str, str, str, str, str]] = {
    "N31006": ("forsorjningsstod_hushall_ar",
               "Utbetalt ekonomiskt bistånd (försörjningsstöd) per hushåll och år, exkl. "
               "flyktinghushåll", "kr per hushåll och år", "kommun", "kommun"),
    "N31805": ("forsorjningsstod_hushall_manad",
               "Genomsnittlig månadsutbetalning av ekonomiskt bistånd per hushåll, exkl. "
               "flyktinghushåll", "kr per hushåll och biståndsmånad", "kommun", "kommun"),
    "N15008": ("grundskola_elev_ar", "Kostnad för kommunal grundskola åk 1–9 per elev och år",
               "kr per elev och år", "kommun", "kommun"),
    "N17007": ("gymnasieskola_elev_ar", "Kostnad för kommunal gymnasieskola per elev och år",
               "kr per elev och år", "kommun", "kommun"),
    "N18027": ("anpassad_grundskola_elev_ar",
               "Kostnad för kommunal anpassad grundskola per elev och år",
               "kr per elev och år", "kommun", "kommun"),
    "N18034": ("anpassad_gymnasieskola_elev_ar",
               "Kostnad för kommunal anpassad gymnasieskola per elev och år",
               "kr per elev och år", "kommun", "kommun"),
    "N33001": ("barn_ungdomsvard_per_invanare",
               "Kostnad för barn- och ungdomsvård (HVB, familjehem, öppenvård) per invånare",
               "kr per invånare och år", "kommun", "kommun"),
    "N33816": ("placerade_hvb_per_1000",
               "Barn och unga 0–20 år placerade på HVB någon gång under året",
               "antal per 1 000 invånare 0–20 år", "kommun", "kommun"),
    "N33817": ("placerade_familjehem_per_1000",
               "Barn och unga 0–20 år placerade i familjehem någon gång under året",
               "antal per 1 000 invånare 0–20 år", "kommun", "kommun"),
    "N35001": ("missbruksvard_vuxna_per_invanare",
               "Kostnad för missbruksvård för vuxna per invånare", "kr per invånare och år",
               "kommun", "kommun"),
    "N40008": ("arbetsmarknadsatgarder_per_invanare",
               "Kostnad för kommunens arbetsmarknadsåtgärder per invånare",
               "kr per invånare och år", "kommun", "kommun"),
    "N70060": ("halso_sjukvard_per_invanare",
               "Nettokostnad för hälso- och sjukvård (exkl. tandvård) per invånare i regionen",
               "kr per invånare och år", "region", "region"),
}
_KPI_OF = {spec[0]: kpi for kpi, spec in KOLADA_UNIT_COSTS.items()}
RIKET = "0000"


@lru_cache(maxsize=1)
def _kolada() -> dict[str, tuple[int, dict[str, float]]]:
    """key → (year, area → value) from data/kolada_unit_costs.csv."""
    path = resources.files("jamlik.economics") / "data" / "kolada_unit_costs.csv"
    out: dict[str, tuple[int, dict[str, float]]] = {}
    values: dict[str, dict[str, float]] = defaultdict(dict)
    years: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            values[r["key"]][r["area"]] = float(r["value"])
            years[r["key"]] = int(r["year"])
    for key, by_area in values.items():
        out[key] = (years[key], dict(by_area))
    return out


def _percentile(xs: list[float], q: float) -> float:
    """Linear-interpolation percentile (numpy's default, "linear" / Hyndman & Fan type 7)."""
    xs = sorted(xs)
    pos = (len(xs) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def unit_cost(key: str, area: str | None = None) -> LibraryValue:
    """A Kolada unit cost: ``area``'s own value (municipality or region code) or, when the area
    has none or none is given, Riket's with the spread between areas as its range. The source
    names the KPI, area, year and price year (Kolada's costs are in the year's prices)."""
    data = _kolada()
    if key not in data:
        raise KeyError(f'"{key}" är ingen enhetskostnad ur Kolada — välj bland '
                       f'{", ".join(sorted(data))}.')
    kpi = _KPI_OF[key]
    _, label, unit, payer, level = KOLADA_UNIT_COSTS[kpi]
    year, by_area = data[key]
    others = [v for a, v in by_area.items() if a != RIKET]
    p10, p90 = _percentile(others, 0.1), _percentile(others, 0.9)
    low: float | None = p10
    high: float | None = p90
    decimals = 0 if unit.startswith("kr") else 1
    spread = (f"Intervallet {fmt_num(p10, 'sv', decimals)}–{fmt_num(p90, 'sv', decimals)} är "
              f"10:e–90:e percentilen bland {len(others)} "
              f"{'kommuner' if level == 'kommun' else 'regioner'} {year} (skillnader mellan "
              "områden, inte osäkerhet i värdet).")
    own = area is not None and area != RIKET and area in by_area
    where = area if own else "Riket"
    if own:
        # an area's own value: the spread between areas is not its uncertainty — no range
        note = (f"Eget värde för {area}; Riket {fmt_num(by_area[RIKET], 'sv', decimals)}. "
                + spread)
        low = high = None
    else:
        value = by_area[RIKET]
        low, high = min(p10, value), max(p90, value)
        note = (f"{area} saknar värde {year}; Rikets värde används. " if area not in (None, RIKET)
                else "") + spread
    monetary = unit.startswith("kr")
    return LibraryValue(
        key=key, label_sv=label, value=by_area[area if own and area else RIKET], unit=unit,
        payer=payer, price_year=year if monetary else None,
        source=(f"Källa: Kolada (RKA), KPI {kpi}, {where}, {year}"
                + (f", löpande priser (prisår {year})" if monetary else "") + f"; {KOLADA_DUMP}"),
        licence=KOLADA_LICENCE, note=note, low=low, high=high)


def unit_costs() -> list[str]:
    """The keys of the Kolada unit costs that are amounts (kr), for choosing in a case."""
    return [spec[0] for spec in KOLADA_UNIT_COSTS.values() if spec[2].startswith("kr")]


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
TARGET_GROUPS_EN: dict[str, str] = {
    "N01952": "residents aged 0–5",
    "N01953": "residents aged 6–15",
    "N01954": "residents aged 16–19",
    "N01955": "residents aged 20–64",
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


def apply_unit_costs(data: dict[str, Any], area: str | None = None) -> dict[str, Any]:
    """Every ``[[cost]]`` and ``[[outcome]]`` row with ``library = KEY`` gets its amount from
    ``unit_cost(KEY, area)`` (value, range and source; × ``library_factor`` when given, e.g.
    −1 for a cost the payer saves when the bad outcome happens), so a case names where its unit costs
    come from and follows the area's own Kolada values. Changes ``data`` in place and returns
    it; an unknown key is a CaseError naming the row."""
    for section in ("cost", "outcome"):
        for i, row in enumerate(data.get(section) or [], start=1):
            key = row.get("library") if isinstance(row, dict) else None
            if not key:
                continue
            try:
                v = unit_cost(str(key), area)
            except KeyError as exc:
                raise CaseError(f"[[{section}]] nr {i}: {exc.args[0]}") from None
            if not v.monetary:
                raise CaseError(f"[[{section}]] nr {i}: {v.label_sv} ({v.unit}) är inget "
                                "belopp.")
            factor = row.get("library_factor", 1)
            if isinstance(factor, bool) or not isinstance(factor, int | float) or \
                    not math.isfinite(factor):
                raise CaseError(f"[[{section}]] nr {i}: library_factor {factor!r} är inget tal.")
            amount: dict[str, Any] = {"value": v.value * factor, "source": v.source + (
                f" (× {fmt_num(factor, 'sv', 2)})" if factor != 1 else "")}
            if v.low is not None and v.high is not None:
                lo, hi = sorted((v.low * factor, v.high * factor))
                amount.update(low=lo, high=hi)
            row["amount"] = amount
    return data
