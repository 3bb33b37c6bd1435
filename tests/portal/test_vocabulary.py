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
