"""District pages: map, profiles, gradient, segregation (DeSO and RegSO), cross-table builder."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pandas as pd
import pytest

from jamlik.areas_web import WORDS
from jamlik.areas_web._words import AREA_TYPE_NAMES, DIMENSIONS, MEASURES
from jamlik.areas_web.web import _table_bytes
from jamlik.web import missing_texts


def test_every_word_has_swedish_and_english() -> None:
    assert missing_texts(WORDS) == []
    assert missing_texts({str(k): v for k, v in AREA_TYPE_NAMES.items()}) == []
    assert missing_texts(DIMENSIONS) == []
    assert all(all(x.strip() for x in m) for m in MEASURES.values())


def test_index_lists_every_municipality_and_the_mapped_ones(client) -> None:
    page = client.get("/omraden/").text
    assert page.count('href="/omraden/2') >= 15 + 15  # Dalarna's with maps, then per county
    assert len(set(re.findall(r'href="/omraden/(\d{4})"', page))) == 290
    assert ">Borlänge<" in page and ">Avesta<" in page


@pytest.mark.parametrize(("code", "deso", "regso"), [("2081", 27, 17), ("2084", 13, 5)])
def test_municipality_page_map_table_gradient_segregation(client, code, deso, regso) -> None:
    page = client.get(f"/omraden/{code}").text
    svg = re.search(r'<svg class="district-map".*?</svg>', page, re.S)
    assert svg is not None
    assert svg.group(0).count("<path ") == deso  # every DeSO 2025 drawn, each linked
    assert len(re.findall(rf'<a href="/omraden/{code}/{code}[ABC]\d{{4}}"', svg.group(0))) == deso
    assert f"{deso} DeSO 2025, {regso} RegSO" in page
    # områdestyp gradient for the shipped indicators, with limits where they are shares
    for var in ("low_econ", "unemp", "foreign", "higher_ed", "income_med", "renters"):
        assert f'data-variable="{var}"' in page
    assert "95 %-gränser" in page and "Lutningsindex (SII)" in page
    # segregation measures with the areal unit named, DeSO and RegSO side by side
    for year, vintages in ((2022, ("DeSO 2018", "RegSO 2020")), (2025, ("DeSO 2025", "RegSO 2025"))):
        table = page.split(f'id="segregation-{year}"')[1].split("</table>")[0]
        for m in ("dissimilarity", "isolation", "exposure", "theil_h"):
            assert f'data-measure="{m}"' in table
        assert f"({deso} områden, {vintages[0]})" in table
        assert f"({regso} områden, {vintages[1]})" in table
    assert "MAUP" in page


def test_borlange_values_on_the_page_match_the_store(client) -> None:
    page = client.get("/omraden/2081").text
    # every district on the map is a named link (screen readers, keyboard), value in the name
    assert ('aria-label="Tjärna Ängar (1140) (2081C1140) – låg ekonomisk standard, %: 59"'
            in page)
    seg = page.split('id="segregation-2022"')[1].split("</table>")[0]
    row = seg.split('data-measure="dissimilarity"')[1].split("</tr>")[0]
    assert "0,481" in row and "0,477" in row  # D over DeSO and over RegSO (docs/AREAS.md)
    seg = page.split('id="segregation-2025"')[1].split("</table>")[0]
    row = seg.split('data-measure="dissimilarity"')[1].split("</tr>")[0]
    assert "0,464" in row and "0,458" in row  # 2025, over DeSO 2025 and RegSO 2025
    edu = client.get("/omraden/2081?grupp=forgymnasial_education").text
    assert 'id="segregation-2022"' in edu and 'id="segregation-2025"' not in edu
    grad = page.split('data-variable="low_econ"')[1].split("</table>")[0]
    assert "41,1" in grad and "8,8" in grad  # typ 1 and typ 4, low economic standard 2024
    # the map's colours follow the chosen indicator, with a legend of class limits
    unemp = client.get("/omraden/2081?indikator=unemp").text
    assert "arbetslösa 20–64 år, %" in unemp.split('id="legend"')[0][-400:] or \
        "arbetslösa" in unemp
    assert len(re.findall(r'<li><span class="swatch" style="background: #', unemp)) == 5


def test_district_profile_compares_with_municipality_county_nation(client) -> None:
    page = client.get("/omraden/2081/2081C1140").text
    assert "Tjärna Ängar (1140)" in page and "Områdestyp 1" in page
    row = page.split('data-variable="low_econ"')[1].split("</tr>")[0]
    assert ">59<" in row and ">18,2<" in row and ">14<" in row  # DeSO, Borlänge, Dalarna (no padded ",0")
    fb = page.split('data-variable="foreign_background"')[1].split("</tr>")[0]
    assert ">85,3<" in fb and ">25,4<" in fb and ">16,8<" in fb and ">26,9<" in fb  # + riket
    income = page.split('data-variable="income_med"')[1].split("</tr>")[0]
    assert "en median kan inte räknas fram" in income
    # a DeSO outside Dalarna: the 2022 counts only
    other = client.get("/omraden/0114/0114C1010").text
    assert 'data-variable="foreign_background"' in other and "low_econ" not in other


def test_unknown_municipality_or_district_is_a_swedish_404(client) -> None:
    assert client.get("/omraden/9999").status_code == 404
    assert client.get("/omraden/abcd").status_code == 404
    res = client.get("/omraden/2081/2084C1010")  # Avesta's DeSO under Borlänge
    assert res.status_code == 404 and "Området finns inte i kommunen" in res.text


def test_english_page(client) -> None:
    page = client.get("/omraden/2084?lang=en").text
    assert "Areas within the municipality" in page and "Dissimilarity (D)" in page
    assert 'href="/omraden/2084/2084' in page and "?lang=en" in page


def _shown_counts(frame: pd.DataFrame) -> list[int]:
    return [int(v) for v in frame["antal"] if v != ".."]


def test_crosstab_never_shows_or_exports_a_count_under_the_threshold(client) -> None:
    base = "/omraden/2084/korstabell?dim=deso&dim=sex&dim=age_band&dim=background"
    page = client.get(base).text
    assert "syntetiska" in page
    cells = re.findall(r'<td class="num">([\d\u202f\xa0 ]+)</td>', page)
    shown = [int(re.sub(r"\D", "", c)) for c in cells]
    assert shown and all(n == 0 or n >= 5 for n in shown)
    assert 'class="num protected"' in page  # some cells are protected at this detail
    text = client.get(base + "&format=csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text.split("\n# ")[0]), delimiter=";"))
    frame = pd.DataFrame(rows)
    assert (frame["antal"] == "..").sum() > 0
    assert all(n == 0 or n >= 5 for n in _shown_counts(frame))
    assert set(frame.loc[frame["antal"] == "..", "skäl"]) <= {"primär", "sekundär"}
    book = openpyxl.load_workbook(io.BytesIO(client.get(base + "&format=xlsx").content))
    sheet = book["korstabell"]
    header = [c.value for c in sheet[1]]
    values = [r[header.index("antal")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert ".." in values
    assert all(v == ".." or v == 0 or v >= 5 for v in values)
    # a higher threshold protects more
    more = client.get(base + "&troskel=20&format=csv").content.decode("utf-8-sig")
    assert more.count(";..;") > text.count(";..;")


def test_crosstab_refuses_a_lower_threshold_and_unknown_dimensions(client) -> None:
    res = client.get("/omraden/2081/korstabell?dim=deso&troskel=1")
    assert res.status_code == 400 and "mellan 5 och 1000" in res.text
    assert 'id="crosstab-table"' not in res.text
    res = client.get("/omraden/2081/korstabell?dim=deso&troskel=1&format=csv")
    assert res.status_code == 400 and "text/csv" not in res.headers["content-type"]
    res = client.get("/omraden/2081/korstabell?dim=education&format=csv")
    assert res.status_code == 400 and "Dimensionen education finns inte i data" in res.text
    res = client.get("/omraden/2081/korstabell?dim=education")
    assert res.status_code == 400 and "Dimensionen education finns inte i data" in res.text


def test_exports_escape_formulas() -> None:
    frame = pd.DataFrame({"deso": ["=HYPERLINK(\"http://x\")", "2081C1140"], "antal": [7, ".."]})
    body, media = _table_bytes(frame, "csv")
    assert media.startswith("text/csv")
    assert "'=HYPERLINK" in body.decode("utf-8-sig")
    body, _ = _table_bytes(frame, "xlsx")
    cell = openpyxl.load_workbook(io.BytesIO(body))["korstabell"]["A2"].value
    assert cell.startswith("'=")


def test_boundaries_served_as_geojson(client) -> None:
    res = client.get("/omraden/2084/granser.geojson")
    assert res.headers["content-type"].startswith("application/geo+json")
    data = res.json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 13


def test_the_portal_area_page_links_to_the_district_page(client) -> None:
    page = client.get("/kommun/2081").text
    assert '<a class="districts-link" href="/omraden/2081">Områden i kommunen' in page
    assert 'class="districts-link"' not in client.get("/kommun/20").text  # a county: no DeSO page


def test_own_divisions_appear_on_the_page_when_the_store_has_them(sample_db_path, tmp_path
                                                                  ) -> None:
    import json

    from fastapi.testclient import TestClient

    import jamlik
    from jamlik.app import create_app
    from jamlik.areas import districts as d
    from jamlik.areas.boundaries import load_shipped_boundaries
    from jamlik.areas.own import import_areas

    db = tmp_path / "own.duckdb"
    db.write_bytes(sample_db_path.read_bytes())
    nyko = tmp_path / "nyko.csv"
    nyko.write_text("code,name,deso\n1,Centrum,2084C1010\n1,Centrum,2084C1020\n",
                    encoding="utf-8")
    with jamlik.open(db) as store:
        d.load_districts(store)
        load_shipped_boundaries(store)
        import_areas(store, nyko, kind="nyko", municipality="2084", vintage=2024)
        shapes = json.loads(store.scalar(
            "SELECT geometry FROM district_boundaries WHERE code = '2084C1010'"))
    own = tmp_path / "egna.geojson"
    own.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "K", "name": "Krylbo"}, "geometry": shapes}]}),
        encoding="utf-8")
    with jamlik.open(db) as store:
        import_areas(store, own, kind="custom", municipality="2084", vintage=2026)
    app = create_app(db, county="20", warm=False)
    try:
        with TestClient(app) as c:
            page = c.get("/omraden/2084").text
    finally:
        app.state.data.store.close()
    table = page.split('data-kind="nyko"')[1].split("</table>")[0]
    assert "Centrum" in table and "2084C1010, 2084C1020" in table
    assert "Egna områden 2026 (1)" in page and 'href="#own-custom-K"' in page
