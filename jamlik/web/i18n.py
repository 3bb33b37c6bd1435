"""The one translator of the web pages: every word as a (Swedish, English) pair.

Each capability keeps one catalogue of its own words (``portal/_i18n.py``,
``steering/_i18n.py``) and asks ``translator(lang, its_words)``; words every page uses are in
``COMMON_WORDS`` here. Swedish is the default; English only when asked for (``?lang=en``).
"""

from __future__ import annotations

from jamlik.language import (
    LANGUAGES,
    Words,
    in_language,
    index,
    is_default,
    language,
    other_language,
)

__all__ = ["COMMON_WORDS", "LANGUAGES", "Translator", "Words", "language", "missing_texts",
           "translator"]

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
    # the one site header (web/site_header.html and the portal's base.html)
    "site": ("Jämlik hälsa – analyswebben", "Equitable health – analysis portal"),
    "main_menu": ("Huvudmeny", "Main menu"),
    "areas": ("Kommuner och regioner", "Municipalities and regions"),
    "indicators": ("Indikatorer", "Indicators"),
    "target_areas": ("Målområden", "Target areas"),
    "compare": ("Jämför", "Compare"),
    "districts": ("Områden i kommunen", "Areas within the municipality"),
    "menu_surveys": ("Enkäter", "Surveys"),
    "steering": ("Styrning", "Steering"),
    "menu_prioritisation": ("Prioritering", "Prioritisation"),
    "menu_economics": ("Sociala investeringar", "Social investments"),
    "knowledge_bank": ("Kunskapsbank", "Knowledge bank"),
    "api": ("Öppet API", "Open API"),
    "search": ("Sök", "Search"),
    "search_label": ("Sök kommun, region eller indikator", "Search municipality, region or indicator"),
}


class Translator:
    """``t(code)``: the word in ``lang`` from the first catalogue that has it, then
    ``COMMON_WORDS``; an unknown code is returned as it is (visible, never a crash).

    Templates get everything language-dependent from ``t`` and never compare ``lang``:
    ``t.pick(sv, en)`` for texts that come from data in two columns, ``t.word(pair)`` for a
    catalogue's pair, ``t.other`` for the
    language switch, ``t.query`` (``"?lang=en"`` or ``""``) and ``t.param`` (``"en"`` or ``""``)
    to carry a non-default language in links and forms.
    """

    def __init__(self, lang: str, *catalogues: Words):
        self.lang = language(lang)
        self.other = other_language(self.lang)
        self.param = "" if is_default(self.lang) else self.lang
        self.query = f"?lang={self.param}" if self.param else ""
        self._index = index(self.lang)
        self._chain = (*catalogues, COMMON_WORDS)

    def __call__(self, code: str) -> str:
        for words in self._chain:
            pair = words.get(code)
            if pair is not None:
                return pair[self._index]
        return code

    def word(self, pair: tuple[str, str]) -> str:
        """One text of a (Swedish, English) pair from a catalogue."""
        return pair[self._index]

    def pick(self, swedish: str, english: str | None = None) -> str:
        """``english`` on an English page when it is not empty, else ``swedish``."""
        return in_language(self.lang, swedish, english)


def translator(lang: str, *catalogues: Words) -> Translator:
    """The translator of one page: ``catalogues`` first, then ``COMMON_WORDS``."""
    return Translator(lang, *catalogues)


def missing_texts(words: Words) -> list[str]:
    """Codes whose Swedish or English text is empty (a test keeps this list empty)."""
    return sorted(code for code, pair in words.items()
                  if len(pair) != 2 or not all(isinstance(w, str) and w.strip() for w in pair))
