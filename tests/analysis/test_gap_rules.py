"""Widening and narrowing gaps are judged on the size of the gap (real Kolada sample series)."""

from __future__ import annotations

import math

import pytest

from jamlik.analysis import profile
from jamlik.stats.trend import recent_trend


def _by_sex(store, kpi, area, periods):
    o = store.observations(kpi, areas=[area], sex=["K", "M"])
    w = o[o["sex"] == "K"].set_index("period")["value"]
    m = o[o["sex"] == "M"].set_index("period")["value"]
    return [float(w[p]) for p in periods], [float(m[p]) for p in periods]


def test_money_gap_is_judged_on_the_ratio_not_the_kronor(sample_store):
    # N00906 median earned income 20-64 (kr), Stockholm (0180): the kronor gap women − men grows
    # with the income level, but women's income as a share of men's rises — the gap narrows.
    (row,) = profile(sample_store, "0180", ["N00906"])
    gap = row.sex_gap
    assert gap["gap_measure"] == "ratio"
    women, men = _by_sex(sample_store, "N00906", "0180", gap["trend_periods"])
    kronor = recent_trend(gap["trend_periods"], [abs(w - m) for w, m in zip(women, men, strict=True)])
    assert str(kronor.trend) == "increasing"  # what an absolute kronor test would say
    logs = [abs(math.log(w / m)) for w, m in zip(women, men, strict=True)]
    ratio = recent_trend(gap["trend_periods"], logs)
    assert str(ratio.trend) == "decreasing" and gap["trend"] == "narrowing"
    assert gap["trend_label"] == "minskande skillnad"


def test_a_gap_that_changes_sign_is_never_widening(sample_store):
    # N00914 förvärvsarbetande 20-64 år, Vansbro (2021): women − men goes −1, +1, 0, −2
    # percentage points over the last periods — the gap has changed sign.
    (row,) = profile(sample_store, "2021", ["N00914"])
    gap = row.sex_gap
    women, men = _by_sex(sample_store, "N00914", "2021", gap["trend_periods"])
    diffs = [w - m for w, m in zip(women, men, strict=True)]
    assert any(d > 0 for d in diffs) and any(d < 0 for d in diffs)
    assert gap["trend"] == "sign_changed"
    assert gap["trend_label"] == "skillnaden har bytt tecken"


@pytest.mark.parametrize("area", ["2080", "2021", "2062", "2085"])
def test_widening_means_the_size_of_the_gap_grew(sample_store, area):
    # Every sex gap in these Dalarna profiles: "widening" only when no sign change and the
    # size of the gap (|difference| or |log ratio|) is larger at the end than at the start.
    for row in profile(sample_store, area):
        gap = row.sex_gap
        if not gap or gap["trend"] != "widening":
            continue
        women, men = _by_sex(sample_store, row.indicator, area, gap["trend_periods"])
        size = ([abs(math.log(w / m)) for w, m in zip(women, men, strict=True)]
                if gap["gap_measure"] == "ratio" else [abs(w - m) for w, m in zip(women, men, strict=True)])
        assert size[-1] > size[0]
        signs = {math.copysign(1, w - m) for w, m in zip(women, men, strict=True) if w != m}
        assert len(signs) == 1
