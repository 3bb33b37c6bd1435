"""Charts: Plotly figure specs (plain dicts, rendered client-side) and server-side SVG.

Plotly specs are built as dicts rather than graph_objects because that is much faster and the
browser only needs JSON. Server-side SVG (spine charts, small line charts) is used where there is
no JavaScript: fact sheets (PDF) and the spine column of profile tables; it is drawn with the
one chart helper, ``jamlik.web.charts`` (``line_svg`` is its ``line_chart``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from jamlik.language import word
from jamlik.portal._format import fmt_num, is_missing
from jamlik.web.charts import line_chart, marker, svg_document
from jamlik.web.charts import nice_ticks as nice_ticks  # the fact sheet's axis ticks
from jamlik.web.palette import (  # the one palette (Okabe–Ito)
    AXIS,
    BLACK,
    BLUE,
    INK,
    ORANGE,
    PLOT_GRID,
    PLOT_GRID_LIGHT,
    RANGE_DARK,
    RANGE_LIGHT,
    SERIES_COLOURS,
    SKY_BLUE,
    VERMILLION,
    WHITE,
)

#: the fact sheet's small line charts: the one chart helper's line chart
line_svg = line_chart

#: The charts' words and number marks, (Swedish, English).
_WORDS: dict[str, tuple[str, str]] = {
    "period": ("Period", "Period"),
    "no_limits": ("Inga konfidensintervall redovisas", "No confidence limits published"),
    "ci95": ("95 % konfidensintervall", "95% confidence interval"),
    # Plotly's axis ticks: decimal sign, then thousands separator (narrow no-break space).
    "separators": (",\u202f", ".,"),
    "spine_desc": (
        "Ljusgrått fält: alla kommuners spridning, sämst till vänster; mörkgrått: mittersta "
        "hälften; svart linje: riket; öppen romb: länet; cirkel: området i den valda "
        "färgläggningens färg.",
        "Light grey band: the range of all municipalities, worst on the left; dark grey: the "
        "middle half; black line: Sweden; open diamond: the county; circle: the area in the "
        "chosen colouring's colour."),
}

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@dataclass
class Series:
    name: str
    x: list[int]
    y: list[float | None]
    labels: list[str]  # period labels, e.g. "2019–2022"
    lower: list[float | None] = field(default_factory=list)
    upper: list[float | None] = field(default_factory=list)
    dash: str = "solid"
    #: a fixed colour (e.g. one per area when women and men share a chart); None: by position
    colour: str | None = None


def _hover(lang: str, unit: str | None, source: str) -> str:
    period = word(_WORDS["period"], lang)
    return (f"<b>%{{fullData.name}}</b><br>{period}: %{{customdata[0]}}<br>"
            f"%{{customdata[1]}} {escape(unit or '')}<br>%{{customdata[2]}}<br>"
            f"<i>{escape(source)}</i><extra></extra>")


def _limits_text(lower: float | None, upper: float | None, lang: str,
                 decimals: int | None = None) -> str:
    if is_missing(lower) or is_missing(upper):
        return word(_WORDS["no_limits"], lang)
    return f"{word(_WORDS['ci95'], lang)}: {fmt_num(lower, lang, decimals)}–{fmt_num(upper, lang, decimals)}"


def _minus(a: float | None, b: float | None) -> float | None:
    """a − b, or None when either is missing (error-bar arms)."""
    if a is None or b is None or is_missing(a) or is_missing(b):
        return None
    return a - b


def base_layout(title: str, lang: str, *, y_title: str = "", height: int = 380) -> dict[str, Any]:
    return {
        "title": {"text": escape(title), "font": {"size": 15}, "x": 0, "xanchor": "left"},
        "separators": word(_WORDS["separators"], lang),
        "font": {"family": FONT, "size": 13, "color": INK},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "paper_bgcolor": WHITE,
        "plot_bgcolor": WHITE,
        "yaxis": {"title": {"text": escape(y_title)}, "gridcolor": PLOT_GRID, "zeroline": False},
        "xaxis": {"gridcolor": PLOT_GRID_LIGHT, "tickformat": "d"},
        "legend": {"orientation": "h", "y": -0.18},
        "hoverlabel": {"font": {"family": FONT}},
    }


def line_figure(series: Sequence[Series], title: str, unit: str | None, source: str,
                lang: str = "sv", decimals: int | None = None) -> dict[str, Any]:
    """Trend lines with error bars where limits exist; hover shows period, value, limits, source.

    decimals: the indicator's printed decimals (``PortalData.decimals``), used in the hover.
    """
    data = []
    for i, s in enumerate(series):
        colour = s.colour or SERIES_COLOURS[i % len(SERIES_COLOURS)]
        lower = s.lower or [None] * len(s.x)
        upper = s.upper or [None] * len(s.x)
        custom = [[lab, fmt_num(y, lang, decimals), _limits_text(lo, up, lang, decimals)]
                  for lab, y, lo, up in zip(s.labels, s.y, lower, upper, strict=True)]
        trace: dict[str, Any] = {
            "type": "scatter", "mode": "lines+markers", "name": s.name, "x": s.x, "y": s.y,
            "customdata": custom, "hovertemplate": _hover(lang, unit, source),
            "line": {"color": colour, "width": 2.5, "dash": s.dash}, "marker": {"size": 6},
            "connectgaps": False,
        }
        if any(not is_missing(v) for v in upper):
            trace["error_y"] = {
                "type": "data", "symmetric": False, "thickness": 1, "width": 3,
                "array": [_minus(u, y) for u, y in zip(upper, s.y, strict=True)],
                "arrayminus": [_minus(y, lo) for lo, y in zip(lower, s.y, strict=True)],
            }
        data.append(trace)
    layout = base_layout(title, lang, y_title=unit or "")
    return {"data": data, "layout": layout}


def ranked_bar_figure(names: list[str], values: list[float], lower: list[float | None],
                      upper: list[float | None], labels: list[str], colours: list[str],
                      title: str, unit: str | None, source: str, lang: str = "sv",
                      decimals: int | None = None) -> dict[str, Any]:
    """Horizontal bars, best at the top; limits as error bars where the source has them."""
    custom = [[lab, fmt_num(v, lang, decimals), _limits_text(lo, up, lang, decimals)]
              for lab, v, lo, up in zip(labels, values, lower, upper, strict=True)]
    trace: dict[str, Any] = {
        "type": "bar", "orientation": "h", "y": names, "x": values, "name": title,
        "marker": {"color": colours}, "customdata": custom,
        "hovertemplate": (f"<b>%{{y}}</b><br>%{{customdata[0]}}<br>%{{customdata[1]}} "
                          f"{escape(unit or '')}<br>%{{customdata[2]}}<br>"
                          f"<i>{escape(source)}</i><extra></extra>"),
    }
    if any(not is_missing(u) for u in upper):
        trace["error_x"] = {
            "type": "data", "symmetric": False, "thickness": 1, "width": 2,
            "array": [_minus(u, v) for u, v in zip(upper, values, strict=True)],
            "arrayminus": [_minus(v, lo) for lo, v in zip(lower, values, strict=True)],
        }
    layout = base_layout(title, lang, height=max(380, 14 * len(names) + 90))
    layout["yaxis"] = {"autorange": "reversed", "automargin": True, "tickfont": {"size": 10}}
    layout["xaxis"] = {"title": {"text": escape(unit or "")}, "gridcolor": PLOT_GRID}
    layout["showlegend"] = False
    layout["margin"]["l"] = 130
    return {"data": [trace], "layout": layout}


#: Funnel positions: colour and marker shape (never colour alone), Okabe–Ito.
FUNNEL_STYLE = {"above_998": (VERMILLION, "triangle-up"), "above_95": (ORANGE, "triangle-up"),
                "within": (RANGE_DARK, "circle"), "below_95": (SKY_BLUE, "triangle-down"),
                "below_998": (BLUE, "triangle-down")}


def funnel_figure(points: list[dict[str, Any]], curve: dict[str, list[float]], target: float,
                  labels: dict[str, str], title: str, unit: str | None, source: str,
                  lang: str = "sv", decimals: int | None = None,
                  size_title: str = "") -> dict[str, Any]:
    """Spiegelhalter funnel: each area at (size, value) by its position, the target line and
    the 95 % (dashed) and 99.8 % (dotted) control limits; x on a log scale.

    points: name, n, value, position, chosen (bool); labels: position → words for the legend
    and the lines ("target", "limit95", "limit998")."""
    data: list[dict[str, Any]] = []
    for pos, (colour, symbol) in FUNNEL_STYLE.items():
        sub = [p for p in points if p["position"] == pos]
        if not sub:
            continue
        data.append({
            "type": "scatter", "mode": "markers", "name": labels[pos],
            "x": [p["n"] for p in sub], "y": [p["value"] for p in sub],
            "text": [p["name"] for p in sub],
            "customdata": [[fmt_num(p["value"], lang, decimals), fmt_num(p["n"], lang, 0)]
                           for p in sub],
            "hovertemplate": (f"<b>%{{text}}</b><br>%{{customdata[0]}} {escape(unit or '')}"
                              f"<br>n = %{{customdata[1]}}<br><i>{escape(source)}</i>"
                              "<extra></extra>"),
            "marker": {"color": colour, "symbol": symbol,
                       "size": [13 if p["chosen"] else 7 for p in sub],
                       "line": {"color": BLACK,
                                "width": [2 if p["chosen"] else 0.5 for p in sub]}}})
    xs = curve["n"]
    data.append({"type": "scatter", "mode": "lines", "name": labels["target"], "x": xs,
                 "y": [target] * len(xs), "hoverinfo": "skip",
                 "line": {"color": BLACK, "width": 1.5}})
    for key, dash, name in (("95", "dash", labels["limit95"]), ("998", "dot", labels["limit998"])):
        for side in ("lower", "upper"):
            data.append({"type": "scatter", "mode": "lines", "x": xs,
                         "y": curve[f"{side}{key}"], "name": name, "hoverinfo": "skip",
                         "showlegend": side == "lower", "legendgroup": key,
                         "line": {"color": AXIS, "width": 1, "dash": dash}})
    layout = base_layout(title, lang, y_title=unit or "", height=460)
    layout["xaxis"] = {"type": "log", "title": {"text": escape(size_title)},
                       "gridcolor": PLOT_GRID_LIGHT}
    return {"data": data, "layout": layout}


def choropleth_figure(codes: list[str], names: list[str], values: list[float],
                      labels: list[str], title: str, unit: str | None, source: str,
                      reverse: bool, lang: str = "sv", decimals: int | None = None
                      ) -> dict[str, Any]:
    """Municipality map; the geometry is attached client-side from the vendored GeoJSON.

    reverse: True unless higher is better, so dark blue means "better" (or "low" when the
    indicator has no direction).
    """
    custom = [[n, lab, fmt_num(v, lang, decimals)]
              for n, lab, v in zip(names, labels, values, strict=True)]
    trace = {
        "type": "choropleth", "locations": codes, "z": values, "featureidkey":
        "properties.kommun_kod", "geojson": "__KOMMUN_GEOJSON__", "colorscale": "Cividis",
        "reversescale": not reverse, "marker": {"line": {"color": WHITE, "width": 0.3}},
        "customdata": custom, "colorbar": {"title": {"text": escape(unit or "")},
                                           "thickness": 12},
        "hovertemplate": (f"<b>%{{customdata[0]}}</b><br>%{{customdata[1]}}<br>%{{customdata[2]}} "
                          f"{escape(unit or '')}<br><i>{escape(source)}</i><extra></extra>"),
    }
    layout = base_layout(title, lang, height=620)
    layout["geo"] = {"fitbounds": "locations", "visible": False, "projection": {"type": "mercator"}}
    layout["margin"] = {"l": 0, "r": 0, "t": 50, "b": 10}
    return {"data": [trace], "layout": layout}


# -- server-side SVG ---------------------------------------------------------------------------
def spine_svg(value: float | None, spine: dict[str, float] | None, nation: float | None,
              county: float | None, polarity: str, colour: str, label: str,
              width: int = 220, height: int = 22, colours: dict[str, str] | None = None,
              lang: str = "sv") -> str:
    """A Fingertips-style spine: municipal range (light), middle half (dark), nation (line),
    county (open diamond) and the area (filled circle in the chosen colour).

    Worst is on the left and best on the right; for no-judgement indicators low is on the left.
    colours: one colour per colouring method, exposed as CSS variables so the page can switch
    method without a reload (the fill attribute is the default, used in print).
    """
    if spine is None or value is None or spine["max"] == spine["min"]:
        return ""
    lo, hi = spine["min"], spine["max"]
    flip = polarity == "lower_is_better"
    pad = 6

    def x(v: float) -> float:
        frac = (v - lo) / (hi - lo)
        frac = 1 - frac if flip else frac
        return pad + max(0.0, min(1.0, frac)) * (width - 2 * pad)

    mid = height / 2
    q_lo, q_hi = sorted((x(spine["q25"]), x(spine["q75"])))
    parts = [
        f'<rect x="{pad}" y="{mid - 5}" width="{width - 2 * pad}" height="10" '
        f'fill="{RANGE_LIGHT}"/>',
        f'<rect x="{q_lo:.1f}" y="{mid - 5}" width="{q_hi - q_lo:.1f}" height="10" '
        f'fill="{RANGE_DARK}"/>',
    ]
    if nation is not None:
        parts.append(f'<line x1="{x(nation):.1f}" x2="{x(nation):.1f}" y1="1" y2="{height - 1}" '
                     f'stroke="{BLACK}" stroke-width="2"/>')
    if county is not None:
        parts.append(marker(x(county), mid, WHITE, "diamond", 5.5, stroke=BLACK))
    style = ";".join(f"--{k}:{v}" for k, v in (colours or {}).items())
    parts.append(marker(x(value), mid, colour, "circle", 6, stroke=BLACK, css_class="dot",
                        style=style))
    return svg_document(width, height, label, parts, desc=word(_WORDS["spine_desc"], lang))
