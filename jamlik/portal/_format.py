"""Number, period and text formatting for the portal (Swedish first, English second)."""

from __future__ import annotations

import re
import unicodedata

from jamlik.format import (  # noqa: F401 - re-exported for the portal
    MAX_DECIMALS,
    THOUSANDS_SV,
    decimals_for,
    fmt_num,
    fmt_signed,
    is_missing,
    parse_years,
    value_decimals,
)

LANGS = ("sv", "en")


def csv_num(value: object) -> object:
    """Values in CSV/XLSX downloads stay machine-readable (no formatting)."""
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def slugify(text: str) -> str:
    """'Kunskaper, kompetenser och utbildning' -> 'kunskaper-kompetenser-och-utbildning'."""
    text = text.replace("ä", "a").replace("å", "a").replace("ö", "o")
    text = text.replace("Ä", "a").replace("Å", "a").replace("Ö", "o")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def year_span(text: str | None) -> tuple[int, int] | None:
    """'2010-2022' or '2010–2022' -> (2010, 2022); '2022' -> (2022, 2022); empty -> None.

    The first and last year of ``jamlik.format.parse_years`` (the one year parser), so the
    portal reads years exactly as the CLI does; its Swedish ValueError for anything else.
    """
    if not text or not text.strip():
        return None
    years = parse_years(text)
    return years[0], years[-1]


def split_codes(text: str | None) -> list[str]:
    if not text:
        return []
    return [part.strip() for part in text.split(",") if part.strip()]
