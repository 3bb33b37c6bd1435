"""The vectorised row builder: the profile rows of many series at once, as columns.

``build_rows`` builds the rows of every series without pooled periods from the profile's flat,
sorted columns: the indices of every latest value, trend end point and sex-gap value are found
with NumPy (one sorted key per observation, ``searchsorted``), the words of both languages are
looked up once per call, and what remains per row is assembling its numbers and texts. Most
Kolada series (about 99 in 100 rows of a national profile) carry no limits, no counts and no
margin: their row has no significance test at all (every comparison is "not_compared", the
trend is the Mann–Kendall test of ``_batch``, the sex gap has no limits). The series that do
carry limit inputs (limits, a margin, counts or a base population) get their limits for every
point at once (``_limits.limits_many``), their recent trends and the trends of their sex gaps
at once (``_batch.recent_trends``, ``_batch.gap_trends``: the Fingertips tests vectorised) and
their comparisons from the same ``stats`` functions ``_row`` calls. Rows with pooled periods,
indicators published for women and men only and the rare estimate without a lower limit are
left to ``_profile._row``, which stays the readable reference: ``tests/analysis/test_rows.py``
compares both field by field (texts in both languages, numbers to 1e-9) on random series and
on the real sample. The statistical rules are those of ``_row``; nothing here calls a change
real that ``_row`` would not.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from jamlik.analysis import _text as tx
from jamlik.analysis._batch import _groups, _window, gap_trends, recent_trends
from jamlik.analysis._gap import GapTrend
from jamlik.analysis._limits import SOURCES, PointLimits, limits_many
from jamlik.analysis._words import (
    BENCHMARK_NAMES,
    FLAG_LABELS,
    GAP_TREND_LABELS,
    TEST_LEVELS,
    TEST_SHORT,
    VERDICT,
)
from jamlik.format import THOUSANDS_SV
from jamlik.stats.compare import (
    Comparison,
    benchmark_significance,
    compare_estimates,
    with_benchmark_se,
)
from jamlik.stats.counts import EXACT_BELOW
from jamlik.stats.estimate import Estimate
from jamlik.stats.trend import (
    FINGERTIPS_POINTS,
    TEST_LABELS_SV,
    Trend,
    TrendResult,
    trend_direction,
    trend_label_sv,
)
from jamlik.store.model import LABELS_SV, PERIOD_NOTE

#: Fields that only rows with limits fill (the value of every row without limit inputs).
UNTESTED = {
    "lower": None, "upper": None, "limits_source": None, "vs_nation": "not_compared",
    "vs_county": "not_compared", "vs_similar": "not_compared", "lower_998": None,
    "upper_998": None, "limits_method": None, "limits_note": None, "limits_base": None,
    "tested": False,
}
_UNTESTED = tuple(UNTESTED.values())
_NO_LIMITS = PointLimits(np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0),
                         np.zeros(0, dtype=np.int8), np.zeros(0, dtype=np.int8))

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


def _gap_labels_tested(diff: float, lower: float | None, upper: float | None,
                       p: float | None) -> tuple[str, str]:
    """``_gap.gap_label`` in both languages (with the z test's limits when there are some)."""
    if p is None:
        return _gap_labels(diff)
    if diff:
        d = fmt2(abs(diff))
        side = _W["gap_higher" if diff > 0 else "gap_lower"]
        head = (side[0].format(diff=d[0]), side[1].format(diff=d[1]))
    else:
        head = _W["gap_none"]
    if p < 0.05:
        lo, hi = fmt2(lower), fmt2(upper)
        return (head[0] + _W["gap_significant"][0].format(lower=lo[0], upper=hi[0]),
                head[1] + _W["gap_significant"][1].format(lower=lo[1], upper=hi[1]))
    return head[0] + _W["gap_not_significant"][0], head[1] + _W["gap_not_significant"][1]


def _difference_sentences(change: dict[str, Any], points: bool) -> tuple[str, str]:
    """``_text.difference_sentence(change, points)`` in (Swedish, English)."""
    diff = change["difference"]
    sign = "+" if diff > 0 else ""
    code = "difference_significant" if change["significant"] else "difference_not_significant"
    d, p = fmt2(diff), _fmt_p2(change["p_value"])
    unit = _W["points"] if points and diff else ("", "")
    return tuple(_W[code][k].format(  # type: ignore[return-value]
        since=change["from_period_label"], diff=f"{sign}{d[k]}", unit=unit[k], p=p[k])
        for k in (0, 1))


def _compare(a: Estimate | None, b: Estimate | None) -> Comparison | None:
    """``compare_estimates(a, b)``, None when either has no limits or the test fails."""
    if a is None or b is None:
        return None
    try:
        return compare_estimates(a, b)
    except ValueError:
        return None


class _Limited:
    """What the rows of series with limit inputs need besides the plain rows' columns: every
    point's limits, the recent trends of the profile's series and the gap trends of the
    women's and men's series, computed for all of them at once."""

    def __init__(self, cols: dict[str, np.ndarray], g: Any, metas: Mapping[str, Any],
                 main: np.ndarray, k_g: np.ndarray, m_g: np.ndarray, both: np.ndarray,
                 per: np.ndarray, find: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
        n_obs = len(cols["period"])
        hidden = cols["hidden"].astype(bool)
        # Every point of the groups that carry limit inputs (the others have none).
        need = np.zeros(len(g.start), dtype=bool)
        for grp in (main, k_g[both], m_g[both]):
            need[grp[grp >= 0]] = True
        need &= ~g.plain
        rows = np.flatnonzero(need[g.gid])
        inds = cols["indicator"][g.start]
        measure_g = np.array([metas[str(i)].measure for i in inds.tolist()], dtype=object)
        mult_g = np.array([metas[str(i)].multiplier for i in inds.tolist()], dtype=float)

        def col(name: str) -> np.ndarray:
            return cols[name][rows].astype(float) if name in cols else np.full(len(rows),
                                                                                 np.nan)
        got = limits_many(col("value"), col("lower"), col("upper"), col("margin"),
                          col("numerator"), col("denominator"), col("base"),
                          measure_g[g.gid[rows]], mult_g[g.gid[rows]])

        def full(x: np.ndarray, fill: float | int) -> np.ndarray:
            out = np.full(n_obs, fill, dtype=x.dtype)
            out[rows] = x
            return out
        self.limits = PointLimits(*(full(getattr(got, f), 0 if f in ("source", "exact")
                                         else np.nan)
                                    for f in ("value", "lower", "upper", "lower_998",
                                              "upper_998", "source", "exact")))
        lim = self.limits
        lim.source[hidden] = 0  # a hidden value is never shown, so it never has limits
        # The recent trends of the profile's series with limit inputs (``_profile._trend``).
        own_g = np.unique(main[~g.plain[main]])
        renum = np.full(len(g.start), -1)
        renum[own_g] = np.arange(own_g.size)
        pts = np.flatnonzero((renum[g.gid] >= 0) & ~hidden)
        owner = renum[g.gid[pts]]
        period = cols["period"].astype(np.int64)
        value = cols["value"].astype(float)
        num = cols["numerator"].astype(float) if "numerator" in cols else np.full(n_obs, np.nan)
        den = cols["denominator"].astype(float) if "denominator" in cols else np.full(
            n_obs, np.nan)
        # Counts for the chi² test when the last 5 shown points of a share all have numerators.
        cnt, kept, _ = _window(pts, owner, own_g.size, FINGERTIPS_POINTS)
        missing = np.bincount(owner[np.searchsorted(pts, kept)],
                              weights=(~np.isfinite(num[kept])).astype(float),
                              minlength=own_g.size)
        counted = (measure_g[own_g] == "proportion") & (missing == 0)
        c_pt = counted[owner]
        nan = np.full(len(pts), np.nan)
        res = recent_trends(owner, own_g.size, period[pts], value[pts],
                            np.where(c_pt, num[pts], nan), np.where(c_pt, den[pts], nan),
                            np.where(c_pt, nan, lim.lower[pts]),
                            np.where(c_pt, nan, lim.upper[pts]))
        self.trends = {int(own_g[j]): res[j] for j in range(own_g.size)}
        # Sex gaps of pairs with limit inputs: the gap's trend at the profile's period.
        pk, pm = k_g[both], m_g[both]
        limited_pair = ~(g.plain[pk] & g.plain[pm])
        ia, ib = find(pk, per[both]), find(pm, per[both])
        has = (ia >= 0) & (ib >= 0)
        with_limits = has & (lim.source[np.where(has, ia, 0)] > 0) & (
            lim.source[np.where(has, ib, 0)] > 0)
        pick = np.flatnonzero(limited_pair)
        measures = {str(i): metas[str(i)].measure for i in inds[pk[pick]].tolist()}
        trends = gap_trends(cols, g, pk[pick], pm[pick], measures, lim,
                            with_limits[pick]) if pick.size else []
        self.gap_trends = dict(zip(pk[pick].tolist(), trends, strict=True))


def build_rows(
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
    """The profile rows of ``codes`` whose series have no pooled periods, as columns
    ({ProfileRow field: values}, the rows in area, indicator order), and the (area, indicator)
    keys of every other row, for ``_row``.

    cols: ``ProfileData.series`` (sorted by area, indicator, sex, period); places: code →
    ``_Place``; metas: indicator → ``_Meta``; untested: indicator → why a shown value has no
    limits (Swedish, English); bench, similar, ranks, trends, gap_trends: what ``profile_many``
    prepared for ``_row`` (trends and gap trends of the series without limit inputs);
    hidden_reason(source_suppressed, reason, lang): ``_hidden_reason``.
    """
    names = ("indicator", "title", "unit", "polarity", "data_kind", "period", "period_label",
             "period_note", "value", "nation_value", "county_value", "similar_value",
             "vs_nation_label", "vs_county_label", "vs_similar_label", "rank", "rank_of",
             "rank_colour", "trend", "trend_direction", "trend_label", "trend_test",
             "trend_p_value", "sex_gap", "flags", "verdict", "source", "attribution", "area",
             "area_name", "sex", "measure_type", "polarity_label", "data_kind_label",
             "numerator", "denominator", "similar_group", "similar_n", "rank_colour_label",
             "trend_test_label", "trend_periods", "trend_slope", "flag_labels", "change",
             "similar_se", "untested_reason", "verdict_en", *UNTESTED)
    n_obs = len(cols["period"])
    if not n_obs:
        return {k: [] for k in names}, []
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
    single = np.append(~g.pooled, False)  # index -1 → not single years
    exists = target & ((main_g >= 0) | both)
    fast = exists & (main_g >= 0) & single[main_g] & (~both | (single[k_g] & single[m_g]))
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

    plain_g = np.append(g.plain, True)
    limited = ~plain_g[main_g[rows]] | (both[rows] & ~(plain_g[k_g[rows]] & plain_g[m_g[rows]]))
    lim_of: _Limited | None = None
    lim = _NO_LIMITS
    if limited.any():
        lr = rows[limited]
        lmain = main_g[lr]
        lim_of = _Limited(cols, g, metas, lmain, k_g[lr], m_g[lr], both[lr],
                          period[g.stop[lmain] - 1], find)
        lim = lim_of.limits
        # An estimate without a lower limit (never for real counts) is left to _row.
        last_l = g.stop[lmain] - 1
        odd = lim.source[last_l] > 0
        odd &= ~(np.isfinite(lim.lower[last_l]) & np.isfinite(lim.lower_998[last_l]))
        if odd.any():
            keep = np.ones(len(rows), dtype=bool)
            keep[np.flatnonzero(limited)[odd]] = False
            fast[rows[~keep]] = False
            rows, limited = rows[keep], limited[keep]
    slow = np.flatnonzero(exists & ~fast)

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
    base_col = cols["base"].astype(float) if "base" in cols else np.full(n_obs, np.nan)
    ss = cols["source_suppressed"].astype(bool)[last] | np.isnan(val)
    gap_k = find(k_g[rows], per)
    gap_m = find(m_g[rows], per)
    reasons = cols.get("suppression_reason")

    lim_trends = lim_of.trends if lim_of is not None else {}
    trend_of = [lim_trends[int(gm)] if gm in lim_trends else trends.get((str(a), str(i), sex))
                for a, i, gm in zip(pa_[rows], pi_[rows], mg.tolist(), strict=True)]
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
    comparisons: dict[tuple, tuple[str | None, str | None]] = {}
    vs_words: dict[tuple, str] = {}
    note_words: dict[tuple, tuple[str | None, str | None]] = {}
    survey_w, prelim_w = _W["survey"], _W["preliminary"]
    hidden_untested = _W["untested_hidden"][0]
    value_l = val.tolist()
    den_l = den.tolist()
    num_l = num.tolist()
    ss_l = ss.tolist()
    start_l = pstart_col[last].tolist()
    gk_l, gm_l = gap_k.tolist(), gap_m.tolist()
    rf_l, rl_l = row_first.tolist(), row_last.tolist()
    limited_l = limited.tolist()
    kg_l = k_g[rows].tolist()
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
        tested_row = limited_l[k]
        e95 = lim.estimate(li) if tested_row and value is not None else None
        count = numerator
        limits_source = limits_base = None
        if e95 is not None:
            limits_source = SOURCES[int(lim.source[li])]
            if limits_source == "derived":
                limits_base = float(base_col[li])
                count = float(round(v * limits_base / meta.multiplier))
        # flags (the order of _row)
        flags: list[str] = []
        if meta.data_kind == "survey":
            flags.append("survey")
        if value is not None and e95 is None:
            flags.append("no_limits")
        if count is not None and count < EXACT_BELOW:
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
        area_type = place.type
        if e95 is None:
            vs = None
            lab_n = _vs_label("nation", value, nation_v)
            lab_c = _vs_label("county", value, county_v)
            lab_s = _vs_label("similar", value, similar_v)
        else:
            vs, (lab_n, lab_c, lab_s) = _tested_vs(lim, li, e95, value, polarity, nation_v,
                                                  county_v, similar_v, similar_se, vs_words)
            if place.whole_county:
                vs["county"] = "not_compared"
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
            size = gap_trends.get((a, i)) if not tested_row else None
            if size is None:
                assert lim_of is not None
                size = lim_of.gap_trends.get(kg_l[k]) or gap_trends[(a, i)]
            res = size.result
            av, bv = float(value_col[ia]), float(value_col[ib])
            gt = _gap_trend(size)
            diff = av - bv
            c = _compare(lim.estimate(ia), lim.estimate(ib)) if tested_row else None
            g_lo, g_hi, g_p = (c.lower, c.upper, c.p_value) if c is not None else (None,) * 3
            lsv, len_ = _gap_labels_tested(diff, g_lo, g_hi, g_p)
            gap = {"difference": diff, "ratio": av / bv if bv else None, "lower": g_lo,
                   "upper": g_hi, "trend": gt, "period": p, "p_value": g_p,
                   "significant": None if g_p is None else g_p < 0.05,
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
            if tested_row and not plain_g[mg[k]]:
                cz = _compare(lim.estimate(rl), lim.estimate(rf))
                if cz is not None:
                    change.update(lower=cz.lower, upper=cz.upper, p_value=cz.p_value,
                                  significant=cz.significant, test="z_test")
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
            # One threshold per statement about the change (``_profile._verdict``).
            if change is not None and change["test"] == "z_test" and (
                    trend.trend == _CANNOT or bool(change["significant"]) == trend.significant):
                d_sv, d_en = _difference_sentences(
                    change, measure == "proportion" and meta.unit is not None
                    and "%" in meta.unit)
                parts_sv.append(d_sv)
                parts_en.append(d_en)
        notes: tuple[str | None, str | None] = (None, None)
        if value is not None:
            if e95 is None:
                why2 = untested[i]
                parts_sv.append(_W["uncertainty_unknown"][0].format(why=why2[0]))
                parts_en.append(_W["uncertainty_unknown"][1].format(why=why2[1]))
                if rank is not None and colour != "grey":
                    kind = _W["kind_counties" if area_type == "county" else "kind_municipalities"]
                    parts_sv.append(_W["placing_relative"][0].format(rank=rank, of=rank_of,
                                                                     kind=kind[0]))
                    parts_en.append(_W["placing_relative"][1].format(rank=rank, of=rank_of,
                                                                     kind=kind[1]))
            else:
                assert vs is not None
                nkey = (limits_source, e95.method, meta.base_label, limits_base,
                        meta.attribution)
                known = note_words.get(nkey)
                if known is None:
                    known = note_words[nkey] = (tx.limits_note(*nkey, "sv"),
                                                tx.limits_note(*nkey, "en"))
                notes = known
                lo2, hi2 = fmt2(e95.lower), fmt2(e95.upper)
                vkey = (vs["nation"], vs["county"], vs["similar"])
                comps = comparisons.get(vkey)
                if comps is None:
                    comps = comparisons[vkey] = (tx.comparison_sentence(vs, "sv"),
                                                 tx.comparison_sentence(vs, "en"))
                for lang, parts in ((0, parts_sv), (1, parts_en)):
                    parts.append(_W["ci95"][lang].format(lower=lo2[lang], upper=hi2[lang],
                                                         note=notes[lang]))
                    if comps[lang]:
                        parts.append(comps[lang])  # type: ignore[arg-type]
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
        tested_fields: tuple[Any, ...]
        if e95 is None:
            tested_fields = _UNTESTED
        else:
            assert vs is not None
            lo998, hi998 = float(lim.lower_998[li]), float(lim.upper_998[li])
            tested_fields = (e95.lower, e95.upper, limits_source, vs["nation"], vs["county"],
                             vs["similar"], lo998, hi998, e95.method, notes[0], limits_base,
                             True)
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
            hidden_untested if value is None else None if e95 is not None else untested[i][0],
            " ".join([x for x in parts_en if x]),  # verdict_en
            *tested_fields,  # lower … tested
        ))
    out: dict[str, list] = {name: list(col) for name, col in zip(
        names, zip(*built, strict=True) if built else [()] * len(names), strict=True)}
    rest = [(str(a), str(i)) for a, i in zip(pa_[slow], pi_[slow], strict=True)]
    return out, rest


def _tested_vs(lim: PointLimits, li: int, e95: Estimate, value: float | None, polarity: str,
               nation_v: float | None, county_v: float | None, similar_v: float | None,
               similar_se: float | None, words: dict[tuple, str]
               ) -> tuple[dict[str, str], tuple[str, str, str]]:
    """``_row``'s comparisons of a value with limits with the nation, the county and the
    similar municipalities (the same ``stats.compare`` functions), and their labels (words:
    the labels made so far, by what ``_text.vs_label`` reads)."""
    lo998, hi998 = float(lim.lower_998[li]), float(lim.upper_998[li])
    e998 = Estimate(e95.value, lo998, hi998, 0.998, e95.method)
    vs: dict[str, str] = {}
    labels: list[str] = []
    for b, mean in (("nation", nation_v), ("county", county_v), ("similar", similar_v)):
        a95: Estimate | None = e95
        a998: Estimate | None = e998
        if b == "similar" and mean is not None:
            if similar_se is None:
                a95 = a998 = None
            else:
                a95 = with_benchmark_se(e95, mean, similar_se)
                a998 = with_benchmark_se(e998, mean, similar_se)
        vs[b] = benchmark_significance(
            mean, a95.lower if a95 else None, a95.upper if a95 else None, polarity,
            lower998=a998.lower if a998 else None, upper998=a998.upper if a998 else None,
        ) if value is not None else "not_compared"
        wkey = (vs[b], b, value is None, mean is None)
        label = words.get(wkey)
        if label is None:  # with limits, vs_label reads only whether the numbers are missing
            label = words[wkey] = tx.vs_label(vs[b], b, has_limits=True, value=value,
                                             bench_value=mean)
        labels.append(label)
    if vs["similar"] == "not_compared" and value is not None and similar_v is not None:
        labels[2] = VERDICT["similar_unknown_se"][0]
    return vs, (labels[0], labels[1], labels[2])
