"""Number, period and text formatting for the portal (Swedish first, English second)."""

from __future__ import annotations

import math
import re
import unicodedata

LANGS = ("sv", "en")


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


def fmt_num(value: object, lang: str = "sv", decimals: int | None = None) -> str:
    """20.66 -> '20,66' (sv) / '20.66' (en); thousands grouped; missing -> '–'.

    Trailing zeros are dropped when decimals is None so 83.1 reads '83,1', not '83,10'.
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
    if text in ("-0", "-0.0"):
        text = "0"
    if lang == "sv":
        # Swedish: space (no-break) between thousands, comma as decimal sign, real minus sign.
        text = text.replace(",", "\u00a0").replace(".", ",").replace("-", "−")
    return text


def fmt_signed(value: object, lang: str = "sv") -> str:
    if is_missing(value):
        return "–"
    text = fmt_num(value, lang)
    return text if float(value) < 0 else f"+{text}"  # type: ignore[arg-type]


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
