"""The whole steering loop for Falun (2080) on the bundled real Kolada data.

plan → follow-up with one deviation → cause and proposed action → prioritised → decided →
assignment in the next period's follow-up → yearly report as PDF with goal, deviation, decision.
"""

from __future__ import annotations

from datetime import date

from jamlik.steering import Actor, Role, follow_up
from jamlik.steering._report import build_report, render_html, render_pdf

ANALYST = Actor("anna.analytiker", Role.ANALYST)
EDITOR = Actor("erik.redaktor", Role.EDITOR)


def _pdf_text(html: str) -> str:
    """The text WeasyPrint lays out on the PDF pages (its boxes, before writing bytes)."""
    from weasyprint import HTML

    doc = HTML(string=html).render()
    out: list[str] = []

    def walk(box) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            out.append(text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in doc.pages:
        walk(page._page_box)
    return " ".join(out), len(doc.pages), doc.write_pdf()


def test_whole_loop_for_falun(falun, store):
    wf = falun
    # -- follow up: one of the two indicators deviates (ohälsotal 20.66 > target 18) --
    fu = follow_up(wf, store, "2080", 2022)
    (goal,) = fu.goals
    by_id = {i.indicator: i for i in goal.indicators}
    assert by_id["N00957"].value == 20.66  # Kolada N00957, Falun 2022
    assert by_id["N00957"].status == "off_track"
    assert "18" in by_id["N00957"].rule and "ej på väg" in by_id["N00957"].status_label
    assert by_id["N00925"].value == 85.22  # Kolada N00925, Falun 2018–2022
    assert by_id["N00925"].status == "achieved"
    assert [i.indicator for _, i in fu.deviations] == ["N00957"]
    assert "missed_target" in [d.kind for d in by_id["N00957"].deviations]
    assert fu.open_assignments == []

    # -- analyse: a cause with evidence and a proposed action --
    gi_id = by_id["N00957"].goal_indicator_id
    analysis = wf.save_analysis(
        ANALYST, gi_id, 2022,
        causes=[{"text": "Hög sjukskrivning bland kvinnor i vård och omsorg",
                 "evidence": [{"kind": "indicator", "ref": "N00957", "label": "Ohälsotal"},
                              {"kind": "document", "ref": "https://example.org/hr-rapport",
                               "label": "HR-rapport 2022"}]}],
        conclusions="Skillnaden mellan kvinnor (25,94) och män (15,47) driver avvikelsen.")
    wf.save_analysis(ANALYST, gi_id, 2022, causes=analysis.causes,
                     conclusions=analysis.conclusions + " Följ upp per förvaltning.",
                     expected_version=analysis.version)
    action = wf.propose_action(
        ANALYST, analysis.id, "Tidiga insatser vid korttidssjukfrånvaro",
        consequence_if_done="Färre långa sjukskrivningar inom tre år.",
        consequence_if_not_done="Ohälsotalet för kvinnor ligger kvar över riket.")
    other = wf.propose_action(ANALYST, analysis.id, "Ny hälsocentral", effect=3, resources=5)

    # -- act: assess, prioritise, decide --
    action = wf.assess_action(ANALYST, action.id, action.version, effect=4, resources=2)
    ranked = wf.priority_matrix("2080", period=2022)
    assert [r.action.id for r in ranked] == [action.id, other.id]
    assert ranked[0].quadrant == "do_first"
    decision = wf.decide(
        EDITOR, "2080", 2022, "Kommunstyrelsen ger HR i uppdrag att införa tidiga insatser.",
        decided_by="Kommunstyrelsen", decided_on=date(2023, 3, 14), owner="HR-chefen",
        follow_up_on=date(2024, 3, 31), proposed_action_id=action.id)
    assert decision.assignment.owner == "HR-chefen"

    # -- the assignment appears in the next period's follow-up, not in this one --
    assert follow_up(wf, store, "2080", 2022).open_assignments == []
    nxt = follow_up(wf, store, "2080", 2023)
    assert [a["owner"] for a in nxt.open_assignments] == ["HR-chefen"]
    assert "tidiga insatser" in nxt.open_assignments[0]["description"]

    # -- the yearly report renders as PDF with the goal, the deviation and the decision --
    data = build_report(wf, store, "2080", 2022)
    html = render_html(data)
    text, pages, pdf = _pdf_text(html)
    assert pdf.startswith(b"%PDF") and pages >= 2
    flat = " ".join(text.split())
    assert "God och jämlik hälsa" in flat
    assert "Målvärdet nås inte" in flat and "20,66" in flat
    assert "Kommunstyrelsen ger HR i uppdrag" in flat
    assert "Hög sjukskrivning bland kvinnor" in flat
    assert "Källa: Kolada (RKA)" in flat
    assert render_pdf(data).startswith(b"%PDF")

    # -- every change is in the audit log, attributed --
    who = {e.username for e in wf.audit_log()}
    assert {"anna.analytiker", "erik.redaktor", "system"} <= who
    revisions = wf.analysis(analysis.id).revisions
    assert [r.revision for r in revisions] == [1, 2]
    assert {r.author for r in revisions} == {"anna.analytiker"}
