"""Swedish wording: numbers, comparison labels and the plain-language certainty verdict."""

from __future__ import annotations

import math

from jamlik.analysis._words import (
    BENCHMARK_NAMES,
    FLAG_LABELS,
    GAP_TREND_LABELS,
    LIMITS_METHODS,
    LIMITS_SOURCES,
    TEST_LEVELS,
    TEST_SHORT,
    sv,
)
from jamlik.format import fmt_num
from jamlik.language import word
from jamlik.stats.trend import Trend, TrendResult

# The words live in the layer's one catalogue (``_words``), Swedish and English side by side.
BENCHMARK_NAMES_SV = sv(BENCHMARK_NAMES)
LIMITS_SOURCES_SV = sv(LIMITS_SOURCES)
FLAG_LABELS_SV = sv(FLAG_LABELS)
TEST_SHORT_SV = sv(TEST_SHORT)
GAP_TREND_LABELS_SV = sv(GAP_TREND_LABELS)
TEST_LEVEL_SV = sv(TEST_LEVELS)
_METHOD_SV = sv(LIMITS_METHODS)


def limits_note(limits_source: str | None, method: str | None, base_label: str | None,
                base: float | None, attribution: str | None) -> str | None:
    """Where a value's limits come from, in Swedish; derived limits name method and denominator:
    'härlett: Wilsons metod med antalet räknat ur värdet och nämnaren invånare 20–64 år
    (N01955) (underlag 31 787); Källa: Kolada (RKA)'."""
    if limits_source is None:
        return None
    if limits_source != "derived":
        return LIMITS_SOURCES_SV.get(limits_source, limits_source)
    name = _METHOD_SV.get(method or "", method or "")
    base_text = f" (underlag {fmt_num(base, decimals=0)})" if base is not None else ""
    credit = "; " + attribution.removesuffix(", CC BY 4.0") if attribution else ""
    return (f"härlett: {name} med antalet räknat ur värdet och nämnaren "
            f"{base_label or 'befolkningen'}{base_text}{credit}")


def fmt(x: float | None, unit: str | None = None, *, lang: str = "sv") -> str:
    """A number in prose: decimal comma (English: point), narrow no-break thousands, sensible
    decimals and never a padded zero ("9,9", not "9,90": the same as the table shows 9,9)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if x == 0:
        return "0"
    a = abs(x)
    # Prose reads better with fewer digits for larger magnitudes (tables use value_decimals).
    decimals = 0 if a >= 100 else 1 if a >= 10 else 2 if a >= 0.1 else 3
    text = fmt_num(x, lang, decimals)
    mark = word((",", "."), lang)
    return text.rstrip("0").rstrip(mark) if mark in text else text


def fmt_p(p: float | None) -> str:
    if p is None:
        return "–"
    if p < 0.001:
        return "p < 0,001"
    return f"p = {fmt(p) if p >= 0.1 else f'{p:.3f}'.replace('.', ',')}"


def noun(measure_type: str) -> str:
    return "Andelen" if measure_type == "proportion" else "Värdet"


def vs_label(code: str, benchmark: str, *, has_limits: bool, value: float | None,
             bench_value: float | None) -> str:
    """E.g. 'Sämre än riket (säkerställt, 99,8 %)'; honest text when not compared."""
    name = BENCHMARK_NAMES_SV[benchmark]
    match code:
        case "better_998":
            return f"Bättre än {name} (säkerställt, 99,8 %)"
        case "better":
            return f"Bättre än {name} (säkerställt, 95 %)"
        case "worse_998":
            return f"Sämre än {name} (säkerställt, 99,8 %)"
        case "worse":
            return f"Sämre än {name} (säkerställt, 95 %)"
        case "similar":
            return f"Ingen säkerställd skillnad mot {name}"
        case "higher":
            return f"Högre än {name} (säkerställt, 95 %)"
        case "lower":
            return f"Lägre än {name} (säkerställt, 95 %)"
    if value is None:
        return "Ej jämfört: värdet saknas eller är dolt"
    if bench_value is None:
        return f"Ej jämfört: värde för {name} saknas"
    if not has_limits:
        side = "högre än" if value > bench_value else "lägre än" if value < bench_value else "lika med"
        return f"Ej testat (osäkerheten okänd); värdet är {side} {name}"
    return "Ej jämfört"


def rank_label(colour: str, rank: int | None, rank_of: int | None, area_kind: str) -> str:
    if rank is None or rank_of is None:
        return "Ingen rangordning"
    kind = "län" if area_kind == "county" else "kommuner"
    place = f"plats {rank} av {rank_of} {kind}"
    match colour:
        case "green":
            return f"Bästa 25 % ({place})"
        case "yellow":
            return f"Mittersta 50 % ({place})"
        case "red":
            return f"Sämsta 25 % ({place})"
    return f"Ingen färg – indikatorn har ingen riktning ({place}, 1 = högst värde)"


def change_sentence(
    measure_type: str,
    trend: TrendResult,
    start: tuple[str, float] | None,
    end: tuple[str, float] | None,
    polarity: str,
    base_note: str,
) -> str:
    """'Andelen har minskat sedan 2016, men förändringen är inte statistiskt säkerställd (…).'"""
    subject = noun(measure_type)
    if trend.trend == Trend.CANNOT_BE_CALCULATED:
        return trend.reason or "Trenden kan inte beräknas."
    test = TEST_SHORT_SV[trend.test] if trend.test else ""
    # The level the test uses, named in every sentence that rests on it.
    level = TEST_LEVEL_SV.get(str(trend.test), "")
    test = f"{test}, {level}" if level else test
    if trend.significant:
        word = "ökande" if trend.trend == Trend.INCREASING else "minskande"
        # Pooled periods are labelled "2018–2022" already; join them with "till".
        joiner = " till " if start and end and ("–" in start[0] or "–" in end[0]) else "–"
        span = f" {start[0]}{joiner}{end[0]}" if start and end else ""
        values = f"från {fmt(start[1])} till {fmt(end[1])}; " if start and end else ""
        text = (f"{subject} visar en statistiskt säkerställd {word} trend{span} "
                f"({values}{test}, {fmt_p(trend.p_value)})")
        if polarity != "no_judgement":
            up_good = polarity == "higher_is_better"
            good = (trend.trend == Trend.INCREASING) == up_good
            text += ", alltså en förbättring" if good else ", alltså en försämring"
        return text + f"{base_note}."
    if start is None or end is None:
        return f"Ingen statistiskt säkerställd förändring ({test}){base_note}."
    (s_label, s_val), (_, e_val) = start, end
    if e_val > s_val:
        moved = f"har ökat sedan {s_label} (från {fmt(s_val)} till {fmt(e_val)})"
    elif e_val < s_val:
        moved = f"har minskat sedan {s_label} (från {fmt(s_val)} till {fmt(e_val)})"
    else:
        still = "oförändrad" if measure_type == "proportion" else "oförändrat"
        return f"{subject} är {still} sedan {s_label} ({fmt(e_val)}){base_note}."
    reason = f" {trend.reason}" if trend.reason else ""
    return (
        f"{subject} {moved}, men förändringen är inte statistiskt säkerställd "
        f"({test}, {fmt_p(trend.p_value)}){base_note}.{reason}"
    )


def comparison_sentence(codes: dict[str, str]) -> str | None:
    """'Statistiskt säkerställt sämre än riket; ingen säkerställd skillnad mot länet.'"""
    groups: dict[str, list[str]] = {}
    for bench, code in codes.items():
        if code == "not_compared":
            continue
        groups.setdefault(code, []).append(BENCHMARK_NAMES_SV[bench])
    if not groups:
        return None
    # Each statement names the confidence level it rests on (one threshold per statement).
    words = {
        "better_998": ("statistiskt säkerställt bättre än", " (99,8 % konfidensgrad)"),
        "worse_998": ("statistiskt säkerställt sämre än", " (99,8 % konfidensgrad)"),
        "better": ("statistiskt säkerställt bättre än", " (95 % konfidensgrad)"),
        "worse": ("statistiskt säkerställt sämre än", " (95 % konfidensgrad)"),
        "higher": ("statistiskt säkerställt högre än", " (95 % konfidensgrad)"),
        "lower": ("statistiskt säkerställt lägre än", " (95 % konfidensgrad)"),
        "similar": ("ingen säkerställd skillnad mot", " (95 % konfidensgrad)"),
    }
    parts = [f"{words[k][0]} {join_sv(v)}{words[k][1]}" for k, v in groups.items()]
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def join_sv(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def difference_sentence(change: dict, points: bool = False) -> str:
    """'Skillnaden mot 2018 (+2,1 procentenheter) är statistiskt säkerställd (z-test, p = 0,003).'

    points: the values are percentages, so the difference is in percentage points.
    """
    diff = change["difference"]
    sign = "+" if diff > 0 else ""
    unit = " procentenheter" if points and diff else ""
    verdict = "är statistiskt säkerställd" if change["significant"] else "är inte statistiskt säkerställd"
    return (f"Skillnaden mot {change['from_period_label']} ({sign}{fmt(diff)}{unit}) {verdict} "
            f"(z-test, 95 % konfidensgrad, {fmt_p(change['p_value'])}).")
