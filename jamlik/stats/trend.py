"""Recent-trend tests for an indicator's time series.

Three tests, never presented as the same thing (``TrendResult.test`` names the one used):

- ``chi2_trend``: Fingertips' chi-squared test for trend in proportions (Cochran–Armitage),
  for series with numerator and denominator; the last 5 points; significant at p < 0.002 (99.8 %).
- ``weighted_regression``: Fingertips' weighted least-squares slope with weights 1/SE², SE from the
  95 % limits, for every other series with limits; the last 5 points; p < 0.002.
  Both Fingertips tests also need the slope's sign to survive leaving out each point in turn.
- ``mann_kendall``: for series without limits or counts (most Kolada register KPIs): the
  Mann–Kendall test (Kendall's S between time and value) with a Theil–Sen slope over up to the
  last 10 points, its variance corrected for serial correlation (``mann_kendall_corrected``:
  Yue & Wang 2004 effective sample size, AR(1) with a bias-corrected, conservative lag-1
  autocorrelation); significant at p < 0.05 (two-sided). A non-parametric test of a monotone
  trend that ignores sampling error, so it says only that the published figures move consistently.

Pooled periods (e.g. 4-year moving averages) overlap and are not independent; only
non-overlapping points are used (``non_overlapping``).
Reference: OHID/PHE Fingertips technical guidance, "Trend markers" (recent trend, 5 points,
99.8 %); Armitage P (1955) Biometrics 11:375–386; Mann HB (1945) Econometrica 13:245–259;
Kendall MG (1975) Rank correlation methods; Sen PK (1968) JASA 63:1379–1389;
Yue S, Wang CY (2004) Water Resour Manage 18:201–218; Hamed KH, Rao AR (1998) J Hydrol
204:182–196; Hamed KH (2009) J Hydrol 368:143–155 (bias-corrected lag-1 autocorrelation).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import numpy as np

from jamlik.language import word
from jamlik.stats import _validate as v
from jamlik.stats.estimate import z_value

# Closed forms instead of scipy's distribution objects: profiles run thousands of tests and
# scipy's per-call overhead dominated (chi² with 1 df is the square of a standard normal).
_z = cache(z_value)


def _chi2_1_sf(stat: float) -> float:
    """P(χ²₁ ≥ stat) = erfc(√(stat/2))."""
    return math.erfc(math.sqrt(max(stat, 0.0) / 2))


def _two_sided_normal_p(z: float) -> float:
    """2·(1 − Φ(|z|)) = erfc(|z|/√2)."""
    return math.erfc(abs(z) / math.sqrt(2))

__all__ = [
    "FINGERTIPS_ALPHA", "FINGERTIPS_POINTS", "MANN_KENDALL_ALPHA", "MANN_KENDALL_POINTS",
    "MIN_CORRECTION_POINTS", "MIN_POINTS", "MannKendallResult", "TEST_LABELS_SV",
    "TREND_DIRECTION_LABELS", "TREND_LABELS", "TREND_LABELS_SV", "TestStatistic", "Trend", "TrendResult", "TrendTest", "chi2_trend", "lag1_autocorrelation", "mann_kendall",
    "mann_kendall_corrected", "non_overlapping", "recent_trend",
    "se_from_limits", "trend_direction", "trend_label", "trend_label_sv",
    "weighted_regression_trend",
]  # fmt: skip

#: Fingertips' significance level for its recent-trend tests (99.8 %).
FINGERTIPS_ALPHA = 0.002
#: Our documented level for the Mann–Kendall fallback (95 %, two-sided).
MANN_KENDALL_ALPHA = 0.05
#: Points in a Fingertips recent trend, and the minimum for any test.
FINGERTIPS_POINTS = 5
MIN_POINTS = 5
#: Points the Mann–Kendall fallback looks back over at most.
MANN_KENDALL_POINTS = 10


class Trend(StrEnum):
    INCREASING = "increasing"
    DECREASING = "decreasing"
    NO_SIGNIFICANT_CHANGE = "no_significant_change"
    CANNOT_BE_CALCULATED = "cannot_be_calculated"


class TrendTest(StrEnum):
    CHI2_TREND = "chi2_trend"
    WEIGHTED_REGRESSION = "weighted_regression"
    MANN_KENDALL = "mann_kendall"


#: the trend's words, (Swedish, English): the one sentence source of ``trend_label``
TREND_LABELS: dict[str, tuple[str, str]] = {
    "increasing": ("ökande", "increasing"),
    "decreasing": ("minskande", "decreasing"),
    "no_significant_change": ("ingen säkerställd förändring", "no significant change"),
    "cannot_be_calculated": ("kan inte beräknas", "cannot be calculated"),
}
TREND_LABELS_SV: dict[str, str] = {code: pair[0] for code, pair in TREND_LABELS.items()}
#: "… och blir bättre/sämre" after a significant trend of an indicator with a polarity
TREND_DIRECTION_LABELS: dict[str, tuple[str, str]] = {
    "better": ("{label} och blir bättre", "{label} and getting better"),
    "worse": ("{label} och blir sämre", "{label} and getting worse"),
}

TEST_LABELS_SV: dict[str, str] = {
    "chi2_trend": "chi2-test för trend i andelar (Fingertips, senaste 5 punkterna, 99,8 %)",
    "weighted_regression": (
        "viktad regression med vikter 1/SE² från konfidensintervallen "
        "(Fingertips, senaste 5 punkterna, 99,8 %)"
    ),
    "mann_kendall": (
        "Mann–Kendall-test med Theil–Sen-lutning, korrigerat för autokorrelation mellan åren "
        "(Yue & Wang 2004; upp till 10 punkter, p < 0,05); tar inte hänsyn till slumpvariation "
        "eftersom osäkerheten är okänd"
    ),
}


@dataclass(frozen=True)
class TrendResult:
    """The outcome of a recent-trend test.

    slope: change per year (Theil–Sen for Mann–Kendall, the weighted/Armitage slope otherwise;
    for ``chi2_trend`` in proportion units per year, not multiplied). periods: the points used.
    reason: Swedish explanation when the trend cannot be calculated or the robustness check failed;
    reason_en: the same in English.
    """

    trend: Trend
    test: TrendTest | None
    p_value: float | None
    slope: float | None
    periods: tuple[int, ...]
    reason: str | None = None
    reason_en: str | None = None

    @property
    def significant(self) -> bool:
        return self.trend in (Trend.INCREASING, Trend.DECREASING)

    @property
    def label_sv(self) -> str:
        return TREND_LABELS_SV[self.trend]


def trend_direction(trend: Trend | str, polarity: str) -> str | None:
    """'better' / 'worse' for a significant trend of an indicator with a polarity, else None."""
    trend = Trend(trend)
    if trend not in (Trend.INCREASING, Trend.DECREASING) or polarity == "no_judgement":
        return None
    up_is_better = polarity == "higher_is_better"
    return "better" if (trend == Trend.INCREASING) == up_is_better else "worse"


def trend_label(trend: Trend | str, polarity: str, lang: str | None = "sv") -> str:
    """The trend in words, Swedish by default, English with ``lang="en"``: 'minskande och blir
    bättre' / 'decreasing and getting better', 'ökande' / 'increasing', 'ingen säkerställd
    förändring' / 'no significant change' …"""
    label = word(TREND_LABELS[Trend(trend)], lang)
    direction = trend_direction(trend, polarity)
    if direction is None:
        return label
    return word(TREND_DIRECTION_LABELS[direction], lang).format(label=label)


def trend_label_sv(trend: Trend | str, polarity: str) -> str:
    """'minskande och blir bättre', 'ökande', 'ingen säkerställd förändring' …"""
    return trend_label(trend, polarity, "sv")


# -- the tests -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TestStatistic:
    slope: float
    statistic: float
    p_value: float


def chi2_trend(
    numerators: Sequence[float], denominators: Sequence[float], times: Sequence[float] | None = None
) -> TestStatistic:
    """Chi-squared test for trend in proportions (Cochran–Armitage), 1 degree of freedom.

    With cases rᵢ of nᵢ at time tᵢ, N = Σnᵢ, R = Σrᵢ, p̄ = R/N:
    β = (N·Σrᵢtᵢ − R·Σnᵢtᵢ) / (N·Σnᵢtᵢ² − (Σnᵢtᵢ)²)   (change in proportion per unit time),
    Var(β) = p̄(1 − p̄)·N / (N·Σnᵢtᵢ² − (Σnᵢtᵢ)²),  χ² = β² / Var(β).
    Reference: Armitage (1955); Fingertips "Trend markers" (proportions); equals R's prop.trend.test.

    times: the years (default 1, 2, …). Raises ValueError for bad counts or fewer than 2 points.
    """
    r = v.non_negative_array(numerators, "täljarna", min_length=2)
    n = v.non_negative_array(denominators, "nämnarna", min_length=2)
    v.same_length(täljare=r, nämnare=n)
    if np.any(r > n):
        raise ValueError("en täljare är större än sin nämnare — kontrollera indata.")
    if np.any(n <= 0):
        raise ValueError("en nämnare är 0 — en andel kräver minst en person i varje period.")
    t = _times(times, r.size)
    return _chi2_core(r.tolist(), n.tolist(), t.tolist())


def _chi2_core(r: list[float], n: list[float], t: list[float]) -> TestStatistic:
    # Plain Python sums: faster than numpy for the 4–5 points of a recent trend.
    big_n, big_r = sum(n), sum(r)
    p_bar = big_r / big_n
    snt = sum(a * b for a, b in zip(n, t, strict=True))
    sxx = big_n * sum(a * b * b for a, b in zip(n, t, strict=True)) - snt**2
    slope = (big_n * sum(a * b for a, b in zip(r, t, strict=True)) - big_r * snt) / sxx
    var = p_bar * (1 - p_bar) * big_n / sxx
    if var <= 0:  # all 0 % or all 100 %: no variation, no trend
        return TestStatistic(0.0, 0.0, 1.0)
    stat = slope * slope / var
    return TestStatistic(slope, stat, _chi2_1_sf(stat))


def se_from_limits(lower: float, upper: float, confidence: float = 0.95) -> float:
    """Standard error implied by confidence limits: (upper − lower) / (2·z).

    The Fingertips convention for symmetric use of possibly asymmetric limits.
    """
    return (float(upper) - float(lower)) / (2 * _z(confidence))


def weighted_regression_trend(
    values: Sequence[float],
    lower: Sequence[float],
    upper: Sequence[float],
    times: Sequence[float] | None = None,
    confidence: float = 0.95,
) -> TestStatistic:
    """Weighted least-squares slope with weights wᵢ = 1/SEᵢ², SEᵢ = (Uᵢ − Lᵢ)/(2·z).

    β = (Σw·Σwty − Σwt·Σwy) / (Σw·Σwt² − (Σwt)²),  Var(β) = Σw / (Σw·Σwt² − (Σwt)²),
    χ² = β²/Var(β) with 1 degree of freedom.
    Reference: Fingertips "Trend markers" (all indicator types except proportions).

    Raises ValueError when limits are missing, reversed or of zero width.
    """
    y = v.array(values, "värdena", min_length=2)
    lo = v.array(lower, "de nedre gränserna", min_length=2)
    hi = v.array(upper, "de övre gränserna", min_length=2)
    v.same_length(värden=y, nedre=lo, övre=hi)
    se = (hi - lo) / (2 * _z(confidence))
    if np.any(se <= 0):
        raise ValueError(
            "ett konfidensintervall har bredden 0 eller är omvänt — vikterna 1/SE² kan inte beräknas."
        )
    t = _times(times, y.size)
    return _wls_core(y.tolist(), (1 / se**2).tolist(), t.tolist())


def _wls_core(y: list[float], w: list[float], t: list[float]) -> TestStatistic:
    sw = sum(w)
    swt = sum(a * b for a, b in zip(w, t, strict=True))
    swy = sum(a * b for a, b in zip(w, y, strict=True))
    sxx = sw * sum(a * b * b for a, b in zip(w, t, strict=True)) - swt**2
    swty = sum(a * b * c for a, b, c in zip(w, t, y, strict=True))
    slope = (sw * swty - swt * swy) / sxx
    var = sw / sxx
    stat = slope * slope / var
    return TestStatistic(slope, stat, _chi2_1_sf(stat))


def mann_kendall(values: Sequence[float], times: Sequence[float] | None = None) -> TestStatistic:
    """Mann–Kendall test for a monotone trend with the Theil–Sen slope.

    S = Σ_{i<j} sign(yⱼ − yᵢ)·sign(tⱼ − tᵢ). Without ties the two-sided p-value is exact (the
    permutation distribution of S, n ≤ 12); with ties the normal approximation with the tie
    correction Var(S) = [n(n−1)(2n+5) − Σ tₖ(tₖ−1)(2tₖ+5)]/18 and continuity correction.
    Slope = median of (yⱼ − yᵢ)/(tⱼ − tᵢ) over all pairs (Sen 1968). ``statistic`` is S.
    Reference: Mann (1945); Kendall (1975); Hamed & Rao (1998) J Hydrol 204:182–196 (ties).

    Raises ValueError for fewer than 3 points or repeated times.
    """
    y = v.array(values, "värdena", min_length=3)
    t = _times(times, y.size)
    if np.unique(t).size != t.size:
        raise ValueError("samma år förekommer två gånger i tidsserien.")
    order = np.argsort(t)
    return _mk_core(y[order].tolist(), t[order].tolist())


def _mk_core(y: list[float], t: list[float]) -> TestStatistic:
    """Mann–Kendall on points sorted by distinct times (plain Python: n ≤ 10 in practice)."""
    n = len(y)
    s = 0
    slopes: list[float] = []
    for i in range(n - 1):
        yi, ti = y[i], t[i]
        for j in range(i + 1, n):
            d = y[j] - yi
            s += (d > 0) - (d < 0)
            slopes.append(d / (t[j] - ti))
    slope = float(statistics.median(slopes))
    counts = Counter(y).values()
    if n <= 12 and all(c == 1 for c in counts):
        p = _exact_mk_p(n, s)
    else:
        ties = sum(c * (c - 1) * (2 * c + 5) for c in counts if c > 1)
        var = (n * (n - 1) * (2 * n + 5) - ties) / 18
        if var <= 0:
            return TestStatistic(0.0, 0.0, 1.0)
        z = (s - math.copysign(1, s)) / math.sqrt(var) if s != 0 else 0.0
        p = _two_sided_normal_p(z)
    return TestStatistic(slope, float(s), min(p, 1.0))


@cache
def _mahonian(n: int) -> tuple[int, ...]:
    """Number of permutations of n items with k inversions, k = 0 … n(n−1)/2."""
    counts = [1]
    for m in range(2, n + 1):
        new = [0] * (len(counts) + m - 1)
        for k, c in enumerate(counts):
            for extra in range(m):
                new[k + extra] += c
        counts = new
    return tuple(counts)


@cache
def _exact_mk_p(n: int, s: int) -> float:
    """Two-sided exact P(|S| ≥ |s|) under no trend; S = n(n−1)/2 − 2·inversions."""
    counts = _mahonian(n)
    total = math.factorial(n)
    pairs = n * (n - 1) // 2
    extreme = sum(c for k, c in enumerate(counts) if abs(pairs - 2 * k) >= abs(s))
    return extreme / total


#: The lag-1 autocorrelation used by the corrected test is capped here (ρ → 1 makes Var(S) explode).
MAX_AUTOCORRELATION = 0.95
#: Fewer points than this: the estimated correction is not applied (see ``mann_kendall_corrected``).
MIN_CORRECTION_POINTS = 7
#: Detrended residuals whose root mean square is at most this fraction of the series' scale
#: (max |yᵢ| + |β|·(tₙ − t₁)) are rounding noise: a straight line (see ``mann_kendall_corrected``).
RESIDUAL_NOISE = 1e-9


@dataclass(frozen=True)
class MannKendallResult(TestStatistic):
    """A Mann–Kendall test whose Var(S) is corrected for serial correlation.

    variance_ratio: n/n* (≥ 1 with the estimated correction), the factor Var(S) was multiplied by.
    autocorrelation: the lag-1 autocorrelation ρ the correction assumed (None when the caller gave
    the autocorrelation function). plain_p_value: the uncorrected test's p-value.
    """

    variance_ratio: float
    autocorrelation: float | None
    plain_p_value: float


def lag1_autocorrelation(values: Sequence[float]) -> float:
    """Sample lag-1 autocorrelation r₁ = Σᵢ(eᵢ − ē)(eᵢ₊₁ − ē) / Σᵢ(eᵢ − ē)² (0 for a constant series).

    The ordinary (biased) estimator, as in Box & Jenkins and pymannkendall's acf.
    """
    e = v.array(values, "värdena", min_length=2)
    return _r1(e.tolist())


def _r1(e: list[float], noise: float = 0.0) -> float:
    """r₁ of e; 0 when Σ(eᵢ − ē)² ≤ n·noise², i.e. e is constant up to ``noise`` (root mean square)."""
    mean = sum(e) / len(e)
    d = [x - mean for x in e]
    denom = sum(x * x for x in d)
    if denom <= len(e) * noise * noise:
        return 0.0
    return sum(d[i] * d[i + 1] for i in range(len(d) - 1)) / denom


def mann_kendall_corrected(
    values: Sequence[float],
    times: Sequence[float] | None = None,
    *,
    autocorrelation: Sequence[float] | None = None,
    approximation: str = "beta",
) -> MannKendallResult:
    """Mann–Kendall test with Var(S) corrected for serial correlation (Yue & Wang 2004).

    Var*(S) = Var(S) · n/n*,  n/n* = 1 + 2·Σ_{k=1}^{L} (1 − k/n)·ρₖ   (Yue & Wang 2004, eq. 9),
    Var(S) = [n(n−1)(2n+5) − Σ tₖ(tₖ−1)(2tₖ+5)]/18 (tie correction).
    Without ``autocorrelation`` the series is taken as AR(1), ρₖ = ρᵏ (k = 1 … n − 1), with ρ
    estimated conservatively from the series detrended by the Theil–Sen slope β:
      r₁ = lag-1 autocorrelation of eᵢ = yᵢ − β·tᵢ (computed as (yᵢ − y₁) − β·(tᵢ − t₁)),
      r₁* = (n·r₁ + 1)/(n − 4)     (bias correction, Kendall 1954; Hamed 2009),
      ρ = min(max(r₁* + 1/√n, 0), 0.95)   (one standard error up: jamlik's rule, see below).
    A series on a straight line (residuals with a root mean square ≤ 1e-9 of the series' scale,
    ``RESIDUAL_NOISE``) has r₁ = 0, as a constant series has: its residuals are then floating-point
    rounding noise, whose r₁ is arbitrary (anywhere in [−1, 1]) and would make the p-value depend
    on the order of the arithmetic — two correct implementations could disagree on the verdict.
    p-value (two-sided), with the continuity-corrected τc = (|S| − 1)/(n(n−1)/2):
      ``approximation="beta"`` (default): τ on [−1, 1] as a symmetric beta distribution with the
      corrected variance, (τ + 1)/2 ~ Beta(a, a), a = (1/Var*(τ) − 1)/2, Var*(τ) =
      Var*(S)/(n(n−1)/2)²; p = 2·P(τ ≥ τc). Unlike the normal approximation it keeps |τ| ≤ 1, so
      a series that moves the same way every year keeps a small p-value;
      ``approximation="normal"``: z = (S − sign S)/√Var*(S), p = 2·(1 − Φ(|z|)) (the published form).
    Why this rule: ten points cannot pin ρ down (r₁ has a standard error of about 1/√n ≈ 0.3 and
    is biased towards 0), and the plain or Hamed–Rao-corrected test calls 15–17 % of trendless
    AR(1) series with φ = 0.5 and 10 points significant at the 5 % level; with the rule above the
    rate is ≤ 6 % for 7–10 points (simulation in tests/stats/test_trend_autocorrelation.py).
    With 5–6 points (fewer than ``MIN_CORRECTION_POINTS`` = 7) the estimated correction is not
    applied: ρ cannot be estimated at all from 5 points (r₁* divides by n − 4 = 1), and the plain
    exact test is already within the limit there (about 4 % and 5 % for φ = 0.5), because only
    series that move the same way (almost) every time reach p < 0.05; the result then has
    variance_ratio 1 and autocorrelation None.
    With estimated ρ the correction never makes the test more liberal: ρ ≥ 0, and p is at least
    the plain test's p-value (exact for n ≤ 12 without ties).
    ``autocorrelation``: the autocorrelation function ρ₁ … ρ_L to use as given (no clipping and
    no floor at the plain p-value), e.g. a known structure.
    Reference: Yue S, Wang CY (2004) Water Resour Manage 18:201–218; Hamed KH, Rao AR (1998)
    J Hydrol 204:182–196; Hamed KH (2009) J Hydrol 368:143–155; Kendall MG (1954) Biometrika
    41:403–404. The normal form with a given autocorrelation function is tested against
    pymannkendall's ``yue_wang_modification_test`` (an independent implementation).

    Raises ValueError for fewer than 3 points, repeated times, or an autocorrelation function
    that makes n/n* ≤ 0.
    """
    if approximation not in ("beta", "normal"):
        raise ValueError(f"okänd approximation {approximation!r} (ange 'beta' eller 'normal').")
    y = v.array(values, "värdena", min_length=3)
    t = _times(times, y.size)
    if np.unique(t).size != t.size:
        raise ValueError("samma år förekommer två gånger i tidsserien.")
    order = np.argsort(t)
    acf = None if autocorrelation is None else v.array(autocorrelation, "autokorrelationerna")
    if acf is not None and acf.size >= y.size:
        raise ValueError(
            f"autokorrelationerna ({acf.size}) måste vara färre än punkterna ({y.size})."
        )
    return _mk_corrected_core(y[order].tolist(), t[order].tolist(),
                              None if acf is None else acf.tolist(), approximation)


def _mk_corrected_core(
    y: list[float], t: list[float], acf: list[float] | None = None, approximation: str = "beta"
) -> MannKendallResult:
    plain = _mk_core(y, t)
    n = len(y)
    if acf is None and n < MIN_CORRECTION_POINTS:
        return MannKendallResult(plain.slope, plain.statistic, plain.p_value, 1.0, None,
                                 plain.p_value)
    if acf is None:
        # from the first point (r₁ does not change): the residuals stay small, so the sums in
        # r₁ lose no digits to an offset (β·tᵢ of calendar years, a large level)
        since = [ti - t[0] for ti in t]
        resid = [(yi - y[0]) - plain.slope * si for yi, si in zip(y, since, strict=True)]
        scale = max(abs(x) for x in y) + abs(plain.slope) * since[-1]
        r1 = (n * _r1(resid, RESIDUAL_NOISE * scale) + 1) / (n - 4) + 1 / math.sqrt(n)
        estimated = min(max(r1, 0.0), MAX_AUTOCORRELATION)
        rho: float | None = estimated
        acf = [estimated**k for k in range(1, n)]
        floor = plain.p_value
    else:
        rho, floor = None, 0.0
    ratio = 1 + 2 * sum((1 - k / n) * r for k, r in enumerate(acf, start=1))
    s = plain.statistic
    counts = Counter(y).values()
    ties = sum(c * (c - 1) * (2 * c + 5) for c in counts if c > 1)
    var = (n * (n - 1) * (2 * n + 5) - ties) / 18 * ratio
    if ratio <= 0:
        raise ValueError(
            "autokorrelationerna ger en variansfaktor ≤ 0 — de kan inte komma från en stationär serie."
        )
    if var <= 0 or s == 0:
        p = 1.0
    elif approximation == "normal":
        p = _two_sided_normal_p((s - math.copysign(1, s)) / math.sqrt(var))
    else:
        pairs = n * (n - 1) / 2
        a = max((pairs * pairs / var - 1) / 2, 1e-6)
        tau = (abs(s) - 1) / pairs
        from scipy.special import betainc  # on first use (≈ 0.2 s to import)

        p = 2 * float(betainc(a, a, (1 - tau) / 2))  # P(X ≥ (τc + 1)/2), X ~ Beta(a, a)
    p = min(max(p, floor), 1.0)
    return MannKendallResult(plain.slope, s, p, ratio, rho, plain.p_value)


def _ints(x: Sequence[int]) -> list[int]:
    return [int(e) for e in (x.tolist() if isinstance(x, np.ndarray) else x)]


def _floats(x: Sequence[float | None] | None, size: int) -> list[float]:
    if x is None:
        return [math.nan] * size
    items = x.tolist() if isinstance(x, np.ndarray) else x
    return [math.nan if e is None else float(e) for e in items]


def _times(times: Sequence[float] | None, size: int) -> np.ndarray:
    if times is None:
        return np.arange(1, size + 1, dtype=float)
    t = v.array(times, "åren", min_length=size)
    if t.size != size:
        raise ValueError(f"åren ({t.size}) och värdena ({size}) har olika längd.")
    return t


# -- choosing points and test --------------------------------------------------------------------
def non_overlapping(periods: Sequence[int], starts: Sequence[int] | None = None) -> list[int]:
    """Indices (into ``periods``) of the latest point and earlier points that do not overlap it.

    Walks back from the latest period and keeps a period only when it ends before the start of the
    last kept one (4-year moving averages 2022, 2018, 2014 …). Single years never overlap.
    """
    if not len(periods):
        return []
    periods = [int(x) for x in periods]
    starts = periods if starts is None else [int(x) for x in starts]
    order = sorted(range(len(periods)), key=periods.__getitem__, reverse=True)
    if starts == periods:  # single years: every point is independent
        return order[::-1]
    kept = [order[0]]
    for k in order[1:]:
        if periods[k] < starts[kept[-1]]:
            kept.append(k)
    return sorted(kept, key=periods.__getitem__)


def recent_trend(
    periods: Sequence[int],
    values: Sequence[float | None],
    *,
    period_starts: Sequence[int] | None = None,
    numerators: Sequence[float | None] | None = None,
    denominators: Sequence[float | None] | None = None,
    lower: Sequence[float | None] | None = None,
    upper: Sequence[float | None] | None = None,
) -> TrendResult:
    """The recent trend of one series, choosing the test the data allow.

    Missing values (None/NaN) are dropped first; pooled periods are thinned to non-overlapping
    points. Then: counts on all of the last 5 points → ``chi2_trend``; limits on all of the last 5
    → ``weighted_regression`` (both p < 0.002 plus the leave-one-out sign check); otherwise
    ``mann_kendall_corrected`` (Mann–Kendall corrected for serial correlation) over up to the
    last 10 points at p < 0.05. Fewer than 5 points →
    cannot be calculated (with a Swedish reason).
    """
    # Plain lists: a recent trend has at most a few dozen points and numpy's per-call overhead
    # dominated when profiles run thousands of these.
    p_all = _ints(periods)
    n_all = len(p_all)
    st_all = p_all if period_starts is None else _ints(period_starts)
    y_all, num_all, den_all, lo_all, hi_all = (
        _floats(x, n_all) for x in (values, numerators, denominators, lower, upper)
    )
    keep = [k for k in range(n_all) if math.isfinite(y_all[k])]
    p_f, st_f = [p_all[k] for k in keep], [st_all[k] for k in keep]
    pooled = p_f != st_f
    idx = [keep[k] for k in non_overlapping(p_f, st_f)]
    p = [p_all[k] for k in idx]
    y = [y_all[k] for k in idx]
    if len(p) < MIN_POINTS:
        why = (
            f"bara {len(p)} perioder som inte överlappar varandra (minst {MIN_POINTS} behövs; "
            "sammanslagna perioder räknas bara en gång)"
            if pooled
            else f"bara {len(p)} värden (minst {MIN_POINTS} behövs)"
        )
        why_en = (
            f"only {len(p)} periods that do not overlap (at least {MIN_POINTS} are needed; "
            "pooled periods count once)"
            if pooled
            else f"only {len(p)} values (at least {MIN_POINTS} are needed)"
        )
        return TrendResult(Trend.CANNOT_BE_CALCULATED, None, None, None, tuple(p),
                           f"Trenden kan inte beräknas: {why}.",
                           f"The trend cannot be calculated: {why_en}.")
    last = idx[-FINGERTIPS_POINTS:]
    n5, d5 = [num_all[k] for k in last], [den_all[k] for k in last]
    l5, h5 = [lo_all[k] for k in last], [hi_all[k] for k in last]
    counts_ok = all(
        math.isfinite(r) and math.isfinite(n) and n > 0 and 0 <= r <= n
        for r, n in zip(n5, d5, strict=True)
    )
    limits_ok = all(
        math.isfinite(lw) and math.isfinite(u) and u > lw for lw, u in zip(l5, h5, strict=True)
    )
    if counts_ok or limits_ok:
        t = [float(p_all[k]) for k in last]
        core: Callable[[list[float], list[float], list[float]], TestStatistic]
        if counts_ok:
            test = TrendTest.CHI2_TREND
            a_list, b_list = n5, d5
            core = _chi2_core
        else:
            test = TrendTest.WEIGHTED_REGRESSION
            z2 = 2 * _z(0.95)
            a_list = [y_all[k] for k in last]
            b_list = [(z2 / (u - lw)) ** 2 for lw, u in zip(l5, h5, strict=True)]
            core = _wls_core

        def fit(skip: int | None = None) -> TestStatistic:
            keep = [k for k in range(len(t)) if k != skip]
            return core([a_list[k] for k in keep], [b_list[k] for k in keep], [t[k] for k in keep])

        full = fit()
        used = tuple(p_all[k] for k in last)
        if full.p_value >= FINGERTIPS_ALPHA or full.slope == 0:
            return TrendResult(Trend.NO_SIGNIFICANT_CHANGE, test, full.p_value, full.slope, used)
        for k in range(len(t)):  # leave-one-out: the direction must not hinge on one point
            loo = fit(k).slope
            if loo == 0 or math.copysign(1, loo) != math.copysign(1, full.slope):
                return TrendResult(
                    Trend.NO_SIGNIFICANT_CHANGE, test, full.p_value, full.slope, used,
                    f"Riktningen ändras när värdet för {int(t[k])} utesluts, så trenden "
                    "redovisas inte som säkerställd.",
                    f"The direction changes when the value for {int(t[k])} is left out, so the "
                    "trend is not reported as significant.",
                )
        trend = Trend.INCREASING if full.slope > 0 else Trend.DECREASING
        return TrendResult(trend, test, full.p_value, full.slope, used)
    window = slice(-MANN_KENDALL_POINTS, None)
    res = _mk_corrected_core(y[window], [float(x) for x in p[window]])
    used = tuple(p[window])
    if res.p_value < MANN_KENDALL_ALPHA and res.statistic != 0:
        trend = Trend.INCREASING if res.statistic > 0 else Trend.DECREASING
    else:
        trend = Trend.NO_SIGNIFICANT_CHANGE
    return TrendResult(trend, TrendTest.MANN_KENDALL, res.p_value, res.slope, used)
