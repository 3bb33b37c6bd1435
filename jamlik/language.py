"""The page language, decided in one place: Swedish first, English when asked for.

Every text users read is a (Swedish, English) pair in a word catalogue; code never compares a
language code itself (a guard test, tests/web/test_no_inline_language.py, keeps it so). This
module sits at the bottom of the layers (beside ``jamlik.format``) so analysis, the CLI and every
web layer pick words the same way; ``jamlik.web.i18n.translator`` is built on it.
"""

from __future__ import annotations

from collections.abc import Mapping

#: code → (Swedish, English)
Words = Mapping[str, tuple[str, str]]

#: The languages, in the order of a word pair: (Swedish, English).
LANGUAGES = ("sv", "en")
DEFAULT = "sv"


def language(value: str | None) -> str:
    """The language a request or caller asked for: one of ``LANGUAGES``, else Swedish."""
    return value if value in LANGUAGES else DEFAULT


def index(lang: str | None) -> int:
    """Position of ``lang`` in a word pair (0 Swedish, 1 English; unknown: Swedish)."""
    return LANGUAGES.index(language(lang))


def other_language(lang: str | None) -> str:
    """The language a page's language switch leads to."""
    return LANGUAGES[1 - index(lang)]


def in_language(lang: str | None, swedish: str, english: str | None) -> str:
    """``english`` on an English page when there is one, else ``swedish`` (titles and texts that
    come from data in two columns, e.g. ``title_sv``/``title_en``)."""
    if index(lang) and english:
        return english
    return swedish


def word(pair: tuple[str, str], lang: str | None) -> str:
    """One text of a (Swedish, English) pair."""
    return pair[index(lang)]


def is_default(lang: str | None) -> bool:
    """True for the default language (Swedish), which page links never spell out."""
    return language(lang) == DEFAULT
