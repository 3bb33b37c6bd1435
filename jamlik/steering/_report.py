"""The yearly analysis report ("analysrapport inför mål- och budgetdagen") as HTML, PDF, DOCX."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from jamlik.steering._charts import (
    Line,
    LineChart,
    priority_matrix_svg,
    to_png,
    to_svg,
)
from jamlik.steering._followup import (
    SEX_LABELS_SV,
    FollowUp,
    IndicatorFollowUp,
    _fmt,
    follow_up,
)
from jamlik.steering._models import Analysis, Decision
from jamlik.steering._workflow import RankedAction, Workflow
from jamlik.store import Store
from jamlik.web import install_globals, template_loader
from jamlik.web.palette import BLUE, GREY
from jamlik.web.palette import MEN as GREEN
from jamlik.web.palette import WOMEN as PURPLE

FORMATS = ("html", "pdf", "docx")
ATTRIBUTION = "Källa: Kolada (RKA), CC BY 4.0."


def environment() -> Environment:
    env = Environment(loader=template_loader(PackageLoader("jamlik.steering", "templates")),
                      autoescape=select_autoescape(["html"]))
    env.filters["num"] = _fmt
    env.globals["SEX_LABELS_SV"] = SEX_LABELS_SV
    install_globals(env)
    return env


@dataclass
class ReportData:
    follow_up: FollowUp
    analyses: dict[int, Analysis]  # by goal indicator id
    ranked: list[RankedAction]
    decisions: list[Decision]
    created_on: date

    @property
    def title(self) -> str:
        return f"Analysrapport {self.follow_up.period} inför mål- och budgetdagen"

    @property
    def summary(self) -> list[str]:
        return summary_lines(self)

    def chart(self, item: IndicatorFollowUp) -> LineChart:
        who = self.follow_up.name if item.sex == "T" else (
            f"{self.follow_up.name}, {SEX_LABELS_SV[item.sex]}")
        return LineChart(
            title=f"{item.title} – {who} och riket, med målvärde",
            lines=[Line(who, item.series, BLUE),
                   *[Line(SEX_LABELS_SV[sex].capitalize(), points, colour)
                     for sex, colour in (("K", PURPLE), ("M", GREEN))
                     if (points := item.sex_series.get(sex))],
                   Line("Riket", item.nation_series, GREY, True)],
            target=item.target_value)

    def svg(self, item: IndicatorFollowUp) -> str:
        return to_svg(self.chart(item))

    def matrix_svg(self) -> str:
        return priority_matrix_svg([(r.rank, r.action.title, r.action.effect, r.action.resources)
                                    for r in self.ranked if r.quadrant != "unassessed"])


def build_report(workflow: Workflow, store: Store, area: str, year: int, *,
                 profile_cache: dict | None = None) -> ReportData:
    fu = follow_up(workflow, store, area, year, profile_cache=profile_cache)
    analyses = {a.goal_indicator_id: a for a in workflow.analyses(area, period=year)}
    return ReportData(follow_up=fu, analyses=analyses,
                      ranked=workflow.priority_matrix(area, period=year),
                      decisions=workflow.decisions(area, period=year), created_on=date.today())


def render_html(data: ReportData) -> str:
    return environment().get_template("report.html").render(r=data, attribution=ATTRIBUTION)


def render_pdf(data: ReportData) -> bytes:
    from weasyprint import HTML  # imported late: needs the pango system libraries

    return HTML(string=render_html(data)).write_pdf()


def render_docx(data: ReportData) -> bytes:
    from docx import Document
    from docx.shared import Cm

    fu = data.follow_up
    doc = Document()
    doc.core_properties.title = data.title
    doc.core_properties.language = "sv-SE"
    doc.add_heading(data.title, 0)
    doc.add_paragraph(f"{fu.name} ({fu.area}). Skapad {data.created_on.isoformat()}.")
    if fu.vision:
        doc.add_paragraph(f"Vision: {fu.vision}")
    doc.add_heading("Sammanfattning", 1)
    for line in summary_lines(data):
        doc.add_paragraph(line, style="List Bullet")

    doc.add_heading("Avvikelser", 1)
    if not fu.deviations:
        doc.add_paragraph("Inga avvikelser denna period.")
    for goal, item in fu.deviations:
        doc.add_heading(f"{goal.key} {goal.title}: {item.title}", 2)
        for d in item.deviations:
            doc.add_paragraph(f"{d.label}: {d.text}", style="List Bullet")
        doc.add_picture(io.BytesIO(to_png(data.chart(item))), width=Cm(15))
        doc.add_paragraph(f"Status: {item.status_label}. {item.rule}")
        if item.verdict:
            doc.add_paragraph(f"Bedömning av säkerheten: {item.verdict}")
        analysis = data.analyses.get(item.goal_indicator_id)
        if analysis:
            _docx_analysis(doc, analysis)

    doc.add_heading("Prioritering av åtgärder", 1)
    if data.ranked:
        table = doc.add_table(rows=1, cols=5)
        table.style = "Light Grid Accent 1"
        for cell, text in zip(table.rows[0].cells, ("Rang", "Åtgärd", "Effekt (1–5)",
                                                    "Resursbehov (1–5)", "Prioritet"), strict=True):
            cell.text = text
        for r in data.ranked:
            row = table.add_row().cells
            for cell, text in zip(row, (str(r.rank), r.action.title, str(r.action.effect or "–"),
                                        str(r.action.resources or "–"), r.quadrant_label),
                                  strict=True):
                cell.text = text
    else:
        doc.add_paragraph("Inga åtgärdsförslag denna period.")

    doc.add_heading("Beslut och uppdrag", 1)
    if not data.decisions:
        doc.add_paragraph("Inga beslut registrerade för perioden.")
    for dec in data.decisions:
        given = dec.assignment
        doc.add_paragraph(
            f"{dec.decided_on.isoformat()}, {dec.decided_by}: {dec.text}"
            + (f" Uppdrag till {given.owner}, uppföljning {given.follow_up_on.isoformat()}."
               if given else ""),
            style="List Bullet")
    if fu.open_assignments:
        doc.add_heading("Öppna uppdrag från tidigare perioder", 2)
        for a in fu.open_assignments:
            doc.add_paragraph(f"{a['description']} (ansvarig {a['owner']}, uppföljning "
                              f"{a['follow_up_on']})", style="List Bullet")

    doc.add_heading("Måluppföljning", 1)
    for goal in fu.goals:
        doc.add_heading(f"{goal.key} {goal.title}", 2)
        table = doc.add_table(rows=1, cols=6)
        table.style = "Light Grid Accent 1"
        for cell, text in zip(table.rows[0].cells, ("Indikator", "Värde", "Period", "Målvärde",
                                                    "Målår", "Status"), strict=True):
            cell.text = text
        for i in goal.indicators:
            row = table.add_row().cells
            for cell, text in zip(row, (f"{i.indicator} {i.title} ({SEX_LABELS_SV[i.sex]})",
                                        _fmt(i.value), i.period_label or "–",
                                        _fmt(i.target_value), str(i.target_year or "–"),
                                        i.status_label), strict=True):
                cell.text = text
    doc.add_heading("Metod", 1)
    doc.add_paragraph(fu.rule)
    doc.add_paragraph(ATTRIBUTION)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _docx_analysis(doc: Any, analysis: Analysis) -> None:
    doc.add_heading("Analys", 3)
    last = analysis.revisions[-1] if analysis.revisions else None
    if last:
        doc.add_paragraph(f"Version {last.revision} av {last.author}, "
                          f"{last.created_at:%Y-%m-%d} ({'klar' if analysis.status == 'final' else 'utkast'}).")
    for c in analysis.causes:
        refs = ", ".join(e["label"] for e in c.get("evidence", []))
        doc.add_paragraph(f"Orsak: {c['text']}" + (f" (underlag: {refs})" if refs else ""),
                          style="List Bullet")
    if analysis.conclusions:
        doc.add_paragraph(f"Slutsats: {analysis.conclusions}")
    for p in analysis.proposals:
        doc.add_paragraph(f"Förslag: {p.title}. Om vi gör det: {p.consequence_if_done or '–'} "
                          f"Om vi inte gör det: {p.consequence_if_not_done or '–'} "
                          f"Effekt {p.effect or '–'}/5, resursbehov {p.resources or '–'}/5.",
                          style="List Bullet")


def summary_lines(data: ReportData) -> list[str]:
    fu = data.follow_up
    counts = fu.status_counts()
    n = sum(counts.values())
    return [
        f"{len(fu.goals)} mål med {n} indikatorer: {counts['achieved']} uppnått, "
        f"{counts['on_track']} på väg, {counts['off_track']} ej på väg, "
        f"{counts['cannot_assess']} kan inte bedömas.",
        f"Indikatorer med avvikelse: {len(fu.deviations)}.",
        f"Åtgärdsförslag: {len(data.ranked)}; beslut denna period: {len(data.decisions)}.",
        f"Öppna uppdrag från tidigare perioder: {len(fu.open_assignments)}.",
    ]


def render(data: ReportData, fmt: str) -> bytes:
    if fmt == "html":
        return render_html(data).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(data)
    if fmt == "docx":
        return render_docx(data)
    raise ValueError(f"okänt format {fmt!r}: välj html, pdf eller docx.")
