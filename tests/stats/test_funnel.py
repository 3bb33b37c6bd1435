"""Funnel limits (Spiegelhalter 2005) against an independent pure-Python implementation that
sums the probability mass directly (no scipy), the normal approximation at large n, and
invariants (Hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.stats.funnel import funnel_limit, funnel_limits, funnel_position, normal_limit


def _binom_cdf(r: int, n: int, theta: float) -> float:
    if r < 0:
        return 0.0
    return sum(math.comb(n, k) * theta**k * (1 - theta) ** (n - k) for k in range(0, r + 1))


def _poisson_cdf(r: int, mu: float) -> float:
    if r < 0:
        return 0.0
    term, total = math.exp(-mu), 0.0
    for k in range(0, r + 1):
        if k:
            term *= mu / k
        total += term
    return total


def _independent(theta: float, n: int, p: float, kind: str) -> float:
    """Spiegelhalter's A.1: smallest r with F(r) ≥ p, interpolate, divide by n."""
    cdf = (lambda r: _binom_cdf(r, n, theta)) if kind == "proportion" else (
        lambda r: _poisson_cdf(r, n * theta))
    r = 0
    while cdf(r) < p - 1e-15:
        r += 1
    hi, lo = cdf(r), cdf(r - 1)
    alpha = 0.0 if hi == lo else (hi - p) / (hi - lo)
    return max(0.0, (r - alpha) / n)


@pytest.mark.parametrize("theta, n", [(0.2, 50), (0.05, 200), (0.5, 31), (0.9, 120),
                                      (0.013, 1000)])
@pytest.mark.parametrize("p", [0.001, 0.025, 0.975, 0.999])
def test_proportion_limits_match_the_independent_implementation(theta, n, p) -> None:
    assert funnel_limit(theta, n, p) == pytest.approx(_independent(theta, n, p, "proportion"),
                                                      abs=1e-9)


@pytest.mark.parametrize("theta, n", [(0.0006, 20_000), (0.01, 500), (0.003, 3_000)])
@pytest.mark.parametrize("p", [0.001, 0.025, 0.975, 0.999])
def test_rate_limits_match_the_independent_implementation(theta, n, p) -> None:
    assert funnel_limit(theta, n, p, "rate") == pytest.approx(
        _independent(theta, n, p, "rate"), abs=1e-9)


def test_large_n_approaches_the_normal_approximation() -> None:
    theta, n = 0.3, 200_000
    for p, z in ((0.025, -1.959963984540054), (0.999, 3.090232306167813)):
        assert funnel_limit(theta, n, p) == pytest.approx(normal_limit(theta, n, z), rel=2e-3)
        assert funnel_limit(theta, n, p, "rate") == pytest.approx(
            normal_limit(theta, n, z, "rate"), rel=2e-3)


def test_position_and_limits_shape() -> None:
    lim = funnel_limits(0.2, [25, 100, 1000])
    assert lim.lower998[0] < lim.lower95[0] < 0.2 < lim.upper95[0] < lim.upper998[0]
    assert lim.upper95[0] > lim.upper95[1] > lim.upper95[2]  # the funnel narrows
    assert funnel_position(0.2, 100, 0.2) == "within"
    assert funnel_position(0.5, 100, 0.2) == "above_998"
    assert funnel_position(0.05, 1000, 0.2) == "below_998"


def test_bad_input_is_refused_in_swedish() -> None:
    with pytest.raises(ValueError, match="mellan 0 och 1"):
        funnel_limit(1.5, 10, 0.5)
    with pytest.raises(ValueError):
        funnel_limit(0.5, 0, 0.5)
    with pytest.raises(ValueError, match="okänd typ"):
        funnel_limit(0.5, 10, 0.5, "mean")


@settings(max_examples=60, deadline=None)
@given(theta=st.floats(0.01, 0.99), n=st.integers(5, 5000))
def test_limits_are_ordered_around_the_target(theta: float, n: int) -> None:
    lo998, lo95 = funnel_limit(theta, n, 0.001), funnel_limit(theta, n, 0.025)
    hi95, hi998 = funnel_limit(theta, n, 0.975), funnel_limit(theta, n, 0.999)
    assert -1e-12 <= lo998 <= lo95 <= hi95 <= hi998 <= 1 + 1e-12
    assert lo95 <= theta + 1.0 / n and hi95 >= theta - 1.0 / n


@pytest.mark.parametrize("kind, theta", [("proportion", 0.13), ("rate", 0.004)])
def test_vectorised_limits_and_positions_equal_the_scalar_ones(kind, theta) -> None:
    from jamlik.stats.funnel import funnel_positions

    sizes = [3, 17, 240, 5_000, 81_000]
    lim = funnel_limits(theta, sizes, kind)
    for i, n in enumerate(sizes):
        assert lim.lower95[i] == pytest.approx(funnel_limit(theta, n, 0.025, kind), abs=1e-12)
        assert lim.upper998[i] == pytest.approx(funnel_limit(theta, n, 0.999, kind), abs=1e-12)
    values = [theta * f for f in (0.2, 0.9, 1.0, 1.3, 3.0)]
    assert funnel_positions(values, sizes, theta, kind) == [
        funnel_position(y, n, theta, kind) for y, n in zip(values, sizes, strict=True)]
