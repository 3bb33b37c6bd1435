"""The vectorised Mann–Kendall test equals the per-series reference (``mann_kendall_corrected``)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.stats.trend import mann_kendall_corrected
from jamlik.stats.trend_many import mann_kendall_corrected_many

WIDTH = 10

# Few distinct levels make ties (and all-equal series) common; floats make them rare.
_values = st.one_of(
    st.lists(st.integers(0, 3).map(float), min_size=3, max_size=WIDTH),
    st.lists(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False), min_size=3,
             max_size=WIDTH),
)


@st.composite
def _series(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    y = draw(_values)
    gaps = draw(st.lists(st.integers(1, 3), min_size=len(y), max_size=len(y)))
    t = np.cumsum(gaps).astype(float) + 1990
    return y, t.tolist()


@st.composite
def _lines(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    """Straight lines, rounded or with bits of noise: residuals that are rounding noise."""
    n = draw(st.integers(3, WIDTH))
    start = draw(st.integers(1990, 2020))
    step = draw(st.sampled_from([1, 1, 2, 5]))
    level = draw(st.sampled_from([0.0, 0.4, 50.0, 1e4, 1e6]))
    slope = draw(st.sampled_from([0.001, 0.1, 1.5, -2.0, 33.3]))
    digits = draw(st.sampled_from([None, 0, 1, 2]))
    t = [float(start + step * k) for k in range(n)]
    y = [level + slope * (x - 2015) for x in t]
    if digits is not None:
        y = [round(x, digits) for x in y]
    if draw(st.booleans()):
        y = [float(np.nextafter(x, np.inf)) if draw(st.booleans()) else x for x in y]
    return y, t


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_series(), _lines()), min_size=1, max_size=8))
def test_many_equals_reference(series: list[tuple[list[float], list[float]]]) -> None:
    m = len(series)
    y = np.full((m, WIDTH), np.nan)
    t = np.full((m, WIDTH), np.nan)
    n = np.array([len(s[0]) for s in series])
    for i, (yi, ti) in enumerate(series):
        y[i, : len(yi)], t[i, : len(ti)] = yi, ti
    got = mann_kendall_corrected_many(y, t, n)
    for i, (yi, ti) in enumerate(series):
        ref = mann_kendall_corrected(yi, ti)
        assert got.statistic[i] == ref.statistic
        assert _close(got.slope[i], ref.slope), (yi, ti)
        assert _close(got.p_value[i], ref.p_value), (yi, ti, got.p_value[i], ref.p_value)
        assert _close(got.plain_p_value[i], ref.plain_p_value)
        assert _close(got.variance_ratio[i], ref.variance_ratio)
        if ref.autocorrelation is None:
            assert np.isnan(got.autocorrelation[i])
        else:
            assert _close(got.autocorrelation[i], ref.autocorrelation)


def test_empty_and_bad_shapes() -> None:
    empty = mann_kendall_corrected_many(np.zeros((0, 10)), np.zeros((0, 10)), np.zeros(0, int))
    assert empty.p_value.size == 0
    import pytest

    with pytest.raises(ValueError):
        mann_kendall_corrected_many(np.zeros((1, 10)), np.zeros((1, 10)), np.array([2]))
