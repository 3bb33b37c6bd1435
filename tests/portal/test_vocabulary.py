"""One word per concept on the rendered pages (issue 11, issue 14 items 7–8)."""

from __future__ import annotations

import re

import pytest

_PAGES = ["/", "/amne", "/amne/halsoutfall", "/indikator/N00957", "/kommun/2080",
          "/indikatorer", "/artikel"]


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("url", _PAGES)
def test_the_target_area_is_called_malomrade_never_amne(client, url) -> None:
    text = _text(client.get(url).text)
    assert "Målområde" in text or url == "/artikel"
    assert "Ämne" not in text


def test_the_indicator_page_names_its_target_area(client) -> None:
    html = client.get("/indikator/N00957").text
    assert "<dt>Målområde</dt>" in html
    assert "<dt>Target area</dt>" in client.get("/indikator/N00957?lang=en").text


def test_profile_api_keeps_topic_as_an_alias_of_target_area(client) -> None:
    rows = client.get("/api/v1/profiles/2080").json()["rows"]
    assert rows and all(r["topic"] == r["target_area"] for r in rows)


#: page texts that must not stay Swedish on ?lang=en (the source's own attribution, "Källa: …",
#: is quoted as published)
_SWEDISH_ONLY = ("Så läser du", "Brödsmulor", "Huvudmeny", "Skillnad i riket",
                 "Till startsidan", "Vad kan vi säga", "Så läser du osäkerheten")


@pytest.mark.parametrize("url", ["/", "/kommun/2080", "/skillnader/2080", "/indikator/N00957",
                                 "/amne/halsoutfall", "/faktablad/2080.html", "/jamfor"])
def test_english_pages_carry_no_swedish_page_texts(client, url) -> None:
    html = client.get(url, params={"lang": "en"}).text
    assert [w for w in _SWEDISH_ONLY if w in html] == []
    assert client.get(url).status_code == 200


def test_english_forms_and_links_keep_the_language(client) -> None:
    html = client.get("/kommun/2080?lang=en").text
    assert '<input type="hidden" name="lang" value="en">' in html
    assert 'lang="sv"' in html  # the switch back to Swedish is marked as Swedish
    sv = client.get("/kommun/2080").text
    assert 'name="lang"' not in sv
    assert client.get("/kunskapsbank/?lang=en").text.count("?lang=en") >= 1


# -- issue 14 item 7: one word per concept, numbers as the table shows them ----------------------
def test_deviations_say_what_they_compare_with_and_carry_no_p_values(client) -> None:
    devs = client.get("/api/v1/deviations/2080").json()["deviations"]
    assert devs
    for d in devs:
        assert d["kind_label"] != "Sämre än jämförelsen"
        assert "p =" not in d["text"] and "p <" not in d["text"] and "Mann" not in d["text"]
        assert d["text_en"] and d["kind_label_en"]
    rank_based = [d for d in devs if d["benchmark"] == "rank"]
    assert all("kommunerna" in d["kind_label"] for d in rank_based)
    # the test and its p-value stay in the JSON for analysts
    assert any(d["p_value"] is not None for d in devs if d["kind"] == "trending_worse") or not [
        d for d in devs if d["kind"] == "trending_worse"]


def test_a_county_is_ranked_among_the_counties(client) -> None:
    devs = client.get("/api/v1/deviations/20").json()["deviations"]
    for d in (d for d in devs if d["benchmark"] == "rank"):
        assert "länen" in d["kind_label"] and "kommunerna" not in d["text"]


def test_prose_numbers_have_no_padded_zeros() -> None:
    from jamlik.analysis._targets import _fmt
    from jamlik.analysis._text import fmt

    assert fmt(9.9) == "9,9" and fmt(16.3) == "16,3" and fmt(20.0) == "20"
    assert fmt(9.9, lang="en") == "9.9"
    assert _fmt(2.0, signed=True) == "+2" and _fmt(-1.25, signed=True) == "−1,25"


def test_gaps_page_uses_the_analysis_words_for_the_gap_over_time(client) -> None:
    html = client.get("/skillnader/2080").text
    assert "oförändrad" not in html and ">ökar<" not in html and ">minskar<" not in html
    assert any(w in html for w in ("växande skillnad", "minskande skillnad",
                                   "ingen säkerställd förändring av skillnaden",
                                   "kan inte beräknas"))


def test_english_profile_deviations_and_legends(client) -> None:
    html = client.get("/kommun/2080?lang=en").text
    assert "Worse than" in html or "Among the worst" in html or "No deviations" in html
    assert "Relative position: among" in html  # the rank legend in English
    assert "Ej jämfört" not in html and "Bästa 25 %" not in html


# -- issue 14 item 8: shape and words besides colour --------------------------------------------
def test_trend_marks_carry_an_arrow_and_words(client) -> None:
    html = client.get("/kommun/2080").text
    cells = re.findall(r'<td class="trend"[^>]*>(.*?)</td>', html)
    assert cells
    for cell in cells:
        assert re.search(r'class="arrow[^"]*">[↑↓→–]</span>', cell)
        word = re.search(r'class="trend-word">([^<]+)<', cell)
        assert word and word.group(1).strip()
    assert any("blir sämre" in c or "blir bättre" in c for c in cells)
    en = client.get("/kommun/2080?lang=en").text
    assert "getting worse" in en or "getting better" in en


def test_every_colour_mark_has_a_shape_and_the_legend_explains_both_colourings(client) -> None:
    from jamlik.analysis import LEGENDS

    assert all(item["symbol"] and item["label_en"] and item["explanation_en"]
               for item in LEGENDS.values())
    html = client.get("/kommun/2080").text
    swatches = re.findall(r'<span class="swatch"[^>]*>([^<]*)</span>', html)
    assert swatches and all(s.strip() in "▲▼●△▽○" and s.strip() for s in swatches)
    assert "Färgen visar om kommunens värde skiljer sig från rikets" in html
    assert "Färgen visar var kommunen hamnar bland landets kommuner" in html
    assert "▲ bättre" in html
