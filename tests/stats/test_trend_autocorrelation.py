"""Mann–Kendall corrected for serial correlation: reference values and simulated error rates.

Reference: pymannkendall 1.4.3 (an independent implementation, MIT) for the Yue–Wang variance
correction with a given autocorrelation function. Simulations: seeded, a few thousand series,
false-positive rate at α = 0.05 for the lengths the analysis uses (5–10 points).
"""

from __future__ import annotations

import numpy as np
import pytest

from jamlik.stats.trend import (
    MANN_KENDALL_ALPHA,
    TEST_LABELS_SV,
    Trend,
    TrendTest,
    lag1_autocorrelation,
    mann_kendall,
    mann_kendall_corrected,
    recent_trend,
)

pmk = pytest.importorskip("pymannkendall")

ALPHA = MANN_KENDALL_ALPHA
LIMIT = 0.07


def _ar1(rng: np.random.Generator, count: int, n: int, phi: float) -> np.ndarray:
    burn = 50
    e = rng.standard_normal((count, n + burn))
    x = np.zeros_like(e)
    for t in range(1, n + burn):
        x[:, t] = phi * x[:, t - 1] + e[:, t]
    return x[:, burn:]


def _rolling(rng: np.random.Generator, count: int, n: int, span: int) -> np.ndarray:
    e = rng.standard_normal((count, n + span - 1))
    kernel = np.ones(span) / span
    return np.array([np.convolve(row, kernel, "valid") for row in e])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("lag", [1, 2, 4])
def test_yue_wang_correction_matches_pymannkendall(seed, lag):
    rng = np.random.default_rng(seed)
    x = _ar1(rng, 1, 12, 0.4)[0] + 0.1 * np.arange(12)
    ref = pmk.yue_wang_modification_test(x, lag=lag)
    # pymannkendall's autocorrelation function of the Sen-detrended series
    detrended = x - np.arange(1, 13) * ref.slope
    d = detrended - detrended.mean()
    acf = [float(d[k:] @ d[: d.size - k] / (d @ d)) for k in range(1, lag + 1)]
    if not np.isfinite(ref.p):  # pymannkendall's variance factor went negative: we refuse
        with pytest.raises(ValueError, match="variansfaktor"):
            mann_kendall_corrected(x, autocorrelation=acf, approximation="normal")
        return
    ours = mann_kendall_corrected(x, autocorrelation=acf, approximation="normal")
    assert ours.statistic == ref.s
    assert ours.slope == pytest.approx(ref.slope, abs=1e-12)
    assert ours.p_value == pytest.approx(ref.p, rel=1e-9, abs=1e-12)
    plain = pmk.original_test(x)
    assert ours.variance_ratio * plain.var_s == pytest.approx(ref.var_s, rel=1e-12)


def test_lag1_autocorrelation_matches_pymannkendall_acf():
    rng = np.random.default_rng(11)
    x = rng.standard_normal(10)
    d = x - x.mean()
    assert lag1_autocorrelation(x) == pytest.approx(float(d[1:] @ d[:-1] / (d @ d)), abs=1e-12)


def test_correction_never_gives_stronger_evidence_than_the_plain_test():
    rng = np.random.default_rng(3)
    for y in _ar1(rng, 300, 10, 0.3):
        corrected = mann_kendall_corrected(y)
        assert corrected.p_value >= mann_kendall(y).p_value
        assert corrected.variance_ratio >= 1
        assert corrected.plain_p_value == pytest.approx(mann_kendall(y).p_value)


def test_a_series_that_falls_every_year_stays_significant():
    # Kolada N00957-like: ten falling annual values, curved (residual autocorrelation is high)
    y = [31.0, 30.5, 30.1, 29.0, 28.2, 27.9, 27.0, 26.5, 26.1, 25.9]
    res = mann_kendall_corrected(y, range(2013, 2023))
    assert res.p_value < ALPHA
    assert res.p_value > mann_kendall(y).p_value  # but weaker than the uncorrected claim


def _line_p(n: int, rho: float) -> float:
    """Hand-worked p of a strictly rising line (S = n(n−1)/2), Yue–Wang AR(1) with ρ, beta form;
    scipy's beta distribution is the independent part."""
    from scipy.stats import beta

    pairs = n * (n - 1) / 2
    ratio = 1 + 2 * sum((1 - k / n) * rho**k for k in range(1, n))
    var_tau = n * (n - 1) * (2 * n + 5) / 18 * ratio / pairs**2
    a = (1 / var_tau - 1) / 2
    return 2 * float(beta(a, a).sf(((pairs - 1) / pairs + 1) / 2))


@pytest.mark.parametrize("values", [
    [50 + 1.5 * (t - 2015) for t in range(2013, 2023)],      # an exact line
    [round(0.1 * k, 1) for k in range(10)],                   # 0.0, 0.1 … 0.9: rounding noise
    [1e6 + 0.003 * k for k in range(10)],                     # a large level, a small slope
    [(400 + 30 * k) / 2000 * 100_000 for k in range(10)],     # a rate from linear counts
])
def test_a_straight_line_has_no_autocorrelation_whatever_its_rounding(values):
    # The residuals of a line are floating-point noise with an arbitrary r₁; the rule takes
    # r₁ = 0, so ρ = 1/(n − 4) + 1/√n and the p-value is the hand-worked one.
    n = len(values)
    rho = 1 / (n - 4) + 1 / np.sqrt(n)
    for times in (range(2013, 2023), range(n), [1990 + 3 * k for k in range(n)]):
        res = mann_kendall_corrected(values, times)
        assert res.autocorrelation == pytest.approx(rho, abs=1e-12)
        assert res.p_value == pytest.approx(_line_p(n, rho), rel=1e-9)
        assert res.p_value < ALPHA  # a line rising every year is a trend
    # bits of noise (±1 unit in the last place) do not move it
    wiggled = [np.nextafter(x, np.inf) if k % 3 else x for k, x in enumerate(values)]
    assert mann_kendall_corrected(wiggled).p_value == pytest.approx(_line_p(n, rho), rel=1e-9)


def test_a_line_with_a_real_wiggle_keeps_its_estimated_autocorrelation():
    # residuals of 1e-6 of the level are data, not noise: r₁ is estimated as usual
    wiggle = 1e-6 * np.array([1, 1, 1, -1, -1, -1, 1, 1, 1, -1.0])
    y = 50 + 1.5 * np.arange(10) + 50 * wiggle
    res = mann_kendall_corrected(y)
    e = y - res.slope * np.arange(10)
    r1 = float(np.sum((e[:-1] - e.mean()) * (e[1:] - e.mean())) / np.sum((e - e.mean()) ** 2))
    assert r1 > 0.2
    assert res.autocorrelation == pytest.approx((10 * r1 + 1) / 6 + 1 / np.sqrt(10), rel=1e-6)


def test_five_or_six_points_use_the_plain_exact_test():
    y = [78.1, 79.6, 80.4, 81.5, 82.4]  # N00923-like: five non-overlapping 5-year periods
    res = mann_kendall_corrected(y, [2002, 2007, 2012, 2017, 2022])
    assert res.p_value == mann_kendall(y).p_value == pytest.approx(2 / 120)
    assert res.variance_ratio == 1 and res.autocorrelation is None
    assert mann_kendall_corrected([1, 3, 2, 4, 6, 5, 7]).autocorrelation is not None


def test_refuses_too_short_series_and_unknown_approximation():
    with pytest.raises(ValueError, match="värdena"):
        mann_kendall_corrected([1, 2])
    with pytest.raises(ValueError, match="approximation"):
        mann_kendall_corrected([1, 2, 3, 4, 5], approximation="exact")


def _false_positive_rates(series: np.ndarray) -> tuple[float, float]:
    plain = np.mean([mann_kendall(y).p_value < ALPHA for y in series])
    corrected = np.mean([mann_kendall_corrected(y).p_value < ALPHA for y in series])
    return float(plain), float(corrected)


@pytest.mark.parametrize("n", [5, 6, 7, 8, 10])
def test_false_positive_rate_for_ar1_phi_05_is_at_most_7_percent(n):
    # AR(1), φ = 0.5, no trend, at the analysis's Mann–Kendall lengths (5–10 points;
    # below 7 points the plain exact test is used as it is).
    series = _ar1(np.random.default_rng(100 + n), 3000, n, 0.5)
    plain, corrected = _false_positive_rates(series)
    assert corrected <= LIMIT, (plain, corrected)
    if n == 10:  # the plain test is far too liberal here: that is what the correction fixes
        assert plain > 0.12, plain


@pytest.mark.parametrize("span", [3, 4, 5])
def test_false_positive_rate_for_published_rolling_averages_is_at_most_7_percent(span):
    # What the analysis does: a k-year average published every year 2000–2024 (period_span k),
    # thinned by recent_trend to non-overlapping periods before the test.
    rng = np.random.default_rng(200 + span)
    years = np.arange(2000, 2025)
    series = _rolling(rng, 2000, years.size, span)
    significant = 0
    used = set()
    for y in series:
        res = recent_trend(years, y, period_starts=years - (span - 1))
        assert res.test == TrendTest.MANN_KENDALL
        used.add(len(res.periods))
        significant += res.trend != Trend.NO_SIGNIFICANT_CHANGE
    assert used == {len(range(2024, 1999, -span))}  # 9, 7 or 5 points
    assert significant / len(series) <= LIMIT


def test_recent_trend_uses_and_names_the_corrected_test():
    years = list(range(2013, 2023))
    y = [31.0, 30.5, 30.1, 29.0, 28.2, 27.9, 27.0, 26.5, 26.1, 25.9]
    res = recent_trend(years, y)
    assert res.test == TrendTest.MANN_KENDALL
    assert res.p_value == pytest.approx(mann_kendall_corrected(y, years).p_value)
    assert "autokorrelation" in TEST_LABELS_SV["mann_kendall"]
    assert "Yue & Wang" in TEST_LABELS_SV["mann_kendall"]

