"""The workflow service: migrations, permissions, versions, revisions, priorities, plan files."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

import jamlik.steering
from jamlik.steering import (
    SYSTEM,
    Actor,
    ConflictError,
    InvalidInput,
    PermissionDenied,
    Role,
    current_revision,
    head_revision,
    import_plan,
    open_workflow,
    quadrant,
)
from jamlik.steering._models import Goal

ANALYST = Actor("anna", Role.ANALYST)
EDITOR = Actor("erik", Role.EDITOR)
VIEWER = Actor("vera", Role.VIEWER)


def test_migrations_run_to_head_and_are_idempotent(db_url):
    wf = open_workflow(db_url)
    # one Alembic head, the newest numbered migration (several owners add migrations)
    from alembic.script import ScriptDirectory

    from jamlik.steering._db import _alembic_config

    newest = max(p.name[:4] for p in (Path(jamlik.steering.__file__).parent / "migrations" /
                                      "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert ScriptDirectory.from_config(_alembic_config()).get_heads() == [newest]
    assert current_revision(wf.engine) == head_revision() == newest
    tables = set(sa_inspect(wf.engine).get_table_names())
    assert {"organisations", "goals", "goal_indicators", "analyses", "analysis_revisions",
            "proposed_actions", "decisions", "assignments", "users", "api_tokens",
            "audit_log", "login_failures", "web_sessions", "memberships", "alembic_version"} <= tables
    wf.close()
    again = open_workflow(db_url)  # a second start finds the schema current
    assert current_revision(again.engine) == head_revision()
    again.close()


def test_migrations_downgrade_to_base_and_up_again(db_url):
    from jamlik.steering._db import downgrade, upgrade

    wf = open_workflow(db_url)
    assert downgrade(wf.engine, "base") is None
    assert "goals" not in sa_inspect(wf.engine).get_table_names()
    assert upgrade(wf.engine) == head_revision()
    assert "goals" in sa_inspect(wf.engine).get_table_names()
    wf.close()


def test_each_role_may_only_do_its_own_changes(falun):
    gi = falun.organisation("2080").goals[0].indicators[0]
    with pytest.raises(PermissionDenied, match="redigera planen.*analytiker"):
        falun.save_goal(ANALYST, "2080", "G2", "Mål")
    with pytest.raises(PermissionDenied, match="redigera analyser"):
        falun.save_analysis(EDITOR, gi.id, 2022, causes=[{"text": "x"}])
    with pytest.raises(PermissionDenied, match="registrera beslut"):
        falun.decide(ANALYST, "2080", 2022, "b", decided_by="KS", decided_on=date(2023, 1, 1),
                     owner="x", follow_up_on=date(2024, 1, 1))
    with pytest.raises(PermissionDenied, match="administrera användare"):
        falun.create_user(EDITOR, "ny", "viewer", password="langtlosenord")
    for actor in (VIEWER, Actor("anonym", Role.PUBLIC)):
        with pytest.raises(PermissionDenied):
            falun.save_organisation(actor, "2080", "Falun")
    assert falun.audit_log(entity="goal")[0].username == "system"  # nothing from the refusals


def test_stale_version_is_a_conflict_in_swedish(falun):
    goal = falun.organisation("2080").goals[0]
    falun.update_goal(EDITOR, goal.id, goal.version, title="Ny rubrik")
    with pytest.raises(ConflictError, match=r"Konflikt.*erik.*version 1.*version 2"):
        falun.update_goal(Actor("eva", Role.EDITOR), goal.id, goal.version, title="Annan")
    assert falun.goal(goal.id).title == "Ny rubrik"


def test_simultaneous_saves_do_not_lose_an_update(falun):
    """Both sessions read version 1 and write in overlapping transactions: one must fail."""
    goal_id = falun.organisation("2080").goals[0].id
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def edit(name: str) -> None:
        try:
            with falun.session() as s:
                goal = s.get(Goal, goal_id)
                barrier.wait(timeout=10)
                goal.title = f"Ändrad av {name}"
            results[name] = "saved"
        except ConflictError as exc:
            results[name] = exc.message

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == ["a", "b"]
    saved = [n for n, r in results.items() if r == "saved"]
    assert len(saved) == 1, results
    loser = results["b" if saved == ["a"] else "a"]
    assert "sparade samma uppgift samtidigt" in loser
    assert falun.goal(goal_id).title == f"Ändrad av {saved[0]}"
    assert falun.goal(goal_id).version == 2


def test_analysis_drafts_are_versioned_and_attributed(falun):
    gi = falun.organisation("2080").goals[0].indicators[0]
    a1 = falun.save_analysis(ANALYST, gi.id, 2022, causes=[{"text": "Första orsaken"}])
    other = Actor("bo", Role.ANALYST)
    a2 = falun.save_analysis(other, gi.id, 2022, causes=[{"text": "Andra orsaken", "evidence": [
        {"kind": "document", "ref": "https://example.org/rapport.pdf", "label": "Rapport"}]}],
        conclusions="Slutsats", status="final", expected_version=a1.version)
    assert a2.id == a1.id and a2.version == 2
    revs = falun.analysis(a1.id).revisions
    assert [(r.revision, r.author, r.status) for r in revs] == [
        (1, "anna", "draft"), (2, "bo", "final")]
    assert revs[0].causes[0]["text"] == "Första orsaken"
    assert revs[1].causes[0]["evidence"][0]["kind"] == "document"
    with pytest.raises(InvalidInput, match="Orsak 1: underlag av typen 'video'"):
        falun.save_analysis(ANALYST, gi.id, 2022, causes=[
            {"text": "x", "evidence": [{"kind": "video", "ref": "y"}]}])


def test_priority_matrix_ranks_effect_against_resources():
    assert quadrant(5, 1) == "do_first" and quadrant(4, 4) == "plan"
    assert quadrant(2, 1) == "if_time" and quadrant(1, 5) == "avoid"
    assert quadrant(None, 3) == "unassessed"


def test_priority_order_and_scale_validation(falun):
    gi = falun.organisation("2080").goals[0].indicators[0]
    a = falun.save_analysis(ANALYST, gi.id, 2022, causes=[{"text": "x"}])
    titles = {"dyr": (2, 5), "snabb": (4, 1), "stor": (5, 4), "obedömd": (None, None),
              "liten": (1, 1)}
    for title, (effect, resources) in titles.items():
        falun.propose_action(ANALYST, a.id, title, effect=effect, resources=resources)
    ranked = falun.priority_matrix("2080", 2022)
    assert [r.action.title for r in ranked] == ["snabb", "stor", "liten", "dyr", "obedömd"]
    assert ranked[0].quadrant_label.startswith("Gör först")
    with pytest.raises(InvalidInput, match="skalan 1–5"):
        falun.propose_action(ANALYST, a.id, "fel", effect=7)


def test_decision_becomes_an_assignment_with_owner_and_date(falun):
    d = falun.decide(EDITOR, "2080", 2022, "Inför X", decided_by="Kommunfullmäktige",
                     decided_on=date(2023, 4, 1), owner="Kommundirektören",
                     follow_up_on=date(2024, 4, 1))
    assert d.recorded_by == "erik" and d.assignment.status == "open"
    assert falun.assignments("2080", open_only=True, before_period=2023)[0].id == d.assignment.id
    assert falun.assignments("2080", before_period=2022) == []
    done = falun.update_assignment(EDITOR, d.assignment.id, d.assignment.version, status="done",
                                   report="Infört")
    assert done.status == "done"
    assert falun.assignments("2080", open_only=True) == []
    with pytest.raises(InvalidInput, match="Uppföljningsdatumet ligger före"):
        falun.decide(EDITOR, "2080", 2022, "b", decided_by="KS", decided_on=date(2023, 1, 2),
                     owner="x", follow_up_on=date(2023, 1, 1))


def test_passwords_are_argon2_hashed_and_tokens_only_stored_as_hash(workflow):
    user = workflow.create_user(SYSTEM, "alva", "analyst", password="ett-långt-lösenord")
    assert user.password_hash.startswith("$argon2id$")
    assert workflow.authenticate("alva", "ett-långt-lösenord") == Actor("alva", Role.ANALYST)
    assert workflow.authenticate("alva", "fel") is None
    token = workflow.create_token(SYSTEM, "alva")
    assert workflow.actor_for_token(token) == Actor("alva", Role.ANALYST)
    assert workflow.actor_for_token(token + "x") is None
    with pytest.raises(ValueError, match="minst 15 tecken"):
        workflow.create_user(SYSTEM, "kort", "viewer", password="abc")
    with pytest.raises(ValueError, match="okänd roll"):
        workflow.create_user(SYSTEM, "x", "chef", password="langtlosenord")
    created = workflow.audit_log(entity="user")[0]
    assert "password_hash" not in created.after and created.after["username"] == "alva"


def test_plan_file_import_creates_then_updates(workflow, store, tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text('''
[organisation]
area = "2080"
name = "Falu kommun"

[[goal]]
id = "G1"
title = "God och jämlik hälsa"
sdg = ["3.4", "10.2"]
malomraden = [3, 4]

[[goal.indicator]]
id = "N00957"
target = 18.0
year = 2022

[[goal.indicator]]
id = "N00925"
target = 86
year = 2026
direction = "högre"

[[action_plan]]
title = "Handlingsplan folkhälsa"
years = [2023, 2026]
[[action_plan.activity]]
what = "Hälsosamtal för 40-åringar"
responsible = "Folkhälsoenheten"
when = "2024"
follow_up = "Andel som deltagit"
budget = 250000
goal = "G1"
''', encoding="utf-8")
    first = import_plan(workflow, SYSTEM, plan, store=store)
    assert (first.goals, first.indicators, first.activities) == (1, 2, 1)
    org = workflow.organisation("2080")
    goal = org.goals[0]
    assert goal.sdg_targets == ["3.4", "10.2"] and goal.target_areas == [3, 4]
    gis = {gi.indicator: gi for gi in goal.indicators}
    assert gis["N00957"].direction is None  # from the indicator's polarity at follow-up
    assert gis["N00925"].direction == "higher"
    assert org.action_plans[0].activities[0].goal_id == goal.id
    # second import with a changed target updates, keeps ids and warns about the kept plan
    plan.write_text(plan.read_text(encoding="utf-8").replace("target = 18.0", "target = 19.5"),
                    encoding="utf-8")
    second = import_plan(workflow, SYSTEM, plan, store=store)
    goal2 = workflow.organisation("2080").goals[0]
    gi2 = {gi.indicator: gi for gi in goal2.indicators}
    assert goal2.id == goal.id and gi2["N00957"].id == gis["N00957"].id
    assert gi2["N00957"].target_value == 19.5 and gi2["N00957"].version == 2
    assert any("finns redan" in w for w in second.warnings)
    assert workflow.audit_log(entity="goal_indicator")[0].before["target_value"] == 18.0


def test_plan_file_errors_say_where_and_what_to_do(workflow, store, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[organisation]\narea = "2080"\nname = "Falun"\n[[goal]]\nid = "G1"\n'
                   'title = "x"\n[[goal.indicator]]\nid = "N00957"\ndirection = "uppåt"\n',
                   encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"mål nr 1, indikator N00957: direction = 'uppåt'"):
        import_plan(workflow, SYSTEM, bad, store=store)
    bad.write_text('[organisation]\narea = "9999"\nname = "X"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match="9999.*ingen känd kommun"):
        import_plan(workflow, SYSTEM, bad, store=store)
    bad.write_text('[organisation\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match="ogiltig TOML"):
        import_plan(workflow, SYSTEM, bad, store=store)


def test_repr_never_shows_the_database_password():
    from jamlik.steering._db import safe_url

    assert "hemligt" not in safe_url("postgresql+psycopg://u:hemligt@127.0.0.1/db")


def test_goal_rows_are_ordered(falun):
    falun.save_goal(EDITOR, "2080", "G2", "Trygga uppväxtvillkor", target_areas=[1])
    with falun.session() as s:
        keys = list(s.scalars(select(Goal.key).order_by(Goal.position)))
    assert keys == ["G1", "G2"]


def test_goal_codes_are_checked_in_swedish(falun):
    with pytest.raises(InvalidInput, match="'18' är inget globalt mål"):
        falun.save_goal(EDITOR, "2080", "G2", "Mål", sdg_targets=["18"])
    with pytest.raises(InvalidInput, match="Målområde 9 finns inte"):
        falun.save_goal(EDITOR, "2080", "G2", "Mål", target_areas=[9])
    goal = falun.save_goal(EDITOR, "2080", "G2", "Mål", sdg_targets=["3", "10.2", "16.b"])
    assert goal.sdg_targets == ["3", "10.2", "16.b"]


def test_shipped_example_plan_imports_and_follows_up(workflow, store):
    from importlib.resources import files

    from jamlik.steering import follow_up

    path = files("jamlik.steering") / "examples" / "falun_plan.toml"
    report = import_plan(workflow, SYSTEM, str(path), store=store)
    assert (report.goals, report.indicators, report.activities, report.warnings) == (2, 4, 1, [])
    fu = follow_up(workflow, store, "2080", 2022)
    assert [i.indicator for _, i in fu.deviations][0] == "N00957"
