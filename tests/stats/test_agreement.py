"""Kendall's W, Krippendorff's α, ICC(A,1), AHP and RAND/UCLA against published reference values.

Reference values and their sources are in tests/stats/data/agreement_reference.json (README.md).
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from jamlik.stats import (
    LEVELS,
    ahp_weights,
    icc_agreement,
    kendall_w,
    krippendorff_alpha,
    krippendorff_alpha_interval,
    rand_classification,
)

REF = json.loads((Path(__file__).parent / "data" / "agreement_reference.json").read_text("utf-8"))


def _rel(a: float, b: float) -> float:
    return abs(a - b) / abs(b)


def _rounds_to(value: float, printed: float) -> bool:
    """True when ``value`` rounds to what the source printed (same number of decimals)."""
    decimals = len(repr(printed).split(".")[1]) if "." in repr(printed) else 0
    return round(value, decimals) == pytest.approx(printed, abs=10 ** -(decimals + 3))


# ── Kendall's W ───────────────────────────────────────────────────────────────────────────────


def _judges_by_project() -> np.ndarray:
    ranks = REF["kendall_w"]["ranks_per_project"]
    # the source lists judges A–D per project; kendall_w wants raters × items
    return np.array([ranks[str(p)] for p in range(1, 11)]).T


def test_kendall_w_matches_the_issue_reference() -> None:
    ref = REF["kendall_w"]
    res = kendall_w(_judges_by_project())
    assert res.raters == 4 and res.items == 10 and res.df == ref["df"]
    assert _rel(res.w, ref["w"]) < 1e-4
    assert _rounds_to(res.chi2, ref["chi2"])
    assert _rounds_to(res.p_value, ref["p_value"])


def test_kendall_w_chi2_equals_friedman_with_and_without_ties() -> None:
    # independent implementation: scipy's Friedman test; χ²_F = m(n − 1)W (tie-corrected)
    r = _judges_by_project()
    fr = sps.friedmanchisquare(*r.T)
    assert kendall_w(r).chi2 == pytest.approx(fr.statistic, rel=1e-12)
    tied = [[1, 1, 2, 3, 3], [2, 1, 1, 3, 4], [5, 4, 4, 1, 1], [1, 2, 3, 3, 3]]
    fr = sps.friedmanchisquare(*np.array(tied, dtype=float).T)
    res = kendall_w(tied)
    assert res.chi2 == pytest.approx(fr.statistic, rel=1e-12)
    assert res.p_value == pytest.approx(fr.pvalue, rel=1e-10)
    assert kendall_w(tied, tie_correction=False).w < res.w


def test_kendall_w_ranks_scores_within_each_rater() -> None:
    # scores 1–9 (not ranks) give the same W as their ranks
    scores = [[9, 7, 3, 1], [8, 8, 2, 1], [6, 5, 4, 2]]
    ranks = [sps.rankdata(s).tolist() for s in scores]
    assert kendall_w(scores).w == pytest.approx(kendall_w(ranks).w)
    assert kendall_w([[1, 2, 3], [1, 2, 3]]).w == pytest.approx(1.0)
    assert kendall_w([[1, 2, 3], [3, 2, 1]]).w == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ([[1, 2, 3]], "minst 2"),
        ([[1, 2], [1]], "rad 2 har 1 värden"),
        ([[1, None], [2, 1]], "rad 1, kolumn 2 saknar värde"),
        ([[1, "x"], [2, 1]], "inte ett tal"),
        ([[3, 3], [3, 3]], "samma betyg"),
    ],
)
def test_kendall_w_refuses_bad_tables_in_swedish(ratings: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        kendall_w(ratings)


# ── Krippendorff's α ──────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("level", LEVELS)
def test_krippendorff_alpha_matches_krippendorff_2011(level: str) -> None:
    ref = REF["krippendorff_2011"]
    assert _rounds_to(krippendorff_alpha(ref["data"], level=level), ref["printed"][level])


def test_krippendorff_alpha_matches_the_krippendorff_package_on_random_tables() -> None:
    cases = REF["krippendorff_package"]["cases"]
    assert len(cases) >= 20
    worst = 0.0
    for case in cases:
        for level, expected in case["alpha"].items():
            got = krippendorff_alpha(case["data"], level=level)
            worst = max(worst, abs(got - expected))
    assert worst < 1e-9


def test_krippendorff_alpha_accepts_nan_and_none_alike_and_is_rater_order_free() -> None:
    data = REF["krippendorff_2011"]["data"]
    as_nan = np.array([[np.nan if x is None else x for x in row] for row in data])
    a = krippendorff_alpha(data, level="ordinal")
    assert krippendorff_alpha(as_nan, level="ordinal") == pytest.approx(a)
    assert krippendorff_alpha(as_nan[::-1], level="ordinal") == pytest.approx(a)
    assert krippendorff_alpha(as_nan[:, ::-1], level="ordinal") == pytest.approx(a)


def test_krippendorff_alpha_is_one_for_perfect_agreement_and_nan_without_variation() -> None:
    assert krippendorff_alpha([[1, 2, 3, None], [1, 2, 3, 4]]) == pytest.approx(1.0)
    assert np.isnan(krippendorff_alpha([[2, 2, 2], [2, 2, 2]]))


def test_krippendorff_alpha_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="skalnivån 'cardinal'"):
        krippendorff_alpha([[1, 2], [1, 2]], level="cardinal")
    with pytest.raises(ValueError, match="minst två bedömare"):
        krippendorff_alpha([[1, None], [None, 2]])
    with pytest.raises(ValueError, match="ratio kräver värden ≥ 0"):
        krippendorff_alpha([[-1, 2], [1, 2]], level="ratio")


def test_krippendorff_bootstrap_is_seeded_and_brackets_alpha() -> None:
    data = REF["krippendorff_2011"]["data"]
    a = krippendorff_alpha_interval(data, level="interval", resamples=2000, seed=7)
    b = krippendorff_alpha_interval(data, level="interval", resamples=2000, seed=7)
    assert a == b
    assert a.value == pytest.approx(0.849, abs=5e-4)
    assert a.lower < a.value <= a.upper <= 1
    c = krippendorff_alpha_interval(data, level="interval", resamples=2000, seed=8)
    assert c.lower != a.lower  # the seed matters
    with pytest.raises(ValueError, match="≥ 100"):
        krippendorff_alpha_interval(data, resamples=10)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=6, max_size=6),
        min_size=2,
        max_size=5,
    )
)
def test_krippendorff_alpha_is_at_most_one(rows: list) -> None:
    try:
        a = krippendorff_alpha(rows, level="interval")
    except ValueError:
        return  # no unit rated twice
    assert np.isnan(a) or a <= 1 + 1e-12


# ── ICC(A,1) ──────────────────────────────────────────────────────────────────────────────────


def test_icc_agreement_matches_irr_on_the_anxiety_data() -> None:
    ref = REF["icc_anxiety"]
    res = icc_agreement(np.array(ref["subjects_by_rater"]).T)  # raters × subjects
    assert (res.subjects, res.raters, res.df1) == (20, 3, ref["df1"])
    for got, key in [
        (res.icc.value, "icc"),
        (res.f, "f"),
        (res.df2, "df2"),
        (res.p_value, "p_value"),
        (res.icc.lower, "lower"),
        (res.icc.upper, "upper"),
    ]:
        assert _rounds_to(got, ref[key]), (key, got, ref[key])
    # pingouin 0.7.0 intraclass_corr (run once by hand, not a dependency) prints the same ICC(A,1)
    # 0.197998 and F 1.826772 but tests F on (19, 38) df: p = 0.056201 — the plain ANOVA test
    assert res.icc.value == pytest.approx(0.197998, abs=1e-6)
    assert sps.f.sf(res.f, res.df1, (res.subjects - 1) * (res.raters - 1)) == pytest.approx(
        0.056201, abs=1e-6)


def test_icc_agreement_is_one_for_identical_raters_and_refuses_gaps() -> None:
    x = [[1, 4, 2, 5, 3], [1, 4, 2, 5, 3]]
    same = icc_agreement(x)
    assert same.icc.value == 1.0 and same.icc.note and same.p_value == 0.0
    with pytest.raises(ValueError, match="saknar värde"):
        icc_agreement([[1, 2, None], [1, 2, 3]])


# ── AHP ───────────────────────────────────────────────────────────────────────────────────────


def _drinks() -> tuple[list[list[float]], list[str]]:
    ref = REF["ahp_drinks"]
    matrix = [[float(Fraction(str(x))) for x in row] for row in ref["matrix"]]
    return matrix, ref["labels"]


def test_ahp_reproduces_saaty_2008_drinks() -> None:
    ref = REF["ahp_drinks"]
    matrix, labels = _drinks()
    res = ahp_weights(matrix, labels=labels)
    for label, w in ref["weights"].items():
        assert round(res.weight_of(label), 4) == pytest.approx(w, abs=1e-9), label
    assert _rel(res.lambda_max, ref["lambda_max"]) < 1e-6
    assert round(res.cr, 4) == pytest.approx(ref["cr"])
    assert res.ri == ref["ri"] and res.consistent
    assert sum(res.weights) == pytest.approx(1.0)


def test_ahp_harker_recovers_a_consistent_matrix_with_gaps() -> None:
    w = np.array([0.4, 0.3, 0.2, 0.1])
    full = (w[:, None] / w[None, :]).tolist()
    full[0][3] = full[3][0] = None
    full[1][2] = full[2][1] = None
    res = ahp_weights(full)
    assert res.weights == pytest.approx(tuple(w), rel=1e-9)
    assert res.filled == ((0, 3), (1, 2))
    assert res.completed[0][3] == pytest.approx(4.0) and res.cr == pytest.approx(0, abs=1e-9)


def test_ahp_flags_inconsistent_judgements() -> None:
    # a > b, b > c, but c > a: intransitive
    res = ahp_weights([[1, 5, 1 / 5], [1 / 5, 1, 5], [5, 1 / 5, 1]])
    assert res.cr > 0.10 and not res.consistent


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 3], [3, 1]], "inte reciprok"),
        ([[1, 3, 2], [1 / 3, 1, 2]], "kvadratisk"),
        ([[2, 3], [1 / 3, 1]], "sig själv ska vara 1"),
        ([[1, None], [1, 1]], "bara ena halvan"),
        ([[1, -2], [-0.5, 1]], "större än 0"),
        ([[1, 2, None, None], [0.5, 1, None, None], [None, None, 1, 3],
          [None, None, 1 / 3, 1]], "hänger inte ihop"),
    ],
)
def test_ahp_refuses_bad_matrices_in_swedish(matrix: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ahp_weights(matrix)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.05, 1.0), min_size=3, max_size=9))
def test_ahp_consistent_matrices_give_their_weights_and_cr_zero(raw: list[float]) -> None:
    w = np.array(raw) / sum(raw)
    res = ahp_weights(w[:, None] / w[None, :])
    assert res.weights == pytest.approx(tuple(w), rel=1e-7)
    assert res.cr == pytest.approx(0.0, abs=1e-7)


# ── RAND/UCLA ─────────────────────────────────────────────────────────────────────────────────


def test_rand_classification_reproduces_the_manuals_ipras_example() -> None:
    ref = REF["rand_ipras"]
    res = rand_classification(ref["ratings"])
    assert (res.median, res.p30, res.p70, res.ipr) == (
        ref["median"], ref["p30"], ref["p70"], ref["ipr"]
    )
    assert res.ipras == pytest.approx(ref["ipras"])
    assert res.disagreement is ref["disagreement"]
    assert res.classification == ref["classification"] and res.label_sv == "lämplig"


def test_rand_classification_classes_and_disagreement() -> None:
    assert rand_classification([1, 2, 2, 3, 2, 1, 3, 2, 2]).classification == "inappropriate"
    assert rand_classification([5, 5, 4, 6, 5, 5, 4, 6, 5]).classification == "uncertain"
    split = rand_classification([1, 1, 1, 2, 9, 9, 9, 9, 8])
    assert split.disagreement and split.disagreement_panel_rule and split.panel_threshold == 3
    assert split.classification == "uncertain" and split.label_sv == "osäker"


def test_rand_classification_on_a_1_to_5_scale_maps_to_1_to_9() -> None:
    res = rand_classification([5, 5, 4, 5, 4, 5, 5, 4, 5], scale=(1, 5))
    assert res.median == 5 and res.classification == "appropriate"
    assert res.note is not None and "1–9" in res.note


def test_rand_classification_refuses_ratings_outside_the_scale() -> None:
    with pytest.raises(ValueError, match="betyg 3 är 10, utanför skalan 1–9"):
        rand_classification([7, 8, 10])
    with pytest.raises(ValueError, match="är tom"):
        rand_classification([])
