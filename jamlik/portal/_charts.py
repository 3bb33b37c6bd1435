"""Charts: Plotly figure specs (plain dicts, rendered client-side) and server-side SVG.

Plotly specs are built as dicts rather than graph_objects because that is much faster and the
browser only needs JSON. Server-side SVG (spine charts, small line charts) is used where there is
no JavaScript: fact sheets (PDF) and the spine column of profile tables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from jamlik.language import word
from jamlik.portal._format import fmt_num, is_missing
from jamlik.web.palette import SERIES_COLOURS  # the one palette (Okabe–Ito)

#: The charts' words and number marks, (Swedish, English).
_WORDS: dict[str, tuple[str, str]] = {
    "period": ("Period", "Period"),
    "no_limits": ("Inga konfidensintervall redovisas", "No confidence limits published"),
    "ci95": ("95 % konfidensintervall", "95% confidence interval"),
    # Plotly's axis ticks: decimal sign, then thousands separator (narrow no-break space).
    "separators": (",\u202f", ".,"),
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
        "font": {"family": FONT, "size": 13, "color": "#1a1a1a"},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "yaxis": {"title": {"text": escape(y_title)}, "gridcolor": "#e3e3e3", "zeroline": False},
        "xaxis": {"gridcolor": "#f0f0f0", "tickformat": "d"},
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
    layout["xaxis"] = {"title": {"text": escape(unit or "")}, "gridcolor": "#e3e3e3"}
    layout["showlegend"] = False
    layout["margin"]["l"] = 130
    return {"data": [trace], "layout": layout}


#: Funnel positions: colour and marker shape (never colour alone), Okabe–Ito.
FUNNEL_STYLE = {"above_998": ("#D55E00", "triangle-up"), "above_95": ("#E69F00", "triangle-up"),
                "within": ("#9e9e9e", "circle"), "below_95": ("#56B4E9", "triangle-down"),
                "below_998": ("#0072B2", "triangle-down")}


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
                       "line": {"color": "#000000",
                                "width": [2 if p["chosen"] else 0.5 for p in sub]}}})
    xs = curve["n"]
    data.append({"type": "scatter", "mode": "lines", "name": labels["target"], "x": xs,
                 "y": [target] * len(xs), "hoverinfo": "skip",
                 "line": {"color": "#000000", "width": 1.5}})
    for key, dash, name in (("95", "dash", labels["limit95"]), ("998", "dot", labels["limit998"])):
        for side in ("lower", "upper"):
            data.append({"type": "scatter", "mode": "lines", "x": xs,
                         "y": curve[f"{side}{key}"], "name": name, "hoverinfo": "skip",
                         "showlegend": side == "lower", "legendgroup": key,
                         "line": {"color": "#555555", "width": 1, "dash": dash}})
    layout = base_layout(title, lang, y_title=unit or "", height=460)
    layout["xaxis"] = {"type": "log", "title": {"text": escape(size_title)},
                       "gridcolor": "#f0f0f0"}
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
        "reversescale": not reverse, "marker": {"line": {"color": "#ffffff", "width": 0.3}},
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
              width: int = 220, height: int = 22, colours: dict[str, str] | None = None) -> str:
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
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
        f'<rect x="{pad}" y="{mid - 5}" width="{width - 2 * pad}" height="10" fill="#d9d9d9"/>',
        f'<rect x="{q_lo:.1f}" y="{mid - 5}" width="{q_hi - q_lo:.1f}" height="10" '
        'fill="#9e9e9e"/>',
    ]
    if nation is not None:
        parts.append(f'<line x1="{x(nation):.1f}" x2="{x(nation):.1f}" y1="1" y2="{height - 1}" '
                     'stroke="#000" stroke-width="2"/>')
    if county is not None:
        cx = x(county)
        parts.append(f'<path d="M{cx:.1f} {mid - 6}L{cx + 5:.1f} {mid}L{cx:.1f} {mid + 6}'
                     f'L{cx - 5:.1f} {mid}Z" fill="#fff" stroke="#000" stroke-width="1.3"/>')
    style = ";".join(f"--{k}:{v}" for k, v in (colours or {}).items())
    parts.append(f'<circle class="dot" cx="{x(value):.1f}" cy="{mid}" r="6" fill="{colour}" '
                 f'style="{style}" stroke="#000" stroke-width="1"/>')
    parts.append("</svg>")
    return "".join(parts)


def nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """Round axis ticks covering [lo, hi]: steps of 1, 2, 2.5 or 5 × 10ᵏ, about ``count``
    of them (80.2–84.9 → 80, 82, 84, 86 rather than 80,2 / 82,5 / 84,9)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    raw = (hi - lo) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(lo / step + 1e-9) * step
    ticks: list[float] = []
    v = first
    while v <= hi + step * 1e-9 or len(ticks) < 2:
        ticks.append(round(v, 10))
        v += step
        if len(ticks) > 12:
            break
    if ticks[-1] < hi - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _tick_decimals(ticks: Sequence[float]) -> int:
    """The fewest decimals that print every tick exactly (at most 2)."""
    for d in range(3):
        if all(abs(round(t, d) - t) < 1e-9 for t in ticks):
            return d
    return 2


_DASHES = {"solid": "", "dash": ' stroke-dasharray="5 3"', "dot": ' stroke-dasharray="1.5 2.5"',
           "dashdot": ' stroke-dasharray="6 2 1.5 2"'}


def line_svg(series: Sequence[Series], *, width: int = 320, height: int = 170,
             lang: str = "sv", title: str = "", legend: bool = True,
             font_size: int = 9) -> str:
    """A small static line chart for print (fact sheets): round axis ticks, the first and the
    last year inside the frame, one colour per series (``Series.colour`` if set) and its dash
    (solid, dash, dot, dashdot) drawn in both the lines and the legend."""
    points = [(x, float(y)) for s in series for x, y in zip(s.x, s.y, strict=True)
              if y is not None and not is_missing(y)]
    if not points:
        return ""
    xs = [p[0] for p in points]
    ys = [float(p[1]) for p in points]
    x0, x1 = min(xs), max(xs)
    ticks = nice_ticks(min(ys), max(ys), 4 if height >= 120 else 3)
    y0, y1 = ticks[0], ticks[-1]
    tick_dec = _tick_decimals(ticks)
    labels = [fmt_num(t, lang, tick_dec) for t in ticks]
    em = font_size / 9
    left = int(8 + 5 * em * max(len(lab) for lab in labels))
    right, top = int(12 * em), 6
    rows = ((len(series) + 1) // 2) if legend else 0
    bottom = int(14 * em) + 11 * rows
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(v: float) -> float:
        return left + (0.5 if x1 == x0 else (v - x0) / (x1 - x0)) * plot_w

    def py(v: float) -> float:
        return top + (1 - (v - y0) / (y1 - y0)) * plot_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
           f'font-family="sans-serif" font-size="{font_size}">',
           f"<title>{escape(title)}</title>"]
    for v, lab in zip(ticks, labels, strict=True):
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{py(v):.1f}" y2="{py(v):.1f}" '
                   'stroke="#e0e0e0"/>')
        out.append(f'<text x="{left - 3}" y="{py(v) + 3:.1f}" text-anchor="end">'
                   f"{escape(lab)}</text>")
    years = sorted({x0, x1, (x0 + x1) // 2}) if x1 - x0 >= 4 else sorted({x0, x1})
    for v in years:
        anchor = "start" if v == x0 and x1 != x0 else ("end" if v == x1 and x1 != x0
                                                        else "middle")
        out.append(f'<text x="{px(v):.1f}" y="{top + plot_h + 10 * em:.1f}" '
                   f'text-anchor="{anchor}">{v}</text>')
    for i, s in enumerate(series):
        colour = s.colour or SERIES_COLOURS[i % len(SERIES_COLOURS)]
        segs: list[str] = []
        pen = "M"
        for x, y in zip(s.x, s.y, strict=True):
            if y is None or is_missing(y):
                pen = "M"
                continue
            segs.append(f"{pen}{px(x):.1f} {py(float(y)):.1f}")
            pen = "L"
        dash = _DASHES.get(s.dash, _DASHES["dash"])
        out.append(f'<path d="{"".join(segs)}" fill="none" stroke="{colour}" '
                   f'stroke-width="1.8"{dash}/>')
        if legend:
            lx = left + (i % 2) * (plot_w / 2)
            ly = top + plot_h + 22 + (i // 2) * 11
            out.append(f'<line x1="{lx:.1f}" x2="{lx + 14:.1f}" y1="{ly - 3}" y2="{ly - 3}" '
                       f'stroke="{colour}" stroke-width="1.8"{dash}/>')
            out.append(f'<text x="{lx + 17:.1f}" y="{ly}">{escape(s.name[:34])}</text>')
    out.append("</svg>")
    return "".join(out)
