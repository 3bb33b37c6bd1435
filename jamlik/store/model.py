"""The domain model: areas, indicators, observations and their vocabularies.

Code names are English; the Swedish words users see live in ``LABELS_SV``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import StrEnum

from jamlik.language import word

#: The largest magnitude a stored number (value, limits, numerator, denominator) may have. No
#: indicator comes near it (a region's costs in kronor are ~1e11); a larger number is an error
#: in the source (an overflow, "1e309", a 400-digit cell), never data.
MAX_ABS_VALUE = 1e15
MAX_ABS_TEXT = "10^15"  # the same, as messages write it
#: The numeric observation columns the guard covers.
NUMBER_COLUMNS = ("value", "lower", "upper", "numerator", "denominator")


def storable(x: float) -> bool:
    """True for a finite number no larger in magnitude than MAX_ABS_VALUE (no inf, no NaN)."""
    return math.isfinite(x) and abs(x) <= MAX_ABS_VALUE


def storable_sql(column: str) -> str:
    """SQL: ``column`` where it is storable, else NULL (for readers of old or hand-edited files)."""
    return (f"CASE WHEN isfinite({column}) AND abs({column}) <= {MAX_ABS_VALUE:.0f} "
            f"THEN {column} END")


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
    #: the population series that is this indicator's base, as one KPI or a sum of KPIs of the
    #: same sex ("N01955", "N01956+N01957"); the analysis derives numerator = value × base /
    #: multiplier from it and computes Wilson/Poisson limits marked as derived
    denominator_indicator: str | None = None
    #: why no honest limits can be given (a median, an index, days per insured person …);
    #: shown in Swedish where the indicator is not significance-tested
    no_limits_reason: str | None = None
    target_areas: tuple[int, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    components: tuple[Component, ...] = field(default=())
    attribution: str | None = None


# Descriptions that name a multi-year average or span ("år T-3 till år T", "treårsmedelvärde",
# "5-årsm", "glidande flerårsmedelvärde för åren T till T-3", "perioden år T, T-1 och T-2").
# "årsmedelvärde" alone is a mean over one year's months and does not count.
_SPAN_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:år|åren|perioden|period)\s+(?:år\s+)?T\s*-\s*(\d)\s*"
                r"(?:till|t\.o\.m\.|–|-)\s*(?:och\s+med\s+)?(?:år\s+)?T\b(?!\s*-)", re.I),
     "plus1"),
    (re.compile(r"\b(?:år|åren|perioden|period)\s+(?:år\s+)?T\s*(?:till|t\.o\.m\.|–|-)\s*"
                r"(?:år\s+)?T\s*-\s*(\d)\b", re.I), "plus1"),
    # "år T, T-1 och T-2" (three or more years listed; "T och T-1" is often a two-count mean
    # of a denominator, not of the value)
    (re.compile(r"\bT(?:\s*,\s*T\s*-\s*\d)+\s*(?:,|och)\s*T\s*-\s*(\d)\b", re.I), "plus1"),
    (re.compile(r"\b(\d)\s*-?\s*års(?:m\b|medel)", re.I), "n"),
    (re.compile(r"\b(två|tre|fyra|fem|sex|sju|åtta|nio|tio)\s*års(?:medel|genomsnitt)", re.I),
     "word"),
)
_QUOTED_TITLE = re.compile(r"\w*\s*,\s*(?:antal|andel)\b")
_NUMBER_WORDS = {"två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
                 "nio": 9, "tio": 10}


def described_period_span(*texts: str | None) -> int | None:
    """The number of years a Kolada title/description says one value averages, or None.

    "avser år T-3 till T" → 4, "Avser genomsnitt för tidsperioden år T-2 till år T" → 3,
    "treårsmedelvärde" / "3-årsm" → 3, "Självmord, 5-årsmedelvärde" → 5; a description that
    names no multi-year span (including "årsmedelvärde", a mean over one year) → None.
    The longest span named wins (a description may also mention a one-off shorter exception).
    Pass the title first: "N-årsm" in a later text that quotes another KPI's title is ignored.
    """
    found: list[int] = []
    for position, text in enumerate(texts):
        if not text:
            continue
        for pattern, kind in _SPAN_PATTERNS:
            for m in pattern.finditer(text):
                # A description that quotes another KPI's title ("…, 3-årsm, antal/100 000 inv",
                # e.g. the parts of an index) says nothing about this KPI's own period.
                if position and kind != "plus1" and _QUOTED_TITLE.match(text, m.end()):
                    continue
                g = m.group(1).lower()
                n = _NUMBER_WORDS[g] if kind == "word" else int(g) + (1 if kind == "plus1" else 0)
                if n >= 2:
                    found.append(n)
    return max(found) if found else None


#: How many parts of each kind a year has (months, quarters/kvartal, half years).
SUBPERIOD_COUNTS = {"M": 12, "K": 4, "H": 2}
_MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
              "september", "oktober", "november", "december")


def subperiod_code(text: str) -> str | None:
    """The store's code for a part of a year, or None if ``text`` names none.

    'M3' / 'm03' -> 'M03'; 'Q1' / 'K1' -> 'K1' (kvartal); 'H2' -> 'H2' (halvår); a Swedish month
    name or its first three letters ('januari', 'Jan', 'okt') -> 'M01', 'M10'.
    """
    raw = str(text).strip()
    m = re.fullmatch(r"([MmKkQqHh])\s*(\d{1,2})", raw)
    if m:
        kind = m.group(1).upper().replace("Q", "K")
        n = int(m.group(2))
        if not 1 <= n <= SUBPERIOD_COUNTS[kind]:
            return None
        return f"M{n:02d}" if kind == "M" else f"{kind}{n}"
    word = raw.lower().rstrip(".")
    for i, month in enumerate(_MONTHS_SV, 1):
        if word == month or (len(word) == 3 and month.startswith(word)):
            return f"M{i:02d}"
    return None


def period_label(period: int, period_start: int | None) -> str:
    """'2022' or '2019–2022' (a pooled span published under its last year)."""
    if period_start is None or period_start == period:
        return str(period)
    return f"{period_start}–{period}"


#: the note on a pooled period, (Swedish, English) ``str.format`` templates
PERIOD_NOTE = (
    "Värdet avser perioden {start}–{period} ({years} år sammanslagna) och redovisas under "
    "{period}.",
    "The value covers {start}–{period} ({years} years pooled) and is published under {period}.",
)


def period_note_sv(period: int, period_start: int | None) -> str | None:
    """Plain-Swedish note on what a pooled period covers, or None for a single year."""
    return period_note(period, period_start)


def period_note(period: int, period_start: int | None, lang: str = "sv") -> str | None:
    """The note on what a pooled period covers in ``lang``, or None for a single year."""
    if period_start is None or period_start == period:
        return None
    return word(PERIOD_NOTE, lang).format(start=period_start, period=period,
                                          years=period - period_start + 1)
