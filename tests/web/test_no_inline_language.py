"""Guard: no code compares a language code inline (issue 11, "one vocabulary").

Every text users read is a (Swedish, English) pair in a word catalogue and is picked by the one
translator (``jamlik.web.i18n.translator``, built on ``jamlik.language``); templates get
``t(code)``, ``t.pick(sv, en)``, ``t.other``, ``t.query`` and ``t.param`` and never test ``lang``.
"""

from __future__ import annotations

import re
from pathlib import Path

import jamlik

PACKAGE = Path(jamlik.__file__).parent

#: Files allowed to compare language codes, and why.
ALLOWED = {
    # the one place that decides the language and picks a text of a (Swedish, English) pair
    "language.py",
}

_INLINE = re.compile(
    r"\blang\w*\s*[!=]=|[!=]=\s*[\"'](?:sv|en)[\"']|[\"'](?:sv|en)[\"']\s*[!=]=")


def inline_language_checks(text: str) -> list[int]:
    """Line numbers (1-based) where ``text`` compares a language inline."""
    return [n for n, line in enumerate(text.splitlines(), 1) if _INLINE.search(line)]


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".html")
                  and p.relative_to(PACKAGE).as_posix() not in ALLOWED)


def test_the_scanner_finds_each_kind_of_inline_check() -> None:
    assert inline_language_checks("x = 1\nif lang == 'en':\n") == [2]
    assert inline_language_checks("{{ 'a' if lang == 'sv' else 'b' }}") == [1]
    assert inline_language_checks('other = "sv" if lng != "en" else "en"') == [1]
    assert inline_language_checks("language = request.query_params.get('lang') == 'en'") == [1]
    assert inline_language_checks('if "en" == code:') == [1]
    assert inline_language_checks("t.pick(d.text, d.text_en)  # lang=en") == []


def test_the_guard_reads_the_package() -> None:
    files = _sources()
    assert any(p.name == "_views.py" for p in files)
    assert any(p.suffix == ".html" for p in files)


def test_no_inline_language_check_in_python_or_templates() -> None:
    found = {p.relative_to(PACKAGE).as_posix(): lines for p in _sources()
             if (lines := inline_language_checks(p.read_text(encoding="utf-8")))}
    assert found == {}, ("compare no language inline: put the words in a catalogue and use "
                         "t(code) / t.pick(sv, en) / jamlik.language — " + repr(found))
