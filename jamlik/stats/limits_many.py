"""Wilson and Poisson limits for many values at once (``proportion_ci``, ``count_ci`` and
``rate_ci`` vectorised with NumPy).

The same formulas as the per-value functions, step by step and in the same order of operations,
so every limit equals theirs bit for bit (``tests/stats/test_limits_many.py`` compares both with
Hypothesis); powers are taken with Python's ``**`` (NumPy's own ``power`` differs in the last
bit). Where a per-value function raises ValueError (a missing or non-finite number, x < 0,
n ≤ 0, x > n) the value and its limits are NaN. The per-value functions stay the readable
reference; their docstrings give the formulas and references (Wilson 1927; Newcombe & Altman
2000; Breslow & Day 1987; the PHE/OHID Fingertips technical guide).
"""

from __future__ import annotations

import numpy as np

from jamlik.stats.counts import EXACT_BELOW
from jamlik.stats.estimate import normalise_confidence, z_value

__all__ = ["count_ci_many", "power", "proportion_ci_many", "rate_ci_many"]


def power(x: np.ndarray, exponent: float) -> np.ndarray:
    """``x ** exponent`` element by element with Python's float power (the C library's pow),
    which NumPy's SIMD ``power`` does not always equal in the last bit."""
    return np.fromiter((v ** exponent for v in np.asarray(x, dtype=float).tolist()),
                       dtype=float, count=np.size(x))


def proportion_ci_many(x: np.ndarray, n: np.ndarray, confidence: float = 0.95,
                       multiplier: np.ndarray | float = 1.0
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value, lower, upper) of ``proportion_ci(x, n, confidence, multiplier)`` for arrays:
    Wilson's limits (2x + z² ∓ z·√(z² + 4x(1 − x/n))) / (2(n + z²)), clipped to [0, 1], times
    the multiplier; NaN where ``proportion_ci`` raises (x < 0, n ≤ 0, x > n, non-finite)."""
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    m = np.broadcast_to(np.asarray(multiplier, dtype=float), x.shape)
    ok = np.isfinite(x) & np.isfinite(n) & np.isfinite(m) & (x >= 0) & (n > 0) & (x <= n)
    xs, ns = np.where(ok, x, 0.0), np.where(ok, n, 1.0)
    z = z_value(normalise_confidence(confidence))
    z2 = z * z
    root = z * np.sqrt(z2 + 4 * xs * (1 - xs / ns))
    denom = 2 * (ns + z2)
    lower = np.maximum((2 * xs + z2 - root) / denom, 0.0)
    upper = np.minimum((2 * xs + z2 + root) / denom, 1.0)
    nan = np.full(x.shape, np.nan)
    return (np.where(ok, xs / ns * m, nan), np.where(ok, lower * m, nan),
            np.where(ok, upper * m, nan))


def count_ci_many(count: np.ndarray, confidence: float = 0.95
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lower, upper, exact) of ``count_ci(count, confidence)`` for an array of counts: exact
    Poisson limits below ``EXACT_BELOW`` events (Γ⁻¹(α/2; O), Γ⁻¹(1 − α/2; O + 1)), Byar's
    approximation O(1 − 1/(9O) ∓ z/(3√O))³ from it (the upper limit with O + 1). NaN limits
    for a negative or non-finite count; a NaN lower limit where Byar's bracket is negative
    (``count_ci`` gives None there). exact: whether the exact method was used."""
    from scipy.special import gammaincinv  # on first use (scipy.special ≈ 0.2 s to import)

    o = np.asarray(count, dtype=float)
    ok = np.isfinite(o) & (o >= 0)
    os_ = np.where(ok, o, 0.0)
    level = normalise_confidence(confidence)
    exact = ok & (os_ < EXACT_BELOW)
    alpha = 1 - level
    ex_lower = np.where(os_ == 0, 0.0, gammaincinv(np.where(os_ == 0, 1.0, os_), alpha / 2))
    ex_upper = gammaincinv(os_ + 1, 1 - alpha / 2)
    z = z_value(level)
    pos = os_ > 0
    safe = np.where(pos, os_, 1.0)
    base = 1 - 1 / (9 * safe) - z / (3 * np.sqrt(safe))
    by_lower = np.where(pos, np.where(base >= 0, os_ * power(np.maximum(base, 0.0), 3),
                                      np.nan), 0.0)
    o1 = os_ + 1
    by_upper = o1 * power(1 - 1 / (9 * o1) + z / (3 * np.sqrt(o1)), 3)
    lower = np.where(exact, ex_lower, by_lower)
    upper = np.where(exact, ex_upper, by_upper)
    return np.where(ok, lower, np.nan), np.where(ok, upper, np.nan), exact


def rate_ci_many(count: np.ndarray, denominator: np.ndarray, confidence: float = 0.95,
                 multiplier: np.ndarray | float = 100_000
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(value, lower, upper, exact) of ``rate_ci(count, denominator, confidence, multiplier)``
    for arrays: r = O · (multiplier / n), the limits of ``count_ci_many`` times the same
    factor; NaN where ``rate_ci`` raises (O < 0, n ≤ 0, multiplier ≤ 0, non-finite)."""
    o = np.asarray(count, dtype=float)
    n = np.asarray(denominator, dtype=float)
    m = np.broadcast_to(np.asarray(multiplier, dtype=float), o.shape)
    ok = np.isfinite(n) & (n > 0) & np.isfinite(m) & (m > 0)
    lower, upper, exact = count_ci_many(np.where(ok, o, np.nan), confidence)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        scale = m / np.where(ok, n, 1.0)
    ok &= np.isfinite(upper)
    nan = np.full(o.shape, np.nan)
    with np.errstate(over="ignore", invalid="ignore"):
        return (np.where(ok, o * scale, nan), np.where(ok, lower * scale, nan),
                np.where(ok, upper * scale, nan), exact & ok)
