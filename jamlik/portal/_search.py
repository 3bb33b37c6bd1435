"""The portal's search: areas, indicators, målområden, articles and (through the composition
root) plans, folding case and å/ä/ö, tolerating inflection, compounds and small typos
(``jamlik.text``) and a short list of synonyms, so "sjukskrivning" finds sjukpenningtalet and
ohälsotalet and "borlange" finds Borlänge.

Score: per query word the best match over the document's fields (title weight 3, other text 1;
a synonym counts 0.9 of a direct match; near spellings only in titles); documents are ranked by how many query words they
match, then by the summed score, then by kind (areas, indicators, målområden, articles, plans)
and title, so the order never depends on the catalogue order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from jamlik.text import match_term, terms

#: Everyday words → the words the indicators use (Swedish; a few English). Phrases are matched
#: word by word (every word must match).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "sjukskrivning": ("sjukpenningtal", "ohälsotal", "sjukfall", "sjukskriv", "sjukpenning"),
    "sjukfrånvaro": ("sjukpenningtal", "ohälsotal", "sjukfall", "sjukskriv"),
    "sjukskriven": ("sjukpenningtal", "ohälsotal", "sjukskriv"),
    "sick leave": ("sjukpenningtal", "ohälsotal"),
    "arbetslöshet": ("arbetslös", "långtidsarbetslöshet", "sysselsättningsgrad"),
    "jobb": ("sysselsättningsgrad", "förvärvsarbetande", "arbetslöshet"),
    "rökning": ("röker", "tobak"),
    "alkohol": ("alkoholvanor",),
    "fattigdom": ("låg ekonomisk standard", "ekonomiskt bistånd", "låg inkomststandard"),
    "barnfattigdom": ("låg ekonomisk standard", "ekonomiskt bistånd"),
    "socialbidrag": ("ekonomiskt bistånd", "biståndsmottagare"),
    "försörjningsstöd": ("ekonomiskt bistånd", "biståndsmottagare"),
    "livslängd": ("medellivslängd",),
    "life expectancy": ("medellivslängd",),
    "dödlighet": ("dödsfall", "självmord", "åtgärdbar dödlighet"),
    "skola": ("elever", "behöriga", "meritvärde", "gymnasieelever", "grundskola"),
    "betyg": ("meritvärde", "betygskriterierna", "behöriga"),
    "utbildning": ("eftergymnasial", "förgymnasial", "examen"),
    "våld": ("våldsbrott", "våld eller hot"),
    "brott": ("våldsbrott",),
    "trygghet": ("otrygghet", "trygg"),
    "boende": ("trångboddhet", "vräkningar", "ensamboende"),
    "vaccination": ("vaccinerade",),
    "psykisk ohälsa": ("psykisk påfrestning", "psykiska sjukdomar", "psykisk ohälsa"),
    "inkomst": ("mediannettoinkomst", "förvärvsinkomst", "ginikoefficient"),
    "ojämlikhet": ("ginikoefficient", "låg ekonomisk standard"),
    "äldre": ("65+", "80+", "fallskador"),
    "unga": ("16-24", "0-19", "barn och unga"),
    "barn": ("0-19", "barn och unga", "förskola"),
    "sömn": ("störd sömn",),
    "buller": ("trafikbuller",),
    "tandvård": ("tandvård",),
    "föräldraledighet": ("föräldrapenningdagar",),
    "vab": ("tillfälliga föräldrapenningdagar",),
}
KIND_ORDER = ("kommun", "indikator", "amne", "artikel", "plan")
WEIGHTS = {"title": 3.0, "text": 1.0}


@dataclass(frozen=True)
class SearchDoc:
    """Something a search can find: ``kind`` (kommun, indikator, amne, artikel, plan), ``key``
    (the page key, or a whole URL for pages outside the portal) and its texts."""

    kind: str
    key: str
    title: str
    text: str = ""
    detail: str = ""
    url: str | None = None
    exact: tuple[str, ...] = field(default_factory=tuple)  # codes matched whole: 2080, N00957


@dataclass(frozen=True)
class SearchHit:
    doc: SearchDoc
    score: float
    matched: int


@lru_cache(maxsize=4096)
def _terms(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(terms(text)))


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Stem of the everyday word (or phrase, space-joined stems) → stems of each alternative."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for word, alternatives in SYNONYMS.items():
        out[" ".join(_terms(word))] = tuple(_terms(a) for a in alternatives if _terms(a))
    return out


def _best(q: tuple[str, ...], fields: dict[str, tuple[str, ...]]) -> float:
    """All stems of ``q`` must match somewhere; the weakest one decides."""
    total = 0.0
    for f, words in fields.items():
        score = min((match_term(t, words, fuzzy=f == "title") for t in q), default=0.0)
        total = max(total, WEIGHTS[f] * score)
    return total


def search(docs: Iterable[SearchDoc], query: str, limit: int = 100) -> list[SearchHit]:
    """Documents matching ``query``, best first (empty for a query without words)."""
    raw = query.strip()
    q_terms = list(_terms(raw))
    if not q_terms:
        return []
    synonyms = _synonyms()
    # A whole-phrase synonym ("psykisk ohälsa") replaces its words; single words get theirs.
    groups: list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]] = []
    phrase = " ".join(q_terms)
    if len(q_terms) > 1 and phrase in synonyms:
        groups.append((tuple(q_terms), synonyms[phrase]))
    else:
        groups = [((t,), synonyms.get(t, ())) for t in q_terms]
    hits = []
    for doc in docs:
        if raw.casefold() in (e.casefold() for e in doc.exact):
            hits.append(SearchHit(doc, 100.0, len(groups)))
            continue
        fields = {"title": _terms(doc.title), "text": _terms(doc.text)}
        score, matched = 0.0, 0
        for q, alternatives in groups:
            best = _best(q, fields)
            for alt in alternatives:
                best = max(best, 0.9 * _best(alt, fields))
            if best > 0:
                matched += 1
                score += best
        if matched:
            hits.append(SearchHit(doc, score, matched))
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    hits.sort(key=lambda h: (-h.matched, -round(h.score, 6), order.get(h.doc.kind, 9),
                             h.doc.title))
    # Words that match nothing in the best documents should not leave weak partial matches
    # on top of whole ones: keep only documents matching as many words as the best.
    if hits:
        top = hits[0].matched
        hits = [h for h in hits if h.matched == top]
    return hits[:limit]


SearchSource = Callable[[], list[SearchDoc]]
