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

from dataclasses import dataclass

import numpy as np

from jamlik.analysis._gap import RELATIVE_MEASURES, GapTrend
from jamlik.analysis._words import VERDICT
from jamlik.stats.trend import (
    MANN_KENDALL_ALPHA,
    MANN_KENDALL_POINTS,
    MIN_POINTS,
    Trend,
    TrendResult,
    TrendTest,
)
from jamlik.stats.trend_many import mann_kendall_corrected_many

_NO_VALUES = VERDICT["trend_no_values"]


@dataclass(frozen=True)
class _Groups:
    """Row ranges of the series (area × indicator × sex) in the sorted columns."""

    start: np.ndarray
    stop: np.ndarray
    gid: np.ndarray  # group of every row
    plain: np.ndarray  # no limit inputs and no pooled shown period: the Mann–Kendall path


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
    return _Groups(start, stop, gid, ~bad)


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
    pair_of = np.full(len(g.start), -1)
    pair_of[k] = np.arange(k.size)
    pair_of[k + 1] = np.arange(k.size)
    shown = ~cols["hidden"].astype(bool)
    period = cols["period"].astype(np.int64)
    value = cols["value"].astype(float)
    pid = pair_of[g.gid]
    is_k = np.isin(g.gid, k)
    is_m = np.isin(g.gid, k + 1)
    span = int(period.max() - period.min() + 1) if len(period) else 1
    base = int(period.min())
    rk = np.flatnonzero(shown & is_k)
    rm = np.flatnonzero(shown & is_m)
    key_k = pid[rk] * span + (period[rk] - base)
    key_m = pid[rm] * span + (period[rm] - base)
    _, ik, im = np.intersect1d(key_k, key_m, assume_unique=True, return_indices=True)
    a_rows, b_rows = rk[ik], rm[im]  # common periods, sorted by pair then period
    owner = pid[a_rows]
    cnt, kept_pos, col = _window(np.arange(len(a_rows)), owner, k.size, MANN_KENDALL_POINTS)
    xa, xb = value[a_rows[kept_pos]], value[b_rows[kept_pos]]
    own = owner[kept_pos]
    meas = np.array([measures.get(str(i), "") for i in ind[k]], dtype=object)
    rel_measure = np.isin(meas, list(RELATIVE_MEASURES))
    nonpos = np.bincount(own, weights=((xa <= 0) | (xb <= 0)).astype(float), minlength=k.size)
    relative = rel_measure & (nonpos == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        # log a − log b, not log(a / b): a / b underflows to 0 for tiny positive values (5e-324)
        signed = np.where(relative[own], np.log(np.where(relative[own], xa, 1.0))
                          - np.log(np.where(relative[own], xb, 1.0)), xa - xb)
    pos = np.bincount(own, weights=(signed > 0).astype(float), minlength=k.size) > 0
    neg = np.bincount(own, weights=(signed < 0).astype(float), minlength=k.size) > 0
    nonzero = np.bincount(own, weights=(signed != 0).astype(float), minlength=k.size) > 0
    res = _mk_results(np.abs(signed), period[a_rows[kept_pos]].astype(float), own, col, k.size,
                      cnt, empty=None)
    return {(str(area[k[j]]), str(ind[k[j]])): GapTrend(
        res[j], bool(relative[j]), bool(pos[j] and neg[j]), not bool(nonzero[j]))
        for j in range(k.size)}
