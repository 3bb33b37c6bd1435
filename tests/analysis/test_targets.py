"""One target and deviation engine: the steering follow-up and the deviation list agree."""

from __future__ import annotations

import pytest

from jamlik.analysis import KINDS, STATUSES, assess_target, deviations_from_profile
from jamlik.stats import linear_projection
from jamlik.steering import DEVIATION_LABELS_SV, STATUS_LABELS_SV, assess
from jamlik.steering._followup import DEVIATION_LABELS_EN


def test_steering_asks_the_analysis_engine():
    assert assess is assess_target
    assert STATUS_LABELS_SV == {k: sv for k, (sv, _) in STATUSES.items()}
    for kind, label in DEVIATION_LABELS_SV.items():
        assert (label, DEVIATION_LABELS_EN[kind]) == KINDS[kind]


def test_every_kind_and_status_has_one_distinct_word_in_each_language():
    for table in (KINDS, STATUSES):
        sv = [w[0] for w in table.values()]
        en = [w[1] for w in table.values()]
        assert all(sv) and all(en)
        assert len(set(sv)) == len(sv) and len(set(en)) == len(en)
    assert KINDS["missed_target"][0] == "Målvärdet nås inte"  # glossary: target = målvärde


def test_on_track_uses_the_stats_projection():
    series = [(2018, 22.0), (2019, 21.5), (2020, 21.2), (2021, 20.9), (2022, 20.66)]
    projected = linear_projection([p for p, _ in series], [v for _, v in series], 2026).value
    status, rule = assess_target(20.66, "2022", 19.5, 2026, "lower", series, 2022)
    assert status == "on_track"
    assert f"{projected:.2f}".replace(".", ",") in rule
    status, _ = assess_target(20.66, "2022", projected - 0.01, 2026, "lower", series, 2022)
    assert status == "off_track"


class _Row:
    """The few ProfileRow fields the target rule reads."""

    def __init__(self, value, polarity, lower=None, upper=None):
        self.indicator, self.title, self.area = "N1", "Ohälsotal", "2080"
        self.value, self.polarity, self.lower, self.upper = value, polarity, lower, upper
        self.period, self.period_label = 2022, "2022"
        for b in ("nation", "county", "similar"):
            setattr(self, f"vs_{b}", "similar")
            setattr(self, f"{b}_value", None)
        self.rank_colour, self.trend_direction, self.sex_gap = "none", None, None


@pytest.mark.parametrize(("value", "target", "polarity"), [
    (20.66, 21.0, "lower_is_better"), (20.66, 18.0, "lower_is_better"),
    (18.0, 18.0, "lower_is_better"), (85.2, 85.0, "higher_is_better"),
    (80.0, 85.0, "higher_is_better"), (5.0, 4.0, "no_judgement"),
])
def test_the_deviation_list_misses_a_target_exactly_when_the_follow_up_is_off_track(
        value, target, polarity):
    direction = {"lower_is_better": "lower", "higher_is_better": "higher"}.get(polarity)
    status, _ = assess_target(value, "2022", target, 2022, direction, [], 2022)
    kinds = [d.kind for d in deviations_from_profile([_Row(value, polarity)],
                                                     targets={"N1": target})]
    assert ("missed_target" in kinds) == (status == "off_track")


def test_the_follow_up_lists_the_deviations_the_analysis_engine_finds():
    from jamlik.analysis import follow_up_deviations
    from jamlik.steering._followup import IndicatorFollowUp, _deviations

    item = IndicatorFollowUp(1, "N00957", "Ohälsotal", "dagar", "T", "lower", "plan", 18.0, 2022,
                             value=20.66, period=2022, period_label="2022", status="off_track",
                             vs_similar="worse",
                             sex_gap={"trend": "widening", "women": 25.9, "men": 15.5,
                                      "difference": 10.4})
    found = follow_up_deviations(
        title=item.title, title_en=None, status="off_track", value=20.66, period_label="2022",
        target=18.0, due=2022, vs_similar="worse", vs_similar_label=None,
        sex_gap=item.sex_gap)
    listed = _deviations(item)
    assert [d.kind for d in listed] == [d.kind for d in found] == [
        "missed_target", "worse_than_similar", "widening_gap"]
    assert [(d.text, d.text_en) for d in listed] == [(d.text_sv, d.text_en) for d in found]
    assert [d.label for d in listed] == [KINDS[d.kind][0] for d in found]
