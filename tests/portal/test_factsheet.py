"""The one-page fact sheet for a kommunstyrelse: PDF page count, choice, words, charts, DOCX."""

from __future__ import annotations

import io
import re

import pytest

from jamlik.portal import _charts as charts
from jamlik.portal._factsheet import deviation_verdict, plain_verdict, select_rows, unit_suffix


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_moras_pdf_is_exactly_one_page(client) -> None:
    r = client.get("/faktablad/Mora.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert _pages(r.content) == 1


@pytest.mark.parametrize("code", ["2080", "2081", "20", "0000"])
def test_other_sheets_are_one_page_too(client, code: str) -> None:
    from weasyprint import HTML

    document = HTML(string=client.get(f"/faktablad/{code}.html").text).render()
    assert len(document.pages) == 1


def test_appendix_only_on_request(client) -> None:
    plain = client.get("/faktablad/2062.html").text
    assert 'class="appendix"' not in plain
    with_appendix = client.get("/faktablad/2062.pdf?bilaga=1")
    assert _pages(with_appendix.content) > 1
    assert 'class="appendix"' in client.get("/faktablad/2062.html?bilaga=1").text


def test_sheet_has_main_cards_deviations_first_plain_words_source_and_date(client, app) -> None:
    html = client.get("/faktablad/2062.html").text
    assert "<main" in html
    main = html[html.index("<main"):html.index("</main>")]
    cards = re.findall(r'<section class="card( dev)?" data-indicator="([^"]+)"', main)
    assert 10 <= len(cards) <= 15
    flags = [bool(dev) for dev, _ in cards]
    assert any(flags) and flags == sorted(flags, reverse=True)  # deviations first
    assert len({ind for _, ind in cards}) == len(cards)
    for word in ("Mann", "Kendall", "p =", "konfidensgrad", "Fingertips", "Byar"):
        assert word not in main
    assert main.count("<svg") == len(cards) + 1  # a small chart each, and life expectancy
    date = app.state.data.data_date()
    assert f"data hämtade t.o.m. {date}" in main and "Kolada (RKA), CC BY 4.0" in main
    assert "(%) (%)" not in main and "%) %" not in main


def test_life_expectancy_chart_draws_riket_for_both_sexes_with_distinct_dashes(client) -> None:
    html = client.get("/faktablad/2062.html").text
    svg = html[html.index('<div class="top">'):html.index('<div class="key">')]
    for name in ("Mora – kvinnor", "Mora – män", "Riket – kvinnor", "Riket – män"):
        assert name in svg
    # legend samples: women solid, men dashed; colours per area
    legend = re.findall(r'<line x1="[^"]+" x2="[^"]+" y1="[^"]+" y2="[^"]+" stroke="([^"]+)" '
                        r'stroke-width="1.8"( stroke-dasharray="[^"]+")?/><text[^>]*>([^<]+)<',
                        svg)
    style = {name: (colour, dash) for colour, dash, name in legend}
    assert style["Mora – kvinnor"][0] == style["Mora – män"][0] != style["Riket – män"][0]
    assert style["Mora – kvinnor"][1] == "" and style["Mora – män"][1] != ""
    assert style["Riket – kvinnor"][1] == "" and style["Riket – män"][1] != ""


def test_nice_ticks() -> None:
    assert charts.nice_ticks(80.2, 84.9) == [80, 82, 84, 86]
    assert charts.nice_ticks(20, 46) == [20, 30, 40, 50]
    assert charts.nice_ticks(-3, 12) == [-5, 0, 5, 10, 15]
    ticks = charts.nice_ticks(0.3, 0.9)
    assert ticks[0] <= 0.3 and ticks[-1] >= 0.9


def test_line_svg_keeps_the_last_year_inside_and_ticks_round() -> None:
    series = [charts.Series("A", [2000, 2011, 2022], [80.2, 82.5, 84.9], ["2000", "2011", "2022"])]
    svg = charts.line_svg(series, width=300, height=120)
    last = re.search(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end">2022</text>', svg)
    assert last and float(last.group(1)) <= 300
    labels = re.findall(r'text-anchor="end">([\d,]+)</text>', svg)
    assert labels[:4] == ["80", "82", "84", "86"]


def test_unit_is_said_once() -> None:
    assert unit_suffix("Invånare 16–84 år som röker dagligen, andel (%)", "%") == ""
    assert unit_suffix("Medellivslängd, år", "år") == ""
    assert unit_suffix("Ohälsotal", "dagar per invånare 16-64") == "dagar per invånare 16-64"


def test_plain_verdicts_have_no_test_names() -> None:
    assert plain_verdict({"vs_nation": "worse_998", "trend": "increasing"}) == \
        "Sämre än riket; över tid: ökar."
    assert plain_verdict({"vs_nation": "not_compared", "rank_colour": "red",
                          "trend": "cannot_be_calculated"}) == "Bland de 25 % sämsta kommunerna."
    assert plain_verdict({}, "en") == "Cannot be assessed."
    assert deviation_verdict({"kind": "worse_than_benchmark", "benchmark": "similar"}) == \
        "Säkert sämre än liknande kommuner."


def test_select_rows_deviations_then_one_per_target_area() -> None:
    rows = [{"indicator": f"I{i}", "value": 1.0, "target_area": i % 3} for i in range(9)]
    devs = [{"indicator": "I4"}, {"indicator": "I4"}, {"indicator": "missing"}]
    chosen = select_rows(rows, devs, [0, 1, 2], max_rows=5)
    assert [r["indicator"] for r in chosen] == ["I4", "I0", "I1", "I2", "I3"]
    assert chosen[0]["deviation"] and not chosen[1]["deviation"]


def test_docx_fact_sheet_opens_with_one_table(client) -> None:
    from docx import Document

    r = client.get("/faktablad/2062.docx")
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.content))
    assert len(doc.tables) == 1 and 11 <= len(doc.tables[0].rows) <= 16
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Mora" in text and "Kolada" in text


@pytest.mark.parametrize(("code", "lang"), [("2062", "sv"), ("2081", "en"), ("20", "sv"),
                                            ("0000", "sv")])
def test_sheet_without_the_profile_page_is_the_same_sheet(app, code: str, lang: str) -> None:
    """The sheet reads only what it shows (no profile page with a spine per row, no scan of
    every indicator's spines and decimals, one query for its charts' series); the HTML equals
    the one built from the whole profile page."""
    from jamlik.portal._data import PortalData
    from jamlik.portal._links import Links
    from jamlik.portal._render import environment, render_page
    from jamlik.portal._views import Views

    fresh = PortalData(app.state.data.store, "20", check_interval=1e9, prewarm=False)
    views = Views(fresh, app.state.views.articles)
    calls: list[str] = []
    area = views.area
    views.area = lambda *a, **k: calls.append("area") or area(*a, **k)  # type: ignore[method-assign]
    env = environment()
    links = Links(lang=lang, current=f"/faktablad/{code}.html")
    lean = render_page(env, views.factsheet(code, lang), links, lang)
    assert calls == []
    assert ("indicator_stats",) not in fresh._cache and ("profile", code) not in fresh._cache
    full = render_page(env, views.factsheet(code, lang, area_page=area(code, lang, None)),
                       links, lang)
    assert lean == full and lean.count("<svg") >= 10


def test_series_of_holds_the_rows_series_holds(app) -> None:
    """``series_of`` (one query for the sheet's indicators × areas) = the whole series cut."""
    data = app.state.data
    ids, areas = ["N00957", "medellivslangd", "U01405"], ["2080", "20", "0000"]
    frame = data.series_of(ids, areas)
    for ind in ids:
        whole = data.series(ind)
        expected = whole[whole["area"].isin(areas)].reset_index(drop=True)
        got = frame[frame["indicator"] == ind].reset_index(drop=True)
        assert not got.empty
        # the columns a chart reads (an all-empty column such as ``note`` may differ in dtype)
        cols = ["indicator", "area", "area_name", "period", "period_label", "sex", "value",
                "lower", "upper"]
        assert got[cols].equals(expected[cols])


def test_the_pdf_engine_is_made_ready_once_in_the_background() -> None:
    """A running portal loads WeasyPrint and the fact sheet's fonts in one daemon thread per
    process (at start-up once idle, and when a PDF is first asked for), so the first sheet
    does not wait for them; later calls get the same thread."""
    from jamlik.portal import _render

    thread = _render.warm_pdf_in_background()
    assert _render.warm_pdf_in_background() is thread and thread.daemon
    thread.join(120)
    assert not thread.is_alive() and len(_render._FONTS) == 1
    assert _render.render_pdf("<p>jamlik</p>").startswith(b"%PDF")


def test_a_jobs_one_read_gives_each_sheet_the_rows_of_its_own_query(app) -> None:
    """The static site reads many sheets' series (and many gaps pages' women's and men's
    values) in one query; each ``series_of`` / ``sex_values`` taken from it equals its own."""
    import pandas as pd

    from jamlik.portal._data import PortalData

    store = app.state.data.store
    alone = PortalData(store, "20", check_interval=1e9, prewarm=False)
    pooled = PortalData(store, "20", check_interval=1e9, prewarm=False)
    views = app.state.views
    wants = [views.factsheet_reads(c)[1:] for c in ("2080", "2062", "2081")]
    pooled.prefetch_series_of([i for ids, _ in wants for i in ids],
                              [a for _, areas in wants for a in areas])
    gap_ids = [r["indicator"] for r in alone.profile("2080") if r.get("sex_gap")]
    pooled.prefetch_sex_values(gap_ids + ["N00925"], ["20", "0000", "2062"])
    assert "series_of" in pooled._pools and "sex_values" in pooled._pools
    for ids, areas in wants:
        pd.testing.assert_frame_equal(pooled.series_of(ids, areas), alone.series_of(ids, areas))
    assert pooled.sex_values(gap_ids, ["20", "0000"]) == alone.sex_values(gap_ids, ["20", "0000"])
    assert pooled.sex_values(gap_ids[:3], ["2062"]) == alone.sex_values(gap_ids[:3], ["2062"])
    pooled.forget({"series_of", "sex_values"})
    assert not pooled._pools
