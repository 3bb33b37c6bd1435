"""The vectorised limits and Fingertips trend fits (``stats.limits_many``, ``stats.trend_many``)
equal the per-value functions bit for bit (Hypothesis: random counts, populations, levels and
series), and give NaN exactly where the per-value functions raise."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jamlik.stats.counts import count_ci, rate_ci
from jamlik.stats.limits_many import count_ci_many, power, proportion_ci_many, rate_ci_many
from jamlik.stats.proportion import proportion_ci
from jamlik.stats.trend import _chi2_core, _wls_core
from jamlik.stats.trend_many import chi2_trend_many, weighted_regression_many

LEVELS = st.sampled_from([0.95, 0.998, 95, 99.8])
COUNTS = st.one_of(st.integers(-2, 60).map(float), st.floats(-5, 5000, allow_nan=False),
                   st.just(float("nan")))
POPS = st.one_of(st.integers(-1, 5000).map(float), st.floats(0, 1e6, allow_nan=False),
                 st.just(float("nan")))


def _same(a: float | None, b: float) -> None:
    # NaN where the per-value function gives None or NaN itself (e.g. a rate per a population
    # of 5e-324: 0 × (1000 / 5e-324) = 0 × inf), as Hypothesis found.
    if a is None or math.isnan(a):
        assert math.isnan(b)
    else:
        assert a == b, (a, b)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(COUNTS, POPS), min_size=1, max_size=20), LEVELS,
       st.sampled_from([1.0, 100.0, 1000.0]))
def test_wilson_many_equals_proportion_ci(pairs: list[tuple[float, float]], level: float,
                                          multiplier: float) -> None:
    x = np.array([p[0] for p in pairs])
    n = np.array([p[1] for p in pairs])
    value, lower, upper = proportion_ci_many(x, n, level, multiplier)
    for k, (a, b) in enumerate(pairs):
        try:
            e = proportion_ci(a, b, level, multiplier)
        except ValueError:
            assert math.isnan(value[k]) and math.isnan(lower[k]) and math.isnan(upper[k])
            continue
        _same(e.value, value[k])
        _same(e.lower, lower[k])
        _same(e.upper, upper[k])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(COUNTS, POPS), min_size=1, max_size=20), LEVELS,
       st.sampled_from([1000.0, 100_000.0]))
@example(pairs=[(0.0, 5e-324)], level=0.95, multiplier=1000.0)  # NaN in both (see _same)
def test_poisson_many_equals_count_and_rate_ci(pairs: list[tuple[float, float]], level: float,
                                               multiplier: float) -> None:
    o = np.array([p[0] for p in pairs])
    n = np.array([p[1] for p in pairs])
    lower, upper, exact = count_ci_many(o, level)
    r_value, r_lower, r_upper, r_exact = rate_ci_many(o, n, level, multiplier)
    for k, (a, b) in enumerate(pairs):
        try:
            c = count_ci(a, level)
        except ValueError:
            assert math.isnan(lower[k]) and math.isnan(upper[k])
        else:
            _same(c.lower, lower[k])
            _same(c.upper, upper[k])
            assert bool(exact[k]) == (c.method == "Exact")
        try:
            r = rate_ci(a, b, level, multiplier)
        except ValueError:
            assert math.isnan(r_value[k]) and math.isnan(r_upper[k])
            continue
        _same(r.value, r_value[k])
        _same(r.lower, r_lower[k])
        _same(r.upper, r_upper[k])
        assert bool(r_exact[k]) == (r.method == "Exact")


SERIES = st.integers(4, 5).flatmap(lambda k: st.lists(st.tuples(
    st.lists(st.integers(0, 500), min_size=k, max_size=k),
    st.lists(st.integers(1, 500), min_size=k, max_size=k),
    st.lists(st.floats(0.5, 80, allow_nan=False), min_size=k, max_size=k),
    st.integers(1990, 2015)), min_size=1, max_size=8))


@settings(max_examples=60, deadline=None)
@given(SERIES)
def test_fingertips_fits_many_equal_the_per_series_cores(series: list) -> None:  # noqa: ANN001
    r = np.array([[min(a, b) for a, b in zip(s[0], s[1], strict=True)] for s in series], float)
    n = np.array([s[1] for s in series], dtype=float)
    y = np.array([s[2] for s in series], dtype=float)
    t = np.array([[s[3] + j for j in range(len(s[0]))] for s in series], dtype=float)
    w = 1 / power(y.ravel() / 10, 2).reshape(y.shape)
    chi = chi2_trend_many(r, n, t)
    wls = weighted_regression_many(y, w, t)
    for k in range(len(series)):
        one = _chi2_core(r[k].tolist(), n[k].tolist(), t[k].tolist())
        assert (one.slope, one.statistic, one.p_value) == (
            chi.slope[k], chi.statistic[k], chi.p_value[k])
        two = _wls_core(y[k].tolist(), w[k].tolist(), t[k].tolist())
        assert (two.slope, two.statistic, two.p_value) == (
            wls.slope[k], wls.statistic[k], wls.p_value[k])


def test_power_is_pythons_float_power() -> None:
    x = np.random.default_rng(12).uniform(1e-3, 1e3, 5000)
    assert power(x, 3).tolist() == [v ** 3 for v in x.tolist()]
    assert power(x, 2).tolist() == [v ** 2 for v in x.tolist()]
