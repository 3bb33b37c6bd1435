"""The area page says how many chance findings its comparisons are expected to give."""

from __future__ import annotations

import re


def test_area_page_says_how_many_chance_findings_to_expect(client) -> None:
    # Real sample, Falun: trend tests (Mann–Kendall at 5 %) and, where limits exist,
    # comparisons (5 %) and Fingertips trends (0.2 %).
    html = client.get("/kommun/2080").text
    m = re.search(r'<p class="multiplicity">Av (\d+) jämförelser väntas ungefär (\d+) vara', html)
    assert m, "the multiplicity sentence is missing"
    tests, expected = int(m.group(1)), int(m.group(2))
    assert tests > 20 and round(tests * 0.002) <= expected <= round(tests * 0.05)


def test_area_page_in_english_and_the_api_keep_the_sentence(client) -> None:
    assert 'class="multiplicity">Of ' in client.get("/kommun/2080?lang=en").text
    body = client.get("/api/v1/deviations/2080").json()
    assert body["multiplicity"]["sentence"].startswith("Av ")
    assert body["multiplicity"]["method"] == "benjamini_hochberg"
    assert all("q_value" in d and "p_value" in d and "test" in d for d in body["deviations"])
