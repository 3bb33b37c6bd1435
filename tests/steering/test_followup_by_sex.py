"""Targets for women or men get the statistics core's profile of that sex (trend, certainty)."""

from __future__ import annotations

from jamlik.steering import SYSTEM, follow_up, import_plan_data

WOMEN_PLAN = {
    "organisation": {"area": "2080", "name": "Falu kommun"},
    "goal": [{
        "id": "G1", "title": "God och jämlik hälsa",
        "indicator": [
            # Kolada N00957 ohälsotal, Falun 2022: totalt 20.66, kvinnor 25.94, män 15.47
            {"id": "N00957", "target": 22.0, "year": 2022, "sex": "K"},
            {"id": "N00957", "target": 18.0, "year": 2022, "sex": "M"},
        ],
    }],
}


def test_target_for_women_gets_value_trend_and_certainty(workflow, store):
    import_plan_data(workflow, SYSTEM, WOMEN_PLAN, store=store)
    fu = follow_up(workflow, store, "2080", 2022)
    by_sex = {i.sex: i for i in fu.goals[0].indicators}
    women, men = by_sex["K"], by_sex["M"]
    assert round(women.value, 2) == 25.94 and women.period == 2022
    assert women.status == "off_track" and "25,94" in women.rule
    # Kolada N00957 women, Falun 2013–2022: 31,0 → 34,0 (2016) → 25,9. Plain Mann–Kendall gave
    # p = 0,017; corrected for serial correlation (Yue & Wang) the rise-then-fall is what an
    # autocorrelated series does (ρ = 0,95, p = 0,63), so no certain trend is claimed.
    assert women.trend == "no_significant_change" and women.trend_label
    assert women.verdict and "25,9" in women.verdict  # the verdict is about women's value
    assert women.verdict_en and "25.9" in women.verdict_en  # and so is its English text
    assert round(men.value, 2) == 15.47 and men.status == "achieved"
    assert men.trend is not None and men.verdict and "15,5" in men.verdict


def test_profile_cache_keeps_the_sexes_apart(workflow, store):
    import_plan_data(workflow, SYSTEM, WOMEN_PLAN, store=store)
    cache: dict = {}
    first = follow_up(workflow, store, "2080", 2022, profile_cache=cache)
    again = follow_up(workflow, store, "2080", 2022, profile_cache=cache)
    assert {k[2] for k in cache} == {"K", "M"}
    assert [i.verdict for i in first.goals[0].indicators] == \
        [i.verdict for i in again.goals[0].indicators]
