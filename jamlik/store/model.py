"""The domain model: areas, indicators, observations and their vocabularies.

Code names are English; the Swedish words users see live in ``LABELS_SV``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class AreaType(StrEnum):
    NATION = "nation"
    COUNTY = "county"
    MUNICIPALITY = "municipality"
    DISTRICT = "district"  # NYKO, DeSO, RegSO
    CUSTOM = "custom"


class Polarity(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NO_JUDGEMENT = "no_judgement"

    @classmethod
    def parse(cls, text: str | None) -> Polarity:
        """Accept the enum value or the catalogue's prose ("higher is better: ...")."""
        if not text:
            return cls.NO_JUDGEMENT
        head = text.split(":", 1)[0].strip().lower().replace(" ", "_")
        return cls(head)


class MeasureType(StrEnum):
    PROPORTION = "proportion"
    RATE = "rate"
    MEAN = "mean"
    COUNT = "count"
    RATIO = "ratio"
    INDEX = "index"
    YEARS = "years"
    CURRENCY = "currency"


class DataKind(StrEnum):
    REGISTER = "register"
    SURVEY = "survey"
    ADMINISTRATIVE = "administrative"


class Sex(StrEnum):
    TOTAL = "T"
    WOMEN = "K"
    MEN = "M"


class Status(StrEnum):
    FINAL = "final"
    PRELIMINARY = "preliminary"


class SuppressionReason(StrEnum):
    """Why a value is missing; the symbols are Kolada's and SCB's."""

    CONFIDENTIAL = "confidential"  # ".." sekretess / för få observationer
    MISSING = "missing"  # "-" bortfall / uppgift saknas
    NOT_APPLICABLE = "not_applicable"  # "." ej tillämplig
    SMALL_COUNT = "small_count"  # suppressed by jamlik under the count threshold

    @classmethod
    def from_symbol(cls, symbol: str) -> SuppressionReason | None:
        return _SYMBOLS.get(symbol.strip())


_SYMBOLS = {
    "..": SuppressionReason.CONFIDENTIAL,
    "-": SuppressionReason.MISSING,
    "–": SuppressionReason.MISSING,
    ".": SuppressionReason.NOT_APPLICABLE,
    "": SuppressionReason.MISSING,
}

#: Missing-value symbols read from files and sources.
MISSING_SYMBOLS = frozenset(_SYMBOLS)

#: The store's domain codes in words users read: code → (Swedish, English), one catalogue.
LABELS: dict[str, tuple[str, str]] = {
    "nation": ("Riket", "Sweden"),
    "county": ("Län/region", "County/region"),
    "municipality": ("Kommun", "Municipality"),
    "district": ("Delområde", "District"),
    "custom": ("Eget område", "Custom area"),
    "higher_is_better": ("Högre är bättre", "Higher is better"),
    "lower_is_better": ("Lägre är bättre", "Lower is better"),
    "no_judgement": ("Ingen bedömning", "No judgement"),
    "register": ("Registerdata", "Register data"),
    "survey": ("Enkätdata", "Survey data"),
    "administrative": ("Administrativa data", "Administrative data"),
    "T": ("Totalt", "Total"),
    "K": ("Kvinnor", "Women"),
    "M": ("Män", "Men"),
    "final": ("Slutligt", "Final"),
    "preliminary": ("Preliminärt", "Preliminary"),
    "confidential": ("Skyddat (sekretess eller för få svar)",
                     "Suppressed (confidential or too few answers)"),
    "missing": ("Uppgift saknas", "Missing"),
    "not_applicable": ("Ej tillämpligt", "Not applicable"),
    "small_count": ("Skyddat: för litet antal", "Suppressed: too small a number"),
}
LABELS_SV: dict[str, str] = {code: pair[0] for code, pair in LABELS.items()}
LABELS_EN: dict[str, str] = {code: pair[1] for code, pair in LABELS.items()}


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    type: AreaType
    parent: str | None = None
    kolada_code: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None


@dataclass(frozen=True)
class Component:
    """One source KPI that supplies one category of a composite indicator."""

    source_kpi: str
    dimension: str  # "sex" or a breakdown dimension such as "income_quintile"
    category: str  # "K", "M", or "1".."5"


@dataclass(frozen=True)
class Indicator:
    id: str
    title_sv: str
    title_en: str | None = None
    description: str | None = None
    unit: str | None = None
    measure_type: MeasureType = MeasureType.PROPORTION
    multiplier: float = 1.0
    polarity: Polarity = Polarity.NO_JUDGEMENT
    data_kind: DataKind = DataKind.REGISTER
    source: str | None = None
    #: years a published value covers, ending in the year it is published under
    period_span: int = 1
    by_sex: bool = False
    #: Kolada KPI that publishes this indicator's osäkerhetstal (margin)
    margin_indicator: str | None = None
    target_areas: tuple[int, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    components: tuple[Component, ...] = field(default=())
    attribution: str | None = None


def period_label(period: int, period_start: int | None) -> str:
    """'2022' or '2019–2022' (a pooled span published under its last year)."""
    if period_start is None or period_start == period:
        return str(period)
    return f"{period_start}–{period}"


def period_note_sv(period: int, period_start: int | None) -> str | None:
    """Plain-Swedish note on what a pooled period covers, or None for a single year."""
    if period_start is None or period_start == period:
        return None
    years = period - period_start + 1
    return (
        f"Värdet avser perioden {period_start}–{period} ({years} år sammanslagna) "
        f"och redovisas under {period}."
    )
