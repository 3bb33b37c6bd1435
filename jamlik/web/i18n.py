"""The one translator of the web pages: every word as a (Swedish, English) pair.

Each capability keeps one catalogue of its own words (``portal/_i18n.py``,
``steering/_i18n.py``) and asks ``translator(lang, its_words)``; words every page uses are in
``COMMON_WORDS`` here. Swedish is the default; English only when asked for (``?lang=en``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

#: code → (Swedish, English)
Words = Mapping[str, tuple[str, str]]

LANGUAGES = ("sv", "en")

COMMON_WORDS: dict[str, tuple[str, str]] = {
    "skip": ("Hoppa till innehållet", "Skip to content"),
    "language": ("In English", "På svenska"),
    "value": ("Värde", "Value"),
    "period": ("Period", "Period"),
    "area": ("Område", "Area"),
    "indicator": ("Indikator", "Indicator"),
    "unit": ("Enhet", "Unit"),
    "nation": ("Riket", "Sweden"),
    "county": ("Län/region", "County/region"),
    "women": ("Kvinnor", "Women"),
    "men": ("Män", "Men"),
    "total": ("Totalt", "Total"),
    "sex": ("Kön", "Sex"),
    "trend": ("Trend", "Trend"),
    "verdict": ("Bedömning", "Verdict"),
    "rank": ("Rang", "Rank"),
    "source": ("Källa", "Source"),
    "deviations": ("Avvikelser", "Deviations"),
    "target_area": ("Målområde", "Target area"),
}


def language(value: str | None) -> str:
    """The page language from ``?lang=``: English only when asked for, else Swedish."""
    return "en" if value == "en" else "sv"


def translator(lang: str, *catalogues: Words) -> Callable[[str], str]:
    """``t(code)``: the word in ``lang`` from the first catalogue that has it, then
    ``COMMON_WORDS``; an unknown code is returned as it is (visible, never a crash)."""
    index = 1 if lang == "en" else 0
    chain = (*catalogues, COMMON_WORDS)

    def t(code: str) -> str:
        for words in chain:
            pair = words.get(code)
            if pair is not None:
                return pair[index]
        return code

    return t


def missing_texts(words: Words) -> list[str]:
    """Codes whose Swedish or English text is empty (a test keeps this list empty)."""
    return sorted(code for code, pair in words.items()
                  if len(pair) != 2 or not all(isinstance(w, str) and w.strip() for w in pair))
