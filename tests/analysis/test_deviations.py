"""The deviation list: evidence, ranking and honest wording."""

from __future__ import annotations

import json

from jamlik.analysis import deviations, deviations_from_profile, profile

KINDS = {"worse_than_benchmark", "trending_worse", "widening_gap", "missed_target"}


def test_synthetic_deviations_are_ranked_with_significance_first(synthetic_store):
    devs = deviations(synthetic_store, "2080")
    kinds = [(d.indicator, d.kind, d.benchmark) for d in devs]
    # SYNTHETIC: the survey share is worse than every benchmark at 99.8 %, rising, gap widening;
    # the register value is only in the worst quarter (no limits).
    assert kinds[0] == ("SYN_SURVEY", "worse_than_benchmark", "nation")
    assert ("SYN_SURVEY", "trending_worse", None) in kinds
    assert ("SYN_SURVEY", "widening_gap", None) in kinds
    assert kinds[-1] == ("SYN_REG", "worse_than_benchmark", "rank")
    tested = [d for d in devs if d.q_value is not None]
    assert devs[: len(tested)] == tested  # tested evidence first, then rank positions
    assert [(d.q_value, d.p_value) for d in tested] == sorted((d.q_value, d.p_value) for d in tested)
    assert all(d.test and d.p_value <= d.q_value <= 1 for d in tested)
    assert {"test", "p_value", "q_value"} <= set(devs[0].to_dict())
    rank_dev = devs[-1]
    assert "relativ placering" in rank_dev.text and "inte ett signifikanstest" in rank_dev.text
    assert rank_dev.evidence["significance_tested"] is False
    assert "99,8 %" in devs[0].text


def test_weak_evidence_never_tops_stronger_evidence(synthetic_store):
    from dataclasses import replace

    rows = profile(synthetic_store, "2080")
    base = next(r for r in rows if r.indicator == "SYN_REG")
    weak = replace(base, indicator="WEAK", trend="increasing", trend_direction="worse",
                   trend_test="mann_kendall", trend_p_value=0.047, rank_colour="grey",
                   sex_gap=None)
    strong = replace(base, indicator="STRONG", trend="increasing", trend_direction="worse",
                     trend_test="mann_kendall", trend_p_value=0.001, rank_colour="grey",
                     trend_slope=0.0, sex_gap=None)
    devs = deviations_from_profile([weak, strong])
    assert [d.indicator for d in devs] == ["STRONG", "WEAK"]
    assert devs[1].q_value == 0.047 and devs[0].q_value == 0.002  # BH over the 2 tests


def test_better_indicators_are_not_deviations(synthetic_store):
    assert all(d.indicator != "SYN_COUNT" for d in deviations(synthetic_store, "2080"))


def test_falun_deviations_from_real_sample(sample_store):
    rows = profile(sample_store, "2080")
    devs = deviations_from_profile(rows)
    assert devs, "Falun has indicators in the worst quarter in the sample"
    by_ind = {r.indicator: r for r in rows}
    for d in devs:
        assert d.kind in KINDS
        json.dumps(d.to_dict())
        row = by_ind[d.indicator]
        if d.kind == "worse_than_benchmark" and not row.tested:
            # Without limits only the rank fallback can flag, and it says so.
            assert d.benchmark == "rank" and row.rank_colour == "red"
            assert "inte ett signifikanstest" in d.text
        elif d.kind == "worse_than_benchmark":
            # Derived limits (a population share): a significance test against a benchmark.
            assert d.benchmark in ("nation", "county", "similar")
            assert getattr(row, f"vs_{d.benchmark}").startswith("worse")
        if d.kind == "trending_worse":
            assert row.trend_direction == "worse" and "Mann–Kendall" in d.text
    assert any(d.indicator == "N74811" for d in devs)  # long-term psychiatric sick leave, 268/290


def test_missed_targets_say_whether_the_shortfall_is_certain(synthetic_store):
    # SYNTHETIC targets: the survey share (lower is better, 36 ± 1) misses 30 with certainty and
    # 35.5 without; the register value (30, no limits) misses 20 with unknown uncertainty.
    devs = deviations(synthetic_store, "2080",
                      targets={"SYN_SURVEY": 30.0, "SYN_REG": 20.0, "SYN_COUNT": 10.0})
    missed = {d.indicator: d for d in devs if d.kind == "missed_target"}
    assert set(missed) == {"SYN_SURVEY", "SYN_REG"}  # SYN_COUNT (46 %, higher is better) meets 10
    assert missed["SYN_SURVEY"].evidence["significant"] is True
    assert "statistiskt säkerställd" in missed["SYN_SURVEY"].text
    assert "Osäkerheten är okänd" in missed["SYN_REG"].text
    close = deviations(synthetic_store, "2080", targets={"SYN_SURVEY": 35.5})
    (d,) = [d for d in close if d.kind == "missed_target"]
    assert d.evidence["significant"] is False and "inte säkerställt" in d.text
