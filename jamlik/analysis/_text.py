"""The wording of numbers, comparison labels and the plain-language certainty verdict, in Swedish
and English (the templates are in ``_words.VERDICT``)."""

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
    VERDICT,
    sv,
)
from jamlik.format import fmt_num
from jamlik.language import in_language, word
from jamlik.stats.trend import Trend, TrendResult

# The words live in the layer's one catalogue (``_words``), Swedish and English side by side.
BENCHMARK_NAMES_SV = sv(BENCHMARK_NAMES)
LIMITS_SOURCES_SV = sv(LIMITS_SOURCES)
FLAG_LABELS_SV = sv(FLAG_LABELS)
TEST_SHORT_SV = sv(TEST_SHORT)
GAP_TREND_LABELS_SV = sv(GAP_TREND_LABELS)
TEST_LEVEL_SV = sv(TEST_LEVELS)
_METHOD_SV = sv(LIMITS_METHODS)


def _w(code: str, lang: str) -> str:
    return word(VERDICT[code], lang)


def limits_note(limits_source: str | None, method: str | None, base_label: str | None,
                base: float | None, attribution: str | None, lang: str = "sv") -> str | None:
    """Where a value's limits come from, in ``lang``; derived limits name method and denominator:
    'härlett: Wilsons metod med antalet räknat ur värdet och nämnaren invånare 20–64 år
    (N01955) (underlag 31 787); Källa: Kolada (RKA)'."""
    if limits_source is None:
        return None
    if limits_source != "derived":
        pair = LIMITS_SOURCES.get(limits_source)
        return word(pair, lang) if pair else limits_source
    known = LIMITS_METHODS.get(method or "")
    name = word(known, lang) if known else method or ""
    base_text = (_w("base_size", lang).format(n=fmt_num(base, lang, decimals=0))
                 if base is not None else "")
    credit = "; " + attribution.removesuffix(", CC BY 4.0") if attribution else ""
    return _w("limits_derived", lang).format(
        method=name, base_label=base_label or _w("the_population", lang), base=base_text,
        credit=credit)


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


def fmt_p(p: float | None, lang: str = "sv") -> str:
    if p is None:
        return "–"
    if p < 0.001:
        return _w("p_below", lang)
    mark = word((",", "."), lang)
    return f"p = {fmt(p, lang=lang) if p >= 0.1 else f'{p:.3f}'.replace('.', mark)}"


def noun(measure_type: str, lang: str = "sv") -> str:
    return _w("subject_proportion" if measure_type == "proportion" else "subject_value", lang)


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
    lang: str = "sv",
) -> str:
    """'Andelen har minskat sedan 2016, men förändringen är inte statistiskt säkerställd (…).'"""
    subject = noun(measure_type, lang)
    if trend.trend == Trend.CANNOT_BE_CALCULATED:
        return trend_reason(trend, lang) or _w("cannot_trend", lang)
    pair = TEST_SHORT.get(str(trend.test)) if trend.test else None
    test = word(pair, lang) if pair else ""
    # The level the test uses, named in every sentence that rests on it.
    level_pair = TEST_LEVELS.get(str(trend.test))
    test = f"{test}, {word(level_pair, lang)}" if level_pair else test
    p = fmt_p(trend.p_value, lang)
    if trend.significant:
        way = _w("increasing" if trend.trend == Trend.INCREASING else "decreasing", lang)
        # Pooled periods are labelled "2018–2022" already; join them with "till".
        joiner = _w("to", lang) if start and end and ("–" in start[0] or "–" in end[0]) else "–"
        span = f" {start[0]}{joiner}{end[0]}" if start and end else ""
        values = (_w("trend_values", lang).format(start=fmt(start[1], lang=lang),
                                                  end=fmt(end[1], lang=lang))
                  if start and end else "")
        text = _w("significant_trend", lang).format(subject=subject, word=way, span=span,
                                                    values=values, test=test, p=p)
        if polarity != "no_judgement":
            up_good = polarity == "higher_is_better"
            good = (trend.trend == Trend.INCREASING) == up_good
            text += _w("improvement" if good else "deterioration", lang)
        return text + f"{base_note}."
    if start is None or end is None:
        return _w("no_significant_change", lang).format(test=test, base=base_note)
    (s_label, s_val), (_, e_val) = start, end
    points = {"since": s_label, "start": fmt(s_val, lang=lang), "end": fmt(e_val, lang=lang)}
    if e_val > s_val:
        moved = _w("has_increased", lang).format(**points)
    elif e_val < s_val:
        moved = _w("has_decreased", lang).format(**points)
    else:
        still = _w("unchanged_proportion" if measure_type == "proportion" else
                   "unchanged_value", lang)
        return _w("unchanged_since", lang).format(subject=subject, still=still, since=s_label,
                                                  end=points["end"], base=base_note)
    why = trend_reason(trend, lang)
    reason = f" {why}" if why else ""
    return _w("not_significant_change", lang).format(subject=subject, moved=moved, test=test,
                                                     p=p, base=base_note) + reason


def trend_reason(trend: TrendResult, lang: str = "sv") -> str | None:
    """Why the trend cannot be calculated or is not called significant, in ``lang``."""
    return in_language(lang, trend.reason or "", trend.reason_en) or None


_COMPARISON_WORDS = {
    "better_998": ("cmp_better", "level_998"), "worse_998": ("cmp_worse", "level_998"),
    "better": ("cmp_better", "level_95"), "worse": ("cmp_worse", "level_95"),
    "higher": ("cmp_higher", "level_95"), "lower": ("cmp_lower", "level_95"),
    "similar": ("cmp_similar", "level_95"),
}


def comparison_sentence(codes: dict[str, str], lang: str = "sv") -> str | None:
    """'Statistiskt säkerställt sämre än riket; ingen säkerställd skillnad mot länet.'"""
    groups: dict[str, list[str]] = {}
    for bench, code in codes.items():
        if code == "not_compared":
            continue
        groups.setdefault(code, []).append(word(BENCHMARK_NAMES[bench], lang))
    if not groups:
        return None
    # Each statement names the confidence level it rests on (one threshold per statement).
    parts = [f"{_w(_COMPARISON_WORDS[k][0], lang)} {join(v, lang)}"
             f"{_w(_COMPARISON_WORDS[k][1], lang)}" for k, v in groups.items()]
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def join(names: list[str], lang: str = "sv") -> str:
    """'a, b och c' ('a, b and c')."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + _w("and", lang) + names[-1]


def join_sv(names: list[str]) -> str:
    return join(names)


def difference_sentence(change: dict, points: bool = False, lang: str = "sv") -> str:
    """'Skillnaden mot 2018 (+2,1 procentenheter) är statistiskt säkerställd (z-test, p = 0,003).'

    points: the values are percentages, so the difference is in percentage points.
    """
    diff = change["difference"]
    sign = "+" if diff > 0 else ""
    unit = _w("points", lang) if points and diff else ""
    code = "difference_significant" if change["significant"] else "difference_not_significant"
    return _w(code, lang).format(since=change["from_period_label"],
                                 diff=f"{sign}{fmt(diff, lang=lang)}", unit=unit,
                                 p=fmt_p(change["p_value"], lang))
