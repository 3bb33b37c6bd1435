"""Colour legends for the two colourings, in Swedish and English, with a shape per mark
and a colour-blind-safe default palette.

Significance colours (Fingertips) use blue for better and orange/vermillion for worse, never
red/green, so they read the same with the common colour-vision deficiencies. The rank colours keep
Kolada's names (green/yellow/red) but use Okabe–Ito hues (bluish green, yellow, vermillion).
Reference: Okabe M, Ito K (2008), Color Universal Design; OHID Fingertips colour-blind palette.
"""

from __future__ import annotations

from jamlik.analysis._words import COLOURING_LABELS, sv

#: code -> (label, explanation); colours come from the palette.
_TEXTS_SV: dict[str, tuple[str, str]] = {
    "better_998": (
        "Bättre (99,8 %)",
        "Jämförelsevärdet ligger utanför områdets 99,8 %-konfidensintervall, åt det bättre hållet: "
        "skillnaden är mycket säker.",
    ),
    "better": (
        "Bättre",
        "Jämförelsevärdet ligger utanför områdets 95 %-konfidensintervall, åt det bättre hållet: "
        "skillnaden är statistiskt säkerställd.",
    ),
    "similar": (
        "Likvärdigt",
        "Jämförelsevärdet ligger inom områdets 95 %-konfidensintervall: ingen statistiskt "
        "säkerställd skillnad.",
    ),
    "worse": (
        "Sämre",
        "Jämförelsevärdet ligger utanför områdets 95 %-konfidensintervall, åt det sämre hållet: "
        "skillnaden är statistiskt säkerställd.",
    ),
    "worse_998": (
        "Sämre (99,8 %)",
        "Jämförelsevärdet ligger utanför områdets 99,8 %-konfidensintervall, åt det sämre hållet: "
        "skillnaden är mycket säker.",
    ),
    "higher": (
        "Högre",
        "Statistiskt säkerställt högre än jämförelsen. Indikatorn har ingen riktning, så högre är "
        "varken bättre eller sämre.",
    ),
    "lower": (
        "Lägre",
        "Statistiskt säkerställt lägre än jämförelsen. Indikatorn har ingen riktning, så lägre är "
        "varken bättre eller sämre.",
    ),
    "not_compared": (
        "Ej jämfört",
        "Ingen signifikansjämförelse: källan redovisar ingen osäkerhet (konfidensintervall) eller "
        "jämförelsevärdet saknas.",
    ),
    "green": (
        "Bästa 25 %",
        "Relativ placering: bland den fjärdedel av kommunerna som har bäst värde. Säger inget om "
        "huruvida nivån är bra eller dålig i sig.",
    ),
    "yellow": (
        "Mittersta 50 %",
        "Relativ placering: bland hälften av kommunerna i mitten. Säger inget om huruvida nivån "
        "är bra eller dålig i sig.",
    ),
    "red": (
        "Sämsta 25 %",
        "Relativ placering: bland den fjärdedel av kommunerna som har sämst värde. Säger inget om "
        "huruvida nivån är bra eller dålig i sig, och är inget signifikanstest.",
    ),
    "grey": (
        "Saknas / ingen rangordning",
        "Värdet saknas, är skyddat, eller indikatorn har ingen riktning (då rangordnas bara efter "
        "storlek, utan färg).",
    ),
}

#: The same legend in English (``?lang=en``), code -> (label, explanation).
_TEXTS_EN: dict[str, tuple[str, str]] = {
    "better_998": ("Better (99.8%)", "The benchmark lies outside the area's 99.8% confidence "
                   "interval, on the better side: the difference is very certain."),
    "better": ("Better", "The benchmark lies outside the area's 95% confidence interval, on the "
               "better side: the difference is statistically significant."),
    "similar": ("Similar", "The benchmark lies inside the area's 95% confidence interval: no "
                "statistically significant difference."),
    "worse": ("Worse", "The benchmark lies outside the area's 95% confidence interval, on the "
              "worse side: the difference is statistically significant."),
    "worse_998": ("Worse (99.8%)", "The benchmark lies outside the area's 99.8% confidence "
                  "interval, on the worse side: the difference is very certain."),
    "higher": ("Higher", "Statistically significantly higher than the benchmark. The indicator "
               "has no direction, so higher is neither better nor worse."),
    "lower": ("Lower", "Statistically significantly lower than the benchmark. The indicator has "
              "no direction, so lower is neither better nor worse."),
    "not_compared": ("Not compared", "No significance comparison: the source publishes no "
                     "uncertainty (confidence interval) or the benchmark is missing."),
    "green": ("Best 25%", "Relative position: among the quarter of municipalities with the best "
              "value. Says nothing about whether the level is good or bad in itself."),
    "yellow": ("Middle 50%", "Relative position: among the middle half of municipalities. Says "
               "nothing about whether the level is good or bad in itself."),
    "red": ("Worst 25%", "Relative position: among the quarter of municipalities with the worst "
            "value. Says nothing about whether the level is good or bad in itself, and is no "
            "significance test."),
    "grey": ("Missing / no ranking", "The value is missing or suppressed, or the indicator has "
             "no direction (then it is ordered by size only, without colour)."),
}

#: A shape for every mark, so better and worse never rest on colour alone (issue 14 item 8):
#: up = better, down = worse, circle = no difference, open shapes for "no direction".
SYMBOLS: dict[str, str] = {
    "better_998": "▲", "better": "▲", "similar": "●", "worse": "▼", "worse_998": "▼",
    "higher": "△", "lower": "▽", "not_compared": "○", "green": "▲", "yellow": "●", "red": "▼",
    "grey": "○",
}

PALETTES: dict[str, dict[str, str]] = {
    # Okabe–Ito based; default.
    "colour_blind_safe": {
        "better_998": "#0072B2", "better": "#56B4E9", "similar": "#F0E442",
        "worse": "#E69F00", "worse_998": "#D55E00", "higher": "#8E7CC3", "lower": "#C9C0E8",
        "not_compared": "#F2F2F2", "green": "#009E73", "yellow": "#F0E442", "red": "#D55E00",
        "grey": "#BBBBBB",
    },
    # Fingertips' and Kolada's traditional traffic lights (not colour-blind safe).
    "traffic_light": {
        "better_998": "#4E8A1E", "better": "#92D050", "similar": "#FFC000",
        "worse": "#FF6B6B", "worse_998": "#C00000", "higher": "#5555E6", "lower": "#BED2FF",
        "not_compared": "#F2F2F2", "green": "#5CB85C", "yellow": "#F0D43A", "red": "#D9534F",
        "grey": "#BBBBBB",
    },
}  # fmt: skip

#: Headings the UI shows above each colouring (both colourings are always labelled).
COLOURING_LABELS_SV: dict[str, str] = sv(COLOURING_LABELS)


def legends(palette: str = "colour_blind_safe") -> dict[str, dict[str, str]]:
    """code -> {"label", "explanation", "label_en", "explanation_en", "symbol", "colour"} for
    one palette.

    Raises KeyError (Swedish message) for an unknown palette.
    """
    if palette not in PALETTES:
        raise KeyError(f"okänd färgpalett {palette!r} — välj en av: {', '.join(PALETTES)}")
    colours = PALETTES[palette]
    return {
        code: {"label": label, "explanation": text, "label_en": _TEXTS_EN[code][0],
               "explanation_en": _TEXTS_EN[code][1], "symbol": SYMBOLS[code],
               "colour": colours[code]}
        for code, (label, text) in _TEXTS_SV.items()
    }


#: The default, colour-blind-safe legends.
LEGENDS: dict[str, dict[str, str]] = legends()
