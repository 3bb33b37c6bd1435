"""The set-based analysis engine: trends and sex-gap trends for many series at once.

A profile of every KPI for every area runs hundreds of thousands of recent-trend tests; most
Kolada series carry no limits, no counts and no margin, so their trend is the Mann–Kendall
test (``recent_trend``'s last branch) and their sex-gap trend is the same test on |women − men|
(``pair_gap``). This module computes exactly those from the profile's flat, sorted columns with
one vectorised call (``stats.trend_many.mann_kendall_corrected_many``) instead of one Python call
per series; every other series (limits, counts, margins, pooled periods) is left to the
per-series functions in ``_profile`` and ``_gap``, which stay the readable reference.

Results equal the reference's: the same points, test, verdict and slope, p-values to rounding
(``tests/analysis/test_batch.py`` compares both on random and on the real sample's series).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from jamlik.analysis._gap import RELATIVE_MEASURES, GapTrend
from jamlik.analysis._limits import PointLimits
from jamlik.analysis._words import VERDICT
from jamlik.stats.estimate import z_value
from jamlik.stats.limits_many import power
from jamlik.stats.trend import (
    FINGERTIPS_ALPHA,
    FINGERTIPS_POINTS,
    MANN_KENDALL_ALPHA,
    MANN_KENDALL_POINTS,
    MIN_POINTS,
    Trend,
    TrendResult,
    TrendTest,
)
from jamlik.stats.trend_many import (
    TestStatisticMany,
    chi2_trend_many,
    mann_kendall_corrected_many,
    weighted_regression_many,
)

_NO_VALUES = VERDICT["trend_no_values"]


@dataclass(frozen=True)
class _Groups:
    """Row ranges of the series (area × indicator × sex) in the sorted columns."""

    start: np.ndarray
    stop: np.ndarray
    gid: np.ndarray  # group of every row
    plain: np.ndarray  # no limit inputs and no pooled shown period: the Mann–Kendall path
    pooled: np.ndarray  # a shown period covers more than one year


def _groups(cols: dict[str, np.ndarray]) -> _Groups:
    area, ind, sex = cols["area"], cols["indicator"], cols["sex"]
    n = len(area)
    change = np.flatnonzero((area[1:] != area[:-1]) | (ind[1:] != ind[:-1])
                            | (sex[1:] != sex[:-1])) + 1
    start = np.concatenate([[0], change]).astype(np.int64)
    stop = np.concatenate([change, [n]]).astype(np.int64)
    gid = np.repeat(np.arange(len(start)), stop - start)

    def col(name: str) -> np.ndarray:
        return cols[name].astype(float) if name in cols else np.full(n, np.nan)

    inputs = np.zeros(n, dtype=bool)
    for name in ("lower", "upper", "margin", "numerator", "base"):
        inputs |= np.isfinite(col(name))
    shown = ~cols["hidden"].astype(bool)
    pooled = shown & (cols["period"].astype(np.int64) != cols["period_start"].astype(np.int64))
    bad = np.logical_or.reduceat(inputs | pooled, start) if n else np.zeros(0, dtype=bool)
    any_pooled = np.logical_or.reduceat(pooled, start) if n else np.zeros(0, dtype=bool)
    return _Groups(start, stop, gid, ~bad, any_pooled)


def _window(rows: np.ndarray, owner: np.ndarray, n_owners: int, width: int
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For rows grouped by (sorted) owner: (counts per owner, kept rows, their column), keeping
    each owner's last ``width`` rows left-aligned."""
    cnt = np.bincount(owner, minlength=n_owners)
    first = np.cumsum(cnt) - cnt
    pos = np.arange(len(rows)) - first[owner]
    skip = np.maximum(cnt[owner] - width, 0)
    keep = pos >= skip
    return cnt, rows[keep], (pos - skip)[keep]


def _mk_results(values: np.ndarray, periods: np.ndarray, owner: np.ndarray, col: np.ndarray,
                n_owners: int, cnt: np.ndarray, *, empty: tuple[str, str] | None = _NO_VALUES
                ) -> dict[int, TrendResult]:
    """TrendResult per owner with ≥ MIN_POINTS points (Mann–Kendall) or fewer (cannot; with
    no point at all the reason ``empty``, or recent_trend's when None)."""
    width = MANN_KENDALL_POINTS
    npts = np.minimum(cnt, width)
    y = np.zeros((n_owners, width))
    t = np.zeros((n_owners, width))
    y[owner, col] = values
    t[owner, col] = periods
    out: dict[int, TrendResult] = {}
    tested = np.flatnonzero(npts >= MIN_POINTS)
    mk = mann_kendall_corrected_many(y[tested], t[tested], npts[tested])
    tl = t.astype(np.int64).tolist()
    for k, o in enumerate(tested.tolist()):
        p, s = float(mk.p_value[k]), float(mk.statistic[k])
        if p < MANN_KENDALL_ALPHA and s != 0:
            trend = Trend.INCREASING if s > 0 else Trend.DECREASING
        else:
            trend = Trend.NO_SIGNIFICANT_CHANGE
        out[o] = TrendResult(trend, TrendTest.MANN_KENDALL, p, float(mk.slope[k]),
                             tuple(tl[o][: npts[o]]))
    for o in np.flatnonzero(npts < MIN_POINTS).tolist():
        k = int(npts[o])
        out[o] = (TrendResult(Trend.CANNOT_BE_CALCULATED, None, None, None, (), *empty)
                  if k == 0 and empty is not None else TrendResult(
                      Trend.CANNOT_BE_CALCULATED, None, None, None, tuple(tl[o][:k]),
                      f"Trenden kan inte beräknas: bara {k} värden (minst {MIN_POINTS} behövs).",
                      f"The trend cannot be calculated: only {k} values (at least {MIN_POINTS} "
                      "are needed)."))
    return out


def batch_trends(cols: dict[str, np.ndarray], sex: str) -> dict[tuple[str, str, str], TrendResult]:
    """The recent trend of every Mann–Kendall-path series of ``sex`` (what ``_profile._trend``
    returns for it). Series with limits, counts, a margin or pooled periods are absent."""
    if not len(cols["period"]):
        return {}
    g = _groups(cols)
    want = g.plain & (cols["sex"][g.start] == sex)
    owners = np.flatnonzero(want)
    if not owners.size:
        return {}
    # Every shown row of a wanted series, renumbered 0 … len(owners) − 1.
    renum = np.full(len(g.start), -1)
    renum[owners] = np.arange(owners.size)
    rows = np.flatnonzero(want[g.gid] & ~cols["hidden"].astype(bool))
    cnt, kept, col = _window(rows, renum[g.gid[rows]], owners.size, MANN_KENDALL_POINTS)
    res = _mk_results(cols["value"][kept].astype(float), cols["period"][kept].astype(float),
                      renum[g.gid[kept]], col, owners.size, cnt)
    area, ind = cols["area"][g.start[owners]], cols["indicator"][g.start[owners]]
    return {(str(area[k]), str(ind[k]), sex): res[k] for k in range(owners.size)}


def batch_gap_trends(cols: dict[str, np.ndarray], measures: dict[str, str]
                     ) -> dict[tuple[str, str], GapTrend]:
    """The trend of |women − men| (|log(women/men)| for money and counts) for every area ×
    indicator whose women's and men's series both take the Mann–Kendall path (what
    ``pair_gap`` computes; it does not depend on the profile's period)."""
    if not len(cols["period"]):
        return {}
    g = _groups(cols)
    sx = cols["sex"][g.start]
    area, ind = cols["area"][g.start], cols["indicator"][g.start]
    # Sorted by sex within area × indicator: a K series is followed by its M series.
    k = np.flatnonzero((sx[:-1] == "K") & (sx[1:] == "M") & (area[:-1] == area[1:])
                       & (ind[:-1] == ind[1:]) & g.plain[:-1] & g.plain[1:])
    if not k.size:
        return {}
    res = gap_trends(cols, g, k, k + 1, measures)
    return {(str(area[k[j]]), str(ind[k[j]])): res[j] for j in range(k.size)}


def gap_trends(cols: dict[str, np.ndarray], g: _Groups, k: np.ndarray, m: np.ndarray,
               measures: dict[str, str], limits: PointLimits | None = None,
               with_limits: np.ndarray | None = None) -> list[GapTrend]:
    """``_gap._size_trend`` of the series pairs (k[j], m[j]) (group indices; single-year
    points): the trend of the gap's size over the last 10 periods both show. With
    ``limits`` (every row's 95 % limits) and ``with_limits[j]`` (both values at the profile's
    period have limits), the last 5 sizes get the limits of the z test of a − b at each
    period, mirrored when the gap is negative, as ``_size_trend`` gives them to
    ``recent_trend``; without limits, or for relative gaps or gaps that change sign, the
    Mann–Kendall test."""
    n_pairs = k.size
    pair_of = np.full(len(g.start), -1)
    pair_of[k] = np.arange(n_pairs)
    pair_of[m] = np.arange(n_pairs)
    shown = ~cols["hidden"].astype(bool)
    period = cols["period"].astype(np.int64)
    value = cols["value"].astype(float)
    ind = cols["indicator"][g.start]
    pid = pair_of[g.gid]
    is_k = np.zeros(len(g.start), dtype=bool)
    is_k[k] = True
    is_m = np.zeros(len(g.start), dtype=bool)
    is_m[m] = True
    span = int(period.max() - period.min() + 1) if len(period) else 1
    base = int(period.min())
    rk = np.flatnonzero(shown & is_k[g.gid])
    rm = np.flatnonzero(shown & is_m[g.gid])
    key_k = pid[rk] * span + (period[rk] - base)
    key_m = pid[rm] * span + (period[rm] - base)
    _, ik, im = np.intersect1d(key_k, key_m, assume_unique=True, return_indices=True)
    a_rows, b_rows = rk[ik], rm[im]  # common periods, sorted by pair then period
    owner = pid[a_rows]
    cnt, kept_pos, col = _window(np.arange(len(a_rows)), owner, n_pairs, MANN_KENDALL_POINTS)
    ka, kb = a_rows[kept_pos], b_rows[kept_pos]
    xa, xb = value[ka], value[kb]
    own = owner[kept_pos]
    meas = np.array([measures.get(str(i), "") for i in ind[k]], dtype=object)
    rel_measure = np.isin(meas, list(RELATIVE_MEASURES))
    nonpos = np.bincount(own, weights=((xa <= 0) | (xb <= 0)).astype(float), minlength=n_pairs)
    relative = rel_measure & (nonpos == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        # log a − log b, not log(a / b): a / b underflows to 0 for tiny positive values (5e-324)
        signed = np.where(relative[own], np.log(np.where(relative[own], xa, 1.0))
                          - np.log(np.where(relative[own], xb, 1.0)), xa - xb)
    pos = np.bincount(own, weights=(signed > 0).astype(float), minlength=n_pairs) > 0
    neg = np.bincount(own, weights=(signed < 0).astype(float), minlength=n_pairs) > 0
    nonzero = np.bincount(own, weights=(signed != 0).astype(float), minlength=n_pairs) > 0
    changed = pos & neg
    sizes = np.abs(signed)
    lo = np.full(len(own), np.nan)
    hi = np.full(len(own), np.nan)
    if limits is not None and with_limits is not None:
        use = with_limits & ~relative & ~changed
        # the last 5 of the (at most 10) kept points of each pair
        last5 = col >= np.maximum(cnt[own], 0).clip(max=MANN_KENDALL_POINTS) - FINGERTIPS_POINTS
        pick = np.flatnonzero(use[own] & last5)
        z95 = z_value(0.95)
        la, ua = limits.lower[ka[pick]], limits.upper[ka[pick]]
        lb, ub = limits.lower[kb[pick]], limits.upper[kb[pick]]
        se = np.fromiter(map(math.hypot, ((ua - la) / (2 * z95)).tolist(),
                             ((ub - lb) / (2 * z95)).tolist()), dtype=float, count=pick.size)
        d = limits.value[ka[pick]] - limits.value[kb[pick]]
        half = z95 * se
        s_lo, s_hi = d - half, d + half
        # a step without limits or with SE 0 (compare_estimates fails): no limits for the pair
        bad = ~(np.isfinite(s_lo) & np.isfinite(s_hi) & (se > 0))
        failed = np.zeros(n_pairs, dtype=bool)
        failed[own[pick][bad]] = True
        neg_gap = signed[pick] < 0
        lo[pick] = np.where(neg_gap, -s_hi, s_lo)
        hi[pick] = np.where(neg_gap, -s_lo, s_hi)
        drop = failed[own]
        lo[drop] = hi[drop] = np.nan
    nan = np.full(len(own), np.nan)
    res = recent_trends(own, n_pairs, period[ka], sizes, nan, nan, lo, hi, empty=None)
    return [GapTrend(res[j], rel, sign, not nz) for j, rel, sign, nz in zip(
        range(n_pairs), relative.tolist(), changed.tolist(), nonzero.tolist(), strict=True)]

def recent_trends(owner: np.ndarray, n_owners: int, periods: np.ndarray, values: np.ndarray,
                  numerators: np.ndarray, denominators: np.ndarray, lower: np.ndarray,
                  upper: np.ndarray, *, empty: tuple[str, str] | None = _NO_VALUES
                  ) -> dict[int, TrendResult]:
    """``recent_trend`` of many series of single-year points at once: point k belongs to series
    ``owner[k]`` (sorted by owner, then period; finite values only, no pooled period); NaN =
    no count or no limit. Per series, as ``recent_trend``: counts on all of the last 5 points →
    ``chi2_trend``, else limits on all of them → the weighted regression (both p < 0.002 and
    the slope's sign unchanged when any one point is left out), else the corrected
    Mann–Kendall test over the last 10 points; fewer than 5 points: cannot be calculated (the
    reason ``empty`` with no point at all, recent_trend's own when None)."""
    if not n_owners:
        return {}
    rows = np.arange(len(owner))
    cnt10, kept10, col10 = _window(rows, owner, n_owners, MANN_KENDALL_POINTS)
    out = _mk_results(values[kept10], periods[kept10].astype(float), owner[kept10], col10,
                      n_owners, cnt10, empty=empty)
    width = FINGERTIPS_POINTS
    cnt, kept, col = _window(rows, owner, n_owners, width)
    full = np.flatnonzero(cnt >= width)
    if not full.size:
        return out
    renum = np.full(n_owners, -1)
    renum[full] = np.arange(full.size)
    pick = renum[owner[kept]] >= 0
    at = (renum[owner[kept]][pick], col[pick])

    def grid(x: np.ndarray) -> np.ndarray:
        g = np.full((full.size, width), np.nan)
        g[at] = x[kept][pick]
        return g

    r, n, lo, hi = grid(numerators), grid(denominators), grid(lower), grid(upper)
    y, t = grid(values), grid(periods.astype(float))
    with np.errstate(invalid="ignore", divide="ignore"):
        counts_ok = (np.isfinite(r) & np.isfinite(n) & (n > 0) & (r >= 0) & (r <= n)).all(axis=1)
        limits_ok = ~counts_ok & (np.isfinite(lo) & np.isfinite(hi) & (hi > lo)).all(axis=1)
    tested = {}
    z2 = 2 * z_value(0.95)
    for test, which in ((TrendTest.CHI2_TREND, counts_ok),
                        (TrendTest.WEIGHTED_REGRESSION, limits_ok)):
        idx = np.flatnonzero(which)
        if not idx.size:
            continue
        core: Callable[[np.ndarray, np.ndarray, np.ndarray], TestStatisticMany]
        if test == TrendTest.CHI2_TREND:
            a, b, core = r[idx], n[idx], chi2_trend_many
        else:  # weights 1/SE² = (2z / (U − L))², as recent_trend computes them
            a, core = y[idx], weighted_regression_many
            b = power((z2 / (hi[idx] - lo[idx])).ravel(), 2).reshape(idx.size, width)
        tt = t[idx]
        res = core(a, b, tt)
        loo = [core(np.delete(a, k, axis=1), np.delete(b, k, axis=1),
                    np.delete(tt, k, axis=1)).slope for k in range(width)]
        tested[test] = (idx, res.slope, res.p_value, loo, tt)
    for test, (idx, slope, p, loo, tt) in tested.items():
        slope_l, p_l = slope.tolist(), p.tolist()
        loo_l = [x.tolist() for x in loo]
        t_l = tt.astype(np.int64).tolist()
        for j, o in enumerate(full[idx].tolist()):
            used = tuple(t_l[j])
            sl, pv = slope_l[j], p_l[j]
            if pv >= FINGERTIPS_ALPHA or sl == 0:
                out[o] = TrendResult(Trend.NO_SIGNIFICANT_CHANGE, test, pv, sl, used)
                continue
            result = None
            for k in range(width):
                x = loo_l[k][j]
                if x == 0 or math.copysign(1, x) != math.copysign(1, sl):
                    year = used[k]
                    result = TrendResult(
                        Trend.NO_SIGNIFICANT_CHANGE, test, pv, sl, used,
                        f"Riktningen ändras när värdet för {year} utesluts, så trenden "
                        "redovisas inte som säkerställd.",
                        f"The direction changes when the value for {year} is left out, so the "
                        "trend is not reported as significant.")
                    break
            out[o] = result or TrendResult(Trend.INCREASING if sl > 0 else Trend.DECREASING,
                                           test, pv, sl, used)
    return out

