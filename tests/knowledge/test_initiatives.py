"""An initiative through its four phases with a learning log and a report, and an idea
through the arena into a social-investment case (issue 18)."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jamlik.economics import load_case, run_case
from jamlik.knowledge import (
    CHECKLISTS,
    PHASES,
    Initiatives,
    ReviewDesk,
    ReviewError,
    initiative_report,
    load_bank,
)
from jamlik.knowledge._initiatives import Record, Step
from jamlik.steering import open_workflow


@pytest.fixture()
def work(tmp_path: Path):
    wf = open_workflow(f"sqlite:///{tmp_path / 'wf.sqlite'}")  # migration 0007
    desk = ReviewDesk(wf.engine, load_bank())
    desk.grant("system", "greta", "reviewer")
    yield Initiatives(wf.engine, roles=desk.roles)
    wf.close()


def _tick_all(ini: Initiatives, user: str, iid: int, phase: str, on: date) -> None:
    for item_id, _, done in ini.get(iid).checklist[phase]:
        if not done:
            ini.edit_checklist_item(user, iid, item_id, done=True, on=on)


def test_initiative_walks_four_phases_with_learning_log_and_report(work: Initiatives):
    iid = work.create("maria", "Samling för social hållbarhet i Falun",
                      "Jämlik hälsa genom samverkan över sektorsgränser.", members=["olof"])
    work.add_partner("maria", iid, "Falu kommun", "offentlig", "processägare")
    work.add_partner("olof", iid, "Region Dalarna", "offentlig", "folkhälsostrateg")
    work.add_partner("maria", iid, "Röda korset Falun", "civilsamhälle", "dialogpart")
    work.add_partner("maria", iid, "Högskolan Dalarna", "akademi", "följeforskning")
    view = work.get(iid)
    assert view.phase == "forberedelse"
    assert [t for _, t, _ in view.checklist["forberedelse"]] == list(CHECKLISTS["forberedelse"])
    # the checklist is editable: add, reword, remove
    extra = work.add_checklist_item("maria", iid, "forberedelse", "Kartlägg befintliga nätverk")
    work.edit_checklist_item("maria", iid, extra, text="Kartlägg nätverk i länet")
    dropped = work.get(iid).checklist["forberedelse"][3][0]
    work.remove_checklist_item("maria", iid, dropped)
    with pytest.raises(ReviewError, match="har punkter kvar: Samla gruppen"):
        work.advance("maria", iid, date(2024, 3, 1))
    days = [date(2024, 3, 1), date(2024, 9, 1), date(2025, 3, 1), date(2025, 9, 1)]
    work.record("maria", iid, "meeting", date(2024, 2, 1), "Startmöte med 14 deltagare")
    work.record("olof", iid, "learning", date(2024, 2, 20), "Behovsanalys",
                tried="Gemensam behovsanalys med data från jamlik",
                learned="Skolan saknade i gruppen", change="Bjuder in skolchefen")
    for phase, day in zip(PHASES, days, strict=True):
        _tick_all(work, "maria", iid, phase, day)
        if phase == "engagera":
            work.record("maria", iid, "agreement", day, "Överenskommelse om samverkan",
                        parties=["Falu kommun", "Region Dalarna"])
            work.record("maria", iid, "risk", day, "Nyckelperson slutar", likelihood=3,
                        impact=4, mitigation="Två kontaktpersoner per part")
        if phase == "genomforande":
            work.record("maria", iid, "learning", day, "Dialogerna",
                        tried="Breda dialoger i tre stadsdelar",
                        learned="Kvällstid nådde fler föräldrar", change="Fler kvällsmöten")
            work.record("maria", iid, "decision", day, "KS ställer sig bakom förslagen")
        if phase != "institutionalisering":
            assert work.advance("maria", iid, day) == list(PHASES)[list(PHASES).index(phase) + 1]
    with pytest.raises(ReviewError, match="redan i den sista fasen"):
        work.advance("maria", iid, date(2026, 1, 1))
    view = work.get(iid)
    assert view.phase == "institutionalisering"
    assert [t.title for t in view.records("phase")] == [
        "Förberedelse → Engagera", "Engagera → Genomförande",
        "Genomförande → Institutionalisering"]
    log = view.records("learning")
    assert [(t.on, t.phase) for t in log] == [(date(2024, 2, 20), "forberedelse"),
                                              (date(2025, 3, 1), "genomforande")]
    assert [t.on for t in view.timeline] == sorted(t.on for t in view.timeline)
    report = initiative_report(view)
    for text in ("Samling för social hållbarhet i Falun", "Nuvarande fas: <strong>"
                 "Institutionalisering", "Högskolan Dalarna (akademi) – följeforskning",
                 "Lärandelogg", "Kvällstid nådde fler föräldrar", "Kartlägg nätverk i länet",
                 "sannolikhet 3/5, konsekvens 4/5", "parter: Falu kommun, Region Dalarna",
                 "Förberedelse → Engagera", "<time datetime='2024-02-01'>"):
        assert text in report, text
    assert report.index("2024-02-01") < report.rindex("2025-03-01")


def test_initiative_bad_input_changes_nothing(work: Initiatives):
    iid = work.create("maria", "FOKUS 20-25")
    with pytest.raises(ReviewError, match="saknar behörighet att ändra initiativet"):
        work.record("pelle", iid, "meeting", date(2024, 1, 1), "Möte")
    with pytest.raises(ReviewError, match="vad ni lärde er"):
        work.record("maria", iid, "learning", date(2024, 1, 1), "x", tried="a", change="c")
    with pytest.raises(ReviewError, match="heltal 1–5"):
        work.record("maria", iid, "risk", date(2024, 1, 1), "x", likelihood=7, impact=2)
    with pytest.raises(ReviewError, match="ingen känd sektor"):
        work.add_partner("maria", iid, "Firma AB", "företag")
    with pytest.raises(ReviewError, match="Logga in"):
        work.create("", "x")
    with work._session() as s:
        assert s.scalar(select(func.count()).select_from(Record)) == 0
    assert work.get(iid).partners == ()


def test_idea_through_the_arena_into_a_social_investment_case(work: Initiatives):
    idea = work.submit_idea("Föreningen Föräldrakraft", "Föräldraträffar på familjecentralen",
                            "Gruppträffar för föräldrar till barn 3–5 år med beteendeproblem.")
    assert work.pipeline()["idea"][0].id == idea
    with pytest.raises(ReviewError, match="rollen granskare"):
        work.decide_step("maria", idea, owner="x", decision="go", on=date(2024, 1, 1))
    plan = [("idea", "go", "Arenans samordnare", None),
            ("assessment", "go", "Bedömningsgrupp", "Behov i data, evidens för metoden"),
            ("development", "go", "Familjecentralen", "Manual och utbildade ledare"),
            ("test", "repeat", "Familjecentralen", "Minst 20 familjer, 80 % fullföljer"),
            ("new_test", "go", "Familjecentralen", "Samma, i två stadsdelar"),
            ]
    for i, (stage, decision, owner, criteria) in enumerate(plan):
        assert work.idea(idea).stage == stage
        work.decide_step("greta", idea, owner=owner, decision=decision, criteria=criteria,
                         support="Processstöd och lokaler" if stage == "development" else None,
                         on=date(2024, 1 + i, 1))
    assert work.idea(idea).stage == "evaluation"
    with pytest.raises(ReviewError, match="ordinarie verksamhet"):
        work.decide_step("greta", idea, owner="Högskolan Dalarna", decision="go",
                         on=date(2024, 7, 1))
    with pytest.raises(ReviewError, match="samhällsekonomiska underlaget"):
        work.decide_step("greta", idea, owner="Högskolan Dalarna", decision="go",
                         outcome="social_investment", on=date(2024, 7, 1))
    with work._session() as s:
        assert s.scalar(select(func.count()).select_from(Step)) == 5  # nothing written
    # the evaluation turns it into a social-investment case: the shipped parenting case
    case_path = Path(str(resources.files("jamlik.economics") / "examples" /
                         "foraldrastod.toml"))
    assert work.decide_step("greta", idea, owner="Högskolan Dalarna", decision="go",
                            outcome="social_investment", economics_case="foraldrastod",
                            on=date(2024, 7, 1)) == "social_investment"
    view = work.idea(idea)
    assert view.economics_case == "foraldrastod"
    assert [s["stage"] for s in view.steps] == ["idea", "assessment", "development", "test",
                                                "new_test", "evaluation"]
    assert view.steps[3]["decision"] == "repeat" and view.steps[2]["support"]
    result = run_case(load_case(case_path), draws=1000, seed=1)
    assert result.case.title  # the linked case runs
    assert work.pipeline()["social_investment"][0].title == "Föräldraträffar på familjecentralen"
    with pytest.raises(ReviewError, match="redan klar"):
        work.decide_step("greta", idea, owner="x", decision="go", on=date(2024, 8, 1))
