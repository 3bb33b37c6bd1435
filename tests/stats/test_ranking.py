"""Bootstrap rank intervals, the consensus rule and the "ingen tydlig topplista" detector.

SYNTHETIC DATA: ratings simulated here (seeded) to mimic the Dalarna Samling's round — themes 1–2
with a clear top list of 6 and 5 areas, theme 3 all low, theme 4 (14 areas) all high.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from jamlik.stats import (
    ConsensusRule,
    bootstrap_ranks,
    consensus,
    top_list_verdict,
)

ORGS = np.repeat(np.arange(20), 3)  # 60 participants from 15 municipalities + 5 regional actors
GROUPS = np.where(ORGS < 15, "kommun", "regional")


def _simulate(means: list[float], *, seed: int, sd: float = 1.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    org_effect = rng.normal(0, 0.3, size=(20, len(means)))
    x = np.array(means)[None, :] + org_effect[ORGS] + rng.normal(0, sd, size=(60, len(means)))
    return np.clip(np.rint(x), 1, 9)


THEMES = {
    1: [8.0] * 6 + [4.5] * 4,  # the 6 chosen areas and 4 proposals rated lower
    2: [8.0] * 5 + [4.5] * 4,
    3: [3.5, 4.0, 3.0, 4.0, 3.5],
    4: [7.8, 8.0, 8.1, 7.9, 8.0, 8.2, 7.7, 8.0, 7.9, 8.1, 7.8, 8.0, 7.9, 8.1],
}


def test_samling_pattern_themes_1_2_clear_3_floor_4_ceiling() -> None:
    verdicts = {
        t: top_list_verdict(_simulate(m, seed=t), clusters=ORGS, seed=1) for t, m in THEMES.items()
    }
    assert verdicts[1].clear and sorted(verdicts[1].top) == [0, 1, 2, 3, 4, 5]
    assert verdicts[2].clear and sorted(verdicts[2].top) == [0, 1, 2, 3, 4]
    assert not verdicts[3].clear and verdicts[3].reasons == ("floor",)
    assert not verdicts[4].clear and verdicts[4].reasons == ("ceiling",)
    for t in (3, 4):
        assert verdicts[t].next_round_sv and "tvingande val" in verdicts[t].next_round_sv
        assert verdicts[t].explanation_sv.startswith("Ingen tydlig topplista")
        assert verdicts[t].explanation_en.startswith("No clear top list")
        assert verdicts[t].next_round_en and "forced choice" in verdicts[t].next_round_en
    assert verdicts[1].next_round_sv is None and verdicts[1].next_round_en is None
    assert verdicts[1].explanation_en.startswith("Clear top list: the 6 highest-ranked")
    # the same numbers in both languages (decimal comma in Swedish, point in English)
    numbers_sv = re.findall(r"\d+(?:,\d+)?", verdicts[1].explanation_sv)
    numbers_en = re.findall(r"\d+(?:\.\d+)?", verdicts[1].explanation_en)
    assert [n.replace(",", ".") for n in numbers_sv] == numbers_en
    assert set(verdicts[1].signals) >= {"stability", "gap", "kendall_w", "fewest_answers"}


def test_polarised_theme_is_disagreement_not_floor() -> None:
    r = _simulate([8.0] * 6, seed=5, sd=0.5)
    r[:30] = 10 - r[:30]  # half the participants rate the opposite way
    v = top_list_verdict(r, clusters=ORGS, seed=1)
    assert not v.clear and v.reasons == ("disagreement",)


def test_too_few_answers_is_reported_with_its_count() -> None:
    r = _simulate(THEMES[1], seed=1)[:4]
    v = top_list_verdict(r, seed=1)
    assert not v.clear and "too_few_answers" in v.reasons
    assert v.signals["fewest_answers"] == 4
    assert v.next_round_sv == "Samla in fler svar innan nästa omgång."
    assert v.next_round_en == "Collect more answers before the next round."
    assert "too few answers" in v.explanation_en


def test_bootstrap_ranks_equals_a_plain_loop_over_resampled_organisations() -> None:
    r = _simulate([6, 5, 7, 4, 6.5], seed=3)
    r[2, 1] = np.nan
    res = bootstrap_ranks(r, clusters=ORGS, top_k=2, resamples=300, seed=11)
    # independent loop: same seeded draws of organisations, concatenate their participants
    rng = np.random.default_rng(11)
    keys = np.unique(ORGS.astype(str))
    draws = rng.integers(0, keys.size, size=(300, keys.size))
    ranks = []
    for row in draws:
        rows = np.concatenate([np.flatnonzero(ORGS.astype(str) == keys[c]) for c in row])
        means = np.nanmean(r[rows], axis=0)
        ranks.append(sps.rankdata(-means, method="min"))
    ranks = np.array(ranks)
    assert res.p_top_k == pytest.approx(tuple((ranks <= 2).mean(axis=0)))
    assert res.rank_lower == tuple(int(x) for x in np.quantile(
        ranks, 0.025, axis=0, method="inverted_cdf"))
    assert res.score == pytest.approx(tuple(np.nanmean(r, axis=0)))
    assert res.clusters == 20 and res.answers[1] == 59


def test_bootstrap_ranks_is_seeded_and_bounded() -> None:
    r = _simulate([6, 5, 7, 4, 6.5], seed=3)
    a = bootstrap_ranks(r, top_k=2, seed=4)
    assert a == bootstrap_ranks(r, top_k=2, seed=4)
    assert all(1 <= lo <= hi <= 5 for lo, hi in zip(a.rank_lower, a.rank_upper, strict=True))
    assert sum(a.p_top_k) == pytest.approx(2.0, abs=0.05)  # ≈ k items are in the top k
    assert a.top()[0] == 2  # mean 7 is best


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"top_k": 0}, "top_k"),
        ({"resamples": 10}, "≥ 100"),
        ({"clusters": [1, 2]}, "organisationerna: 2 angivna men tabellen har 3"),
    ],
)
def test_bootstrap_ranks_refuses_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bootstrap_ranks([[1, 2], [2, 1], [3, 3]], **kwargs)


def test_bootstrap_ranks_refuses_an_unrated_proposal() -> None:
    with pytest.raises(ValueError, match="förslag 2 .* har inga betyg"):
        bootstrap_ranks([[1, None], [2, None]])


def test_consensus_rule_default_and_every_group_must_agree() -> None:
    rule = ConsensusRule()
    assert "minst 70 %" in rule.describe_sv() and "under 15 %" in rule.describe_sv()
    # item 0: everyone 8 → consensus; item 1: kommun 8, regional 5 → no; item 2: 20 % low → no
    r = np.full((10, 3), 8.0)
    groups = ["kommun"] * 6 + ["regional"] * 4
    r[6:, 1] = 5
    r[:2, 2] = 2
    res = consensus(r, groups=groups)
    assert res.reached == (True, False, False)
    assert res.top_share["regional"][1] == 0.0 and res.bottom_share["kommun"][2] == pytest.approx(
        2 / 6)
    assert res.groups == ("kommun", "regional")


def test_consensus_thresholds_are_inclusive_and_exclusive_as_declared() -> None:
    # exactly 70 % top → reached; exactly 15 % bottom → not reached (rule says "< 15 %")
    top70 = [8] * 7 + [5] * 3
    assert consensus(np.array([top70]).T).reached == (True,)
    bottom15 = [8] * 17 + [2] * 3  # 85 % top, 15 % bottom
    assert consensus(np.array([bottom15]).T).reached == (False,)


def test_consensus_on_a_1_to_5_scale_uses_its_thirds() -> None:
    rule = ConsensusRule(scale=(1, 5))
    assert rule.thirds() == (2.0, 4.0)
    assert consensus([[4], [5], [4]], rule=rule).reached == (True,)
    with pytest.raises(ValueError, match="utanför skalan 1–5"):
        consensus([[6], [5]], rule=rule)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_p_top_k_sums_to_k_without_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    r = rng.normal(5, 2, size=(12, 6))  # continuous scores: ties have probability 0
    res = bootstrap_ranks(r, top_k=3, resamples=200, seed=seed)
    assert sum(res.p_top_k) == pytest.approx(3.0)
    assert all(0 <= p <= 1 for p in res.p_top_k)
