"""Inline SVG charts for the results: cumulative NPV by payer, tornado, NPV distribution.

Plain SVG with a <title> and a text table beside each chart (the numbers are in the page's
tables too), so they need no script and read without colour.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np

from jamlik.format import fmt_num

#: line styles per payer: colour and dash, so payers differ without colour too
_STYLE = {"kommun": ("#1f5fa8", ""), "region": ("#b35806", "6 3"), "stat": ("#5e3c99", "2 3"),
          "individ": ("#1b7837", "8 3 2 3"), "samhället": ("#222222", "")}


def _kr(x: float) -> str:
    return fmt_num(round(x / 1000) * 1000, decimals=0)


def cumulative_npv_svg(series: Mapping[str, Sequence[float]], title: str,
                       width: int = 640, height: int = 300) -> str:
    """series: payer -> cumulative discounted net value for years 0..H."""
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

    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
           f'xmlns="http://www.w3.org/2000/svg"><title>{html.escape(title)}</title>',
           f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y(0):.1f}" y2="{y(0):.1f}" '
           'stroke="#888" stroke-width="1"/>',
           f'<text x="{pad_l - 6}" y="{y(hi) + 4:.1f}" text-anchor="end" font-size="11">'
           f'{_kr(hi)}</text>',
           f'<text x="{pad_l - 6}" y="{y(lo) + 4:.1f}" text-anchor="end" font-size="11">'
           f'{_kr(lo)}</text>',
           f'<text x="{pad_l - 6}" y="{y(0) + 4:.1f}" text-anchor="end" font-size="11">0</text>']
    for i in range(0, n, max(1, n // 8)):
        out.append(f'<text x="{x(i):.1f}" y="{height - 12}" text-anchor="middle" '
                   f'font-size="11">år {i}</text>')
    for payer, s in series.items():
        colour, dash = _STYLE.get(payer, ("#444", ""))
        pts = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s))
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                   f'stroke-dasharray="{dash}" points="{pts}"><title>{html.escape(payer)}'
                   '</title></polyline>')
        out.append(f'<text x="{x(len(s) - 1) + 6:.1f}" y="{y(s[-1]) + 4:.1f}" font-size="11" '
                   f'fill="{colour}">{html.escape(payer)}</text>')
    out.append("</svg>")
    return "".join(out)


def tornado_svg(rows: Sequence[tuple[str, float, float]], base: float, title: str,
                width: int = 640) -> str:
    """rows: (name, NPV at low, NPV at high), widest swing first; base: NPV at base values."""
    row_h, pad_l, pad_r = 26, 300, 20
    height = 30 + row_h * len(rows)
    vals = [v for _, a, b in rows for v in (a, b)] + [base]
    lo, hi = min(vals), max(vals)
    if hi == lo:
        hi = lo + 1

    def x(v: float) -> float:
        return pad_l + (width - pad_l - pad_r) * (v - lo) / (hi - lo)

    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
           f'xmlns="http://www.w3.org/2000/svg"><title>{html.escape(title)}</title>']
    for i, (name, a, b) in enumerate(rows):
        top = 10 + i * row_h
        left, right = sorted((x(a), x(b)))
        short = name if len(name) <= 46 else name[:45] + "…"
        out.append(f'<text x="{pad_l - 6}" y="{top + 15}" text-anchor="end" font-size="11">'
                   f'{html.escape(short)}</text>')
        out.append(f'<rect x="{left:.1f}" y="{top + 3}" width="{max(right - left, 1):.1f}" '
                   f'height="{row_h - 8}" fill="#7a9cc6"><title>{html.escape(name)}: '
                   f'{_kr(a)} – {_kr(b)}</title></rect>')
    out.append(f'<line x1="{x(base):.1f}" x2="{x(base):.1f}" y1="4" y2="{height - 18}" '
               'stroke="#222" stroke-width="1.5"/>')
    out.append(f'<text x="{x(base):.1f}" y="{height - 4}" text-anchor="middle" font-size="11">'
               f'bas {_kr(base)}</text></svg>')
    return "".join(out)


def histogram_svg(values: np.ndarray, title: str, bins: int = 30, width: int = 640,
                  height: int = 220) -> str:
    """The distribution of NPV over the Monte Carlo draws; bars at or above 0 darker."""
    counts, edges = np.histogram(values, bins=bins)
    pad_l, pad_b, pad_t = 20, 30, 10
    top = counts.max() or 1
    bw = (width - 2 * pad_l) / bins
    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
           f'xmlns="http://www.w3.org/2000/svg"><title>{html.escape(title)}</title>']
    for i, c in enumerate(counts):
        h = (height - pad_b - pad_t) * c / top
        fill = "#1f5fa8" if edges[i] >= 0 else "#b9c7d8"
        out.append(f'<rect x="{pad_l + i * bw:.1f}" y="{height - pad_b - h:.1f}" '
                   f'width="{bw - 1:.1f}" height="{h:.1f}" fill="{fill}"/>')
    out.append(f'<text x="{pad_l}" y="{height - 10}" font-size="11">{_kr(edges[0])}</text>')
    out.append(f'<text x="{width - pad_l}" y="{height - 10}" font-size="11" text-anchor="end">'
               f'{_kr(edges[-1])}</text></svg>')
    return "".join(out)
