"""Small server-side charts for the report: one geometry, rendered as inline SVG or PNG.

SVG goes into HTML and PDF; the PNG (drawn with Pillow) goes into DOCX, which cannot show SVG.
Drawn with the one chart helper (``jamlik.web.charts``) in the one palette
(``jamlik.web.palette``, Okabe–Ito); every SVG has a title and a description.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from PIL import Image, ImageDraw, ImageFont

from jamlik.web.charts import (
    dash_attr,
    legend_text,
    marker,
    nice_ticks,
    polyline,
    svg_document,
)
from jamlik.web.palette import AXIS, BLUE, GRID, HATCH_DARK, QUADRANT_FILLS, TEXT, WHITE
from jamlik.web.palette import VERMILLION as ORANGE

W, H = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 130, 16, 34


@dataclass
class Line:
    label: str
    points: list[tuple[int, float]]
    colour: str
    dashed: bool = False


@dataclass
class LineChart:
    title: str
    lines: list[Line]
    target: float | None = None
    target_label: str = "Målvärde"
    y_ticks: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        # a non-finite value has no place on an axis (and would overflow the tick maths)
        for line in self.lines:
            line.points = [(p, v) for p, v in line.points if math.isfinite(v)]
        if self.target is not None and not math.isfinite(self.target):
            self.target = None

    def _extent(self) -> tuple[int, int, float, float]:
        xs = [p for line in self.lines for p, _ in line.points]
        ys = [v for line in self.lines for _, v in line.points]
        if self.target is not None:
            ys.append(self.target)
        if not xs:
            return 0, 1, 0.0, 1.0
        lo, hi = min(ys), max(ys)
        pad = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1.0
        return min(xs), max(xs), lo - pad, hi + pad

    def scale(self) -> tuple:
        x0, x1, y0, y1 = self._extent()
        ticks = nice_ticks(y0, y1) or [y0, y1]
        y0, y1 = min(y0, ticks[0]), max(y1, ticks[-1])
        self.y_ticks = ticks

        def sx(x: float) -> float:
            return LEFT + (x - x0) / ((x1 - x0) or 1) * (W - LEFT - RIGHT)

        def sy(y: float) -> float:
            return TOP + (1 - (y - y0) / ((y1 - y0) or 1)) * (H - TOP - BOTTOM)

        return sx, sy, x0, x1


def _num(x: float) -> str:
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def to_svg(chart: LineChart) -> str:
    sx, sy, x0, x1 = chart.scale()
    parts: list[str] = []
    for t in chart.y_ticks:
        y = sy(t)
        parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'fill="{TEXT}">{_num(t)}</text>')
    for x in sorted({x0, x1}):
        parts.append(f'<text x="{sx(x):.1f}" y="{H - 12}" text-anchor="middle" '
                     f'fill="{TEXT}">{x}</text>')
    legend_y = TOP + 8
    drawn: list[tuple[str, str]] = []
    if chart.target is not None:
        y = sy(chart.target)
        parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{ORANGE}" stroke-width="2"{dash_attr("dashdot")}/>')
        parts.append(f'<text x="{W - RIGHT + 6}" y="{y + 4:.1f}" fill="{ORANGE}">'
                     f'{escape(chart.target_label)} {_num(chart.target)}</text>')
        drawn.append((f"{chart.target_label} {_num(chart.target)}", "orange streck-prickad linje"))
    for line in chart.lines:
        if not line.points:
            continue
        dash = "dash" if line.dashed else "solid"
        parts.append(polyline([(sx(p), sy(v)) for p, v in line.points], line.colour, dash=dash))
        p, v = line.points[-1]
        parts.append(marker(sx(p), sy(v), line.colour, "circle", 3))
        parts.append(f'<text x="{W - RIGHT + 6}" y="{legend_y + 24:.1f}" '
                     f'fill="{line.colour}">{escape(line.label)}</text>')
        drawn.append((line.label, ("streckad" if line.dashed else "heldragen") +
                      " linje, namnet till höger"))
        legend_y += 16
    return svg_document(W, H, chart.title, parts, font_size=11,
                        desc="Linjediagram per år. " + legend_text(drawn) + ".")


#: fonts with å, ä and ö (Pillow's built-in font lacks them); fonts-dejavu-core on Debian
_FONTS = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
          "LiberationSans-Regular.ttf",
          "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in _FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def to_png(chart: LineChart, scale: int = 2) -> bytes:
    """The same chart as PNG bytes (for DOCX)."""
    sx, sy, x0, x1 = chart.scale()
    img = Image.new("RGB", (W * scale, H * scale), "white")
    d = ImageDraw.Draw(img)
    font = _font(11 * scale)

    def s(x: float, y: float) -> tuple[float, float]:
        return x * scale, y * scale

    for t in chart.y_ticks:
        d.line([s(LEFT, sy(t)), s(W - RIGHT, sy(t))], fill=GRID, width=scale)
        d.text(s(LEFT - 6, sy(t)), _num(t), fill=TEXT, font=font, anchor="rm")
    for x in sorted({x0, x1}):
        d.text(s(sx(x), H - 18), str(x), fill=TEXT, font=font, anchor="mm")
    if chart.target is not None:
        y = sy(chart.target)
        for xa in range(LEFT, W - RIGHT, 10):
            d.line([s(xa, y), s(min(xa + 6, W - RIGHT), y)], fill=ORANGE, width=2 * scale)
        d.text(s(W - RIGHT + 6, y), f"{chart.target_label} {_num(chart.target)}", fill=ORANGE,
               font=font, anchor="lm")
    legend_y = TOP + 32
    for line in chart.lines:
        if not line.points:
            continue
        pts = [s(sx(p), sy(v)) for p, v in line.points]
        if line.dashed:
            for a, b in zip(pts, pts[1:], strict=False):
                for x0_, y0_, x1_, y1_ in _dashes(a, b, 4 * scale, 4 * scale):
                    d.line([(x0_, y0_), (x1_, y1_)], fill=line.colour, width=2 * scale)
        else:
            d.line(pts, fill=line.colour, width=2 * scale)
        d.text(s(W - RIGHT + 6, legend_y), line.label, fill=line.colour, font=font, anchor="lm")
        legend_y += 16
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _dashes(a: tuple[float, float], b: tuple[float, float], on: float,
            off: float) -> list[tuple[float, float, float, float]]:
    """Pieces of the segment a→b for a dashed line (Pillow draws only solid lines)."""
    length = math.dist(a, b)
    if length == 0:
        return []
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    out, t = [], 0.0
    while t < length:
        end = min(t + on, length)
        out.append((a[0] + ux * t, a[1] + uy * t, a[0] + ux * end, a[1] + uy * end))
        t += on + off
    return out


def priority_matrix_svg(items: Sequence[tuple[int, str, int | None, int | None]]) -> str:
    """A 5×5 effect (y) against resource need (x) grid; items are (rank, title, effect, res).

    Items without an effect or a resource need (not assessed) are left out.
    """
    size, pad = 300, 50
    cell = size / 5
    parts: list[str] = []
    quads = [(0, 0, "do_first", "Gör först"), (1, 0, "plan", "Planera"),
             (0, 1, "if_room", "Om utrymme finns"), (1, 1, "skip", "Avstå")]
    for qx, qy, fill, label in quads:
        # resources 1–2 left, 3–5 right; effect 3–5 top, 1–2 bottom
        x = pad + (0 if qx == 0 else 2 * cell)
        w = 2 * cell if qx == 0 else 3 * cell
        y = 0 if qy == 0 else 3 * cell
        h = 3 * cell if qy == 0 else 2 * cell
        parts.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" '
                     f'fill="{QUADRANT_FILLS[fill]}" stroke="{HATCH_DARK}"/>')
        parts.append(f'<text x="{x + 4}" y="{y + 13}" fill="{AXIS}">{label}</text>')
    for i in range(1, 6):
        parts.append(f'<text x="{pad + (i - 0.5) * cell:.0f}" y="{size + 14}" '
                     f'text-anchor="middle">{i}</text>')
        parts.append(f'<text x="{pad - 8}" y="{size - (i - 0.5) * cell + 4:.0f}" '
                     f'text-anchor="end">{i}</text>')
    parts.append(f'<text x="{pad + size / 2}" y="{size + 32}" text-anchor="middle">'
                 'Resursbehov →</text>')
    parts.append(f'<text x="12" y="{size / 2}" text-anchor="middle" '
                 f'transform="rotate(-90 12 {size / 2})">Effekt →</text>')
    for rank, title, effect, resources in items:
        if effect is None or resources is None:  # not assessed yet: no place in the grid
            continue
        cx = pad + (resources - 0.5) * cell
        cy = size - (effect - 0.5) * cell
        parts.append(marker(cx, cy, BLUE, "circle", 11, title=title))
        parts.append(f'<text x="{cx:.0f}" y="{cy + 4:.0f}" text-anchor="middle" '
                     f'fill="{WHITE}" font-weight="bold">{rank}</text>')
    return svg_document(
        size + pad + 10, size + pad, "Prioriteringsmatris: effekt mot resursbehov", parts,
        font_size=11,
        desc="Varje åtgärd är en numrerad cirkel (numret är dess rang) placerad efter effekt "
             "(1–5, uppåt) och resursbehov (1–5, åt höger). Rutorna: Gör först (hög effekt, "
             "litet resursbehov), Planera, Om utrymme finns, Avstå.")
