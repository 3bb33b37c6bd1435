"""Numbers and years as Swedish users read and write them (one formatter for every surface).

The CLI, the analysis verdicts, the steering follow-up and the portal all print values through
``fmt_num``/``fmt_signed``, so "20,66" looks the same everywhere; they read year lists with
``parse_years`` and typed numbers with ``parse_number`` (which accepts what ``fmt_num`` writes).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import numpy as np

from jamlik.language import index

#: Most decimals a value is ever shown with (Kolada publishes at most two for rates and shares).
MAX_DECIMALS = 2
#: Swedish thousands separator: a narrow no-break space (Språkrådet), so "276 000" never wraps.
THOUSANDS_SV = "\u202f"
#: How Python's "1,234.5" is written in each language (the order of jamlik.language.LANGUAGES).
_NUMBER_MARKS: tuple[dict[int, str], ...] = (str.maketrans({",": THOUSANDS_SV, ".": ",", "-": "−"}), str.maketrans({}))


def is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def decimals_for(value: float) -> int:
    """Kolada publishes most values with up to 2 decimals; large numbers need none."""
    magnitude = abs(value)
    if magnitude >= 1000:
        return 0
    return 2


def value_decimals(values: Iterable[Any], cap: int = MAX_DECIMALS) -> int:
    """The decimals an indicator is rounded to: the most its own values carry, at most ``cap``.

    One precision per indicator keeps its numbers comparable: a value computed from 24.92 and
    22 (a mean, a difference) is rounded to two decimals, never shown as 23.4567. The zeros
    this rounding leaves are not written (``fmt_num``): 22 reads "22" beside "24,92" — tables
    align their numbers on the right with tabular figures instead of padding them.
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

    decimals: the most decimals to round to — the indicator's own (``value_decimals``); when
    None (a value without an indicator) two below 1,000 and none above (``decimals_for``).
    Zeros at the end of the decimals are never written: 22.0 reads '22', 16.30 '16,3'
    (no padded zeros anywhere; tables right-align with tabular figures instead).
    """
    if is_missing(value):
        return "–"
    number = float(value)  # type: ignore[arg-type]
    places = decimals_for(number) if decimals is None else decimals
    text = f"{number:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"  # -0.001 rounds to "0", not "−0"
    # Swedish: narrow no-break space between thousands, decimal comma, real minus sign.
    return text.translate(_NUMBER_MARKS[index(lang)])


def fmt_signed(value: object, lang: str = "sv", decimals: int | None = None) -> str:
    """A difference: '+3,2', '−3,2'; zero (after rounding) has no sign."""
    if is_missing(value):
        return "–"
    text = fmt_num(value, lang, decimals)
    if text.startswith("−") or text.startswith("-") or not text.strip("0,.\u202f"):
        return text
    return f"+{text}"


def parse_number(text: str) -> float:
    """The inverse of ``fmt_num`` for what people type: '20,66', '−3,2', '+1,5', '1 234,5'.

    A decimal comma or point; thousands may be grouped with any space (U+0020, the no-break
    U+00A0, the narrow no-break U+202F that ``fmt_num`` writes, the thin U+2009); the real minus
    sign U+2212 or a hyphen. Raises ValueError (Swedish) for anything else, NaN and infinity.
    """
    cleaned = re.sub(r"[\s\u00a0\u202f\u2009]", "", str(text)).replace("\u2212", "-")
    cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", cleaned):
        raise ValueError(f"{text!r} är inget tal — skriv t.ex. 20,5 eller −3.")
    number = float(cleaned)
    if not math.isfinite(number):
        raise ValueError(f"{text!r} är för stort för att vara ett tal.")
    return number


def json_safe(value: object) -> object:
    """``value`` with every non-finite float (inf, -inf, NaN) replaced by None, recursively, so
    JSON responses never fail ("Out of range float values are not JSON compliant")."""
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def count_sv(n: int, singular: str, plural: str) -> str:
    """'1 aktivitet', '2 aktiviteter', '0 aktiviteter' — a count with the Swedish noun form."""
    return f"{n} {singular if n == 1 else plural}"


def parse_years(text: str) -> list[int]:
    """'2019-2022' -> [2019..2022]; '2019,2021' -> [2019, 2021]; mixes allowed.

    Raises ValueError with a Swedish message for anything else.
    """
    years: list[int] = []
    for part in str(text).replace(" ", "").split(","):
        if not part:
            continue
        m = re.fullmatch(r"(\d{4})[-–](\d{4})", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a > b:
                raise ValueError(f"år: {part!r} – startåret är efter slutåret.")
            years.extend(range(a, b + 1))
        elif re.fullmatch(r"\d{4}", part):
            years.append(int(part))
        else:
            raise ValueError(f"år: {part!r} är inte ett år (2019) eller ett intervall (2019-2022).")
    if not years:
        raise ValueError("år: ange minst ett år, t.ex. 2019-2022 eller 2019,2021.")
    return sorted(set(years))


#: A text cell starting with one of these is read as a formula by Excel, LibreOffice and
#: Google Sheets (OWASP "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A text cell a spreadsheet will not run: ``'=HYPERLINK(…)`` instead of ``=HYPERLINK(…)``.

    Only strings are changed; numbers, dates and missing values come back as they are, so
    ``-3.5`` stays a number while the text ``"-3.5"`` gets the leading apostrophe.
    Reference: OWASP, CSV Injection (owasp.org/www-community/attacks/CSV_Injection).
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_table(df):  # noqa: ANN001, ANN201 - a pandas DataFrame in and out
    """A copy of ``df`` with :func:`safe_cell` applied to every text cell and header.

    Every CSV and XLSX download (portal tables, ``jamlik export``) goes through this.
    """
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out
