"""Benjamini–Hochberg q-values (reference: statsmodels multipletests, method="fdr_bh") and the
p-value of a benchmark comparison (consistent with benchmark_significance)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from jamlik.stats import (
    benchmark_p_value,
    benchmark_significance,
    benjamini_hochberg,
    expected_chance_findings,
)

P = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@pytest.mark.parametrize("seed", range(5))
def test_q_values_match_statsmodels_fdr_bh(seed):
    rng = np.random.default_rng(seed)
    p = np.concatenate([rng.uniform(size=50), rng.uniform(0, 0.01, size=10)])
    rng.shuffle(p)
    expected = multipletests(p, method="fdr_bh")[1]
    assert benjamini_hochberg(p.tolist()) == pytest.approx(expected.tolist(), abs=1e-12)


def test_q_values_match_statsmodels_with_ties_and_ones():
    p = [0.01, 0.01, 0.04, 1.0, 0.5, 0.04, 0.0]
    assert benjamini_hochberg(p) == pytest.approx(
        multipletests(p, method="fdr_bh")[1].tolist(), abs=1e-12)


@given(st.lists(P, min_size=1, max_size=80))
def test_q_values_are_at_least_p_at_most_1_and_keep_the_order(p):
    q = benjamini_hochberg(p)
    assert len(q) == len(p)
    assert all(pi - 1e-12 <= qi <= 1.0 for pi, qi in zip(p, q, strict=True))
    for i in range(len(p)):
        for j in range(len(p)):
            if p[i] < p[j]:
                assert q[i] <= q[j] + 1e-12


@given(st.lists(P, min_size=1, max_size=40), st.randoms(use_true_random=False))
def test_q_values_do_not_depend_on_input_order(p, rnd):
    idx = list(range(len(p)))
    rnd.shuffle(idx)
    q = benjamini_hochberg(p)
    q_shuffled = benjamini_hochberg([p[i] for i in idx])
    assert [q[i] for i in idx] == pytest.approx(q_shuffled, abs=1e-12)


def test_bad_p_values_are_refused_and_empty_is_empty():
    assert benjamini_hochberg([]) == ()
    with pytest.raises(ValueError, match="utanför 0–1"):
        benjamini_hochberg([0.2, 1.2])


def test_sixty_comparisons_at_5_percent_expect_three_chance_findings():
    assert expected_chance_findings([0.05] * 60) == pytest.approx(3.0)
    assert expected_chance_findings([0.05] * 20 + [0.002] * 10) == pytest.approx(1.02)
    assert expected_chance_findings([]) == 0.0


@given(
    st.floats(min_value=1, max_value=100), st.floats(min_value=0.01, max_value=10),
    st.floats(min_value=0.01, max_value=10), st.floats(min_value=-50, max_value=150),
)
def test_benchmark_p_below_5_percent_exactly_when_outside_the_95_limits(value, below, above, b):
    lower, upper = value - below, value + above
    p = benchmark_p_value(value, lower, upper, b)
    code = benchmark_significance(b, lower, upper, "higher_is_better")
    if abs(b - lower) < 1e-9 or abs(b - upper) < 1e-9:
        return  # on the boundary
    assert (p < 0.05) == (code != "similar")


def test_benchmark_p_value_known_case_and_refusals():
    # value 10, symmetric 95 % limits 8.04–11.96 (SE 1): benchmark 13 → z = 3, p = 0.0027
    assert benchmark_p_value(10, 10 - 1.959964, 10 + 1.959964, 13) == pytest.approx(
        0.0026998, abs=1e-6)
    assert benchmark_p_value(10, 9, 11, 10) == 1.0
    with pytest.raises(ValueError, match="utanför sina gränser"):
        benchmark_p_value(12, 9, 11, 10)
