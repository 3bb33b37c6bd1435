"""Comparison groups: the generic group mean agrees with the profile's own similar-group mean,
with a hand computation from the store, and the place and verdict rules hold."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik import analysis


def test_groups_of_falun_cover_every_kind(sample_store) -> None:
    groups = analysis.groups_for(sample_store, "Falun")
    kinds = [g.kind for g in groups]
    assert kinds.count("similar") == 12  # one per RKA theme
    assert groups[0].theme == "socioekonomi"  # the profile's default first
    assert "skr_group" in kinds and "county" in kinds
    county = next(g for g in groups if g.kind == "county")
    assert "2080" in county.members and len(county.members) == 15


@pytest.mark.parametrize("name, expect", [
    ("socioekonomi", ("similar", "socioekonomi")), ("aldreomsorg", ("similar", "äldreomsorg")),
    ("Liknande kommuner – ÄLDREOMSORG", ("similar", "äldreomsorg")), ("C6", ("skr_group", "C6")),
    ("lan", ("county", None)), ("Dalarnas läns kommuner", ("county", None)),
    (None, ("similar", "socioekonomi")),
])
def test_find_group_by_name(sample_store, name, expect) -> None:
    g = analysis.find_group(sample_store, "2080", name)
    assert (g.kind, g.theme) == expect


def test_unknown_group_is_a_swedish_key_error(sample_store) -> None:
    with pytest.raises(KeyError, match="finns inte"):
        analysis.find_group(sample_store, "2080", "fotboll")


def test_group_mean_equals_the_profiles_similar_mean(sample_store) -> None:
    """Two implementations: the profile's set-based similar query and the generic group path."""
    rows = [r.to_dict() for r in analysis.profile(sample_store, "2080")]
    group = analysis.find_group(sample_store, "2080", "socioekonomi")
    cmp = {c["indicator"]: c for c in analysis.group_comparison(sample_store, "2080", group, rows)}
    checked = with_se = 0
    for r in rows:
        if r["similar_value"] is None:
            continue
        c = cmp[r["indicator"]]
        assert c["mean"] == pytest.approx(r["similar_value"], rel=1e-12)
        assert c["n"] == r["similar_n"]
        if r["similar_se"] is not None:
            assert c["se"] == pytest.approx(r["similar_se"], rel=1e-9)
            with_se += 1
        else:
            assert c["se"] is None
        checked += 1
    assert checked > 40 and with_se > 5


def test_group_mean_by_hand_from_the_store(sample_store) -> None:
    group = analysis.find_group(sample_store, "2080", "socioekonomi")
    obs = sample_store.observations("N00957", areas=list(group.members), years=[2022])
    obs = obs[obs["sex"] == "T"]
    values = analysis.group_member_values(
        sample_store, group, pd.DataFrame({"indicator": ["N00957"], "period": [2022]}))
    means = analysis.group_means(values)
    assert means.loc[0, "mean"] == pytest.approx(obs["value"].mean())
    assert means.loc[0, "n"] == len(obs) == 7
    assert "2080" not in set(values["area"])


def test_group_means_se_is_root_sum_of_squares_over_k() -> None:
    values = pd.DataFrame({"indicator": ["x"] * 3, "period": [2022] * 3, "area": ["a", "b", "c"],
                           "value": [10.0, 12.0, 14.0], "lower": None, "upper": None,
                           "se": [1.0, 2.0, 2.0]})
    m = analysis.group_means(values).iloc[0]
    assert m["mean"] == 12.0 and m["se"] == pytest.approx(1.0)  # √(1+4+4)/3
    assert m["lower"] == pytest.approx(12 - 1.959963984540054)
    values.loc[1, "se"] = math.nan
    assert math.isnan(analysis.group_means(values).iloc[0]["se"])


def test_place_in_group_best_first_and_ties_share() -> None:
    assert analysis.place_in_group(5.0, [1.0, 5.0, 9.0], "lower_is_better") == (2, 4)
    assert analysis.place_in_group(5.0, [1.0, 5.0, 9.0], "higher_is_better") == (2, 4)
    assert analysis.place_in_group(9.5, [1.0, 5.0, 9.0], "higher_is_better") == (1, 4)
    assert analysis.place_in_group(None, [1.0], "higher_is_better") is None


def test_compare_with_group_widens_by_the_mean_se() -> None:
    # value 10 (9–11, SE ≈ 0.51); mean 8.5 outside the limits, but with the mean's SE 1.0 the
    # difference 1.5 < 1.96·√(0.51² + 1²) ≈ 2.2 is not significant.
    assert analysis.compare_with_group(10.0, 9.0, 11.0, "higher_is_better", 8.5, 0.0) == "better"
    assert analysis.compare_with_group(10.0, 9.0, 11.0, "higher_is_better", 8.5, 1.0) == "similar"
    assert analysis.compare_with_group(10.0, 9.0, 11.0, "lower_is_better", 5.0, 0.1) == "worse"
    assert analysis.compare_with_group(10.0, None, None, "lower_is_better", 5.0, 0.1) == \
        "not_compared"
    assert analysis.compare_with_group(10.0, 9.0, 11.0, "lower_is_better", 5.0, None) == \
        "not_compared"


def _group_means_per_group(values: pd.DataFrame) -> pd.DataFrame:
    """The reference: one pandas group per (indicator, period), as group_means was written."""
    rows = []
    for (ind, period), sub in values.groupby(["indicator", "period"], sort=True):
        k = len(sub)
        mean = float(sub["value"].mean())
        se = (math.sqrt(float((sub["se"].astype(float) ** 2).sum())) / k
              if sub["se"].notna().all() else math.nan)
        rows.append({"indicator": ind, "period": int(period), "mean": mean, "se": se,
                     "lower": mean - 1.959963984540054 * se,
                     "upper": mean + 1.959963984540054 * se, "n": k})
    return pd.DataFrame(rows, columns=["indicator", "period", "mean", "se", "lower", "upper", "n"])


def test_group_means_equal_the_per_group_reference_exactly(sample_store) -> None:
    import numpy as np

    group = analysis.find_group(sample_store, "2080", "socioekonomi")
    rows = analysis.profile(sample_store, "2080")
    pairs = pd.DataFrame([(r.indicator, int(r.period)) for r in rows],
                         columns=["indicator", "period"])
    real = analysis.group_member_values(sample_store, group, pairs, exclude="2080")
    rng = np.random.default_rng(5)
    n = 3000
    made = pd.DataFrame({  # unsorted, sizes 1–40, some SEs unknown, values over 12 magnitudes
        "indicator": rng.choice([f"I{i}" for i in range(40)], n),
        "period": rng.integers(2000, 2010, n), "area": "x",
        "value": rng.normal(0, 1, n) * 10.0 ** rng.integers(-6, 6, n),
        "lower": np.nan, "upper": np.nan,
        "se": np.where(rng.random(n) < 0.05, np.nan, rng.random(n))})
    for values in (real, made):
        assert not values.empty
        got, want = analysis.group_means(values), _group_means_per_group(values)
        assert len(got) == len(want) > 20
        pd.testing.assert_frame_equal(got, want, check_exact=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "N00957"]), st.integers(2015, 2018),
                          st.sampled_from(["2080", "2062", "2081"]),
                          st.one_of(st.floats(-1e6, 1e6), st.just(math.nan))),
                max_size=40))
def test_values_by_pair_equal_the_groupby_reference(rows) -> None:
    """The members' values per (indicator, period), sliced from the sorted rows, are exactly
    what a pandas group per pair gives (order within each pair kept)."""
    from jamlik.analysis._groups import _values_by_pair

    values = pd.DataFrame(rows, columns=["indicator", "period", "area", "value"])
    reference = {k: sub["value"].tolist()
                 for k, sub in values.groupby(["indicator", "period"])} if rows else {}
    got = _values_by_pair(values)
    assert got.keys() == reference.keys()
    for key, want in reference.items():
        assert [repr(v) for v in got[key]] == [repr(v) for v in want], key
