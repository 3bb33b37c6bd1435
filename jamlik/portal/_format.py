"""Number, period and text formatting for the portal (Swedish first, English second)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable

import numpy as np

LANGS = ("sv", "en")
#: Most decimals a value is ever shown with (Kolada publishes at most two for rates and shares).
MAX_DECIMALS = 2
#: Swedish thousands separator: a narrow no-break space (Språkrådet), so "276 000" never wraps.
THOUSANDS_SV = "\u202f"


def is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def decimals_for(value: float) -> int:
    """Kolada publishes most values with up to 2 decimals; large numbers need none."""
    magnitude = abs(value)
    if magnitude >= 1000:
        return 0
    return 2


def value_decimals(values: Iterable[object], cap: int = MAX_DECIMALS) -> int:
    """The decimals an indicator is shown with: the most its own values carry, at most ``cap``.

    One number per indicator keeps a table's column aligned and comparable: with values 22 and
    24.92 both read with two decimals ("22,00", "24,92"), never "22" next to "24,92".
    Missing values are ignored; no values at all gives ``cap``.
    """
    array = np.asarray([float(v) for v in values if not is_missing(v)], dtype=float)
    array = array[np.isfinite(array)]
    if array.size == 0:
        return cap
    for decimals in range(cap):
        scaled = array * 10**decimals
        # Stored floats are binary: 24.92 * 100 is 2491.9999999999995, hence the tolerance.
        if np.all(np.abs(scaled - np.round(scaled)) <= 1e-6 * np.maximum(1.0, np.abs(scaled))):
            return decimals
    return cap


def fmt_num(value: object, lang: str = "sv", decimals: int | None = None) -> str:
    """20.66 -> '20,66' (sv) / '20.66' (en); thousands grouped; missing -> '–'.

    decimals: the indicator's decimals (``value_decimals``), so a column reads alike. When None
    (a value without an indicator), trailing zeros are dropped so 83.1 reads '83,1'.
    """
    if is_missing(value):
        return "–"
    number = float(value)  # type: ignore[arg-type]
    if decimals is None:
        text = f"{number:,.{decimals_for(number)}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{number:,.{decimals}f}"
    if re.fullmatch(r"-0(\.0*)?", text):
        text = text[1:]  # -0.001 rounds to "0,00", not "−0,00"
    if lang == "sv":
        # Swedish: narrow no-break space between thousands, decimal comma, real minus sign.
        text = text.replace(",", THOUSANDS_SV).replace(".", ",").replace("-", "−")
    return text


def fmt_signed(value: object, lang: str = "sv", decimals: int | None = None) -> str:
    """A difference: '+3,2', '−3,2'; zero (after rounding) has no sign."""
    if is_missing(value):
        return "–"
    text = fmt_num(value, lang, decimals)
    if text.startswith("−") or text.startswith("-") or not text.strip("0,.\u202f"):
        return text
    return f"+{text}"


def csv_num(value: object) -> object:
    """Values in CSV/XLSX downloads stay machine-readable (no formatting)."""
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def slugify(text: str) -> str:
    """'Kunskaper, kompetenser och utbildning' -> 'kunskaper-kompetenser-och-utbildning'."""
    text = text.replace("ä", "a").replace("å", "a").replace("ö", "o")
    text = text.replace("Ä", "a").replace("Å", "a").replace("Ö", "o")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def parse_years(text: str | None) -> tuple[int, int] | None:
    """'2010-2022' or '2010–2022' -> (2010, 2022); '2022' -> (2022, 2022)."""
    if not text:
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", text)
    if not match:
        raise ValueError(f'"{text}" är inte ett år eller ett årsintervall — skriv t.ex. 2010-2022.')
    start = int(match.group(1))
    end = int(match.group(2) or start)
    return (min(start, end), max(start, end))


def split_codes(text: str | None) -> list[str]:
    if not text:
        return []
    return [part.strip() for part in text.split(",") if part.strip()]
