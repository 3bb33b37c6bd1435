"""Form fields as typed values, with Swedish messages for what cannot be read."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from jamlik.format import parse_number
from jamlik.steering._errors import (
    InvalidInput,
)
from jamlik.store import storable


def _int(text: str | None, what: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        raise InvalidInput(f"{what}: {text!r} är inget heltal.") from None
    if abs(number) > 2**31 - 1:  # PostgreSQL INTEGER
        raise InvalidInput(f"{what}: {text!r} är för stort — ange ett heltal som 2030.")
    return number


def _float(text: str | None, what: str) -> float | None:
    text = (text or "").strip()
    if not text:
        return None
    try:  # accepts what fmt_num writes: decimal comma, U+2212 minus, U+202F between thousands
        number = parse_number(text)
    except ValueError:
        raise InvalidInput(f"{what}: {text!r} är inget tal.") from None
    if not storable(number):
        raise InvalidInput(f"{what}: {text!r} är inget ändligt tal inom rimliga gränser — "
                           "ange ett tal som 18 eller 18,5.")
    return number


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{what}: {text!r} är inget datum — skriv ÅÅÅÅ-MM-DD.") from None


def _list(text: str | None) -> list[str]:
    return [t.strip() for t in re.split(r"[,;\n]", text or "") if t.strip()]


def parse_causes(text: str) -> list[dict[str, Any]]:
    """One cause per line: ``orsak | underlag, underlag``; an underlag that looks like a URL or
    path is a document, anything else an indicator id."""
    causes = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        cause, _, refs = line.partition("|")
        evidence = [{"kind": "document" if ("/" in r or r.startswith("http")) else "indicator",
                     "ref": r, "label": r} for r in _list(refs)]
        causes.append({"text": cause.strip(), "evidence": evidence})
    return causes


def format_causes(causes: list[dict[str, Any]]) -> str:
    lines = []
    for c in causes or []:
        refs = ", ".join(e["ref"] for e in c.get("evidence", []))
        lines.append(c["text"] + (f" | {refs}" if refs else ""))
    return "\n".join(lines)


def cause_fields(texts: list[str], indicators: list[str], links: list[str], *,
                 known_indicator: Callable[[str], bool]) -> list[dict[str, Any]]:
    """The analysis form's causes, one row of fields each: the cause in words, indicators
    that show it (ids the store knows, separated by commas) and links to documents
    (https://… or a path, separated by spaces). A row with no text is skipped; indicators or
    links without a cause, an unknown indicator or a link with no ``/`` are refused with the
    row's number."""
    causes = []
    width = max(len(texts), len(indicators), len(links))
    for n in range(width):
        text = (texts[n] if n < len(texts) else "").strip()
        ids = [i.upper() for i in _list(indicators[n] if n < len(indicators) else "")]
        docs = (links[n] if n < len(links) else "").replace(",", " ").split()
        if not text:
            if ids or docs:
                raise InvalidInput(f"Orsak {n + 1}: skriv orsaken med ord, inte bara "
                                   "indikator eller länk.")
            continue
        evidence = []
        for indicator in ids:
            if not known_indicator(indicator):
                raise InvalidInput(f"Orsak {n + 1}: indikatorn {indicator!r} finns inte i "
                                   "indikatordatabasen (ange ett id som N00957).")
            evidence.append({"kind": "indicator", "ref": indicator, "label": indicator})
        for link in docs:
            if "/" not in link:
                raise InvalidInput(f"Orsak {n + 1}: länken {link!r} är ingen adress — skriv "
                                   "en webbadress som börjar med https://.")
            evidence.append({"kind": "document", "ref": link, "label": link})
        causes.append({"text": text, "evidence": evidence})
    return causes
