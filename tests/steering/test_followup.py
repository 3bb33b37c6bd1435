"""Follow-up: status rules, deviations first, direction from polarity, sex-specific targets."""

from __future__ import annotations

from jamlik.steering import SYSTEM, assess, follow_up, to_markdown
from jamlik.steering._followup import IndicatorFollowUp, _deviations


def test_reached_target_is_achieved_on_the_right_side():
    status, rule = assess(20.66, "2022", 21.0, 2022, "lower", [], 2022)
    assert status == "achieved" and "lägre än eller lika med målvärdet 21" in rule
    assert assess(85.22, "2018–2022", 85.0, 2022, "higher", [], 2022)[0] == "achieved"
    assert assess(18.0, "2022", 18.0, 2022, "lower", [], 2022)[0] == "achieved"  # equal counts


def test_missed_target_in_the_target_year_is_off_track():
    status, rule = assess(20.66, "2022", 18.0, 2022, "lower", [], 2022)
    assert status == "off_track"
    assert rule == ("Ej på väg: målvärdet 18 skulle nås 2022, men värdet (2022) är 20,66 — "
                    "lägre är bättre.")


def test_future_target_is_on_track_when_the_line_reaches_it():
    # Falun ohälsotal 2018–2022 (Kolada N00957): 22.8, 21.40, 20.79, 20.19, 20.66
    series = [(2018, 22.8), (2019, 21.39864483), (2020, 20.79388483), (2021, 20.19),
              (2022, 20.66)]
    # slope ≈ −0.50 per year: 2026 projects to about 18.3
    status, rule = assess(20.66, "2022", 19.0, 2026, "lower", series, 2022)
    assert status == "on_track" and "per år" in rule and "2026" in rule
    status, rule = assess(20.66, "2022", 15.0, 2026, "lower", series, 2022)
    assert status == "off_track" and "inte når målvärdet 15" in rule


def test_cannot_assess_says_why():
    assert "inget målvärde" in assess(1.0, "2022", None, 2022, "lower", [], 2022)[1]
    assert "ingen riktning" in assess(1.0, "2022", 2.0, 2022, None, [], 2022)[1]
    assert "inget värde finns för 2022" in assess(None, None, 2.0, 2022, "lower", [], 2022)[1]
    status, rule = assess(3.0, "2022", 2.0, 2026, "lower", [(2021, 4.0), (2022, 3.0)], 2022)
    assert status == "cannot_assess" and "bara 2 värden" in rule


def test_deviations_come_from_target_similar_and_gap():
    item = IndicatorFollowUp(1, "N00957", "Ohälsotal", "dagar", "T", "lower", "polarity", 18.0,
                             2022, value=20.66, period=2022, period_label="2022",
                             status="off_track", vs_similar="worse",
                             vs_similar_label="Sämre än liknande kommuner",
                             sex_gap={"women": 25.94, "men": 15.47, "difference": 10.47,
                                      "trend": "widening"})
    kinds = [d.kind for d in _deviations(item)]
    assert kinds == ["missed_target", "worse_than_similar", "widening_gap"]
    assert "Kvinnor 25,94, män 15,47" in _deviations(item)[2].text


def test_follow_up_on_real_falun_values(falun, store):
    fu = follow_up(falun, store, "2080", 2022)
    g = fu.goals[0]
    first = g.indicators[0]
    assert (first.indicator, first.direction, first.direction_source) == (
        "N00957", "lower", "polarity")
    assert first.series[-1] == (2022, 20.66) and (2022, 22.0) in first.nation_series
    assert fu.status_counts() == {"achieved": 1, "on_track": 0, "off_track": 1,
                                  "cannot_assess": 0}
    data = fu.to_dict()
    assert data["deviations"][0]["indicator"] == "N00957"
    assert data["goals"][0]["indicators"][1]["period_label"] == "2018–2022"
    md = to_markdown(fu)
    assert md.index("## Avvikelser") < md.index("## G1")
    assert "Källa: Kolada (RKA)" in md


def test_sex_specific_target_uses_womens_values(falun, store):
    goal = falun.organisation("2080").goals[0]
    falun.set_goal_indicator(SYSTEM, goal.id, "N00957", sex="K", target_value=25.0,
                             target_year=2022)
    fu = follow_up(falun, store, "2080", 2022)
    women = next(i for i in fu.goals[0].indicators if i.sex == "K")
    assert women.value == 25.94  # Kolada N00957 kvinnor, Falun 2022
    assert women.status == "off_track"


def test_earlier_year_uses_the_value_of_that_year(falun, store):
    fu = follow_up(falun, store, "2080", 2019)
    ohalsa = fu.goals[0].indicators[0]
    assert (ohalsa.period, round(ohalsa.value, 2)) == (2019, 21.40)  # Kolada N00957 2019


def test_unknown_indicator_is_reported_not_fatal(falun, store):
    goal = falun.organisation("2080").goals[0]
    falun.set_goal_indicator(SYSTEM, goal.id, "X99999", target_value=1, target_year=2022)
    fu = follow_up(falun, store, "2080", 2022)
    assert any("X99999 finns inte" in n for n in fu.notes)
    assert fu.goals[0].indicators[-1].status == "cannot_assess"


def test_total_target_shows_women_and_men_too_and_names_resolve(falun, store):
    fu = follow_up(falun, store, "Falun", 2022)  # a name resolves like the code
    ohalsa = fu.goals[0].indicators[0]
    # Kolada N00957, Falun 2022: women 25.94, men 15.47
    assert (ohalsa.women_value, ohalsa.men_value) == (25.94, 15.47)
    assert fu.goals[0].indicators[1].women_value is None  # N00925 is not split by sex
