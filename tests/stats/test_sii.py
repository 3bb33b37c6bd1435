"""SII/RII behaviour beyond the PHE reference cases: speed, reproducibility, refusals."""

from __future__ import annotations

import time

import numpy as np
import pytest

from jamlik.stats import sii

VALUES = [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 82.0, 84.2, 85.0]
POPS = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 6400, 7001, 6500]
SES = [1.6, 1.6, 1.5, 1.8, 1.7, 1.6, 1.4, 1.5, 1.5, 1.6]


def test_sii_with_100000_repetitions_runs_well_under_a_second() -> None:
    sii(VALUES, POPS, se=SES, repetitions=1000, seed=1)  # warm-up (imports, allocator)
    start = time.perf_counter()
    res = sii(VALUES, POPS, se=SES, repetitions=100_000, seed=1)
    assert time.perf_counter() - start < 0.5
    assert res.repetitions == 100_000 and res.groups == 10


def test_sii_is_reproducible_with_a_seed_and_limits_contain_estimate() -> None:
    a = sii(VALUES, POPS, se=SES, seed=42)
    b = sii(VALUES, POPS, se=SES, seed=42)
    assert a == b
    assert a.sii.lower < a.sii.value < a.sii.upper
    assert a.rii is not None and a.rii.lower < a.rii.value < a.rii.upper


def test_sii_equals_the_weighted_regression_slope() -> None:
    share = np.array(POPS) / sum(POPS)
    x = np.cumsum(share) - share / 2
    slope, intercept = np.polyfit(x, VALUES, 1, w=np.sqrt(share))
    res = sii(VALUES, POPS, se=SES, repetitions=1000, seed=1)
    assert res.sii.value == pytest.approx(slope)
    assert res.intercept == pytest.approx(intercept)
    assert res.rii is not None and res.rii.value == pytest.approx((intercept + slope) / intercept)


def test_sii_accepts_ordered_dimensions_and_998_limits_are_wider() -> None:
    r95 = sii(VALUES, POPS, se=SES, dimension="income_quintile", seed=3)
    r998 = sii(VALUES, POPS, se=SES, dimension="income_quintile", confidence=99.8, seed=3)
    assert r998.sii.lower < r95.sii.lower and r95.sii.upper < r998.sii.upper


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"values": [1.0], "populations": [10], "se": [0.1]}, "minst 2"),
        ({"values": [1.0, 2.0], "populations": [10, 0], "se": [0.1, 0.1]}, "befolkning 0"),
        ({"values": [1.0, 2.0], "populations": [10, 10]}, "standardfel"),
        (
            {"values": [1.0, 2.0], "populations": [10, 10], "se": [0.1, 0.1], "value_type": 3},
            "value_type",
        ),
        (
            {"values": [0.2, 1.5], "populations": [10, 10], "se": [0.1, 0.1], "value_type": 2},
            "mellan 0 och 1",
        ),
        (
            {"values": [1.0, 2.0], "populations": [10, 10], "se": [0.1, 0.1], "repetitions": 10},
            "för få",
        ),
        (
            {"values": [1.0, 2.0], "populations": [10, 10], "se": [0.1, 0.1], "dimension": "sex"},
            "ordning",
        ),
    ],
)
def test_sii_rejects_invalid_input_in_swedish(kwargs: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        sii(**kwargs)


def test_rii_is_withheld_when_the_fitted_starting_level_is_not_positive() -> None:
    res = sii([-2.0, -1.0, 0.5, 1.5], [10, 10, 10, 10], se=[0.2] * 4, repetitions=1000, seed=1)
    assert res.sii.value is not None and res.sii.value > 0
    assert res.rii is not None and res.rii.value is None and "RII" in (res.rii.note or "")
