"""Proposals chosen in a prioritisation arrive as action-plan activities (plain data in)."""

from __future__ import annotations

import pytest

from jamlik.steering import SYSTEM, Actor, InvalidInput, PermissionDenied, Role

ITEMS = [{"title": "Etablera fler familjecentraler", "description": "Familjecentraler",
          "trace": "Prioriteringen ”Omgång 1”, förslag 3: poäng 8,1 av 9",
          "evidence": ["https://example.org/rapport", "Slutrapport, s. 54"]},
         {"title": "Erbjud och samordna föräldrastöd"}]


def test_items_become_activities_in_one_plan(workflow):
    workflow.save_organisation(SYSTEM, "2080", "Falu kommun")
    ids = workflow.add_prioritised_activities(SYSTEM, "2080", ITEMS, plan_title="Prioriterat")
    again = workflow.add_prioritised_activities(SYSTEM, "2080", ITEMS[1:],
                                                plan_title="Prioriterat")
    plans = workflow.organisation("2080").action_plans
    assert [p.title for p in plans] == ["Prioriterat"]
    acts = {a.id: a for a in plans[0].activities}
    assert set(acts) == {*ids, *again}
    how = acts[ids[0]].how
    assert how == ("Familjecentraler\n\nPrioriteringen ”Omgång 1”, förslag 3: poäng 8,1 av 9"
                   "\n\nUnderlag: https://example.org/rapport; Slutrapport, s. 54")
    assert acts[ids[1]].how is None


def test_refused_input_changes_nothing(workflow):
    workflow.save_organisation(SYSTEM, "2080", "Falu kommun")
    with pytest.raises(InvalidInput, match="Förslag 2 saknar rubrik"):
        workflow.add_prioritised_activities(SYSTEM, "2080", [ITEMS[0], {"title": " "}],
                                            plan_title="Prioriterat")
    with pytest.raises(InvalidInput, match="minst ett förslag"):
        workflow.add_prioritised_activities(SYSTEM, "2080", [], plan_title="Prioriterat")
    viewer = Actor("vera", Role.VIEWER)
    with pytest.raises(PermissionDenied):
        workflow.add_prioritised_activities(viewer, "2080", ITEMS, plan_title="Prioriterat")
    assert workflow.organisation("2080").action_plans == []
