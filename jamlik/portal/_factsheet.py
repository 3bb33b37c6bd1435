"""The one-page fact sheet for a kommunstyrelse: which indicators, in plain words, with a small
chart each; and its DOCX twin.

Choice (``select_rows``): the area's deviations first (strongest evidence first, one row per
indicator, at most ``MAX_DEVIATIONS``), then the core set: per målområde the headline indicators
(``HEADLINE``) and then the first with a value, until ``MAX_ROWS``. Verdicts are plain
sentences without test names (``plain_verdict``): the comparison with the nation when the value
could be tested, else the place among the municipalities, and the direction of the trend.
"""

from __future__ import annotations

import io
from typing import Any

from jamlik.language import index, word
from jamlik.portal._data import HEADLINE

MAX_ROWS = 12
MAX_DEVIATIONS = 5

_VS_SV = {"better_998": "Bättre än riket", "better": "Bättre än riket",
          "worse_998": "Sämre än riket", "worse": "Sämre än riket",
          "higher": "Högre än riket", "lower": "Lägre än riket",
          "similar": "Ingen säker skillnad mot riket"}
_VS_EN = {"better_998": "Better than Sweden", "better": "Better than Sweden",
          "worse_998": "Worse than Sweden", "worse": "Worse than Sweden",
          "higher": "Higher than Sweden", "lower": "Lower than Sweden",
          "similar": "No clear difference from Sweden"}
_RANK_SV = {"green": "Bland de 25 % bästa kommunerna", "yellow": "I mitten bland kommunerna",
            "red": "Bland de 25 % sämsta kommunerna"}
_RANK_EN = {"green": "Among the best 25 % of municipalities",
            "yellow": "In the middle of the municipalities",
            "red": "Among the worst 25 % of municipalities"}
_TREND_SV = {"increasing": "ökar", "decreasing": "minskar",
             "no_significant_change": "ingen säker förändring"}
_TREND_EN = {"increasing": "rising", "decreasing": "falling",
             "no_significant_change": "no clear change"}
_BENCH_SV = {"nation": "riket", "county": "länet", "similar": "liknande kommuner"}
_BENCH_EN = {"nation": "Sweden", "county": "the county", "similar": "similar municipalities"}


def plain_verdict(row: dict[str, Any], lang: str = "sv") -> str:
    """'Sämre än riket; ökar över tid.' — no test names, no p-values."""
    i = index(lang)
    vs = row.get("vs_nation") or "not_compared"
    first = (_VS_SV, _VS_EN)[i].get(vs) or (_RANK_SV, _RANK_EN)[i].get(
        row.get("rank_colour") or "")
    trend = (_TREND_SV, _TREND_EN)[i].get(row.get("trend") or "")
    parts = [p for p in (first, word(("över tid: ", "over time: "), lang) + trend
                          if trend else None) if p]
    return "; ".join(parts) + "." if parts else word(("Kan inte bedömas.",
                                                      "Cannot be assessed."), lang)


def deviation_verdict(dev: dict[str, Any], lang: str = "sv") -> str:
    """The deviation in plain words: 'Säkert sämre än liknande kommuner.'"""
    i = index(lang)
    kind, bench = dev.get("kind"), dev.get("benchmark")
    if kind in ("worse_than_benchmark", "worse_than_similar"):
        if bench == "rank" or bench is None:
            return (_RANK_SV, _RANK_EN)[i]["red"] + "."
        name = (_BENCH_SV, _BENCH_EN)[i].get(str(bench), str(bench))
        return word((f"Säkert sämre än {name}.", f"Clearly worse than {name}."), lang)
    if kind == "trending_worse":
        return word(("Utvecklas åt fel håll över tid.", "Moving the wrong way over time."), lang)
    if kind == "widening_gap":
        return word(("Skillnaden mellan kvinnor och män växer.",
                     "The gap between women and men is growing."), lang)
    if kind == "missed_target":
        return word(("Målvärdet nås inte.", "The target is not met."), lang)
    return str(dev.get("kind_label") or kind)


def select_rows(rows: list[dict[str, Any]], deviations: list[dict[str, Any]],
                target_area_order: list[int], max_rows: int = MAX_ROWS,
                max_deviations: int = MAX_DEVIATIONS) -> list[dict[str, Any]]:
    """Profile rows for the sheet, each with ``deviation`` (dict or None): deviations first,
    then the core set per målområde (headline indicators first), without repeats."""
    # Background facts (population counts, no målområde) are left out: not for a kommunstyrelse.
    by_id = {r["indicator"]: r for r in rows if r.get("value") is not None
             and r.get("target_area", -1) in target_area_order}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for d in deviations:
        if len([r for r in out if r["deviation"]]) >= max_deviations:
            break
        if d["indicator"] in by_id and d["indicator"] not in seen:
            out.append({**by_id[d["indicator"]], "deviation": d})
            seen.add(d["indicator"])
    rank = {ind: i for i, ind in enumerate(HEADLINE)}
    per_area: dict[int, list[dict[str, Any]]] = {}
    for r in by_id.values():
        per_area.setdefault(r["target_area"], []).append(r)
    for rs in per_area.values():
        rs.sort(key=lambda r: (rank.get(r["indicator"], len(rank)), r["indicator"]))
    # round-robin over the målområden so each gets its most important indicator first
    depth = 0
    while len(out) < max_rows and any(len(v) > depth for v in per_area.values()):
        for ta in target_area_order:
            rs = per_area.get(ta, [])
            if len(rs) > depth and rs[depth]["indicator"] not in seen and len(out) < max_rows:
                out.append({**rs[depth], "deviation": None})
                seen.add(rs[depth]["indicator"])
        depth += 1
    return out


def unit_suffix(title: str, unit: str | None) -> str:
    """The unit once: '' when the title already names it ('andel (%)' and unit '%')."""
    if not unit:
        return ""
    folded = title.casefold()
    return "" if unit.casefold() in folded or f"({unit.casefold()})" in folded else unit


def factsheet_docx(context: dict[str, Any], lang: str = "sv") -> bytes:
    """The fact sheet as a Word document: title, lead, one table of the chosen indicators with
    value, county, nation and verdict, the deviations, source and date (no charts)."""
    from docx import Document
    from docx.shared import Cm, Pt

    from jamlik.portal._format import fmt_num

    doc = Document()
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(1.6)
        section.top_margin = section.bottom_margin = Cm(1.4)
    style = doc.styles["Normal"]
    style.font.size = Pt(9)
    doc.add_heading(str(context["sheet_title"]), level=1)
    doc.add_paragraph(str(context["lead"]))
    table = doc.add_table(rows=1, cols=6)
    table.style = "Light Grid Accent 1"
    heads = (["Indikator", "Period", str(context["name"]), "Länet", "Riket", "Bedömning"],
             ["Indicator", "Period", str(context["name"]), "County", "Sweden", "Assessment"]
             )[index(lang)]
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = text
    for c in context["cards"]:
        d = c["decimals"]
        cells = table.add_row().cells
        cells[0].text = c["title"] + (f" ({c['unit']})" if c["unit"] else "")
        cells[1].text = str(c["period"])
        cells[2].text = fmt_num(c["value"], lang, d)
        cells[3].text = fmt_num(c["county_value"], lang, d)
        cells[4].text = fmt_num(c["nation_value"], lang, d)
        cells[5].text = c["verdict"]
    doc.add_paragraph(str(context["source_line"]))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
