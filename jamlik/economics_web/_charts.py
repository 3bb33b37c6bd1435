"""Inline SVG charts for the results: cumulative NPV by payer, tornado, NPV distribution.

Drawn with the one chart helper (``jamlik.web.charts``) in the one palette: a <title>, a <desc>
saying how the chart is read, and the numbers in the page's tables too, so they need no script
and read without colour (payers differ by dash and carry their name at the line's end).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np

from jamlik.format import fmt_num
from jamlik.web.charts import polyline, svg_document
from jamlik.web.palette import (
    AXIS,
    BLACK,
    BLUE,
    BLUISH_GREEN,
    GREY,
    PALE_BLUE,
    REDDISH_PURPLE,
    SKY_BLUE,
    TEXT,
    VERMILLION,
)

#: line styles per payer: colour and dash, so payers differ without colour too
_STYLE = {"kommun": (BLUE, "solid"), "region": (VERMILLION, "dash"),
          "stat": (REDDISH_PURPLE, "dot"), "individ": (BLUISH_GREEN, "longdash"),
          "samhället": (BLACK, "solid")}


def _kr(x: float, lang: str = "sv") -> str:
    return fmt_num(round(x / 1000) * 1000, lang, 0)


def cumulative_npv_svg(series: Mapping[str, Sequence[float]], title: str,
                       width: int = 640, height: int = 300, desc: str = "",
                       year_word: str = "år", names: Mapping[str, str] | None = None,
                       lang: str = "sv") -> str:
    """series: payer -> cumulative discounted net value for years 0..H; desc: how to read it,
    year_word ("år") the axis's word and names the payers' names (the page's language, numbers formatted for ``lang``)."""
    pad_l, pad_r, pad_t, pad_b = 90, 110, 20, 36
    allv = [v for s in series.values() for v in s] + [0.0]
    lo, hi = min(allv), max(allv)
    if hi == lo:
        hi = lo + 1
    n = max(len(s) for s in series.values())

    def x(i: int) -> float:
        return pad_l + (width - pad_l - pad_r) * i / max(n - 1, 1)

    def y(v: float) -> float:
        return pad_t + (height - pad_t - pad_b) * (hi - v) / (hi - lo)

    out = [f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y(0):.1f}" y2="{y(0):.1f}" '
           f'stroke="{GREY}" stroke-width="1"/>',
           f'<text x="{pad_l - 6}" y="{y(hi) + 4:.1f}" text-anchor="end" font-size="11">'
           f'{_kr(hi, lang)}</text>',
           f'<text x="{pad_l - 6}" y="{y(lo) + 4:.1f}" text-anchor="end" font-size="11">'
           f'{_kr(lo, lang)}</text>',
           f'<text x="{pad_l - 6}" y="{y(0) + 4:.1f}" text-anchor="end" font-size="11">0</text>']
    for i in range(0, n, max(1, n // 8)):
        out.append(f'<text x="{x(i):.1f}" y="{height - 12}" text-anchor="middle" '
                   f'font-size="11">{html.escape(year_word)} {i}</text>')
    for payer, s in series.items():
        colour, dash = _STYLE.get(payer, (AXIS, "solid"))
        name = (names or {}).get(payer, payer)
        out.append(polyline([(x(i), y(v)) for i, v in enumerate(s)], colour, dash=dash,
                            title=name))
        out.append(f'<text x="{x(len(s) - 1) + 6:.1f}" y="{y(s[-1]) + 4:.1f}" font-size="11" '
                   f'fill="{colour}">{html.escape(name)}</text>')
    return svg_document(width, height, title, out, desc=desc, css_class="chart", sized=False)


def tornado_svg(rows: Sequence[tuple[str, float, float]], base: float, title: str,
                width: int = 640, desc: str = "", base_word: str = "bas",
                lang: str = "sv") -> str:
    """rows: (name, NPV at low, NPV at high), widest swing first; base: NPV at base values,
    labelled base_word (the page's language)."""
    row_h, pad_l, pad_r = 26, 300, 20
    height = 30 + row_h * len(rows)
    vals = [v for _, a, b in rows for v in (a, b)] + [base]
    lo, hi = min(vals), max(vals)
    if hi == lo:
        hi = lo + 1

    def x(v: float) -> float:
        return pad_l + (width - pad_l - pad_r) * (v - lo) / (hi - lo)

    out = []
    for i, (name, a, b) in enumerate(rows):
        top = 10 + i * row_h
        left, right = sorted((x(a), x(b)))
        short = name if len(name) <= 46 else name[:45] + "…"
        out.append(f'<text x="{pad_l - 6}" y="{top + 15}" text-anchor="end" font-size="11">'
                   f'{html.escape(short)}</text>')
        out.append(f'<rect x="{left:.1f}" y="{top + 3}" width="{max(right - left, 1):.1f}" '
                   f'height="{row_h - 8}" fill="{SKY_BLUE}"><title>{html.escape(name)}: '
                   f'{_kr(a, lang)} – {_kr(b, lang)}</title></rect>')
    out.append(f'<line x1="{x(base):.1f}" x2="{x(base):.1f}" y1="4" y2="{height - 18}" '
               f'stroke="{TEXT}" stroke-width="1.5"/>')
    out.append(f'<text x="{x(base):.1f}" y="{height - 4}" text-anchor="middle" font-size="11">'
               f'{html.escape(base_word)} {_kr(base, lang)}</text>')
    return svg_document(width, height, title, out, desc=desc, css_class="chart", sized=False)


def histogram_svg(values: np.ndarray, title: str, bins: int = 30, width: int = 640,
                  height: int = 220, desc: str = "", lang: str = "sv") -> str:
    """The distribution of NPV over the Monte Carlo draws; bars at or above 0 darker."""
    counts, edges = np.histogram(values, bins=bins)
    pad_l, pad_b, pad_t = 20, 30, 10
    top = counts.max() or 1
    bw = (width - 2 * pad_l) / bins
    out = []
    for i, c in enumerate(counts):
        h = (height - pad_b - pad_t) * c / top
        fill = BLUE if edges[i] >= 0 else PALE_BLUE
        out.append(f'<rect x="{pad_l + i * bw:.1f}" y="{height - pad_b - h:.1f}" '
                   f'width="{bw - 1:.1f}" height="{h:.1f}" fill="{fill}"/>')
    out.append(f'<text x="{pad_l}" y="{height - 10}" font-size="11">{_kr(edges[0], lang)}</text>')
    out.append(f'<text x="{width - pad_l}" y="{height - 10}" font-size="11" text-anchor="end">'
               f'{_kr(edges[-1], lang)}</text>')
    return svg_document(width, height, title, out, desc=desc, css_class="chart", sized=False)
