"""Swedish text matching shared by every search (the knowledge bank, the portal): case and
diacritics folded, a light stemmer, and a word match that tolerates compounds and small typos.

Each text is folded (lower case, å/ä/ö → a/a/o, é → e), split into words, Swedish stop words
dropped, and each word reduced to a stem by stripping the longest of a short list of Swedish
inflection suffixes (a light stemmer in the spirit of the Snowball Swedish stemmer's step 1,
written here, not copied): "familjecentralen", "familjecentraler" → "familjecentral".
A query word matches a document word (``match_term``)
  exactly (stems equal)                              → 1.0
  as part of a compound (stem inside the word, ≥ 4)  → 0.7  ("coach" in "ungdomscoach")
  as a near spelling (difflib ratio ≥ 0.8, ≥ 5)      → 0.6 × ratio  ("familjecentrl")
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache

STOP_WORDS = frozenset("""
och i att det som en pa ar av for med till den har de inte om ett men sa var fran vid
kan nar ska eller ocksa efter under mot alla sig hos mellan samt inom genom dar vi man
""".split())

#: Swedish inflection suffixes (folded), longest tried first.
_SUFFIXES = tuple(sorted("""
heterna heten heter arnas ernas ornas andes arna erna orna ande arne aste aren ades erns
ornas het ast ade are ern ens ets or ar er en et at ad na es a e s
""".split(), key=len, reverse=True))
_MIN_STEM = 3


def fold(text: str) -> str:
    """Lower case without diacritics: "Nyanlända Älvdalen" → "nyanlanda alvdalen"."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """A folded word without its inflection suffix (a light Swedish stemmer)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> list[str]:
    """The stems of a text's words, stop words left out."""
    return [stem(w) for w in re.findall(r"[0-9a-z]+", fold(text)) if w not in STOP_WORDS]


def match_term(q: str, words: Sequence[str], *, fuzzy: bool = True) -> float:
    """How well one query stem matches the best of a text's stems (0 = not at all).

    fuzzy=False: whole stems and compounds only (for long descriptions, where near spellings
    find too much)."""
    best = 0.0
    for w in words:
        if w == q:
            return 1.0
        if len(q) >= 4 and q in w:
            best = max(best, 0.7)
        elif fuzzy and len(q) >= 5 and abs(len(w) - len(q)) <= 3:
            best = max(best, _near(q, w))
    return best


@lru_cache(maxsize=65536)
def _near(q: str, w: str) -> float:
    """0.6 × difflib's ratio when it is at least 0.8 (cheap upper bounds tried first)."""
    matcher = difflib.SequenceMatcher(None, q, w)
    if matcher.real_quick_ratio() < 0.8 or matcher.quick_ratio() < 0.8:
        return 0.0
    ratio = matcher.ratio()
    return 0.6 * ratio if ratio >= 0.8 else 0.0


def synonym_table(mapping: Mapping[str, Sequence[str]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Everyday word or phrase → alternatives, both as stems: the query side keyed by its
    space-joined stems ("utrikes fodd"), each alternative as its tuple of stems."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for word, alternatives in mapping.items():
        alts = tuple(tuple(dict.fromkeys(terms(a))) for a in alternatives)
        out[" ".join(dict.fromkeys(terms(word)))] = tuple(a for a in alts if a)
    return out


def query_groups(q_terms: Sequence[str], table: dict[str, tuple[tuple[str, ...], ...]]
                 ) -> list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]:
    """The query's word groups, each with its synonyms' stems: a whole query that is a
    synonym phrase ("utrikes födda") is one group; otherwise each word is its own group, and
    two neighbouring words that form a phrase in ``table`` are one group."""
    phrase = " ".join(q_terms)
    if len(q_terms) > 1 and phrase in table:
        return [(tuple(q_terms), table[phrase])]
    groups: list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]] = []
    i = 0
    while i < len(q_terms):
        pair = " ".join(q_terms[i:i + 2])
        if i + 1 < len(q_terms) and pair in table:
            groups.append((tuple(q_terms[i:i + 2]), table[pair]))
            i += 2
        else:
            groups.append(((q_terms[i],), table.get(q_terms[i], ())))
            i += 1
    return groups
