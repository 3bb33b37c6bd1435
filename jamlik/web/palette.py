"""The one palette of every chart on jamlik's pages, reports and fact sheets.

Okabe–Ito: eight colours distinguishable with the common colour-vision deficiencies.
Reference: Okabe M, Ito K (2008), Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people. Legends of the significance colouring
keep their own colour-blind-safe scheme (``jamlik.analysis.PALETTES``).
"""

from __future__ import annotations

BLUE = "#0072B2"
VERMILLION = "#D55E00"
BLUISH_GREEN = "#009E73"
REDDISH_PURPLE = "#CC79A7"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLACK = "#000000"
YELLOW = "#F0E442"

#: the order series take their colours in (the area first, then comparisons)
SERIES_COLOURS = (BLUE, VERMILLION, BLUISH_GREEN, REDDISH_PURPLE, ORANGE, SKY_BLUE, BLACK, YELLOW)
#: women and men, wherever both are drawn
WOMEN, MEN = REDDISH_PURPLE, BLUISH_GREEN
#: the nation and other reference lines; text on charts
GREY, TEXT = "#7f7f7f", "#222222"

# -- neutrals of every chart (jamlik.web.charts) -------------------------------------------------
WHITE = "#ffffff"
#: grid lines; axis lines and quiet labels
GRID, AXIS = "#dddddd", "#555555"
#: the range behind a value (a spine's whole range, its middle half); missing (hatched) areas
RANGE_LIGHT, RANGE_DARK = "#d9d9d9", "#9e9e9e"
MISSING, HATCH_LIGHT, HATCH_DARK, OUTLINE = "#d9d9d9", "#eeeeee", "#999999", "#333333"
#: the Plotly charts' ink and grid (the page's text colour, a light and a lighter grid)
INK, PLOT_GRID, PLOT_GRID_LIGHT = "#1a1a1a", "#e3e3e3", "#f0f0f0"
#: a pale blue beside BLUE (a histogram's bars below zero)
PALE_BLUE = "#b9d7ee"

# -- scales ----------------------------------------------------------------------------------
#: low → high values on a map: ColorBrewer YlGnBu, 5 classes, colour-blind safe (Brewer 2003)
SEQUENTIAL = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
#: a five-step diverging scale (områdestyp 1 … 5): ColorBrewer PuOr 5, colour-blind safe
DIVERGING = ("#b35806", "#f1a340", "#f7f7f7", "#998ec3", "#542788")
#: the quadrants of the steering loop's priority matrix (light fills; the label says which)
QUADRANT_FILLS = {"do_first": "#e8f4ea", "plan": "#fdf3e1", "if_room": "#f2f2f2",
                  "skip": "#fbe9e7"}

__all__ = ["AXIS", "BLACK", "BLUE", "BLUISH_GREEN", "DIVERGING", "GREY", "GRID", "HATCH_DARK",
           "HATCH_LIGHT", "INK", "MEN", "MISSING", "ORANGE", "OUTLINE", "PALE_BLUE", "PLOT_GRID", "PLOT_GRID_LIGHT", "QUADRANT_FILLS",
           "RANGE_DARK", "RANGE_LIGHT", "REDDISH_PURPLE", "SEQUENTIAL", "SERIES_COLOURS",
           "SKY_BLUE", "TEXT", "VERMILLION", "WHITE", "WOMEN", "YELLOW"]
