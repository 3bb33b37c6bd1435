"""The one SVG chart helper of every page, report and fact sheet.

Every server-side chart (the portal's spine and fact-sheet lines, the steering report's lines and
priority matrix, the economics charts, the survey dot-intervals, the district map) is drawn with
these pieces, in the colours of ``jamlik.web.palette``:

- ``svg_document``: the ``<svg>`` element with what makes a chart readable without sight and
  without colour — ``role="img"`` and ``aria-label``, a ``<title>`` and a ``<desc>`` (what the
  chart shows and how colours, shapes and dashes are told apart);
- ``nice_ticks`` / ``tick_decimals`` / ``tick_label``: round axis ticks (80, 82, 84, 86);
- ``DASHES`` / ``dash_attr``: one dash per series, so lines differ without colour too;
- ``polyline`` / ``marker``: a line and a point mark (circle, square, diamond, triangle);
- ``line_chart``: the small line chart with a legend of colour + dash + name.

Legends and descriptions come in the page's language from the caller's word catalogue (the
chart code never compares languages). Numbers are written with ``jamlik.format.fmt_num``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Protocol

from jamlik.format import fmt_num, is_missing
from jamlik.language import word
from jamlik.web.palette import GRID, SERIES_COLOURS

__all__ = ["DASHES", "MARKERS", "WORDS", "ChartSeries", "SeriesLike", "dash_attr", "legend_text", "line_chart",
           "marker", "nice_ticks", "polyline", "svg_document", "tick_decimals", "tick_label"]

#: stroke-dasharray per dash name (the same names as Plotly's)
DASHES = {"solid": "", "dash": "5 3", "dot": "1.5 2.5", "dashdot": "6 2 1.5 2",
          "longdash": "8 3 2 3"}
#: the shapes a point mark can take (shape as well as colour)
MARKERS = ("circle", "square", "diamond", "triangle")

#: how a line or a mark is drawn, in words (``desc``), Swedish and English
WORDS: dict[str, tuple[str, str]] = {
    "solid": ("heldragen linje", "solid line"),
    "dash": ("streckad linje", "dashed line"),
    "dot": ("prickad linje", "dotted line"),
    "dashdot": ("streck-prickad linje", "dash-dot line"),
    "longdash": ("lång-streckad linje", "long-dashed line"),
    "line_chart": ("Linjediagram per år", "Line chart by year"),
}


def svg_document(width: float, height: float, title: str, body: Iterable[str], *,
                 desc: str = "", css_class: str = "", role: str = "img",
                 font_size: float | None = None, sized: bool = True,
                 title_id: str = "", extra: str = "") -> str:
    """A complete ``<svg>``: ``title`` as ``<title>`` (and ``aria-label`` for ``role="img"``),
    ``desc`` as ``<desc>`` (how to read the chart: what colours, shapes and dashes mean), then
    ``body``. sized: also write ``width``/``height`` (print and PDF), else only ``viewBox`` (the
    page scales it). role="group" with ``title_id`` for charts whose parts are links (a map).
    Every text is escaped here; ``body`` is markup."""
    w, h = _n(width), _n(height)
    attrs = [f'class="{escape(css_class)}"'] if css_class else []
    attrs.append('xmlns="http://www.w3.org/2000/svg"')
    attrs.append(f'viewBox="0 0 {w} {h}"')
    if sized:
        attrs.append(f'width="{w}" height="{h}"')
    attrs.append(f'role="{role}"')
    if title_id:
        attrs.append(f'aria-labelledby="{escape(title_id)}"')
    else:
        attrs.append(f'aria-label="{escape(title)}"')
    if font_size is not None:
        attrs.append(f'font-family="sans-serif" font-size="{_n(font_size)}"')
    if extra:
        attrs.append(extra)
    head = f"<svg {' '.join(attrs)}>"
    tid = f' id="{escape(title_id)}"' if title_id else ""
    parts = [head, f"<title{tid}>{escape(title)}</title>"]
    if desc:
        parts.append(f"<desc>{escape(desc)}</desc>")
    parts.extend(body)
    parts.append("</svg>")
    return "".join(parts)


def _n(x: float) -> str:
    """A coordinate: integers as integers, else one decimal."""
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def legend_text(items: Sequence[tuple[str, str]]) -> str:
    """'Falun: blå heldragen linje; Riket: …' from (name, how it is drawn) pairs, for ``desc``."""
    return "; ".join(f"{name}: {how}" for name, how in items)


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


def tick_decimals(ticks: Sequence[float]) -> int:
    """The fewest decimals that print every tick exactly (at most 2)."""
    for d in range(3):
        if all(abs(round(t, d) - t) < 1e-9 for t in ticks):
            return d
    return 2


def tick_label(value: float, ticks: Sequence[float], lang: str = "sv") -> str:
    """A tick as users read it (decimal comma in Swedish, as few decimals as the ticks need)."""
    return fmt_num(value, lang, tick_decimals(ticks))


def dash_attr(dash: str) -> str:
    """The ``stroke-dasharray`` attribute of a dash name ('' for solid or unknown)."""
    pattern = DASHES.get(dash, "")
    return f' stroke-dasharray="{pattern}"' if pattern else ""


def polyline(points: Sequence[tuple[float, float]], colour: str, *, dash: str = "solid",
             width: float = 2, title: str = "") -> str:
    """A line through ``points`` (already in pixels); ``title`` shows on hover."""
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    tip = f"<title>{escape(title)}</title>" if title else ""
    return (f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="{_n(width)}"'
            f'{dash_attr(dash)}>{tip}</polyline>')


def marker(x: float, y: float, colour: str, shape: str = "circle", size: float = 4, *,
           stroke: str = "", title: str = "", css_class: str = "", style: str = "") -> str:
    """A point mark: circle, square, diamond or triangle (shape tells series apart besides
    colour); ``size`` is the half width."""
    extra = f' stroke="{stroke}" stroke-width="1"' if stroke else ""
    if css_class:
        extra += f' class="{escape(css_class)}"'
    if style:
        extra += f' style="{escape(style)}"'
    tip = f"<title>{escape(title)}</title>" if title else ""
    end = f">{tip}</{{tag}}>" if tip else "/>"
    if shape == "square":
        tag = "rect"
        head = (f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{_n(2 * size)}" '
                f'height="{_n(2 * size)}" fill="{colour}"{extra}')
    elif shape == "diamond":
        tag = "path"
        head = (f'<path d="M{x:.1f} {y - size:.1f}L{x + size:.1f} {y:.1f}L{x:.1f} {y + size:.1f}'
                f'L{x - size:.1f} {y:.1f}Z" fill="{colour}"{extra}')
    elif shape == "triangle":
        tag = "path"
        head = (f'<path d="M{x:.1f} {y - size:.1f}L{x + size:.1f} {y + size:.1f}'
                f'L{x - size:.1f} {y + size:.1f}Z" fill="{colour}"{extra}')
    else:
        tag = "circle"
        head = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{_n(size)}" fill="{colour}"{extra}'
    return head + end.replace("{tag}", tag)


class SeriesLike(Protocol):
    """What ``line_chart`` reads of a series (the portal's ``Series`` has more)."""

    name: str
    x: list[int]
    y: list[float | None]
    colour: str | None
    dash: str


@dataclass
class ChartSeries:
    """One line of ``line_chart``: its name (legend), x (years) and y (None = gap), colour
    (default: ``SERIES_COLOURS`` in order) and dash (``DASHES``)."""

    name: str
    x: list[int]
    y: list[float | None] = field(default_factory=list)
    colour: str | None = None
    dash: str = "solid"


def line_chart(series: Sequence[SeriesLike], *, width: int = 320, height: int = 170,
               lang: str = "sv", title: str = "", desc: str = "", legend: bool = True,
               font_size: int = 9) -> str:
    """A small static line chart (fact sheets, print): round axis ticks, the first and the last
    year inside the frame, one colour and one dash per series, drawn in both the lines and the
    legend (colour + dash + name), and ``desc`` saying the same in words."""
    points = [(x, float(y)) for s in series for x, y in zip(s.x, s.y, strict=True)
              if y is not None and not is_missing(y)]
    if not points:
        return ""
    xs = [p[0] for p in points]
    ys = [float(p[1]) for p in points]
    x0, x1 = min(xs), max(xs)
    ticks = nice_ticks(min(ys), max(ys), 4 if height >= 120 else 3)
    y0, y1 = ticks[0], ticks[-1]
    labels = [tick_label(t, ticks, lang) for t in ticks]
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

    out: list[str] = []
    for v, lab in zip(ticks, labels, strict=True):
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{py(v):.1f}" y2="{py(v):.1f}" '
                   f'stroke="{GRID}"/>')
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
        dash = dash_attr(s.dash if s.dash in DASHES else "dash")
        out.append(f'<path d="{"".join(segs)}" fill="none" stroke="{colour}" '
                   f'stroke-width="1.8"{dash}/>')
        if legend:
            lx = left + (i % 2) * (plot_w / 2)
            ly = top + plot_h + 22 + (i // 2) * 11
            out.append(f'<line x1="{lx:.1f}" x2="{lx + 14:.1f}" y1="{ly - 3}" y2="{ly - 3}" '
                       f'stroke="{colour}" stroke-width="1.8"{dash}/>')
            out.append(f'<text x="{lx + 17:.1f}" y="{ly}">{escape(s.name[:34])}</text>')
    if not desc:
        said = [(s.name, word(WORDS[s.dash if s.dash in DASHES else "dash"], lang))
                for s in series]
        desc = f"{word(WORDS['line_chart'], lang)}. {legend_text(said)}."
    return svg_document(width, height, title, out, desc=desc, font_size=font_size)
