"""The round report (Swedish): ranked lists per theme with uncertainty, the verdict and its
reason, the consensus rule, the method — as HTML, PDF (WeasyPrint) or DOCX (python-docx).

Participants appear only as counts per organisation type; no pseudonym, name or comment text.
"""

from __future__ import annotations

import io
import math
from html import escape

from jamlik.format import fmt_num
from jamlik.prioritisation._results import RoundResults, ThemeResult

FORMATS = ("html", "pdf", "docx")
REASON_CODES_SV = {
    "ceiling": "alla högt (tak)", "floor": "alla lågt (golv)", "disagreement": "oenighet",
    "too_few_answers": "för få svar", "no_separation": "ingen åtskillnad",
}
METHOD_SV = (
    "Varje deltagares betyg av ett förslag är det viktade medelvärdet av hens betyg på "
    "kriterierna; förslagets poäng är den viktade summan av kriteriernas medelvärden. "
    "Rangintervallen (95 %) och andelen omdragningar där förslaget hamnar i topplistan kommer "
    "från bootstrap där organisationer dras om med alla sina deltagare. RAND/UCLA-klass med "
    "IPRAS-regeln för oenighet; Krippendorffs α (ordinal); Kendalls W. ”Ingen tydlig "
    "topplista” avgörs av flera signaler tillsammans (stabilitet, avstånd, nivå, oenighet, "
    "antal svar) — se docs/PRIORITISATION.md.")


def _n(x: float | None, d: int = 1) -> str:
    return "–" if x is None or not math.isfinite(x) else fmt_num(x, decimals=d)


def _verdict(t: ThemeResult) -> str:
    if t.clear is None:
        return t.explanation_sv
    if t.clear:
        return t.explanation_sv
    codes = ", ".join(REASON_CODES_SV.get(r, r) for r in t.reasons)
    return f"{t.explanation_sv} (orsak: {codes})"


def _rows(t: ThemeResult) -> list[list[str]]:
    rows = []
    for p in t.proposals:
        rows.append([str(p.rank), p.key, p.proposal.title, _n(p.score), _n(p.median),
                     f"{p.rank_lower}–{p.rank_upper}" if p.rank_lower else "–",
                     _n(p.p_top_k * 100, 0) + " %" if math.isfinite(p.p_top_k) else "–",
                     p.rand_class, "ja" if p.consensus else "nej", str(p.answers),
                     "★" if p.in_top else ""])
    return rows


HEAD = ["Plats", "Nr", "Förslag", "Poäng", "Median", "Rangintervall", "P(topplista)",
        "RAND/UCLA", "Konsensus", "Svar", "Topplista"]


def _intro(r: RoundResults) -> list[str]:
    groups = ", ".join(f"{g} {n}" for g, n in sorted(r.groups.items()))
    weights = ", ".join(f"{r.criteria[k]} {_n(w * 100, 0)} %" for k, w in r.weights.items())
    how = {"equal": "lika vikter", "fixed": "fasta vikter",
           "ahp": f"AHP (CR {_n(r.ahp_cr, 3)})"}.get(r.weighting, r.weighting)
    return [
        f"Skala 1–{r.scale_max}. {r.participants} deltagare från {r.organisations} "
        f"organisationer ({groups or 'inga svar'}); {r.submitted} har lämnat in.",
        f"Kriterier och vikter ({how}): {weights}.",
        r.consensus_rule_sv,
        f"Osäkerhet: {r.resamples} bootstrap-omdragningar av organisationer (frö {r.seed}).",
    ]


def render_html(r: RoundResults) -> str:
    parts = [
        "<!doctype html><html lang='sv'><head><meta charset='utf-8'>",
        f"<title>Prioritering – {escape(r.title)}</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;line-height:1.4}"
        "table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px "
        "solid #ccc;padding:.25rem .4rem;text-align:left}td.n{text-align:right}"
        ".verdict{padding:.5rem;border-left:4px solid #555;background:#f4f4f4}</style>",
        "</head><body>",
        f"<h1>Prioritering: {escape(r.title)}</h1>",
        *[f"<p>{escape(x)}</p>" for x in _intro(r)],
    ]
    for t in r.themes:
        parts.append(f"<h2>Tema {t.number}: {escape(t.title)}</h2>")
        parts.append(f"<p class='verdict'>{escape(_verdict(t))}</p>")
        if t.next_round_sv:
            parts.append(f"<p><strong>Nästa omgång:</strong> {escape(t.next_round_sv)}</p>")
        if math.isfinite(t.alpha) or math.isfinite(t.kendall_w):
            parts.append(f"<p>Krippendorffs α (ordinal) {_n(t.alpha, 2)}; Kendalls W "
                         f"{_n(t.kendall_w, 2)}; rangordningsbarhet ρ {_n(t.rankability, 2)} "
                         f"({t.rankability_sv}); {t.participants} deltagare, "
                         f"{t.organisations} organisationer.</p>")
        if t.proposals:
            parts.append("<table><thead><tr>" + "".join(f"<th scope='col'>{h}</th>" for h in HEAD)
                         + "</tr></thead><tbody>")
            for row in _rows(t):
                parts.append("<tr>" + "".join(
                    f"<td{' class=n' if i in (0, 3, 4, 6, 9) else ''}>{escape(c)}</td>"
                    for i, c in enumerate(row)) + "</tr>")
            parts.append("</tbody></table>")
    parts.append(f"<h2>Metod</h2><p>{escape(METHOD_SV)}</p></body></html>")
    return "\n".join(parts)


def render_pdf(r: RoundResults) -> bytes:
    from weasyprint import HTML  # late: needs the pango system libraries

    return bytes(HTML(string=render_html(r)).write_pdf())


def render_docx(r: RoundResults) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(f"Prioritering: {r.title}", 0)
    for x in _intro(r):
        doc.add_paragraph(x)
    for t in r.themes:
        doc.add_heading(f"Tema {t.number}: {t.title}", 1)
        doc.add_paragraph(_verdict(t))
        if t.next_round_sv:
            doc.add_paragraph(f"Nästa omgång: {t.next_round_sv}")
        if t.proposals:
            table = doc.add_table(rows=1, cols=len(HEAD))
            for cell, h in zip(table.rows[0].cells, HEAD, strict=True):
                cell.text = h
            for row in _rows(t):
                for cell, c in zip(table.add_row().cells, row, strict=True):
                    cell.text = c
    doc.add_heading("Metod", 1)
    doc.add_paragraph(METHOD_SV)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render_report(r: RoundResults, fmt: str) -> bytes:
    """The round report as bytes in ``fmt`` (html, pdf or docx)."""
    if fmt == "html":
        return render_html(r).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(r)
    if fmt == "docx":
        return render_docx(r)
    raise ValueError(f"okänt format {fmt!r} — välj html, pdf eller docx.")
