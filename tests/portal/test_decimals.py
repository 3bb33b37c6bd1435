"""One precision per indicator wherever the portal prints its values: rounded to the
indicator's own decimals, never padded with zeros ("22", not "22,00"; issue 14)."""

from __future__ import annotations

import re

from jamlik.portal._format import value_decimals

_NUMBER = re.compile(r"−?\d{1,3}(?:\u202f\d{3})*(?:,(\d+))?")


def _cells(html_row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<td class="num[^"]*">(.*?)</td>',
                                                          html_row, re.S)]


def _decimals(text: str) -> set[int]:
    return {len(m.group(1) or "") for m in _NUMBER.finditer(text)}


def test_start_page_shows_riket_ohalsotal_with_the_counties_decimals(client) -> None:
    # Kolada N00957 2022: Riket 22 (stored as 22.0), Dalarnas län 24.92.
    html = client.get("/").text
    row = html.split('href="/indikator/N00957"', 1)[1].split("</tr>", 1)[0]
    assert _cells(row) == ["24,92", "22"]


def test_start_page_in_english_keeps_the_decimals(client) -> None:
    html = client.get("/?lang=en").text
    row = html.split("/indikator/N00957", 1)[1].split("</tr>", 1)[0]
    assert "24.92" in row and ">22<" in row and "22.00" not in row


def test_every_profile_row_prints_one_number_of_decimals(client, app) -> None:
    html = client.get("/kommun/2080").text
    rows = re.findall(r'<tr data-indicator="([^"]+)">(.*?)</tr>', html, re.S)
    assert len(rows) > 20
    data = app.state.data
    for indicator, row in rows:
        cells = [c for c in _cells(row) if c not in ("–", "")]
        expected = data.decimals(indicator)
        for cell in cells:
            shown = _decimals(cell.split("ökar")[0].split("minskar")[0])
            assert max(shown, default=0) <= expected, (indicator, cell, expected)
            assert not re.search(r",\d*0(?!\d)", cell), (indicator, cell)  # no padded zero


def test_decimals_follow_the_indicators_own_values(app) -> None:
    data = app.state.data
    assert data.decimals("N00957") == value_decimals(data.series("N00957")["value"]) == 2


def test_spine_label_and_hover_use_the_indicators_decimals(client, page_with_charts) -> None:
    html = client.get("/kommun/20").text
    row = html.split('data-indicator="N00957"', 1)[1].split("</tr>", 1)[0]
    assert "Värde 24,92; riket 22; länet –; kommunerna från 9,52 till 41,67" in row
    spec = page_with_charts(client, "/indikator/N00957")
    assert "<dd>22</dd>" in spec  # the nation's value in the key figures
    hover = re.findall(r'\["Falun", "2022", "([^"]+)"\]', spec)
    assert hover == ["20,66"]


def test_csv_keeps_raw_numbers(client) -> None:
    text = client.get("/?format=csv&tabell=lanet").content.decode("utf-8-sig")
    row = next(line for line in text.splitlines() if line.startswith("Ohälsotal"))
    assert row.split(";")[2:4] == ["24,92", "22,0"]  # the stored 22.0, not a display string


def test_factsheet_prints_the_nation_with_the_indicators_decimals(client) -> None:
    html = client.get("/faktablad/20.html?bilaga=1").text  # the appendix has every indicator
    row = html.split('<td class="title">Ohälsotal, dagar</td>', 1)[1].split("</tr>", 1)[0]
    assert _cells(row) == ["24,92", "–", "22"]
