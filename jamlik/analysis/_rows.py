"""The vectorised row builder: the profile rows of many series at once, as columns.

Most Kolada series (about 9 in 10 rows of a national profile) carry no limits, no counts, no
margin and no pooled period: their row has no significance test at all (every comparison is
"not_compared", the trend is the Mann–Kendall test of ``_batch``, the sex gap has no limits).
``plain_rows`` builds exactly those rows from the profile's flat, sorted columns: the indices of
every latest value, trend end point and sex-gap value are found with NumPy (one sorted key per
observation, ``searchsorted``), the words of both languages are looked up once per call, and
what remains per row is assembling its numbers and texts. Every other row (limits, counts,
margins, pooled periods, indicators published for women and men only) is left to
``_profile._row``, which stays the readable reference: ``tests/analysis/test_rows.py`` compares
both field by field (texts in both languages, numbers to 1e-9) on random series and on the real
sample. The statistical rules are those of ``_row``; nothing here calls a change real.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from jamlik.analysis._batch import _groups
from jamlik.analysis._gap import GapTrend
from jamlik.analysis._words import (
    BENCHMARK_NAMES,
    FLAG_LABELS,
    GAP_TREND_LABELS,
    TEST_LEVELS,
    TEST_SHORT,
    VERDICT,
)
from jamlik.format import THOUSANDS_SV
from jamlik.stats.counts import EXACT_BELOW
from jamlik.stats.trend import TEST_LABELS_SV, Trend, TrendResult, trend_direction, trend_label_sv
from jamlik.store.model import LABELS_SV, PERIOD_NOTE

#: Fields ``plain_rows`` fills with the same value in every row it builds (no limits, no test).
CONSTANT = {
    "lower": None, "upper": None, "limits_source": None, "vs_nation": "not_compared",
    "vs_county": "not_compared", "vs_similar": "not_compared", "lower_998": None,
    "upper_998": None, "limits_method": None, "limits_note": None, "limits_base": None,
    "tested": False,
}

_SV = str.maketrans({",": THOUSANDS_SV, ".": ",", "-": "−"})
_W = VERDICT
_NAMES_SV = {k: v[0] for k, v in BENCHMARK_NAMES.items()}
_CANNOT = Trend.CANNOT_BE_CALCULATED


def fmt2(x: float | None) -> tuple[str, str]:
    """(Swedish, English) of ``_text.fmt(x)``: the same digits, one float format for both."""
    if x is None or not math.isfinite(x):
        return "–", "–"
    if x == 0:
        return "0", "0"
    a = abs(x)
    text = f"{x:,.{0 if a >= 100 else 1 if a >= 10 else 2 if a >= 0.1 else 3}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.translate(_SV), text


def _fmt_p2(p: float | None) -> tuple[str, str]:
    """(Swedish, English) of ``_text.fmt_p(p)``."""
    if p is None:
        return "–", "–"
    if p < 0.001:
        return _W["p_below"]
    if p >= 0.1:
        sv, en = fmt2(p)
        return f"p = {sv}", f"p = {en}"
    text = f"{p:.3f}"
    return f"p = {text.replace('.', ',')}", f"p = {text}"


def _period_label(period: int, start: int) -> str:
    return str(period) if start == period else f"{start}–{period}"


def _test_words(test: object) -> tuple[str, str]:
    """The test's name and level as ``change_sentence`` writes them, in both languages."""
    out = []
    for k in (0, 1):
        pair = TEST_SHORT.get(str(test)) if test else None
        text = pair[k] if pair else ""
        level = TEST_LEVELS.get(str(test))
        out.append(f"{text}, {level[k]}" if level else text)
    return out[0], out[1]


def _trend_reasons(trend: TrendResult) -> tuple[str | None, str | None]:
    """``_text.trend_reason`` in both languages."""
    sv = trend.reason or ""
    en = trend.reason_en or sv
    return sv or None, en or None


def change_sentences(measure: str, trend: TrendResult, start: tuple[str, float] | None,
                     end: tuple[str, float] | None, polarity: str,
                     base: tuple[str, str], tests: dict[object, tuple[str, str]]
                     ) -> tuple[str, str]:
    """``_text.change_sentence`` in (Swedish, English), the words looked up once."""
    if trend.trend == _CANNOT:
        sv, en = _trend_reasons(trend)
        return sv or _W["cannot_trend"][0], en or _W["cannot_trend"][1]
    subject = _W["subject_proportion" if measure == "proportion" else "subject_value"]
    test = tests.get(trend.test)
    if test is None:
        test = tests[trend.test] = _test_words(trend.test)
    p = _fmt_p2(trend.p_value)
    if trend.trend in (Trend.INCREASING, Trend.DECREASING):
        way = _W["increasing" if trend.trend == Trend.INCREASING else "decreasing"]
        if start and end:
            joiner = _W["to"] if ("–" in start[0] or "–" in end[0]) else ("–", "–")
            s, e = fmt2(start[1]), fmt2(end[1])
        tail = ("", "")
        if polarity != "no_judgement":
            good = (trend.trend == Trend.INCREASING) == (polarity == "higher_is_better")
            tail = _W["improvement" if good else "deterioration"]
        out = []
        for k in (0, 1):
            span = values = ""
            if start and end:
                span = f" {start[0]}{joiner[k]}{end[0]}"
                values = _W["trend_values"][k].format(start=s[k], end=e[k])
            out.append(_W["significant_trend"][k].format(
                subject=subject[k], word=way[k], span=span, values=values, test=test[k],
                p=p[k]) + tail[k] + f"{base[k]}.")
        return out[0], out[1]
    if start is None or end is None:
        return (_W["no_significant_change"][0].format(test=test[0], base=base[0]),
                _W["no_significant_change"][1].format(test=test[1], base=base[1]))
    s_label, s_val = start
    e_val = end[1]
    s, e = fmt2(s_val), fmt2(e_val)
    if e_val == s_val:
        still = _W["unchanged_proportion" if measure == "proportion" else "unchanged_value"]
        return tuple(_W["unchanged_since"][k].format(  # type: ignore[return-value]
            subject=subject[k], still=still[k], since=s_label, end=e[k], base=base[k])
            for k in (0, 1))
    moved_code = "has_increased" if e_val > s_val else "has_decreased"
    why = _trend_reasons(trend)
    out = []
    for k in (0, 1):
        moved = _W[moved_code][k].format(since=s_label, start=s[k], end=e[k])
        reason = f" {why[k]}" if why[k] else ""
        out.append(_W["not_significant_change"][k].format(
            subject=subject[k], moved=moved, test=test[k], p=p[k], base=base[k]) + reason)
    return out[0], out[1]


def _gap_labels(diff: float) -> tuple[str, str]:
    """``_gap.gap_label`` without limits (p unknown) in both languages."""
    if diff:
        d = fmt2(abs(diff))
        side = _W["gap_higher" if diff > 0 else "gap_lower"]
        return (side[0].format(diff=d[0]) + _W["gap_unknown"][0],
                side[1].format(diff=d[1]) + _W["gap_unknown"][1])
    return (_W["gap_none"][0] + _W["gap_unknown"][0], _W["gap_none"][1] + _W["gap_unknown"][1])


def _vs_label(benchmark: str, value: float | None, bench_value: float | None) -> str:
    """``_text.vs_label`` for an untested comparison (no limits)."""
    if value is None:
        return "Ej jämfört: värdet saknas eller är dolt"
    name = _NAMES_SV[benchmark]
    if bench_value is None:
        return f"Ej jämfört: värde för {name} saknas"
    side = "högre än" if value > bench_value else "lägre än" if value < bench_value else "lika med"
    return f"Ej testat (osäkerheten okänd); värdet är {side} {name}"


def _rank_label(colour: str, rank: int | None, rank_of: int | None, area_type: str) -> str:
    """``_text.rank_label``."""
    if rank is None or rank_of is None:
        return "Ingen rangordning"
    place = f"plats {rank} av {rank_of} {'län' if area_type == 'county' else 'kommuner'}"
    if colour == "green":
        return f"Bästa 25 % ({place})"
    if colour == "yellow":
        return f"Mittersta 50 % ({place})"
    if colour == "red":
        return f"Sämsta 25 % ({place})"
    return f"Ingen färg – indikatorn har ingen riktning ({place}, 1 = högst värde)"


def rank_colours(rank: np.ndarray, rank_of: np.ndarray, tied: np.ndarray,
                 judged: np.ndarray) -> np.ndarray:
    """``_profile._rank_colour`` for many rows at once (rank 0: no rank; judged: the
    indicator has a polarity)."""
    quarter = rank_of // 4
    middle = rank + (np.maximum(tied, 1) - 1) / 2
    out = np.where(middle <= quarter, "green",
                   np.where(middle >= rank_of + 1 - quarter, "red", "yellow")).astype(object)
    out[(rank <= 0) | (rank_of <= 0) | ~judged] = "grey"
    return out


def _gap_trend(g: GapTrend) -> str:
    res = g.result
    if res.trend == _CANNOT:
        return "cannot_be_calculated"
    if g.sign_changed:
        return "sign_changed"
    if not res.significant or g.all_zero:
        return "stable"
    return "widening" if (res.slope or 0) > 0 else "narrowing"


def plain_rows(
    cols: dict[str, np.ndarray],
    codes: list[str],
    places: Mapping[str, Any],
    metas: Mapping[str, Any],
    untested: Mapping[str, tuple[str, str]],
    nation: str,
    bench: Mapping[tuple, float],
    similar: Mapping[tuple, Any],
    ranks: Mapping[tuple, tuple[int, int, int]],
    trends: Mapping[tuple[str, str, str], TrendResult],
    gap_trends: Mapping[tuple[str, str], GapTrend],
    sex: str,
    hidden_reason: Callable[[bool, str | None, str], str],
) -> tuple[dict[str, list], list[tuple[str, str]]]:
    """The profile rows of ``codes`` whose series carry no limit inputs, as columns
    ({ProfileRow field: values}, the rows in area, indicator order), and the (area, indicator)
    keys of every other row, for ``_row``.

    cols: ``ProfileData.series`` (sorted by area, indicator, sex, period); places: code →
    ``_Place``; metas: indicator → ``_Meta``; untested: indicator → why a shown value has no
    limits (Swedish, English); bench, similar, ranks, trends, gap_trends: what ``profile_many``
    prepared for ``_row``; hidden_reason(source_suppressed, reason, lang): ``_hidden_reason``.
    """
    names = ("indicator", "title", "unit", "polarity", "data_kind", "period", "period_label",
             "period_note", "value", "nation_value", "county_value", "similar_value",
             "vs_nation_label", "vs_county_label", "vs_similar_label", "rank", "rank_of",
             "rank_colour", "trend", "trend_direction", "trend_label", "trend_test",
             "trend_p_value", "sex_gap", "flags", "verdict", "source", "attribution", "area",
             "area_name", "sex", "measure_type", "polarity_label", "data_kind_label",
             "numerator", "denominator", "similar_group", "similar_n", "rank_colour_label",
             "trend_test_label", "trend_periods", "trend_slope", "flag_labels", "change",
             "similar_se", "untested_reason", "verdict_en")
    n_obs = len(cols["period"])
    if not n_obs:
        return {k: [] for k in (*names, *CONSTANT)}, []
    g = _groups(cols)
    area, ind, sx = cols["area"], cols["indicator"], cols["sex"]
    ga, gi, gs = area[g.start], ind[g.start], sx[g.start]
    n_groups = len(g.start)
    # (area, indicator) pairs: consecutive groups (the sexes of one series).
    pchange = np.flatnonzero((ga[1:] != ga[:-1]) | (gi[1:] != gi[:-1])) + 1
    pstart = np.concatenate([[0], pchange]).astype(np.int64)
    pid = np.repeat(np.arange(len(pstart)), np.diff(np.concatenate([pstart, [n_groups]])))
    n_pairs = len(pstart)

    def of_sex(s: str) -> np.ndarray:
        out = np.full(n_pairs, -1, dtype=np.int64)
        pick = np.flatnonzero(gs == s)
        out[pid[pick]] = pick
        return out

    main_g, k_g, m_g = of_sex(sex), of_sex("K"), of_sex("M")
    pa_, pi_ = ga[pstart], gi[pstart]
    wanted = set(codes)
    target = np.array([a in wanted for a in pa_.tolist()], dtype=bool)
    both = (k_g >= 0) & (m_g >= 0)
    plain = np.append(g.plain, False)  # index -1 → not plain
    exists = target & ((main_g >= 0) | both)
    fast = exists & (main_g >= 0) & plain[main_g] & (~both | (plain[k_g] & plain[m_g]))
    slow = np.flatnonzero(exists & ~fast)
    rows = np.flatnonzero(fast)

    # One sorted key per observation (group, period): every look-up below is a searchsorted.
    period = cols["period"].astype(np.int64)
    pstart_col = cols["period_start"].astype(np.int64)
    base = int(period.min())
    span = int(period.max()) - base + 1
    key = g.gid.astype(np.int64) * span + (period - base)

    def find(group: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Row of (group, period), −1 when absent or group −1."""
        want = group * span + (at - base)
        pos = np.minimum(np.searchsorted(key, want), n_obs - 1)
        ok = (group >= 0) & (at >= base) & (at < base + span) & (key[pos] == want)
        return np.where(ok, pos, -1)

    mg = main_g[rows]
    last = g.stop[mg] - 1
    per = period[last]
    hidden_col = cols["hidden"].astype(bool)
    value_col = cols["value"].astype(float)
    hid = hidden_col[last]
    val = value_col[last]
    den = cols["denominator"].astype(float)[last] if "denominator" in cols else np.full(
        len(rows), np.nan)
    num = cols["numerator"].astype(float)[last] if "numerator" in cols else np.full(
        len(rows), np.nan)
    ss = cols["source_suppressed"].astype(bool)[last] | np.isnan(val)
    gap_k = find(k_g[rows], per)
    gap_m = find(m_g[rows], per)
    reasons = cols.get("suppression_reason")

    trend_of = [trends.get((str(a), str(i), sex)) for a, i in zip(pa_[rows], pi_[rows],
                                                                     strict=True)]
    # The trend's first and last points (the change and the verdict's end points).
    first_p = np.array([t.periods[0] if t is not None and len(t.periods) >= 2 else -1
                        for t in trend_of], dtype=np.int64)
    last_p = np.array([t.periods[-1] if t is not None and len(t.periods) >= 2 else -1
                       for t in trend_of], dtype=np.int64)
    row_first = find(np.where(first_p >= 0, mg, -1), first_p)
    row_last = find(np.where(last_p >= 0, mg, -1), last_p)

    # Ranks and colours, set-based.
    per_l = per.tolist()
    hid_l = hid.tolist()
    area_l = [str(a) for a in pa_[rows]]
    ind_l = [str(i) for i in pi_[rows]]
    rank_a = np.zeros(len(rows), dtype=np.int64)
    rank_of_a = np.zeros(len(rows), dtype=np.int64)
    tied_a = np.ones(len(rows), dtype=np.int64)
    for k, (a, i, p, h) in enumerate(zip(area_l, ind_l, per_l, hid_l, strict=True)):
        if h or math.isnan(val[k]) or places[a].type == "nation":
            continue
        rk = ranks.get((a, i, p))
        if rk is not None:
            rank_a[k], rank_of_a[k], tied_a[k] = rk
    judged = np.array([metas[i].polarity != "no_judgement" for i in ind_l], dtype=bool)
    colours = rank_colours(rank_a, rank_of_a, tied_a, judged).tolist()
    rank_l, rank_of_l = rank_a.tolist(), rank_of_a.tolist()

    built: list[tuple] = []  # one tuple per row in the order of ``names``
    tests: dict[object, tuple[str, str]] = {}
    hidden_words: dict[tuple, tuple[str, str]] = {}
    flag_words: dict[tuple, list[str]] = {}
    trend_words: dict[tuple, tuple] = {}
    survey_w, prelim_w = _W["survey"], _W["preliminary"]
    hidden_untested = _W["untested_hidden"][0]
    value_l = val.tolist()
    den_l = den.tolist()
    num_l = num.tolist()
    ss_l = ss.tolist()
    start_l = pstart_col[last].tolist()
    gk_l, gm_l = gap_k.tolist(), gap_m.tolist()
    rf_l, rl_l = row_first.tolist(), row_last.tolist()
    status_col, source_col = cols["status"], cols["source"]
    for k in range(len(rows)):
        a, i, p, start = area_l[k], ind_l[k], per_l[k], start_l[k]
        meta, place = metas[i], places[a]
        hidden = hid_l[k]
        v = value_l[k]
        value = None if hidden or v != v else v
        li = int(last[k])
        numerator = None if hidden or num_l[k] != num_l[k] else num_l[k]
        denominator = None if hidden or den_l[k] != den_l[k] else den_l[k]
        status = status_col[li]
        src = source_col[li]
        src = None if src is None or (isinstance(src, float) and src != src) else str(src)
        polarity, measure = meta.polarity, meta.measure
        trend = trend_of[k]
        assert trend is not None
        # flags (the order of _row)
        flags: list[str] = []
        if meta.data_kind == "survey":
            flags.append("survey")
        if value is not None:
            flags.append("no_limits")
        if numerator is not None and numerator < EXACT_BELOW:
            flags.append("small_count")
        if status == "preliminary":
            flags.append("preliminary")
        if start < p:
            flags.append("pooled_period")
        if hidden:
            flags.append("suppressed")
        ftuple = tuple(flags)
        labels = flag_words.get(ftuple)
        if labels is None:
            labels = flag_words[ftuple] = [FLAG_LABELS[f][0] for f in flags]
        # benchmarks
        county = place.county
        nation_v = bench.get((nation, i, p)) if a != nation else None
        county_v = bench.get((county, i, p)) if county and county != a else None
        sim = similar.get((a, i, p))
        if sim is not None:
            sv_ = sim.similar_value
            similar_v = None if sv_ is None or sv_ != sv_ else float(sv_)
            se = getattr(sim, "similar_se", None)
            similar_se = None if se is None or se != se else float(se)
        else:
            similar_v = similar_se = None
        lab_n = _vs_label("nation", value, nation_v)
        lab_c = _vs_label("county", value, county_v)
        lab_s = _vs_label("similar", value, similar_v)
        area_type = place.type
        if place.whole_county:
            lab_c = "Ej tillämpligt: kommunen utgör hela länet"
        if a == nation:
            lab_n = lab_c = "Ej tillämpligt: området är riket"
        elif area_type == "county":
            lab_c = "Ej tillämpligt: området är ett län"
        if area_type in ("nation", "county"):
            lab_s = "Ej tillämpligt: liknande kommuner finns bara för kommuner"
        rank = rank_l[k] or None
        rank_of = rank_of_l[k] or None if rank is not None else None
        colour = colours[k]
        # trend words
        tkey = (trend.trend, polarity)
        tw = trend_words.get(tkey)
        if tw is None:
            tw = trend_words[tkey] = (str(trend.trend), trend_direction(trend.trend, polarity),
                                      trend_label_sv(trend.trend, polarity))
        # sex gap
        gap = None
        ia, ib = gk_l[k], gm_l[k]
        if ia >= 0 and ib >= 0 and not hidden_col[ia] and not hidden_col[ib]:
            size = gap_trends[(a, i)]
            res = size.result
            av, bv = float(value_col[ia]), float(value_col[ib])
            gt = _gap_trend(size)
            diff = av - bv
            lsv, len_ = _gap_labels(diff)
            gap = {"difference": diff, "ratio": av / bv if bv else None, "lower": None,
                   "upper": None, "trend": gt, "period": p, "p_value": None, "significant": None,
                   "trend_test": str(res.test) if res.test else None,
                   "trend_p_value": res.p_value, "trend_periods": list(res.periods),
                   "trend_label": GAP_TREND_LABELS[gt][0],
                   "gap_measure": "ratio" if size.relative else "absolute",
                   "women": av, "men": bv, "label": lsv, "label_en": len_}
        # the change and the trend's end points
        rf, rl = rf_l[k], rl_l[k]
        start_pt = end_pt = None
        if rf >= 0 and rl >= 0:
            start_pt = (_period_label(int(period[rf]), int(pstart_col[rf])), float(value_col[rf]))
            end_pt = (_period_label(int(period[rl]), int(pstart_col[rl])), float(value_col[rl]))
        change = None
        if not hidden and rf >= 0 and rl >= 0 and not hidden_col[rf] and not hidden_col[rl]:
            fa, fb = start_pt[1], end_pt[1]  # type: ignore[index]
            change = {"from_period": int(period[rf]), "from_period_label": start_pt[0],  # type: ignore[index]
                      "from_value": fa, "to_value": fb, "difference": fb - fa, "lower": None,
                      "upper": None, "p_value": None, "significant": None, "test": None}
        # the verdict in both languages
        label = _period_label(p, start)
        parts_sv: list[str] = []
        parts_en: list[str] = []
        if hidden:
            hkey = (ss_l[k], None if reasons is None else reasons[li])
            why = hidden_words.get(hkey)
            if why is None:
                reason = hkey[1]
                reason = None if reason is None or (isinstance(reason, float) and reason != reason) \
                    else str(reason)
                why = hidden_words[hkey] = (hidden_reason(hkey[0], reason, "sv"),
                                            hidden_reason(hkey[0], reason, "en"))
            parts_sv.append(_W["not_shown"][0].format(period=label, why=why[0]))
            parts_en.append(_W["not_shown"][1].format(period=label, why=why[1]))
        else:
            if denominator is not None and measure == "proportion":
                d = fmt2(denominator)
                base_note = (_W["base_note"][0].format(n=d[0]), _W["base_note"][1].format(n=d[1]))
            else:
                base_note = ("", "")
            c_sv, c_en = change_sentences(measure, trend, start_pt, end_pt, polarity, base_note,
                                          tests)
            parts_sv.append(c_sv)
            parts_en.append(c_en)
        if value is not None:
            why2 = untested[i]
            parts_sv.append(_W["uncertainty_unknown"][0].format(why=why2[0]))
            parts_en.append(_W["uncertainty_unknown"][1].format(why=why2[1]))
            if rank is not None and colour != "grey":
                kind = _W["kind_counties" if area_type == "county" else "kind_municipalities"]
                parts_sv.append(_W["placing_relative"][0].format(rank=rank, of=rank_of,
                                                                 kind=kind[0]))
                parts_en.append(_W["placing_relative"][1].format(rank=rank, of=rank_of,
                                                                 kind=kind[1]))
        if "survey" in ftuple:
            parts_sv.append(survey_w[0])
            parts_en.append(survey_w[1])
        parts_note = None
        if start < p:
            years = p - start + 1
            parts_note = PERIOD_NOTE[0].format(start=start, period=p, years=years)
            parts_sv.append(parts_note)
            parts_en.append(PERIOD_NOTE[1].format(start=start, period=p, years=years))
        if "small_count" in ftuple:
            parts_sv.append(_W["small_count"][0])
            parts_en.append(_W["small_count"][1])
        if "preliminary" in ftuple:
            parts_sv.append(prelim_w[0])
            parts_en.append(prelim_w[1])
        built.append((
            i,  # indicator
            meta.title,  # title
            meta.unit,  # unit
            polarity,  # polarity
            meta.data_kind,  # data_kind
            p,  # period
            label,  # period_label
            None if start == p else parts_note,  # period_note
            value,  # value
            nation_v,  # nation_value
            county_v,  # county_value
            similar_v,  # similar_value
            lab_n,  # vs_nation_label
            lab_c,  # vs_county_label
            lab_s,  # vs_similar_label
            rank,  # rank
            rank_of,  # rank_of
            colour,  # rank_colour
            tw[0],  # trend
            tw[1],  # trend_direction
            tw[2],  # trend_label
            str(trend.test) if trend.test else None,  # trend_test
            trend.p_value,  # trend_p_value
            gap,  # sex_gap
            flags,  # flags
            " ".join([x for x in parts_sv if x]),  # verdict
            src or meta.source,  # source
            meta.attribution,  # attribution
            a,  # area
            place.name,  # area_name
            sex,  # sex
            measure,  # measure_type
            LABELS_SV.get(polarity, polarity),  # polarity_label
            LABELS_SV.get(meta.data_kind, meta.data_kind),  # data_kind_label
            numerator,  # numerator
            denominator,  # denominator
            sim.similar_group if sim is not None else None,  # similar_group
            int(sim.similar_n) if sim is not None else None,  # similar_n
            _rank_label(colour, rank, rank_of, area_type),  # rank_colour_label
            TEST_LABELS_SV.get(str(trend.test)) if trend.test else None,  # trend_test_label
            list(trend.periods),  # trend_periods
            trend.slope,  # trend_slope
            list(labels),  # flag_labels
            change,  # change
            similar_se,  # similar_se
            hidden_untested if value is None else untested[i][0],  # untested_reason
            " ".join([x for x in parts_en if x]),  # verdict_en
        ))
    n = len(rows)
    out: dict[str, list] = {name: list(col) for name, col in zip(
        names, zip(*built, strict=True) if built else [()] * len(names), strict=True)}
    for name, constant in CONSTANT.items():
        out[name] = [constant] * n
    rest = [(str(a), str(i)) for a, i in zip(pa_[slow], pi_[slow], strict=True)]
    return out, rest
