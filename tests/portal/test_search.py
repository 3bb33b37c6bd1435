"""Search folds case and å/ä/ö, tolerates typos and inflection, knows synonyms, and finds areas,
indicators, målområden, articles and (through the composition root) plans."""

from __future__ import annotations

import re

import pytest

from jamlik.portal._search import SearchDoc, search
from jamlik.text import fold, match_term, terms


def _hits(client, q: str) -> list[tuple[str, str, str]]:
    html = client.get("/sok", params={"q": q}).text
    return re.findall(r'<li data-kind="([^"]+)"><a href="([^"]+)">([^<]+)</a>', html)


@pytest.mark.parametrize("q", ["borlange", "Borlänge", "BORLÄNGE", "borlänge", "Borlaenge"[:7]])
def test_area_names_without_diacritics(client, q: str) -> None:
    hits = _hits(client, q)
    assert hits and hits[0][:2] == ("kommun", "/kommun/2081")


def test_sjukskrivning_finds_sjukpenningtal_and_ohalsotal(client) -> None:
    titles = [t for kind, _, t in _hits(client, "sjukskrivning") if kind == "indikator"]
    assert any(t.startswith("Sjukpenningtalet") for t in titles)
    assert any(t.startswith("Ohälsotal") for t in titles)
    assert any(t.startswith("Långtidssjukskrivna") for t in titles)  # compound


def test_small_typos_and_codes(client) -> None:
    assert _hits(client, "ohälsotl")[0][1] == "/indikator/N00957"
    assert _hits(client, "medellivslangd")[0][0] == "indikator"
    assert _hits(client, "2080") == [("kommun", "/kommun/2080", "Falun")]
    assert _hits(client, "n00957")[0][1] == "/indikator/N00957"


def test_target_areas_and_articles_are_searched(client) -> None:
    kinds = {kind for kind, _, _ in _hits(client, "ohälsotalet")}
    assert "artikel" in kinds
    assert any(kind == "amne" for kind, _, _ in _hits(client, "målområde"))
    assert _hits(client, "hälsoutfall")[0][:2] == ("amne", "/amne/halsoutfall")


def test_nothing_found_says_so(client) -> None:
    html = client.get("/sok", params={"q": "qqqxyz"}).text
    assert "Inga träffar" in html


def test_plans_are_found_through_the_composition_root(app, client) -> None:
    views = app.state.views
    assert views.search_sources  # registered by jamlik.app, not imported by the portal
    docs = [SearchDoc("plan", "2080", "Plan: Falu kommun", text="Jämlik hälsa för barn",
                      url="/styrning/2080/plan")]
    views.search_sources.append(lambda: docs)
    try:
        hits = _hits(client, "falu kommun plan")
        assert ("plan", "/styrning/2080/plan", "Plan: Falu kommun") in hits
    finally:
        views.search_sources.pop()


def test_shared_text_helpers() -> None:
    assert fold("Nyanlända Älvdalen") == "nyanlanda alvdalen"
    assert terms("Familjecentralerna i Borlänge") == ["familjecentral", "borlang"]
    assert match_term("familjecentrl", ["familjecentral"]) > 0.5
    assert match_term("familjecentrl", ["familjecentral"], fuzzy=False) == 0.0


def test_ranking_is_deterministic_and_prefers_all_words() -> None:
    docs = [SearchDoc("indikator", "B", "Röker dagligen"),
            SearchDoc("indikator", "A", "Röker dagligen unga"),
            SearchDoc("kommun", "C", "Unga")]
    hits = search(docs, "röker unga")
    assert [h.doc.key for h in hits] == ["A"]
    assert [h.doc.key for h in search(list(reversed(docs)), "röker")] == ["B", "A"]


def test_target_area_page_says_which_indicators_have_no_data(app, client) -> None:
    data = app.state.data
    ta = next(t for t in data.target_areas() if t.id == 1)
    missing = data.without_values_in(1)
    with data.lock:
        catalogue = set(data.store.indicators(target_area=1)["id"])
    assert missing and {m[0] for m in missing} == catalogue - set(data.indicator_ids())
    html = client.get(f"/amne/{ta.slug}").text
    section = html[html.index('id="utan-data"'):]
    for ind_id, title, _ in missing:
        assert ind_id in section and title in section
