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

__all__ = ["BLACK", "BLUE", "BLUISH_GREEN", "GREY", "MEN", "ORANGE", "REDDISH_PURPLE",
           "SERIES_COLOURS", "SKY_BLUE", "TEXT", "VERMILLION", "WOMEN", "YELLOW"]
