"""The shared web layer: what every capability's pages have in common (words and the one
translator, later layout, CSS and chart helpers). ``jamlik.portal`` and ``jamlik.steering``
depend on it, never on each other (the import contracts in ``.importlinter`` check it)."""

from jamlik.web.i18n import COMMON_WORDS, LANGUAGES, Words, language, missing_texts, translator

__all__ = ["COMMON_WORDS", "LANGUAGES", "Words", "language", "missing_texts", "translator"]
