"""Saved cases and funds on the workflow database (SQLite and PostgreSQL via ``db_url``)."""

from __future__ import annotations

import copy
from datetime import date
from importlib import resources

import pytest

from jamlik.economics import (
    CaseError,
    FundError,
    Investments,
    NotFound,
    follow_up_fund,
    load_fund,
    run_case,
    shipped_cases,
    starting_point,
)
from jamlik.economics.case import case_from_dict


@pytest.fixture()
def inv(workflow) -> Investments:
    return Investments(workflow.engine)


def _fund_file():
    return load_fund(resources.files("jamlik.economics") / "examples" / "fond_falun.toml")


def test_save_open_version_and_copy_a_case(inv: Investments) -> None:
    data = starting_point("exempel:foraldrastod")
    first = inv.start_from("anna", "2080", "exempel:foraldrastod")
    assert (first.id, first.version, first.area, first.origin) == (
        first.id, 1, "2080", "exempel:foraldrastod")
    changed = copy.deepcopy(data)
    changed["effect"]["estimate"] = -0.5
    second = inv.save_case("anna", "2080", changed, case_id=first.id, note="större effekt")
    assert second.id == first.id and [v.version for v in second.versions] == [1, 2]
    assert second.versions[-1].note == "större effekt"
    v1, _ = inv.case_data(first.id, 1)
    v2, info = inv.case_data(first.id)
    assert v1["effect"]["estimate"] == -0.3 and v2["effect"]["estimate"] == -0.5
    assert info.version == 2
    # the stored version computes exactly as the file does
    assert run_case(case_from_dict(v1), draws=1000, seed=1).base == run_case(
        case_from_dict(data), draws=1000, seed=1).base
    # a copy of version 1 into Borlänge, remembering where it came from
    cp = inv.copy_case("bo", first.id, "2081", version=1, title="Föräldrastöd i Borlänge")
    assert (cp.area, cp.copied_from, cp.copied_from_version, cp.version) == ("2081", first.id,
                                                                             1, 1)
    assert cp.title == "Föräldrastöd i Borlänge" and cp.origin == f"fall:{first.id} v1"
    assert inv.case_data(cp.id)[0]["effect"]["estimate"] == -0.3
    # per organisation
    assert [c.id for c in inv.cases(["2080"])] == [first.id]
    assert {c.id for c in inv.cases()} == {first.id, cp.id}
    assert [(e.action, e.entity_id) for e in inv.audit_log()][:2] == [
        ("copy", str(cp.id)), ("save", str(cp.id))]


def test_every_shipped_case_can_start_a_saved_case(inv: Investments) -> None:
    shipped = shipped_cases()
    assert "foraldrastod" in shipped and "fond_falun" not in shipped
    for key in shipped:
        info = inv.start_from("anna", "2080", f"exempel:{key}")
        assert inv.case_data(info.id)[0] == shipped[key]


def test_bad_cases_are_refused_and_nothing_is_written(inv: Investments) -> None:
    blank = starting_point("tomt")
    with pytest.raises(CaseError, match="värdet saknas"):
        inv.save_case("anna", "2080", blank)
    bad = starting_point("exempel:foraldrastod")
    bad["target_group"]["baseline_risk"] = 1.5
    with pytest.raises(CaseError, match="ingen andel"):
        inv.save_case("anna", "2080", bad)
    bad["target_group"]["baseline_risk"] = float("nan")
    with pytest.raises(CaseError, match="ändligt"):
        inv.save_case("anna", "2080", bad)
    assert inv.cases() == [] and inv.audit_log() == []
    info = inv.start_from("anna", "2080", "exempel:foraldrastod")
    with pytest.raises(CaseError, match="tillhör 2080"):
        inv.save_case("bo", "2081", starting_point("exempel:foraldrastod"), case_id=info.id)
    with pytest.raises(NotFound, match="ingen version 7"):
        inv.case_data(info.id, 7)
    with pytest.raises(NotFound, match="finns inte"):
        inv.case_data(info.id + 99)
    with pytest.raises(NotFound, match="Exemplet"):
        starting_point("exempel:okänt")
    assert len(inv.case_info(info.id).versions) == 1


def test_fund_imported_from_its_file_follows_up_as_the_file(inv: Investments) -> None:
    from_file = _fund_file()
    info = inv.import_fund("anna", from_file)
    assert (info.area, info.applications) == ("2080", 1)
    stored = inv.fund(info.id)
    assert stored == from_file
    a, b = follow_up_fund(stored, 2025), follow_up_fund(from_file, 2025)
    assert a.balance == b.balance == ((2024, 8_500_000, 8_500_000),
                                      (2025, 8_800_000, 8_750_000))


def test_fund_application_decision_repayment_followed_up_a_year_later(inv: Investments) -> None:
    f = inv.create_fund("anna", "2080", "Falu sociala investeringsfond", 5_000_000, 2025)
    inv.add_application("anna", f.id, key="skola-2025", title="Fullföljd skolgång",
                        committees=["Barn- och utbildningsnämnden", "Socialnämnden"],
                        target_group="elever i åk 7–9 med hög frånvaro",
                        evaluation_plan="Behörighet och frånvaro jämfört med 2024",
                        case_ref="fall:1", indicators=["N15419"],
                        expected=[{"year": 2025, "payer": "kommun", "cost": 800_000,
                                   "saving": 0}, {"year": 2026, "payer": "kommun",
                                                  "cost": 400_000, "saving": 500_000}])
    with pytest.raises(FundError, match="beviljat beslut"):
        inv.set_repayment("anna", f.id, "skola-2025", committee="Socialnämnden", year=2026,
                          amount=300_000)
    inv.decide("ks", f.id, "skola-2025", status="approved", decided_on=date(2025, 3, 1),
               decided_by="Kommunstyrelsen", granted=1_200_000)
    inv.set_repayment("anna", f.id, "skola-2025", committee="Socialnämnden", year=2026,
                      amount=300_000)
    inv.set_flow("anna", f.id, "skola-2025", kind="actual", year=2025, payer="kommun",
                 cost=850_000, saving=0)
    fu = follow_up_fund(inv.fund(f.id), 2025)
    [app] = fu.applications
    assert (app.expected_cost, app.actual_cost) == (800_000, 850_000)
    assert fu.balance == ((2025, 3_800_000, 3_800_000),)
    # a year later: actual flows and the repayment made (short of the plan)
    inv.set_flow("anna", f.id, "skola-2025", kind="actual", year=2026, payer="kommun",
                 cost=380_000, saving=420_000)
    inv.set_repayment("anna", f.id, "skola-2025", committee="Socialnämnden", year=2026,
                      amount=300_000, made=200_000)
    fu = follow_up_fund(inv.fund(f.id), 2026)
    [app] = fu.applications
    assert (app.expected_saving, app.actual_saving) == (500_000, 420_000)
    assert (app.repaid_planned, app.repaid_made) == (300_000, 200_000)
    assert any("100\u202f000 kr enligt plan" in n for n in app.notes)
    assert fu.balance[-1] == (2026, 4_100_000, 4_000_000)
    # replacing a year's actual flow keeps one row per year and payer
    inv.set_flow("anna", f.id, "skola-2025", kind="actual", year=2026, payer="kommun",
                 cost=390_000, saving=420_000)
    assert [x.cost for x in inv.fund(f.id).applications[0].actual] == [850_000, 390_000]


def test_bad_fund_changes_are_swedish_errors_and_change_nothing(inv: Investments) -> None:
    f = inv.create_fund("anna", "2080", "Fond", 1_000_000, 2025)
    exp = [{"year": 2025, "payer": "kommun", "cost": 10, "saving": 0}]
    inv.add_application("anna", f.id, key="a", title="A", committees=["Socialnämnden"],
                        expected=exp)
    before = inv.fund(f.id)
    with pytest.raises(FundError, match="större än fondens kapital"):
        inv.decide("ks", f.id, "a", status="approved", decided_on=date(2025, 1, 1),
                   decided_by="KS", granted=2_000_000)
    with pytest.raises(FundError, match="negativt"):
        inv.set_flow("anna", f.id, "a", kind="actual", year=2025, payer="kommun", cost=-5)
    with pytest.raises(FundError, match="payer"):
        inv.set_flow("anna", f.id, "a", kind="actual", year=2025, payer="kommunen", cost=5)
    with pytest.raises(FundError, match="finns redan"):
        inv.add_application("anna", f.id, key="a", title="A", committees=["X"], expected=exp)
    with pytest.raises(FundError, match="committees saknas"):
        inv.add_application("anna", f.id, key="b", title="B", committees=[], expected=exp)
    with pytest.raises(FundError, match="expected"):
        inv.add_application("anna", f.id, key="c", title="C", committees=["X"])
    with pytest.raises(NotFound):
        inv.decide("ks", f.id, "zz", status="approved", decided_on=date(2025, 1, 1),
                   decided_by="KS")
    with pytest.raises(FundError, match="kapital|belopp"):
        inv.create_fund("anna", "2080", "Fond", -1, 2025)
    assert inv.fund(f.id) == before
    assert [x.name for x in inv.funds(["2080"])] == ["Fond"]
