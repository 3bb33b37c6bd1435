"""One SVG chart helper (jamlik.web.charts) and one palette (jamlik.web.palette): every
server-side chart is drawn through svg_document, has a title and a description of how colours,
shapes and dashes are read, and takes its colours from the palette."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from jamlik.web import charts, palette

ROOT = Path(__file__).resolve().parents[2]
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


def _python_files():
    return sorted((ROOT / "jamlik").rglob("*.py"))


def test_only_the_chart_helper_opens_an_svg():
    opening = [str(p.relative_to(ROOT)) for p in _python_files()
               if "<svg" in p.read_text(encoding="utf-8")]
    assert opening == ["jamlik/web/charts.py"]


def test_chart_modules_take_every_colour_from_the_palette():
    chart_modules = ["jamlik/web/charts.py", "jamlik/steering/_charts.py",
                     "jamlik/economics_web/_charts.py", "jamlik/areas_web/_map.py",
                     "jamlik/portal/_charts.py", "jamlik/surveys_web/web.py"]
    found = {m: HEX.findall((ROOT / m).read_text(encoding="utf-8")) for m in chart_modules}
    assert found == {m: [] for m in chart_modules}


def test_the_document_is_labelled_described_and_escaped():
    svg = charts.svg_document(100, 50, 'Ohälsotal <"Falun">', ["<circle/>"],
                              desc="Cirkel: Falun & länet", css_class="chart")
    assert svg.startswith('<svg class="chart" xmlns="http://www.w3.org/2000/svg" '
                          'viewBox="0 0 100 50" width="100" height="50" role="img" ')
    assert 'aria-label="Ohälsotal &lt;&quot;Falun&quot;&gt;"' in svg
    assert "<title>Ohälsotal &lt;&quot;Falun&quot;&gt;</title>" in svg
    assert "<desc>Cirkel: Falun &amp; länet</desc><circle/></svg>" in svg
    group = charts.svg_document(10, 10, "Karta", [], role="group", title_id="map-title",
                                sized=False)
    assert 'role="group" aria-labelledby="map-title"' in group and "width=" not in group
    assert '<title id="map-title">Karta</title>' in group


@pytest.mark.parametrize("shape, tag", [("circle", "<circle"), ("square", "<rect"),
                                        ("diamond", "<path"), ("triangle", "<path")])
def test_markers_differ_by_shape(shape, tag):
    mark = charts.marker(10, 10, palette.BLUE, shape, 4, title="Falun")
    assert mark.startswith(tag) and palette.BLUE in mark and "<title>Falun</title>" in mark


def test_line_chart_says_how_each_series_is_drawn_in_the_page_language():
    series = [charts.ChartSeries("Falun", [2020, 2021, 2022], [1.0, 2.0, 3.0]),
              charts.ChartSeries("Riket", [2020, 2021, 2022], [2.0, None, 2.5], dash="dash")]
    sv = charts.line_chart(series, title="Ohälsotal")
    en = charts.line_chart(series, title="Ill-health", lang="en")
    assert "<desc>Linjediagram per år. Falun: heldragen linje; Riket: streckad linje.</desc>" in sv
    assert "<desc>Line chart by year. Falun: solid line; Riket: dashed line.</desc>" in en
    assert palette.SERIES_COLOURS[0] in sv and palette.SERIES_COLOURS[1] in sv
    assert 'stroke-dasharray="5 3"' in sv
    assert charts.line_chart([charts.ChartSeries("x", [2020], [None])]) == ""


def test_every_chart_of_every_capability_has_title_and_description():
    from jamlik.economics_web import _charts as econ
    from jamlik.steering import _charts as steer

    line = steer.LineChart("Ohälsotal", [steer.Line("Falun", [(2020, 20.0), (2022, 19.0)],
                                                    palette.BLUE),
                                         steer.Line("Riket", [(2020, 18.0), (2022, 18.5)],
                                                    palette.GREY, dashed=True)], target=17.0)
    drawn = {
        "steering line": steer.to_svg(line),
        "priority matrix": steer.priority_matrix_svg([(1, "Åtgärd", 4, 2)]),
        "cumulative": econ.cumulative_npv_svg({"kommun": [0.0, -5.0, 3.0]}, "NPV", desc="d"),
        "tornado": econ.tornado_svg([("Effekt", -1.0, 2.0)], 0.5, "Tornado", desc="d"),
        "histogram": econ.histogram_svg(np.array([-1.0, 0.5, 2.0]), "Fördelning", desc="d"),
    }
    for name, svg in drawn.items():
        assert re.search(r"<title>[^<]+</title><desc>[^<]+</desc>", svg), name
        assert 'role="img"' in svg, name
    assert "Målvärde 17: orange streck-prickad linje" in drawn["steering line"]
    assert "Riket: streckad linje" in drawn["steering line"]


def test_palette_colours_are_distinct_hex_values():
    names = [n for n in palette.__all__ if isinstance(getattr(palette, n), str)]
    for name in names:
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", getattr(palette, name)), name
    assert len(set(palette.SERIES_COLOURS)) == len(palette.SERIES_COLOURS) == 8
    assert len(palette.SEQUENTIAL) == len(palette.DIVERGING) == 5
