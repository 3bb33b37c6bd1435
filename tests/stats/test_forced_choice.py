"""Weighted sum, rankability and the forced-choice aggregations (Borda, points, best–worst,
Bradley–Terry): hand-worked cases and independent implementations (statsmodels, scipy)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from statsmodels.stats.meta_analysis import combine_effects

from jamlik.stats import (
    ahp_weights,
    best_worst_scores,
    bradley_terry,
    points_allocation,
    rankability,
    top_k_borda,
    weighted_sum,
)


def test_weighted_sum_by_hand_and_with_ahp_weights() -> None:
    need = [[9, 5, 1], [7, 5, 3]]  # item means 8, 5, 2
    cost = [[1, 5, 9], [3, None, 9]]  # item means 2, 5, 9
    res = weighted_sum({"angelägenhet": need, "kostnadseffektivitet": cost},
                       {"angelägenhet": 3, "kostnadseffektivitet": 1})
    assert res.weights == {"angelägenhet": 0.75, "kostnadseffektivitet": 0.25}
    assert res.score == pytest.approx((6.5, 5.0, 3.75))
    assert res.rank == (1, 2, 3)
    ahp = ahp_weights([[1, 3], [1 / 3, 1]], labels=["angelägenhet", "kostnadseffektivitet"])
    via_ahp = weighted_sum({"angelägenhet": need, "kostnadseffektivitet": cost},
                           dict(zip(ahp.labels or (), ahp.weights, strict=True)))
    assert via_ahp.score == pytest.approx(res.score)
    assert weighted_sum({"a": need}).score == pytest.approx((8, 5, 2))


def test_weighted_sum_refuses_mismatched_weights_and_tables() -> None:
    with pytest.raises(ValueError, match="saknas"):
        weighted_sum({"a": [[1, 2]], "b": [[1, 2]]}, {"a": 1})
    with pytest.raises(ValueError, match="olika antal förslag"):
        weighted_sum({"a": [[1, 2]], "b": [[1, 2, 3]]})
    with pytest.raises(ValueError, match="alla vikter är 0"):
        weighted_sum({"a": [[1, 2]]}, {"a": 0})


def test_rankability_tau2_matches_statsmodels_dersimonian_laird() -> None:
    rng = np.random.default_rng(9)
    r = rng.normal([5, 6, 6.5, 7, 8], 1.5, size=(25, 5))
    r[rng.random(r.shape) < 0.1] = np.nan
    res = rankability(r)
    n = (~np.isnan(r)).sum(axis=0)
    var = np.nanvar(r, axis=0, ddof=1) / n
    ref = combine_effects(np.nanmean(r, axis=0), var, method_re="dl")
    assert res.tau2 == pytest.approx(float(ref.tau2), rel=1e-10)
    assert res.rho == pytest.approx(res.tau2 / (res.tau2 + np.median(var)))
    assert res.label_sv == "hög"


def test_rankability_is_low_when_proposals_are_alike() -> None:
    rng = np.random.default_rng(1)
    res = rankability(rng.normal(7, 1.5, size=(20, 8)))
    assert res.rho < 0.5 and res.label_sv == "låg"
    with pytest.raises(ValueError, match="alla betyg är lika"):
        rankability([[5, 1], [5, 2]])


def test_top_k_borda_by_hand() -> None:
    # k = 3: first 3 points, second 2, third 1; three participants
    res = top_k_borda([[0, 1, 2], [1, 0], [1, 3, 0]], 4, k=3)
    assert res.score == pytest.approx((6 / 3, 8 / 3, 1 / 3, 2 / 3))  # 3+2+1, 2+3+3, 1, 2
    assert res.rank == (2, 1, 4, 3) and res.answers == 3
    with pytest.raises(ValueError, match="högst 3"):
        top_k_borda([[0, 1, 2, 3]], 4, k=3)
    with pytest.raises(ValueError, match="samma förslag två gånger"):
        top_k_borda([[0, 0]], 4, k=3)
    with pytest.raises(ValueError, match="förslag 7 finns inte"):
        top_k_borda([[7]], 4, k=3)


def test_points_allocation_means_shares_and_refuses_wrong_sums() -> None:
    res = points_allocation([[50, 30, 20], [10, None, 90]])
    assert res.score == pytest.approx((0.3, 0.15, 0.55)) and res.rank == (2, 3, 1)
    with pytest.raises(ValueError, match="rad 2 summerar till 90, inte 100"):
        points_allocation([[50, 50, 0], [40, 40, 10]])
    with pytest.raises(ValueError, match="negativ"):
        points_allocation([[150, -50]])


def test_best_worst_scores_by_hand() -> None:
    tasks = [([0, 1, 2], 0, 2), ([0, 1, 3], 1, 3), ([1, 2, 3], 1, 2)]
    res = best_worst_scores(tasks, 4)
    # shown 2, 3, 2, 2; best−worst 1, 2, −2, −1
    assert res.score == pytest.approx((0.5, 2 / 3, -1.0, -0.5)) and res.rank == (2, 1, 4, 3)
    with pytest.raises(ValueError, match="samma förslag valdes som bäst och sämst"):
        best_worst_scores([([0, 1], 0, 0)], 2)
    with pytest.raises(ValueError, match="visades inte"):
        best_worst_scores([([0, 1], 2, 0)], 3)


def _bt_by_likelihood(comparisons: list[tuple[int, int]], n: int) -> np.ndarray:
    def nll(theta: np.ndarray) -> float:
        t = np.concatenate([[0.0], theta])
        return float(sum(np.logaddexp(0, t[b] - t[a]) for a, b in comparisons))

    fit = minimize(nll, np.zeros(n - 1), method="BFGS", options={"gtol": 1e-10})
    p = np.exp(np.concatenate([[0.0], fit.x]))
    return p / p.sum()


def test_bradley_terry_matches_direct_likelihood_maximisation() -> None:
    comps = [(0, 1)] * 7 + [(1, 0)] * 3 + [(1, 2)] * 6 + [(2, 1)] * 4 + [(0, 2)] * 8 + [
        (2, 0)] * 2 + [(3, 0)] * 1 + [(0, 3)] * 4 + [(3, 2)] * 3 + [(2, 3)] * 3
    res = bradley_terry(comps, 4)
    assert res.score == pytest.approx(tuple(_bt_by_likelihood(comps, 4)), rel=1e-5)
    assert sum(res.score) == pytest.approx(1.0) and res.rank[0] == 1


def test_bradley_terry_refuses_comparisons_without_a_maximum() -> None:
    with pytest.raises(ValueError, match="bara vunnit eller bara"):
        bradley_terry([(0, 1), (0, 2), (1, 2)], 3)  # 0 never loses
    with pytest.raises(ValueError, match="sig självt"):
        bradley_terry([(1, 1)], 3)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.2, 5.0), min_size=3, max_size=6), st.integers(0, 1000))
def test_bradley_terry_strengths_are_positive_and_sum_to_one(
    strengths: list[float], seed: int
) -> None:
    rng = np.random.default_rng(seed)
    n = len(strengths)
    comps = []
    for i in range(n):
        for j in range(n):
            if i < j:
                comps += [(i, j), (j, i)]  # one each way keeps the MLE finite
                p = strengths[i] / (strengths[i] + strengths[j])
                for _ in range(20):
                    comps.append((i, j) if rng.random() < p else (j, i))
    res = bradley_terry(comps, n)
    assert sum(res.score) == pytest.approx(1.0)
    assert all(x > 0 for x in res.score)
