"""The Mann–Kendall test corrected for serial correlation, for many short series at once.

``mann_kendall_corrected_many`` is ``trend.mann_kendall_corrected`` (default ``"beta"``
approximation, estimated AR(1) correction) vectorised over an array of series with NumPy: the
same formulas, step by step, so the results equal the per-series function's (same S, the same
Theil–Sen slope, p-values equal to rounding, ~1e-15); ``tests/stats/test_trend_many.py``
compares both on random series with Hypothesis. The per-series function stays the readable
reference; its docstring gives the formulas and references (Mann 1945; Kendall 1975; Sen 1968;
Yue & Wang 2004; Hamed 2009).

Layout: row i holds one series, its first ``n[i]`` entries are its points sorted by distinct,
increasing times; entries beyond ``n[i]`` are ignored. Profiles use at most 10 points per
series (``trend.MANN_KENDALL_POINTS``), so the pairwise arrays stay small (45 pairs per row).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from jamlik.stats.limits_many import power
from jamlik.stats.trend import (
    MAX_AUTOCORRELATION,
    MIN_CORRECTION_POINTS,
    RESIDUAL_NOISE,
    _exact_mk_p,
)

__all__ = ["MannKendallMany", "TestStatisticMany", "chi2_trend_many", "mann_kendall_corrected_many",
           "weighted_regression_many"]


@dataclass(frozen=True)
class MannKendallMany:
    """Per series: Theil–Sen slope, S, corrected p-value, n/n*, ρ (NaN when not estimated) and
    the plain test's p-value, as arrays of length m."""

    slope: np.ndarray
    statistic: np.ndarray
    p_value: np.ndarray
    variance_ratio: np.ndarray
    autocorrelation: np.ndarray
    plain_p_value: np.ndarray


def _exact_table(width: int) -> np.ndarray:
    """P[n, S + pairs(width)] = the exact two-sided p-value of S for n distinct points."""
    top = width * (width - 1) // 2
    table = np.ones((width + 1, 2 * top + 1))
    for n in range(3, min(width, 12) + 1):
        pairs = n * (n - 1) // 2
        for s in range(-pairs, pairs + 1):
            table[n, s + top] = _exact_mk_p(n, s)
    return table


_TABLES: dict[int, np.ndarray] = {}


def mann_kendall_corrected_many(y: np.ndarray, t: np.ndarray, n: np.ndarray) -> MannKendallMany:
    """Mann–Kendall with Theil–Sen slope and the Yue & Wang (2004) AR(1) variance correction,
    for m series at once (see the module docstring for the layout; every n[i] ≥ 3).

    Per series, exactly as ``mann_kendall_corrected``: S = Σ_{i<j} sign(yⱼ − yᵢ); slope = the
    median of (yⱼ − yᵢ)/(tⱼ − tᵢ); plain p exact for n ≤ 12 without ties, else the tie-corrected
    normal approximation with continuity correction; for n ≥ 7 the lag-1 autocorrelation of the
    detrended series (0 for a straight line: residuals within ``RESIDUAL_NOISE`` of the scale),
    r₁* = (n·r₁ + 1)/(n − 4) + 1/√n clipped to [0, 0.95], n/n* = 1 + 2·Σ(1 − k/n)ρᵏ, the beta
    approximation on τ, and p never below the plain p.
    """
    from scipy.special import betainc, erfc  # on first use (scipy.special ≈ 0.2 s to import)

    y = np.asarray(y, dtype=float)
    t = np.asarray(t, dtype=float)
    n = np.asarray(n, dtype=np.int64)
    m, width = y.shape
    if m == 0:
        empty = np.zeros(0)
        return MannKendallMany(empty, empty, empty, empty, empty, empty)
    if width < 3 or n.min() < 3 or n.max() > width:
        raise ValueError("varje serie behöver minst 3 punkter och högst så många som kolumnerna.")
    cols = np.arange(width)
    valid = cols[None, :] < n[:, None]
    yv = np.where(valid, y, 0.0)
    tv = np.where(valid, t, 0.0)
    iu, ju = np.triu_indices(width, 1)
    pair_ok = valid[:, ju]  # j < n implies i < n
    d = yv[:, ju] - yv[:, iu]
    s = np.where(pair_ok, np.sign(d), 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        slopes = np.where(pair_ok, d / (tv[:, ju] - tv[:, iu]), np.inf)
    slopes.sort(axis=1)
    k = n * (n - 1) // 2
    rows = np.arange(m)
    slope = (slopes[rows, (k - 1) // 2] + slopes[rows, k // 2]) / 2
    # Ties: cᵢ = how many points equal point i; Σᵢ (cᵢ − 1)(2cᵢ + 5) = Σ_groups c(c − 1)(2c + 5).
    eq = (yv[:, :, None] == yv[:, None, :]) & valid[:, :, None] & valid[:, None, :]
    c = eq.sum(axis=2)
    ties = np.where(valid, (c - 1) * (2 * c + 5), 0).sum(axis=1).astype(float)
    distinct = ~np.any(valid & (c > 1), axis=1)
    full = (n * (n - 1) * (2 * n + 5)).astype(float)
    # The plain test.
    table = _TABLES.get(width)
    if table is None:
        table = _TABLES.setdefault(width, _exact_table(width))
    top = width * (width - 1) // 2
    exact = distinct & (n <= 12)
    var0 = (full - ties) / 18
    flat = ~exact & (var0 <= 0)  # every value equal: no variation, no trend
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(s != 0, (s - np.sign(s)) / np.sqrt(var0), 0.0)
    p_plain = np.where(exact, table[np.minimum(n, width), s.astype(np.int64) + top],
                       erfc(np.abs(z) / np.sqrt(2)))
    p_plain = np.where(flat, 1.0, np.minimum(p_plain, 1.0))
    slope = np.where(flat, 0.0, slope)
    s = np.where(flat, 0.0, s)
    # The correction for serial correlation (n ≥ 7).
    corrected = n >= MIN_CORRECTION_POINTS
    since = tv - tv[:, :1]  # from the first point, as in the reference
    resid = np.where(valid, (yv - yv[:, :1]) - slope[:, None] * since, 0.0)
    mean = resid.sum(axis=1) / n
    dev = np.where(valid, resid - mean[:, None], 0.0)
    denom = (dev * dev).sum(axis=1)
    lag = (dev[:, :-1] * dev[:, 1:]).sum(axis=1)  # the padding is 0, so only real pairs count
    scale = (np.where(valid, np.abs(yv), 0.0).max(axis=1)
             + np.abs(slope) * np.where(valid, since, 0.0).max(axis=1))
    line = denom <= n * (RESIDUAL_NOISE * scale) ** 2  # constant or straight: r₁ = 0 (as _r1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r1 = np.where(line, 0.0, lag / np.where(line, 1.0, denom))
        r1 = (n * r1 + 1) / np.where(corrected, n - 4, 1) + 1 / np.sqrt(n)
    rho = np.minimum(np.maximum(r1, 0.0), MAX_AUTOCORRELATION)
    lags = np.arange(1, width)
    weights = np.where(lags[None, :] < n[:, None], 1 - lags[None, :] / n[:, None], 0.0)
    ratio = 1 + 2 * (weights * rho[:, None] ** lags[None, :]).sum(axis=1)
    var = (full - ties) / 18 * ratio
    pairs = n * (n - 1) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.maximum((pairs * pairs / var - 1) / 2, 1e-6)
        tau = (np.abs(s) - 1) / pairs
        p_beta = 2 * betainc(np.where(var > 0, a, 1.0), np.where(var > 0, a, 1.0), (1 - tau) / 2)
    p_corr = np.where((var <= 0) | (s == 0), 1.0, p_beta)
    p_corr = np.minimum(np.maximum(p_corr, p_plain), 1.0)
    return MannKendallMany(
        slope=slope, statistic=s,
        p_value=np.where(corrected, p_corr, p_plain),
        variance_ratio=np.where(corrected, ratio, 1.0),
        autocorrelation=np.where(corrected, rho, np.nan),
        plain_p_value=p_plain,
    )


@dataclass(frozen=True)
class TestStatisticMany:
    """Per series: slope, χ² statistic and p-value (``trend.TestStatistic`` as arrays)."""

    slope: np.ndarray
    statistic: np.ndarray
    p_value: np.ndarray


def _sum(columns: list[np.ndarray]) -> np.ndarray:
    """Σ over the points left to right, as Python's ``sum`` adds a list (bit for bit)."""
    out = np.zeros_like(columns[0])
    for c in columns:
        out = out + c
    return out


def _chi2_p(stat: np.ndarray) -> np.ndarray:
    """P(χ²₁ ≥ stat) = erfc(√(stat/2)) with ``math.erfc`` (``trend._chi2_1_sf``; SciPy's erfc
    differs from the C library's in the last bit)."""
    half = np.sqrt(np.maximum(stat, 0.0) / 2)
    return np.fromiter(map(math.erfc, half.tolist()), dtype=float, count=half.size)


def chi2_trend_many(r: np.ndarray, n: np.ndarray, t: np.ndarray) -> TestStatisticMany:
    """``trend.chi2_trend`` (Cochran–Armitage, 1 df) for m series of k points at once: row i
    holds series i (cases r, populations n, times t; no validation — the caller passes counts
    with n > 0 and 0 ≤ r ≤ n). β = (N·Σrt − R·Σnt) / (N·Σnt² − (Σnt)²), Var(β) = p̄(1 − p̄)·N /
    (N·Σnt² − (Σnt)²), χ² = β²/Var(β); Var(β) ≤ 0 gives slope 0, χ² 0, p 1. The sums in the
    order of ``trend._chi2_core``, so the results are bit for bit the same (Armitage 1955)."""
    cols = range(r.shape[1])
    big_n, big_r = _sum([n[:, k] for k in cols]), _sum([r[:, k] for k in cols])
    p_bar = big_r / big_n
    snt = _sum([n[:, k] * t[:, k] for k in cols])
    sxx = big_n * _sum([n[:, k] * t[:, k] * t[:, k] for k in cols]) - power(snt, 2)
    slope = (big_n * _sum([r[:, k] * t[:, k] for k in cols]) - big_r * snt) / sxx
    var = p_bar * (1 - p_bar) * big_n / sxx
    flat = ~(var > 0)
    stat = np.where(flat, 0.0, slope * slope / np.where(flat, 1.0, var))
    return TestStatisticMany(np.where(flat, 0.0, slope), stat,
                             np.where(flat, 1.0, _chi2_p(stat)))


def weighted_regression_many(y: np.ndarray, w: np.ndarray, t: np.ndarray) -> TestStatisticMany:
    """``trend.weighted_regression_trend``'s fit for m series of k points at once from the
    weights wᵢ = 1/SEᵢ² (row i: series i): β = (Σw·Σwty − Σwt·Σwy) / (Σw·Σwt² − (Σwt)²),
    Var(β) = Σw / (Σw·Σwt² − (Σwt)²), χ² = β²/Var(β) with 1 df (Fingertips "Trend markers").
    The sums in the order of ``trend._wls_core``, so the results are bit for bit the same."""
    cols = range(y.shape[1])
    sw = _sum([w[:, k] for k in cols])
    swt = _sum([w[:, k] * t[:, k] for k in cols])
    swy = _sum([w[:, k] * y[:, k] for k in cols])
    sxx = sw * _sum([w[:, k] * t[:, k] * t[:, k] for k in cols]) - power(swt, 2)
    swty = _sum([w[:, k] * t[:, k] * y[:, k] for k in cols])
    slope = (sw * swty - swt * swy) / sxx
    var = sw / sxx
    stat = slope * slope / var
    return TestStatisticMany(slope, stat, _chi2_p(stat))

