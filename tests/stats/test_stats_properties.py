"""Property tests: limits contain the estimate, narrow with more data, and nest by confidence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.stats import Estimate, count_ci, dsr, isratio, mean_ci, proportion_ci, rate_ci

EPS = 1e-9
FAST = settings(max_examples=150, deadline=None)


def _contains(e: Estimate) -> bool:
    assert e.value is not None and e.lower is not None and e.upper is not None
    scale = max(1.0, abs(e.value))
    return e.lower <= e.value + EPS * scale and e.value <= e.upper + EPS * scale


def _nests(outer: Estimate, inner: Estimate) -> bool:
    scale = max(1.0, abs(inner.value or 0))
    return (
        outer.lower <= inner.lower + EPS * scale  # type: ignore[operator]
        and inner.upper <= outer.upper + EPS * scale  # type: ignore[operator]
    )


def _width(e: Estimate) -> float:
    return e.upper - e.lower  # type: ignore[operator]


proportions = st.integers(1, 100_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@FAST
@given(proportions, st.sampled_from([1, 100, 1000]))
def test_wilson_contains_estimate_and_stays_within_0_and_multiplier(xn, multiplier) -> None:
    x, n = xn
    e = proportion_ci(x, n, multiplier=multiplier)
    assert _contains(e)
    assert 0 <= e.lower and e.upper <= multiplier


@FAST
@given(proportions)
def test_wilson_998_limits_contain_95_limits(xn) -> None:
    x, n = xn
    assert _nests(proportion_ci(x, n, 0.998), proportion_ci(x, n, 0.95))


@FAST
@given(proportions, st.integers(2, 20))
def test_wilson_narrows_as_n_grows(xn, k) -> None:
    x, n = xn
    assert _width(proportion_ci(x * k, n * k)) <= _width(proportion_ci(x, n)) + EPS


counts = st.integers(0, 1_000_000)


@FAST
@given(counts)
def test_count_limits_contain_count_and_998_contains_95(o) -> None:
    e95, e998 = count_ci(o, 95), count_ci(o, 99.8)
    assert _contains(e95) and _contains(e998)
    assert _nests(e998, e95)


@FAST
@given(st.integers(0, 100_000), st.integers(1, 10**6), st.integers(2, 20))
def test_rate_narrows_as_population_grows(o, n, k) -> None:
    small, large = rate_ci(o, n), rate_ci(o * k, n * k)
    assert _contains(small) and _contains(large)
    assert _width(large) <= _width(small) + EPS * max(1.0, small.upper)  # type: ignore[arg-type]


samples = st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=40)


@FAST
@given(samples)
def test_mean_limits_contain_mean_nest_and_narrow_with_more_data(values) -> None:
    e95, e998 = mean_ci(values, 0.95), mean_ci(values, 0.998)
    assert _contains(e95) and _nests(e998, e95)
    doubled = mean_ci(values * 2, 0.95)  # same mean and spread, twice the observations
    assert _width(doubled) <= _width(e95) + 1e-9 * max(1.0, _width(e95))


bands = st.integers(2, 19).flatmap(
    lambda k: st.tuples(
        st.lists(st.integers(0, 500), min_size=k, max_size=k),
        st.lists(st.integers(1, 50_000), min_size=k, max_size=k),
        st.lists(st.integers(1, 10_000), min_size=k, max_size=k),
    )
)


@FAST
@given(bands)
def test_dsr_limits_contain_value_and_nest_or_are_withheld(data) -> None:
    x, n, w = data
    e95, e998 = dsr(x, n, w, 0.95), dsr(x, n, w, 0.998)
    if sum(x) < 10:
        assert e95.value is None and e95.note
        return
    assert _contains(e95) and _contains(e998) and _nests(e998, e95)


@FAST
@given(bands)
def test_isratio_limits_contain_value_and_nest(data) -> None:
    x, n, w = data
    ref_counts = [c + 1 for c in x]  # every band has reference events, so E > 0
    e95 = isratio(x, n, ref_counts, w, 0.95)
    e998 = isratio(x, n, ref_counts, w, 0.998)
    assert _contains(e95) and _nests(e998, e95)
