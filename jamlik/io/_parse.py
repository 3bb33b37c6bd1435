"""Vectorised parsing of text cells: Swedish numbers, periods, sex codes, status, booleans.

Each parser takes a text Series and returns parsed values plus a mask of rejected cells,
so a 100k-row file is parsed with pandas string operations instead of a Python loop.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jamlik.store.model import MAX_ABS_TEXT, MAX_ABS_VALUE, MISSING_SYMBOLS, SuppressionReason

_SPACE_CLASS = " \u00a0\u202f\u2009"
# a space between digit groups of three is a thousands separator: "1 234 567,5"
_THOUSANDS = rf"(?<=\d)[{_SPACE_CLASS}](?=\d{{3}}(?:\D|$))"
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_PERIOD = r"^(\d{4})(?:\.0+)?(?:\s*[-–—]\s*(\d{4})(?:\.0+)?)?$"
_YEARS = (1900, 2100)

DEFAULT_SEX = {
    "t": "T", "k": "K", "m": "M",
    "totalt": "T", "total": "T", "båda könen": "T", "samtliga": "T", "alla": "T", "1+2": "T",
    "kvinnor": "K", "kvinna": "K", "flickor": "K", "2": "K",
    "män": "M", "man": "M", "pojkar": "M", "1": "M",
    "women": "K", "female": "K", "men": "M", "male": "M", "all": "T",
}
STATUS_WORDS = {
    "": "final", "final": "final", "slutlig": "final", "slutligt": "final", "definitiv": "final",
    "preliminary": "preliminary", "preliminär": "preliminary", "preliminärt": "preliminary",
    "prel": "preliminary", "p": "preliminary",
}
BOOL_WORDS = {
    "": False, "false": False, "0": False, "nej": False, "falskt": False, "f": False,
    "true": True, "1": True, "ja": True, "sant": True, "t": True,
}


def strip(text: pd.Series) -> pd.Series:
    return text.fillna("").astype("str").str.strip()


def _factorize(text: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Codes and the distinct cells: parse each distinct text once (files repeat a lot)."""
    codes, uniques = pd.factorize(strip(text))
    return codes, pd.Series(np.asarray(uniques, dtype=object), dtype="str")


@dataclass
class Numbers:
    values: pd.Series  # float64, NaN where missing or rejected
    bad: np.ndarray  # rejected cells
    reason: pd.Series  # SuppressionReason value where the cell is a missing-value symbol


def missing_symbols(extra: dict[str, SuppressionReason] | None = None) -> dict[str, str]:
    table = {s: str(SuppressionReason.from_symbol(s)) for s in MISSING_SYMBOLS}
    table.update({k: str(v) for k, v in (extra or {}).items()})
    return table


def parse_numbers(text: pd.Series, *, decimal: str = "auto", allow_percent: bool = False,
                  missing: dict[str, str] | None = None) -> Numbers:
    """Numbers with decimal comma or point, thousands spaces (also U+00A0, U+202F) and U+2212."""
    codes, uniques = _factorize(text)
    parsed = _parse_numbers(uniques, decimal=decimal, allow_percent=allow_percent,
                            missing=missing)
    return Numbers(
        pd.Series(parsed.values.to_numpy()[codes], dtype="float64"), parsed.bad[codes],
        pd.Series(parsed.reason.to_numpy(dtype=object)[codes], dtype=object),
    )


def _parse_numbers(t: pd.Series, *, decimal: str, allow_percent: bool,
                   missing: dict[str, str] | None) -> Numbers:
    reason = t.map(missing if missing is not None else missing_symbols())
    is_missing = reason.notna().to_numpy()
    clean = t.str.replace(_THOUSANDS, "", regex=True).str.replace("\u2212", "-", regex=False)
    if allow_percent:
        clean = clean.str.removesuffix("%").str.rstrip(_SPACE_CLASS)
    wrong_mark = np.zeros(len(t), dtype=bool)
    if decimal == ",":
        wrong_mark = clean.str.contains(".", regex=False).to_numpy()
    elif decimal == ".":
        wrong_mark = clean.str.contains(",", regex=False).to_numpy()
    clean = clean.str.replace(",", ".", regex=False)
    ok = clean.str.fullmatch(_NUMBER).fillna(False).to_numpy(dtype=bool) & ~wrong_mark
    values = pd.to_numeric(clean.where(ok), errors="coerce").astype("float64")
    # "1e309" and a 400-digit integer are well-formed but overflow to ±inf: never a value
    with np.errstate(invalid="ignore"):
        too_large = ok & ~(np.abs(values.to_numpy()) <= MAX_ABS_VALUE)
    values = values.where(~too_large)
    return Numbers(values, (~ok | too_large) & ~is_missing, reason)


def mixed_decimal_marks(text: pd.Series) -> np.ndarray:
    """Cells whose decimal mark is the column's minority one, when a column mixes both.

    "12,5" beside "12.5" (or "1.234", which may be a thousand) cannot be read safely: one of
    the two marks means something else. Only for decimal = "auto"; ties flag the points.
    """
    clean = strip(text).str.replace(_THOUSANDS, "", regex=True)
    number = clean.str.fullmatch(r"[+\-\u2212]?\d*[.,]\d+%?(?:[eE][+-]?\d+)?")
    comma = (number & clean.str.contains(",", regex=False)).to_numpy(dtype=bool)
    point = (number & clean.str.contains(".", regex=False)).to_numpy(dtype=bool)
    if not (comma.any() and point.any()):
        return np.zeros(len(text), dtype=bool)
    return comma if comma.sum() < point.sum() else point


def mixed_message(raw: str, column_name: str, commas: int, points: int) -> str:
    return (f'"{raw}" i kolumnen "{column_name}": kolumnen blandar decimalkomma ({commas} '
            f"celler, t.ex. 12,5) och decimalpunkt ({points} celler, t.ex. 12.5), så det går "
            'inte att avgöra vad till exempel "1.234" betyder — skriv alla tal i kolumnen '
            'likadant, eller ange decimal = "," eller decimal = "." under [file] i mappningen.')


def number_message(raw: str, column_name: str, decimal: str = "auto") -> str:
    """Why a cell is not a number, and what to do, in Swedish."""
    head = f'"{raw}" i kolumnen "{column_name}" är inte ett tal'
    text = raw.strip()
    if _overflows(text):
        return (f'"{_short(text)}" i kolumnen "{column_name}" är för stort för att vara ett '
                f"värde (högst {MAX_ABS_TEXT} till beloppet) — kontrollera cellen; den "
                "kan ha skadats vid en export eller en formel.")
    if text.endswith("%"):
        return f"{head} — ta bort procenttecknet eller ange enheten i mappningen."
    if decimal == "," and "." in text:
        return f'{head} — filen använder decimalkomma; skriv "{text.replace(".", ",")}".'
    if "," in text and "." in text:
        return (f"{head} — använd inte punkt eller komma som tusentalsavgränsare; skriv t.ex. "
                '"1 234,5" eller "1234.5".')
    if any(c.isdigit() for c in text):
        return (f"{head} — skriv bara siffror med decimalkomma (t.ex. 12,5), utan enhet eller "
                "andra tecken.")
    return (f"{head} — ange ett tal (t.ex. 12,5) eller en symbol för saknat värde: "
            '".." (sekretess), "-" (saknas) eller "." (ej tillämpligt).')


def _overflows(text: str) -> bool:
    """A cell the parser accepted as a number whose magnitude is too large to store."""
    clean = text.replace("\u2212", "-").replace(",", ".")
    for space in _SPACE_CLASS:
        clean = clean.replace(space, "")
    if not re.fullmatch(_NUMBER, clean.removesuffix("%")):
        return False
    try:
        return not abs(float(clean.removesuffix("%"))) <= MAX_ABS_VALUE
    except (OverflowError, ValueError):
        return True


def _short(text: str, limit: int = 40) -> str:
    """A long cell (a 400-digit number) shortened for a message."""
    return text if len(text) <= limit else f"{text[:20]}…{text[-10:]} ({len(text)} tecken)"


@dataclass
class Periods:
    period: pd.Series  # Int64
    start: pd.Series  # Int64, <NA> for a single year
    bad: np.ndarray
    reversed: np.ndarray  # "2018–2015": start after end


def parse_periods(text: pd.Series) -> Periods:
    """A year ("2022", "2022.0") or a span ("2015-2018", "2015–2018") published under its end."""
    codes, uniques = _factorize(text)
    p = _parse_periods(uniques)
    return Periods(pd.Series(p.period.array.take(codes)), pd.Series(p.start.array.take(codes)),
                   p.bad[codes], p.reversed[codes])


def _parse_periods(text: pd.Series) -> Periods:
    parts = text.str.extract(_PERIOD)
    first = pd.to_numeric(parts[0], errors="coerce").astype("Int64")
    second = pd.to_numeric(parts[1], errors="coerce").astype("Int64")
    period = second.fillna(first)
    start = first.where(second.notna())
    lo, hi = _YEARS
    in_range = (period >= lo) & (period <= hi) & (first >= lo) & (first <= hi)
    bad = ~in_range.fillna(False).to_numpy(dtype=bool)
    rev = (start > period).fillna(False).to_numpy(dtype=bool) & ~bad
    return Periods(period, start, bad | rev, rev)


def period_message(raw: str, column_name: str, reversed_: bool) -> str:
    head = f'"{raw}" i kolumnen "{column_name}"'
    if reversed_:
        return (f"{head} är ingen giltig period: den börjar efter att den slutar — skriv det "
                "tidigare året först (t.ex. 2015–2018).")
    if not raw.strip():
        return (f'kolumnen "{column_name}" är tom — ange ett år (t.ex. 2022) eller ett spann '
                "(t.ex. 2015–2018).")
    return (f"{head} är ingen giltig period — ange ett år (t.ex. 2022) eller ett spann "
            "(t.ex. 2015–2018).")


def translate(text: pd.Series, table: dict[str, str] | None, *, casefold: bool = False
              ) -> pd.Series:
    """Replace cells found in ``table`` (the mapping's [values.<field>]); keep the others."""
    t = strip(text)
    if not table:
        return t
    if casefold:
        table = {k.lower(): v for k, v in table.items()}
        return t.str.lower().map(table).fillna(t).astype("str")
    return t.map(table).fillna(t).astype("str")


def parse_codes(text: pd.Series, words: Mapping[str, str | bool]) -> tuple[pd.Series, np.ndarray]:
    """Map cells case-insensitively through ``words``; returns (codes, rejected mask)."""
    mapped = strip(text).str.lower().map(words)
    return mapped, mapped.isna().to_numpy().copy()


def sex_table(extra: dict[str, str] | None) -> dict[str, str]:
    table = dict(DEFAULT_SEX)
    table.update({k.strip().lower(): v for k, v in (extra or {}).items()})
    return table
