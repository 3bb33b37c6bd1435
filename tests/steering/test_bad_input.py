"""Bad input to the steering loop: out-of-range path integers and non-finite numbers are
refused in Swedish (never a 500), and a chart never overflows."""

from __future__ import annotations

import math

import pytest
from steering_webapp import add_users, client_for, make_app

from jamlik.steering import SYSTEM, InvalidInput, import_plan_data
from jamlik.steering._charts import Line, LineChart, to_png, to_svg


@pytest.mark.parametrize("url", [
    "/styrning/2080/uppfoljning/99999999999999999999",
    "/styrning/2080/uppfoljning/-5",
    "/styrning/2080/uppfoljning/20x2",
    "/styrning/2080/beslut/99999",
    "/styrning/2080/rapport/99999999999999999999.html",
])
def test_out_of_range_years_in_the_address_are_a_swedish_404_not_a_500(falun, store, url):
    client, _ = client_for(make_app(falun, store), "public")
    r = client.get(url)
    assert r.status_code == 404, r.text[-500:]
    assert "Sidan finns inte" in r.text and "ange ett år mellan 1900 och 2100" in r.text


def test_out_of_range_ids_and_api_years_are_swedish_404s(falun, store):
    add_users(falun)
    client, _ = client_for(make_app(falun, store), "analyst")
    r = client.get("/styrning/2080/analys/2022/99999999999999999999")
    assert r.status_code == 404 and "ett id är ett heltal" in r.text
    api = client.get("/styrning/api/2080/uppfoljning/99999999999999999999")
    assert api.status_code == 404
    assert "ange ett år mellan 1900 och 2100" in api.json()["detail"]


@pytest.mark.parametrize("target", ["1e309", "-1e309", "inf", "nan", "1" * 400, "1e16"])
def test_a_non_finite_or_huge_target_from_the_form_is_refused(falun, store, target):
    add_users(falun)
    client, token = client_for(make_app(falun, store), "editor")
    goal = falun.organisation("2080").goals[0]
    r = client.post(f"/styrning/2080/mal/{goal.id}/indikator", data={
        "indicator": "N00938", "target_value": target, "target_year": "2026",
        "csrf_token": token})
    assert r.status_code == 422, r.text[-500:]
    assert "målvärde" in r.text
    assert all(gi.indicator != "N00938" for gi in falun.goal(goal.id).indicators)


@pytest.mark.parametrize("target", [math.inf, -math.inf, math.nan, 1e300])
def test_a_non_finite_target_in_a_plan_file_is_refused(workflow, store, target):
    plan = {"organisation": {"area": "2080", "name": "Falu kommun"},
            "goal": [{"id": "G1", "title": "Mål", "indicator": [
                {"id": "N00957", "target": target, "year": 2022}]}]}
    with pytest.raises(InvalidInput, match="Målvärdet .* inget ändligt tal"):
        import_plan_data(workflow, SYSTEM, plan, store=store)


def test_a_huge_target_year_and_budget_are_refused(falun):
    goal = falun.organisation("2080").goals[0]
    with pytest.raises(InvalidInput, match="Målåret"):
        falun.set_goal_indicator(SYSTEM, goal.id, "N00938", target_value=8.0,
                                 target_year=99999999999999999999)
    plan = falun.add_action_plan(SYSTEM, "2080", "Plan")
    with pytest.raises(InvalidInput, match="Budgeten"):
        falun.add_activity(SYSTEM, plan.id, "Aktivitet", budget=math.inf)


def test_charts_leave_out_non_finite_points_instead_of_overflowing():
    chart = LineChart("Ohälsotal", [Line("Falun", [(2020, 20.0), (2021, math.inf),
                                                   (2022, math.nan)], "#0072B2")],
                      target=math.inf)
    svg = to_svg(chart)
    assert "<svg" in svg and "inf" not in svg.lower().replace("<title>", "")
    assert to_png(chart).startswith(b"\x89PNG")
