"""A choropleth as inline SVG, drawn on the server from GeoJSON: no script, no CDN, no tiles.

Projection: equirectangular with the x axis scaled by cos(mean latitude) — at the scale of a
municipality the distortion is negligible, and the drawing needs no projection library. Each
district is one ``<path>`` inside a link to its profile, named by ``aria-label`` and a
``<title>`` (name and value, also the pointer's tooltip) and a table beside the map for everybody else (the map is not the only way
to the numbers). Colours: 5 classes of a colour-blind-safe sequential scheme (ColorBrewer
YlGnBu, Brewer 2003), class limits at the quintiles of the values; missing values hatched grey.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np

from jamlik.web import palette
from jamlik.web.charts import svg_document

#: ColorBrewer YlGnBu, 5 classes (light = low), colour-blind safe (``jamlik.web.palette``)
SEQUENTIAL = palette.SEQUENTIAL
#: områdestyp 1 (stora utmaningar) … 5 (mycket goda förutsättningar): ColorBrewer PuOr 5
AREA_TYPE_COLOURS = dict(enumerate(palette.DIVERGING, start=1))
MISSING = palette.MISSING
#: a district that is not the one shown (the "where is it" map)
OTHER = palette.HATCH_LIGHT
WIDTH = 640


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str


def classes(values: Iterable[float | None], k: int = 5) -> list[float]:
    """The k − 1 inner class limits: quantiles of the finite values (distinct, ascending)."""
    data = np.array([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    if data.size == 0:
        return []
    cuts = np.quantile(data, [i / k for i in range(1, k)])
    return sorted(set(float(c) for c in cuts))


def colour_for(value: float | None, limits: list[float]) -> str:
    if value is None or not math.isfinite(value):
        return MISSING
    index = sum(1 for c in limits if value > c)
    offset = len(SEQUENTIAL) - (len(limits) + 1)  # fewer classes: use the darker end
    return SEQUENTIAL[max(0, offset) + index]


def legend(values: Iterable[float | None], limits: list[float],
           fmt: Callable[[float], str]) -> list[LegendEntry]:
    data = [v for v in values if v is not None and math.isfinite(v)]
    if not data:
        return []
    edges = [min(data), *limits, max(data)]
    offset = len(SEQUENTIAL) - (len(limits) + 1)
    return [LegendEntry(SEQUENTIAL[max(0, offset) + i], f"{fmt(edges[i])}–{fmt(edges[i + 1])}")
            for i in range(len(edges) - 1)]


def _rings(geometry: Mapping[str, Any]) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def svg(collection: Mapping[str, Any], fill: Mapping[str, str], *, title: str,
        href: Callable[[str], str], label: Callable[[Mapping[str, Any]], str],
        desc: str = "") -> str:
    """The SVG of a FeatureCollection; ``fill``: code → colour; ``href``/``label``: per
    feature (its properties); desc: how the colours are read (the legend beside the map says
    it too). Returns markup (every text escaped)."""
    features = list(collection.get("features") or [])
    points = [p for f in features for ring in _rings(f["geometry"]) for p in ring]
    if not points:
        return ""
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = (max(lons) - min(lons)) * kx or 1e-9
    span_y = (max(lats) - min(lats)) or 1e-9
    scale = WIDTH / span_x
    height = span_y * scale

    def xy(p: list[float]) -> str:
        return f"{(p[0] - min(lons)) * kx * scale:.1f},{(max(lats) - p[1]) * scale:.1f}"

    parts = ['<defs><pattern id="missing" width="6" height="6" patternUnits="userSpaceOnUse" '
             f'patternTransform="rotate(45)"><rect width="6" height="6" '
             f'fill="{palette.HATCH_LIGHT}"/><line x1="0" y1="0" x2="0" y2="6" '
             f'stroke="{palette.HATCH_DARK}" stroke-width="2"/></pattern></defs>']
    for f in features:
        props = f.get("properties") or {}
        code = str(props.get("code", ""))
        d = " ".join("M" + " L".join(xy(p) for p in ring) + " Z" for ring in _rings(f["geometry"]))
        colour = fill.get(code, MISSING)
        paint = "url(#missing)" if colour == MISSING else colour
        parts.append(f'<a href="{escape(href(code))}" data-code="{escape(code)}" '
                     f'aria-label="{escape(label(props))}"><title>{escape(label(props))}</title>'
                     f'<path d="{d}" fill="{paint}" stroke="{palette.OUTLINE}" '
                     'stroke-width="0.8" fill-rule="evenodd"/></a>')
    return svg_document(WIDTH, round(height), title, parts, desc=desc, css_class="district-map",
                        role="group", title_id="map-title", sized=False,
                        extra='preserveAspectRatio="xMidYMid meet"')
