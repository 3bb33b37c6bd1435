"""Funnel plots on the indicator page where the municipalities have sizes (counts or a
population base), computed by jamlik.stats.funnel."""

from __future__ import annotations

import json
import re

import pytest

from jamlik.stats.funnel import funnel_limit


def _spec(html: str, fig: str) -> dict:
    m = re.search(rf'data-target="{fig}">(.*?)</script>', html, re.S)
    assert m, fig
    return json.loads(m.group(1).replace("<\\/", "</"))


def test_funnel_on_an_indicator_with_a_population_base(client, app, page_with_charts) -> None:
    html = page_with_charts(client, "/indikator/N31807?omraden=2080")
    spec = _spec(html, "fig-tratt")
    markers = [t for t in spec["data"] if t["mode"] == "markers"]
    assert sum(len(t["x"]) for t in markers) >= 280
    falun = next(t for t in markers if "Falun" in t["text"])
    i = falun["text"].index("Falun")
    assert falun["marker"]["size"][i] == 13  # the chosen area stands out
    target = next(t for t in spec["data"] if t["name"] == "Riket")
    data = app.state.data
    nation = data.values("N31807", data.latest_period("N31807"))["0000"]
    assert target["y"][0] == nation
    # the limits are stats.funnel's at the plotted sizes
    upper = next(t for t in spec["data"] if t.get("legendgroup") == "998" and
                 not t["showlegend"])
    n0 = upper["x"][0]
    assert upper["y"][0] == pytest.approx(funnel_limit(nation / 100, n0, 0.999) * 100)
    assert "Spiegelhalter 2005" in html
    assert spec["layout"]["xaxis"]["type"] == "log"


def test_no_funnel_without_sizes(client) -> None:
    assert 'id="fig-tratt"' not in client.get("/indikator/N00957").text


def test_funnel_positions_have_shapes_not_only_colours(client, page_with_charts) -> None:
    spec = _spec(page_with_charts(client, "/indikator/N07403"), "fig-tratt")
    symbols = {t["name"]: t["marker"]["symbol"] for t in spec["data"] if t["mode"] == "markers"}
    assert symbols.get("Inom gränserna") == "circle"
    assert {s for n, s in symbols.items() if n.startswith("Över")} <= {"triangle-up"}
    assert {s for n, s in symbols.items() if n.startswith("Under")} <= {"triangle-down"}
