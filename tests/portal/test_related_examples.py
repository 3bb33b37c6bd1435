"""The area page shows the knowledge bank's examples beside matching deviations (issue 18)."""

from __future__ import annotations

import re

import pytest

from jamlik.knowledge import load_bank, related_to_indicator


def _expected(data, code: str) -> dict[str, list[str]]:
    out = {}
    for d in data.deviations(code)[:10]:
        found = related_to_indicator(data.store, load_bank(), code, d["indicator"], limit=2)
        if found:
            out[d["indicator"]] = [r.example.id for r in found]
    return out


@pytest.mark.parametrize("code", ["2080", "2039"])
def test_deviations_of_a_municipality_show_matching_examples(client, app, code):
    expected = _expected(app.state.data, code)
    assert expected, "a deviation in a målområde some Dalarna example works on"
    html = client.get(f"/kommun/{code}").text
    assert "Andra som arbetat med detta" in html
    for ids in expected.values():
        for ex in ids:
            assert f'href="/kunskapsbank/exempel/{ex}"' in html
    # only examples that share something with a deviation, never the whole bank
    linked = set(re.findall(r'href="/kunskapsbank/exempel/([a-z0-9-]+)"', html))
    assert linked == {e for ids in expected.values() for e in ids}


def test_own_municipality_examples_come_first_and_are_marked(client, app):
    expected = _expected(app.state.data, "2039")  # Älvdalen: Jobb i norr, En dörr in
    firsts = {ids[0] for ids in expected.values()}
    assert firsts & {"alvdalen-jobb-i-norr", "alvdalen-en-dorr-in"}
    assert "(egen kommun)" in client.get("/kommun/2039").text


def test_a_county_page_has_no_examples(app):
    assert app.state.data.related_examples("20") == {}
