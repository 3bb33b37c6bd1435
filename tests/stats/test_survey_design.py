"""Design-based survey proportions: samplics reference, a hand-worked case, properties, coverage."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.stats import (
    design_mean,
    design_proportion,
    poststratification_weights,
    proportion_ci,
)

DATA = Path(__file__).parent / "data"


def test_matches_samplics_on_a_synthetic_wave() -> None:
    """Independent implementation: samplics 0.6 TaylorEstimator (scripts/survey_reference.py)
    on 742 pupils of 15 municipalities (strata) and their schools (PSUs), question `somn`."""
    frame = pd.read_csv(DATA / "survey_design_case.csv", dtype={"municipality": str,
                                                               "answer": str})
    reference = json.loads((DATA / "survey_design_reference.json").read_text())["domains"]
    answered = frame["answer"].notna()
    psu = frame["municipality"] + "|" + frame["school"]
    checked = 0
    for name, keys in {"all": [], "grade_sex": ["grade", "sex"],
                       "municipality": ["municipality"]}.items():
        for label, want in reference[name].items():
            domain = answered.copy()
            for k, v in zip(keys, label.split("|"), strict=False):
                domain &= frame[k].astype(str) == v
            got = design_proportion(frame["y"], frame["w"], frame["municipality"], psu,
                                    domain=domain)
            assert got.estimate.value == pytest.approx(want["p"], rel=1e-9)
            assert got.se == pytest.approx(want["se"], rel=1e-9)
            if got.se > 0 and 0 < want["p"] < 1:
                assert got.estimate.lower == pytest.approx(want["lower"], rel=1e-9)
                assert got.estimate.upper == pytest.approx(want["upper"], rel=1e-9)
            checked += 1
    assert checked == 24


def test_mean_matches_samplics_on_the_same_wave() -> None:
    """samplics 0.6 TaylorEstimator(PopParam.mean) on the answer code of `somn` (1–3) as a
    number — only to check the mean's linearisation and t limits."""
    frame = pd.read_csv(DATA / "survey_design_case.csv", dtype={"municipality": str,
                                                               "answer": str})
    reference = json.loads((DATA / "survey_design_reference.json").read_text())["means"]
    answered = frame["answer"].notna()
    score = pd.to_numeric(frame["answer"]).fillna(1)
    psu = frame["municipality"] + "|" + frame["school"]
    checked = 0
    for name, keys in {"all": [], "grade_sex": ["grade", "sex"]}.items():
        for label, want in reference[name].items():
            domain = answered.copy()
            for k, v in zip(keys, label.split("|"), strict=False):
                domain &= frame[k].astype(str) == v
            got = design_mean(score, frame["w"], frame["municipality"], psu, domain=domain)
            assert got.estimate.value == pytest.approx(want["mean"], rel=1e-9)
            assert got.se == pytest.approx(want["se"], rel=1e-9)
            assert got.estimate.lower == pytest.approx(want["lower"], rel=1e-9)
            assert got.estimate.upper == pytest.approx(want["upper"], rel=1e-9)
            checked += 1
    assert checked == 9


def test_hand_worked_two_strata_two_schools_each() -> None:
    """p = 5/7; PSU totals of z: −3/49, 4/49 | −5/49, 4/49; v = 2·(24.5 + 40.5)/2401 = 130/2401;
    df = 4 PSUs − 2 strata = 2."""
    y = [1, 0, 1, 0, 1, 1]
    w = [1, 1, 2, 1, 1, 1]
    strata = ["A", "A", "A", "B", "B", "B"]
    schools = ["a1", "a1", "a2", "b1", "b2", "b2"]
    r = design_proportion(y, w, strata, schools)
    assert r.estimate.value == pytest.approx(5 / 7)
    assert r.se == pytest.approx(math.sqrt(130) / 49)
    assert r.df == 2 and r.n == 6 and r.weighted_n == 7
    # logit limits with t(2): logit(5/7) ± 4.302653 · se / (p(1 − p))
    half = 4.302652729749464 * (math.sqrt(130) / 49) / (5 / 7 * 2 / 7)
    assert r.estimate.lower == pytest.approx(1 / (1 + math.exp(-(math.log(2.5) - half))))
    assert r.estimate.upper == pytest.approx(1 / (1 + math.exp(-(math.log(2.5) + half))))


def test_a_domain_inside_one_school_gets_simple_random_sample_limits() -> None:
    y = [1, 0, 1, 1, 0, 1, 0, 0]
    r = design_proportion(y, [1] * 8, ["A"] * 8, ["s1"] * 4 + ["s2"] * 4,
                          domain=[True] * 4 + [False] * 4)
    assert r.estimate.value == pytest.approx(0.75)
    assert r.se == pytest.approx(math.sqrt(0.75 * 0.25 / 4))
    assert "samma skola" in (r.estimate.note or "")


def test_poststratification_weights_add_up_to_the_population() -> None:
    cells = ["a", "a", "b", "b", "b"]
    w = poststratification_weights(cells, {"a": 10, "b": 3, "c": 99})
    assert w.tolist() == [5.0, 5.0, 1.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="saknar befolkningstal"):
        poststratification_weights(["x"], {"a": 1})
    with pytest.raises(ValueError, match="mindre än antalet svarande"):
        poststratification_weights(["a", "a"], {"a": 1})


@pytest.mark.parametrize("bad", [
    {"w": [1, 0]}, {"w": [1, float("nan")]}, {"y": [2, 0]}, {"y": []},
])
def test_bad_input_is_refused_in_swedish(bad) -> None:
    args = {"y": [1, 0], "w": [1, 1]} | bad
    n = len(args["y"])
    with pytest.raises(ValueError):
        design_proportion(args["y"], args["w"], ["A"] * n, ["s"] * n)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0.1, 50))
def test_invariants(seed: int, scale: float) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 200))
    y = (rng.random(n) < rng.uniform(0.05, 0.95)).astype(float)
    w = rng.uniform(0.5, 4, n)
    strata = rng.integers(0, 3, n)
    psu = [f"{h}-{c}" for h, c in zip(strata, rng.integers(0, 4, n), strict=True)]
    r = design_proportion(y, w, strata, psu)
    # the limits hold the estimate and stay inside 0–1
    assert 0 <= r.estimate.lower <= r.estimate.value <= r.estimate.upper <= 1
    # scaling every weight changes nothing
    s = design_proportion(y, w * scale, strata, psu)
    assert s.estimate.value == pytest.approx(r.estimate.value, rel=1e-9)
    assert s.se == pytest.approx(r.se, rel=1e-7, abs=1e-12)
    # a domain of everyone is the whole sample
    d = design_proportion(y, w, strata, psu, domain=[True] * n)
    assert d.se == pytest.approx(r.se, rel=1e-12, abs=1e-15)


def test_coverage_with_clustered_schools_stays_near_95_per_cent() -> None:
    """Simulation: 10 municipalities × 6 schools × 40 pupils, school effects N(0, 0.6) on the
    logit scale. Design-based limits cover the true share in about 95 % of 400 samples;
    Wilson limits that ignore the schools cover far less (clustering matters)."""
    rng = np.random.default_rng(20261201)
    mu, sigma = 0.4, 0.6
    truth = float(np.mean(1 / (1 + np.exp(-(mu + sigma * rng.standard_normal(2_000_000))))))
    strata = np.repeat(np.arange(10), 6 * 40)
    schools = np.repeat(np.arange(60), 40)
    weights = np.ones(len(schools))
    design = naive = 0
    sims = 400
    for _ in range(sims):
        p_school = 1 / (1 + np.exp(-(mu + sigma * rng.standard_normal(60))))
        y = (rng.random(len(schools)) < p_school[schools]).astype(float)
        r = design_proportion(y, weights, strata, schools)
        design += r.estimate.lower <= truth <= r.estimate.upper
        w = proportion_ci(int(y.sum()), len(y))
        naive += w.lower <= truth <= w.upper
    assert 0.92 <= design / sims <= 0.975
    assert naive / sims < 0.85
