"""Good examples where decisions are made: beside deviations and plans, and an example that
becomes an activity in Falun's plan keeps its link (issue 18)."""

from __future__ import annotations

import pytest
from steering_webapp import add_users, client_for, csrf_of, make_app

from jamlik.steering import SYSTEM, Actor, NotFound, PermissionDenied, Role
from jamlik.steering._models import AuditEntry

EXAMPLE = "ludvika-barnhalsoteam-villgott"


def test_an_example_becomes_an_activity_in_faluns_plan_and_keeps_the_link(falun):
    plan = falun.add_action_plan(SYSTEM, "2080", "Handlingsplan 2024–2026")
    act = falun.add_activity_from_example(SYSTEM, plan.id, EXAMPLE, area="2080",
                                          responsible="Folkhälsostrateg")
    assert act.example_id == EXAMPLE
    assert act.what == "Övergripande barnhälsoteam på familjecentralen VillGott"
    stored = falun.organisation("2080").action_plans[0].activities[0]
    assert stored.example_id == EXAMPLE and stored.responsible == "Folkhälsostrateg"
    assert falun.activities_for_example(EXAMPLE) == [{
        "area": "2080", "organisation": "Falu kommun", "plan": "Handlingsplan 2024–2026",
        "activity_id": act.id, "what": act.what}]
    assert falun.activities_for_example("alvdalen-jobb-i-norr") == []
    with falun.session() as s:  # the link is in the audit trail too
        entries = s.query(AuditEntry).filter_by(entity="activity").all()
    assert entries[-1].after["example_id"] == EXAMPLE


def test_unknown_example_or_wrong_role_changes_nothing(falun):
    plan = falun.add_action_plan(SYSTEM, "2080", "Plan")
    with pytest.raises(NotFound, match="finns inte i kunskapsbanken"):
        falun.add_activity_from_example(SYSTEM, plan.id, "finns-inte", area="2080")
    with pytest.raises(PermissionDenied, match="behörighet"):
        falun.add_activity_from_example(Actor("vera", Role.VIEWER), plan.id, EXAMPLE,
                                        area="2080")
    assert falun.organisation("2080").action_plans[0].activities == []


def test_plan_and_follow_up_pages_show_matching_examples(falun, store):
    add_users(falun)
    plan = falun.add_action_plan(SYSTEM, "2080", "Handlingsplan")
    app = make_app(falun, store)
    client, csrf = client_for(app, "editor")
    page = client.get("/styrning/2080/plan").text
    # Falun's goal is in målområden 3 and 4: the Dalarna examples there, with the reason
    assert "Andra som arbetat med detta" in page
    assert "/kunskapsbank/exempel/fokus-20-25-nedansiljan" in page
    assert "samma målområde: 3, 4" in page
    r = client.post(f"/styrning/2080/handlingsplan/{plan.id}/exempel",
                    data={"example_id": "alvdalen-en-dorr-in", "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/styrning/2080/plan").text
    assert "Från exemplet" in page and 'href="/kunskapsbank/exempel/alvdalen-en-dorr-in"' in page
    r = client.post(f"/styrning/2080/handlingsplan/{plan.id}/exempel",
                    data={"example_id": "nope", "csrf_token": csrf_of(page)})
    assert r.status_code == 404 and "finns inte i kunskapsbanken" in r.text


def test_follow_up_shows_examples_beside_each_deviation(falun, store):
    fu_page = make_app(falun, store)
    from fastapi.testclient import TestClient

    html = TestClient(fu_page).get("/styrning/2080/uppfoljning/2022").text
    from jamlik.steering import follow_up

    fu = follow_up(falun, store, "2080", 2022)
    assert fu.deviations, "the Falun plan has deviations in 2022"
    # each deviation's indicator is in målområde 3 or 4 (or has none): examples only when shared
    from jamlik.steering._examples import for_deviations

    related = for_deviations(store, "2080", [(i.goal_indicator_id, i.indicator, g.target_areas)
                                              for g, i in fu.deviations])
    shown = [r for rs in related.values() for r in rs]
    assert shown, "at least one deviation has a matching example"
    for r in shown:
        assert f"/kunskapsbank/exempel/{r.example.id}" in html
    assert "Andra som arbetat med detta" in html
