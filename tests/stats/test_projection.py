"""The straight-line projection the steering loop's on-track rule uses."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamlik.stats import linear_projection

# Anscombe FJ (1973) "Graphs in statistical analysis", Am Stat 27:17–21: every one of the four
# data sets has the fitted line y = 3.00 + 0.500 x (to the published 2–3 significant digits).
_ANSCOMBE_X = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5]
_ANSCOMBE_Y = {
    "I": [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68],
    "II": [9.14, 8.14, 8.74, 8.77, 9.26, 8.10, 6.13, 3.10, 9.13, 7.26, 4.74],
    "III": [7.46, 6.77, 12.74, 7.11, 7.81, 8.84, 6.08, 5.39, 8.15, 6.42, 5.73],
}


@pytest.mark.parametrize("name", sorted(_ANSCOMBE_Y))
def test_line_matches_anscombes_published_fit(name):
    p = linear_projection(_ANSCOMBE_X, _ANSCOMBE_Y[name], at=20)
    assert p.slope == pytest.approx(0.500, abs=0.001)
    assert p.intercept == pytest.approx(3.00, abs=0.01)
    assert p.value == pytest.approx(3.00 + 0.500 * 20, abs=0.03)
    assert p.n == 11


def test_line_matches_numpy_polyfit_on_calendar_years():
    # an independent implementation (numpy's least-squares polynomial fit, degree 1)
    years = [2018, 2019, 2020, 2021, 2022]
    values = [24.1, 23.0, 23.4, 21.9, 21.2]
    slope, intercept = np.polyfit(years, values, 1)
    p = linear_projection(years, values, at=2030)
    assert p.slope == pytest.approx(slope, rel=1e-9)
    assert p.value == pytest.approx(slope * 2030 + intercept, rel=1e-9)


@given(a=st.floats(-1e3, 1e3), b=st.floats(-50, 50), start=st.integers(1900, 2100),
       n=st.integers(2, 12))
def test_points_on_a_line_are_projected_onto_it(a, b, start, n):
    years = list(range(start, start + n))
    p = linear_projection(years, [a + b * (t - start) for t in years], at=start + 20)
    assert p.slope == pytest.approx(b, abs=1e-6)
    assert p.value == pytest.approx(a + b * 20, abs=1e-6)


@pytest.mark.parametrize(("periods", "values", "message"), [
    ([2020], [1.0], "minst 2"),
    ([2020, 2020], [1.0, 2.0], "samma år"),
    ([2020, 2021], [1.0], "olika många"),
    ([2020, 2021], [1.0, float("nan")], "ändligt"),
])
def test_refuses_what_gives_no_line(periods, values, message):
    with pytest.raises(ValueError, match=message):
        linear_projection(periods, values, at=2030)
