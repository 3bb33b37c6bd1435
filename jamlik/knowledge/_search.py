"""Search the bank in Swedish: case and diacritics folded, inflection and small typos tolerated
(the folding, stemming and word match are ``jamlik.text``, shared with the portal's search).

Each text is folded (lower case, å/ä/ö → a/a/o, é → e), split into words, Swedish stop words
dropped, and each word reduced to a stem by stripping the longest of a short list of Swedish
inflection suffixes (a light stemmer in the spirit of the Snowball Swedish stemmer's step 1,
written here, not copied): "familjecentralen", "familjecentraler" → "familjecentral".
A query word matches a document word
  exactly (stems equal)                              → 1.0
  as part of a compound (stem inside the word, ≥ 4)  → 0.7  ("coach" in "ungdomscoach")
  as a near spelling (difflib ratio ≥ 0.8, ≥ 5)      → 0.6 × ratio  ("familjecentrl")
and counts with its field's weight (title 3, target group 2, municipality names 2,
organisation 1.5, summary 1). A word (or two-word phrase) in ``SYNONYMS`` also matches its
alternatives at 0.9 of their score, every word of an alternative required ("invandrare" →
"nyanlända", "utrikes födda"; "innovationsmedel" → "innovation"). Examples are ranked by how many query words they match, then
by the summed score, then by id, so the order never depends on the file order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from jamlik import catalog
from jamlik.knowledge._model import Example
from jamlik.text import fold, match_term, query_groups, stem, synonym_table, terms

__all__ = ["SYNONYMS", "Hit", "facets", "fold", "search", "stem", "terms"]

#: Everyday words → the words the examples use (Swedish). An alternative of several words
#: needs all of them in one field.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "invandrare": ("nyanlända", "utrikes födda", "integration", "migranter"),
    "invandrade": ("nyanlända", "utrikes födda", "integration"),
    "utrikes födda": ("nyanlända", "invandrare", "integration"),
    "utlandsfödda": ("nyanlända", "utrikes födda", "integration"),
    "migranter": ("nyanlända", "utrikes födda", "integration"),
    "flyktingar": ("nyanlända", "integration"),
    "asylsökande": ("nyanlända",),
    "etablering": ("nyanlända", "egen försörjning"),
    "innovationsmedel": ("innovation", "projektidéer", "stimulans"),
    "innovationsfond": ("innovation", "projektidéer", "stimulans"),
    "social innovation": ("innovation", "projektidéer"),
    "arbetslös": ("utanför arbetsmarknaden", "egen försörjning", "utanförskap"),
    "arbetslöshet": ("utanför arbetsmarknaden", "egen försörjning", "utanförskap"),
    "unga vuxna": ("20–25 år", "ungdomscoach", "unga"),
    "mångfald": ("integration", "inkluderande"),
    "styrmodell": ("ledningsmodell", "styrning", "strategisk plan"),
    "ledningssystem": ("ledningsmodell", "styrkedjan"),
    "skolresultat": ("motivation", "elever"),
    "psykisk ohälsa": ("bup", "samtalsmottagning"),
    "förskolebarn": ("förskoleåldern", "förskola"),
}

WEIGHTS = {"title": 3.0, "target_group": 2.0, "places": 2.0, "organisation": 1.5,
           "summary_sv": 1.0}


@lru_cache(maxsize=1)
def _area_names() -> dict[str, str]:
    df = catalog.municipalities()
    return dict(zip(df["code"], df["name"], strict=True))


@dataclass(frozen=True)
class Hit:
    """One search result: the example, its score and how many query words it matched."""

    example: Example
    score: float
    matched: int

    def as_json(self) -> dict[str, object]:
        return {**self.example.as_json(), "score": round(self.score, 3),
                "matched_terms": self.matched}


def _fields(e: Example) -> dict[str, list[str]]:
    places = " ".join(_area_names().get(c, "") for c in e.municipality_codes)
    return {"title": terms(e.title), "target_group": terms(e.target_group),
            "places": terms(places), "organisation": terms(e.organisation),
            "summary_sv": terms(" ".join(filter(None, (e.summary_sv, e.results))))}


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, tuple[tuple[str, ...], ...]]:
    return synonym_table(SYNONYMS)


def _best(q: tuple[str, ...], fields: dict[str, list[str]]) -> float:
    """Every stem of ``q`` must match in one field; the weakest decides, times its weight."""
    return max(WEIGHTS[f] * min(match_term(t, words) for t in q) for f, words in fields.items())


def search(examples: Iterable[Example], query: str, *, municipality: str | None = None,
           theme: int | None = None) -> list[Hit]:
    """Examples matching ``query`` (every example when it has no words), best match first.

    municipality: an SCB code (only examples that include it); theme: the Samling's theme 1–4.
    """
    pool = [e for e in examples
            if (municipality is None or municipality in e.municipality_codes)
            and (theme is None or e.theme_number == theme)]
    q_terms = list(dict.fromkeys(terms(query)))
    if not q_terms:
        return [Hit(e, 0.0, 0) for e in sorted(pool, key=lambda e: e.id)]
    groups = query_groups(q_terms, _synonyms())
    hits = []
    for e in pool:
        fields = _fields(e)
        score, matched = 0.0, 0
        for words_q, alternatives in groups:
            best = _best(words_q, fields)
            for alt in alternatives:
                best = max(best, 0.9 * _best(alt, fields))
            if best > 0:
                matched += 1
                score += best
        if matched:
            hits.append(Hit(e, score, matched))
    hits.sort(key=lambda h: (-h.matched, -h.score, h.example.id))
    return hits


def facets(examples: Iterable[Example]) -> dict[str, Counter[object]]:
    """How many examples each municipality code and theme number has (for filter lists)."""
    by_area: Counter[object] = Counter()
    by_theme: Counter[object] = Counter()
    for e in examples:
        by_area.update(e.municipality_codes)
        by_theme[e.theme_number] += 1
    return {"municipality": by_area, "theme": by_theme}
