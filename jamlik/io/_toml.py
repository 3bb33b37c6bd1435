"""The one TOML reader: every TOML file jamlik reads (plans, cases, funds, PxWeb mappings,
import mappings, questionnaires, source presets) goes through ``read_toml`` / ``parse_toml``.

A file that cannot be read raises ``TomlError`` with a Swedish message naming the file, the line
and the column (``plan.toml:3:9: ogiltig TOML – ett värde saknas eller är felskrivet …``); the
callers turn it into their own error class (``InvalidInput``, ``CaseError`` …) with the same
text. Python's ``tomllib`` reports its errors in English as "Invalid value (at line 3, column
9)"; the position is read from that and the description translated (``_MESSAGES_SV``).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from jamlik.errors import JamlikError

#: tomllib's message (its start) → what it means in Swedish
_MESSAGES_SV: tuple[tuple[str, str], ...] = (
    ("Invalid value", "ett värde saknas eller är felskrivet (text inom citattecken, tal, "
     "true/false, [lista] eller {tabell})"),
    ("Expected '=' after a key", "ett likhetstecken (=) saknas efter nyckeln"),
    ("Invalid statement", "raden är varken nyckel = värde eller [avsnitt]"),
    ("Cannot declare", "samma avsnitt eller nyckel finns två gånger"),
    ("Cannot overwrite a value", "samma nyckel får ett värde två gånger"),
    ("Cannot mutate immutable namespace", "en nyckel läggs till i en tabell som redan är "
     "färdig"),
    ("Unclosed array", "en lista saknar avslutande ]"),
    ("Unclosed inline table", "en tabell saknar avslutande }"),
    ("Unterminated string", "ett citattecken saknas i slutet av en text"),
    ("Illegal character '\\n'", "ett citattecken saknas i slutet av en text"),
    ("Illegal character", "otillåtet tecken i en text"),
    ("Found invalid character in string", "otillåtet tecken i en text"),
    ("Expected newline or end of document", "något mer står kvar på raden efter värdet"),
    ("Invalid initial character for a key part", "nyckeln börjar med ett otillåtet tecken"),
    ("Invalid date or datetime", "ogiltigt datum"),
    ("Expected ']' at the end of a table declaration", "ett avsnitt saknar avslutande ]"),
    ("Expected ']]' at the end of an array declaration", "ett avsnitt saknar avslutande ]]"),
    ("Unrecognized escape sequence", "okänd escape-sekvens (\\) i en text"),
)
_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
HINT = "Kontrollera citattecken, likhetstecken och hakparenteser på den raden."


class TomlError(JamlikError, ValueError):
    """A TOML file that cannot be read: missing, not UTF-8 text, or not valid TOML. The message
    (Swedish) starts with ``file:line:column`` when the position is known."""


def parse_toml(text: str, name: str = "TOML-texten") -> dict[str, Any]:
    """``text`` as TOML; ``name`` (the file) is what an error names."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _decode_error(exc, name, text) from None


def read_toml(path: str | Path, name: str | None = None) -> dict[str, Any]:
    """The TOML file at ``path`` (UTF-8, a byte-order mark is allowed). ``name`` replaces the
    path in error messages (e.g. just the file name)."""
    path = Path(path)
    shown = name or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TomlError("filen finns inte.", file=shown) from None
    except IsADirectoryError:
        raise TomlError("är en mapp, inte en fil.", file=shown) from None
    except UnicodeDecodeError as exc:
        line, column = _position(path.read_bytes(), exc.start)
        raise TomlError("filen är inte UTF-8-text – spara den som UTF-8.", file=shown,
                        line=line, column=column) from None
    return parse_toml(text, shown)


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of byte ``offset``."""
    before = data[:offset]
    line = before.count(b"\n") + 1
    return line, offset - (before.rfind(b"\n") + 1) + 1


def _decode_error(exc: tomllib.TOMLDecodeError, name: str, text: str) -> TomlError:
    message = str(exc)
    line = column = None
    where = _WHERE.search(message)
    if where:
        line, column = int(where.group(1)), int(where.group(2))
        message = message[:where.start()]
    elif _AT_END.search(message):
        message = _AT_END.sub("", message)
        line, column = text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1
    said = next((sv for en, sv in _MESSAGES_SV if message.startswith(en)), None)
    detail = said or f"tomllib: {message}"
    return TomlError(f"ogiltig TOML – {detail}. {HINT}", file=name, line=line, column=column)


__all__ = ["HINT", "TomlError", "parse_toml", "read_toml"]
