"""Gaps between two groups (women and men, or two categories of any breakdown) and their trend."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

from jamlik.analysis import _text as tx
from jamlik.analysis._data import DEFAULT_SUPPRESSION_THRESHOLD
from jamlik.analysis._limits import limits_for
from jamlik.analysis._series import Series, series_from_frame, to_json_dict
from jamlik.analysis._words import VERDICT
from jamlik.language import word
from jamlik.stats.compare import Comparison, compare_estimates
from jamlik.stats.trend import Trend, TrendResult, non_overlapping, recent_trend
from jamlik.store import Store, storable_sql

#: Measures whose gap is judged on the ratio a/b (|log ratio|) rather than the difference.
RELATIVE_MEASURES = frozenset({"currency", "count"})


@dataclass(frozen=True)
class GapTrend:
    """The trend of the size of a gap (|a − b|, or |log(a/b)| when ``relative``), whether the
    gap changed sign and whether every size was 0: what ``pair_gap`` judges the trend on."""

    result: TrendResult
    relative: bool
    sign_changed: bool
    all_zero: bool


def sex_gap(
    women: Series, men: Series, period: int, measure: str, multiplier: float,
    size_trend: GapTrend | None = None,
) -> dict[str, Any] | None:
    """Women − men at the profile's period, its limits, and whether it widens over time.
    size_trend: the trend of the gap's size already computed by ``_batch.batch_gap_trends``."""
    gap = pair_gap(women, men, period, measure, multiplier, size_trend)
    if gap is None:
        return None
    gap["women"], gap["men"] = gap.pop("a"), gap.pop("b")
    gap["label"] = gap_label(gap["difference"], gap["lower"], gap["upper"], gap["p_value"])
    gap["label_en"] = gap_label(gap["difference"], gap["lower"], gap["upper"], gap["p_value"],
                                "en")
    return gap


def pair_gap(
    a: Series, b: Series, period: int, measure: str, multiplier: float,
    size_trend: GapTrend | None = None,
) -> dict[str, Any] | None:
    """Gap a − b (absolute and relative) at ``period`` with its limits (z test when both values
    have limits), and its trend over time, judged on the size of the gap: the trend of |a − b|
    (of |log(a/b)| for money and counts, ``RELATIVE_MEASURES``) → "widening" when it grows
    significantly, "narrowing" when it shrinks, "stable"; "sign_changed" when the gap changes
    sign inside the window (never "widening"); "cannot_be_calculated" (the same test rules as
    ``recent_trend``; non-overlapping points for pooled periods). The same rule for every
    breakdown. size_trend: a ``_batch.GapTrend`` computed for many series at once (series
    without limits only); it replaces the trend part, not the gap at ``period``."""
    ia, ib = a.index.get(period), b.index.get(period)
    if ia is None or ib is None or a.hidden[ia] or b.hidden[ib]:
        return None
    av, bv = float(a.value[ia]), float(b.value[ib])
    ea = limits_for(av, a.rec(ia), measure, multiplier, with_998=False)[0] \
        if a.has_limit_inputs else None  # limits_for gives None when nothing could give limits
    eb = limits_for(bv, b.rec(ib), measure, multiplier, with_998=False)[0] \
        if b.has_limit_inputs else None
    lower = upper = p_value = None
    if ea is not None and eb is not None:
        try:
            c = compare_estimates(ea, eb)
            lower, upper, p_value = c.lower, c.upper, c.p_value
        except ValueError:
            pass
    if size_trend is None:
        size_trend = _size_trend(a, b, measure, multiplier, with_limits=ea is not None
                                 and eb is not None)
    res, relative = size_trend.result, size_trend.relative
    sign_changed, all_zero = size_trend.sign_changed, size_trend.all_zero
    diff = av - bv
    if res.trend == Trend.CANNOT_BE_CALCULATED:
        gap_trend = "cannot_be_calculated"
    elif sign_changed:
        # A gap that changes sign has not grown, whatever the slope of a − b says.
        gap_trend = "sign_changed"
    elif not res.significant or all_zero:
        gap_trend = "stable"
    else:
        gap_trend = "widening" if (res.slope or 0) > 0 else "narrowing"
    return {
        "a": av, "b": bv, "difference": diff, "ratio": av / bv if bv else None,
        "lower": lower, "upper": upper, "trend": gap_trend,
        "period": period, "p_value": p_value,
        "significant": None if p_value is None else p_value < 0.05,
        "trend_test": str(res.test) if res.test else None, "trend_p_value": res.p_value,
        "trend_periods": list(res.periods),
        "trend_label": tx.GAP_TREND_LABELS_SV[gap_trend],
        "gap_measure": "ratio" if relative else "absolute",
    }


def _size_trend(a: Series, b: Series, measure: str, multiplier: float, *, with_limits: bool
                ) -> GapTrend:
    """The trend of the size of the gap a − b over the periods both series show."""
    # Periods shown in both series, ascending (each series has one row per period).
    b_shown = set(b.period[~b.hidden].tolist())
    common: list[int] = []
    starts: list[int] = []
    for p, s, h in zip(a.period.tolist(), a.start.tolist(), a.hidden.tolist(), strict=True):
        if not h and p in b_shown:
            common.append(p)
            starts.append(s)
    sel = [common[k] for k in non_overlapping(common, starts)][-10:]
    pairs = [(float(a.value[a.index[p]]), float(b.value[b.index[p]])) for p in sel]
    relative = measure in RELATIVE_MEASURES and all(x > 0 and y > 0 for x, y in pairs)
    # The size of the gap, not its signed difference: |a − b|, or |log(a / b)| for money and
    # other relative measures (a ratio 1.2 and 1/1.2 are the same size of gap).
    # log x − log y, not log(x / y): x / y underflows to 0 for tiny positive values (5e-324)
    signed = [math.log(x) - math.log(y) if relative else x - y for x, y in pairs]
    sign_changed = any(d > 0 for d in signed) and any(d < 0 for d in signed)
    sizes = [abs(d) for d in signed]
    lo_list: list[float | None] | None = None
    hi_list: list[float | None] | None = None
    if with_limits and not relative and not sign_changed:
        lo_list, hi_list = [None] * max(0, len(sel) - 5), [None] * max(0, len(sel) - 5)
        for p, d in zip(sel[-5:], signed[-5:], strict=True):
            x, _, _ = limits_for(float(a.value[a.index[p]]), a.rec(a.index[p]), measure, multiplier,
                                 with_998=False)
            y, _, _ = limits_for(float(b.value[b.index[p]]), b.rec(b.index[p]), measure, multiplier,
                                 with_998=False)
            step: Comparison | None
            try:
                step = compare_estimates(x, y) if x is not None and y is not None else None
            except ValueError:
                step = None
            if step is None:
                lo_list = hi_list = None
                break
            # |d| has the limits of d, mirrored when the gap is negative.
            lo_list.append(step.lower if d >= 0 else -step.upper)
            hi_list.append(step.upper if d >= 0 else -step.lower)
    res = recent_trend(sel, sizes, lower=lo_list, upper=hi_list)
    return GapTrend(res, relative, sign_changed, all(d == 0 for d in sizes))


def gap_label(diff: float, lower: float | None, upper: float | None, p: float | None,
              lang: str = "sv") -> str:
    """'Kvinnor 2,1 högre än män (säkerställt, 95 % KI 1,2 till 3)' in ``lang``."""
    def w(code: str) -> str:
        return word(VERDICT[code], lang)
    side = "gap_higher" if diff > 0 else "gap_lower"
    base = w(side).format(diff=tx.fmt(abs(diff), lang=lang)) if diff else w("gap_none")
    if p is None:
        return base + w("gap_unknown")
    if p < 0.05:
        return base + w("gap_significant").format(lower=tx.fmt(lower, lang=lang),
                                                  upper=tx.fmt(upper, lang=lang))
    return base + w("gap_not_significant")


@dataclass
class Gap:
    """a − b for one area and indicator; ``trend`` is widening / narrowing / stable /
    cannot_be_calculated (see ``pair_gap``)."""

    indicator: str
    area: str
    dimension: str
    category_a: str
    category_b: str
    period: int
    a: float
    b: float
    difference: float
    ratio: float | None
    lower: float | None
    upper: float | None
    p_value: float | None
    trend: str
    trend_test: str | None
    trend_p_value: float | None
    trend_periods: list[int] = field(default_factory=list)
    trend_label: str = ""
    #: "absolute" (|a − b|) or "ratio" (|log a/b|, money and counts): what the trend judges
    gap_measure: str = "absolute"

    def to_dict(self) -> dict[str, Any]:
        return to_json_dict(self, _GAP_FIELDS)


#: Field names in declaration order (the JSON key order of ``to_dict``).
_GAP_FIELDS = tuple(f.name for f in fields(Gap))


def breakdown_gap(
    store: Store,
    area: str,
    indicator: str,
    dimension: str,
    category_a: str,
    category_b: str,
    *,
    sex: str = "T",
    period: int | None = None,
    threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
) -> Gap | None:
    """The gap between two breakdown categories (a − b) at the latest common period (or
    ``period``), with limits and trend. Values under the count threshold or suppressed by the
    source are left out. None when either category has no value at that period."""
    code = store.resolve_area(area)
    meta = store.indicator(indicator)
    frame = store.sql(
        f"""
        SELECT period, period_start, breakdown_cat, value, lower, upper, numerator, denominator,
               (suppressed OR {storable_sql('value')} IS NULL
                OR coalesce(numerator > 0 AND numerator < ?, false)) AS hidden,
               suppressed AS source_suppressed, status, source, NULL::DOUBLE AS margin
        FROM observations WHERE indicator = ? AND area = ? AND sex = ? AND breakdown_dim = ?
          AND breakdown_cat IN (?, ?) AND subperiod = '' ORDER BY period
        """,
        [float(threshold), indicator, code, sex, dimension, category_a, category_b],
    )
    a_rows = frame[frame["breakdown_cat"] == category_a]
    b_rows = frame[frame["breakdown_cat"] == category_b]
    if period is None:
        common = set(a_rows.loc[~a_rows["hidden"], "period"]) & set(b_rows.loc[~b_rows["hidden"], "period"])
        if not common:
            return None
        period = max(common)
    gap = pair_gap(series_from_frame(a_rows), series_from_frame(b_rows), int(period),
                   str(meta.measure_type), meta.multiplier)
    if gap is None:
        return None
    return Gap(
        indicator=indicator, area=code, dimension=dimension, category_a=category_a,
        category_b=category_b, period=int(period), a=gap["a"], b=gap["b"],
        difference=gap["difference"], ratio=gap["ratio"], lower=gap["lower"], upper=gap["upper"],
        p_value=gap["p_value"], trend=gap["trend"], trend_test=gap["trend_test"],
        trend_p_value=gap["trend_p_value"], trend_periods=gap["trend_periods"],
        trend_label=tx.GAP_TREND_LABELS_SV[gap["trend"]], gap_measure=gap["gap_measure"],
    )
