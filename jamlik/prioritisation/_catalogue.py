"""Catalogue files: reading and validating proposals from CSV/XLSX, writing them back.

A catalogue file has one row per proposal with the columns of ``COLUMNS`` (``key``, ``theme_number``,
``theme`` and ``title`` required). Lists (målområden, SDG targets, indicators, evidence links)
are ``;``-separated. Reading is all or nothing: every rejected cell is reported as
``file:line:column: message`` in Swedish (``jamlik.io.ImportRejected``) and nothing is stored.
The shipped default is the Samling's 30 action areas (``data/samling_action_areas.csv``, see
``data/README.md`` for its source).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from jamlik.format import safe_table
from jamlik.io import CellError, ImportRejected, read_table

COLUMNS = ("key", "theme_number", "theme", "title", "description", "source_report",
           "source_page", "evidence_links", "malomraden", "sdg_targets", "indicators", "outcome")
REQUIRED = ("key", "theme_number", "theme", "title")
OUTCOMES = ("top_list", "no_clear_top_list_all_low", "no_clear_top_list_all_high")

SAMLING_KEY = "samling-dalarna"
SAMLING_TITLE = "Samling för social hållbarhet i Dalarna – 30 åtgärdsområden"
SAMLING_SOURCE = ("Samling för social hållbarhet i Dalarna – slutrapport (april 2019), kapitlet "
                  "”Angelägna åtgärdsområden för att minska skillnader i hälsa i Dalarna”")

_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_SDG = re.compile(r"(\d{1,2})(\.[0-9a-z]{1,2})?")
_INDICATOR = re.compile(r"[A-Z]\d{5}|[a-z][a-z0-9_]{1,39}")


@dataclass(frozen=True)
class ProposalData:
    """One proposal as plain data (what a file row or the database holds)."""

    key: str
    theme_number: int
    theme: str
    title: str
    description: str = ""
    source_report: str = ""
    source_page: str = ""
    evidence_links: tuple[str, ...] = ()
    malomraden: tuple[int, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    outcome: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False)


def samling_path() -> Path:
    return Path(str(resources.files("jamlik.prioritisation") / "data" /
                    "samling_action_areas.csv"))


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split(";") if p.strip()]


def samling_proposals() -> list[ProposalData]:
    """The Samling's 30 action areas in the shipped file's own layout (number, theme_number …)."""
    df = pd.read_csv(samling_path(), dtype=str, keep_default_na=False)
    return [ProposalData(
        key=r["number"], theme_number=int(r["theme_number"]), theme=r["theme"],
        title=r["title"], source_report=SAMLING_SOURCE, source_page=r["source_page"],
        malomraden=tuple(int(x) for x in _split(r["malomraden"])),
        outcome=r["outcome_in_prioritisation"],
    ) for r in df.to_dict("records")]


def read_catalogue(path: Path) -> list[ProposalData]:
    """Read and validate a catalogue file (CSV or XLSX); raises ImportRejected listing every
    rejected cell (``fil:rad:kolumn: …``). A key repeated in the file is an error at its second
    line."""
    table = read_table(Path(path))
    errors: list[CellError] = [CellError(table.file, line, None, None, message, table.sheet)
                               for line, message in table.row_errors]
    headers = [h.strip() for h in table.headers]
    pos = {h: i + 1 for i, h in enumerate(headers)}
    missing = [c for c in REQUIRED if c not in pos]
    if missing:
        raise ImportRejected([CellError(
            table.file, table.header_line, None, None,
            f"kolumnen {', '.join(repr(c) for c in missing)} saknas; en katalogfil har "
            f"kolumnerna {', '.join(COLUMNS)} (se docs/PRIORITISATION.md).", table.sheet)])
    for h in headers:
        if h and h not in COLUMNS:
            errors.append(CellError(table.file, table.header_line, pos[h], h,
                                    f'okänd kolumn "{h}" — kända kolumner: {", ".join(COLUMNS)}.',
                                    table.sheet))
    out: list[ProposalData] = []
    first: dict[str, int] = {}
    for row, line_no in zip(table.data.itertuples(index=False), table.lines, strict=True):
        values = [("" if v is None else str(v)).strip() for v in row]
        if not any(values):
            continue
        line = int(line_no)
        c = {k: (values[pos[k] - 1] if k in pos else "") for k in COLUMNS}
        n_before = len(errors)

        def err(column: str, message: str, line: int = line) -> None:
            errors.append(CellError(table.file, line, pos.get(column), column,
                                    f'kolumn "{column}": {message}', table.sheet))

        key = c["key"]
        if not _KEY.fullmatch(key):
            err("key", f'"{key}" är ingen giltig nyckel — använd bokstäver, siffror, punkt, '
                       'bindestreck (högst 40 tecken), t.ex. "12" eller "T3-4".')
        elif key in first:
            err("key", f'förslaget "{key}" finns redan på rad {first[key]} — varje förslag '
                       "har en egen nyckel.")
        else:
            first[key] = line
        theme_number = 0
        if not re.fullmatch(r"\d{1,3}", c["theme_number"]) or not 1 <= int(c["theme_number"]):
            err("theme_number", f'"{c["theme_number"]}" är inget temanummer (ett heltal 1 eller '
                                "större).")
        else:
            theme_number = int(c["theme_number"])
        for col in ("theme", "title"):
            if not c[col]:
                err(col, "får inte vara tom.")
            elif len(c[col]) > (300 if col == "theme" else 400):
                err(col, "är för lång.")
        mal: list[int] = []
        for part in _split(c["malomraden"]):
            if not re.fullmatch(r"\d", part) or not 0 <= int(part) <= 8:
                err("malomraden", f'"{part}" är inget målområde (0–8).')
            else:
                mal.append(int(part))
        sdgs = _split(c["sdg_targets"])
        for t in sdgs:
            m = _SDG.fullmatch(t)
            if not m or not 1 <= int(m.group(1)) <= 17:
                err("sdg_targets", f'"{t}" är inget globalt mål eller delmål (t.ex. 3 eller 3.4).')
        inds = _split(c["indicators"])
        for i in inds:
            if not _INDICATOR.fullmatch(i):
                err("indicators", f'"{i}" är inget indikator-id (t.ex. N03926).')
        links = _split(c["evidence_links"])
        for u in links:
            if not re.match(r"https?://\S+$", u):
                err("evidence_links", f'"{u[:60]}" är ingen webbadress (börja med https://).')
        if c["outcome"] and c["outcome"] not in OUTCOMES:
            err("outcome", f'"{c["outcome"]}" är inget känt utfall — välj bland '
                           f'{", ".join(OUTCOMES)} eller lämna tomt.')
        if len(errors) == n_before:
            out.append(ProposalData(
                key=key, theme_number=theme_number, theme=c["theme"], title=c["title"],
                description=c["description"], source_report=c["source_report"],
                source_page=c["source_page"], evidence_links=tuple(links),
                malomraden=tuple(mal), sdg_targets=tuple(sdgs), indicators=tuple(inds),
                outcome=c["outcome"]))
    if not out and not errors:
        errors.append(CellError(table.file, None, None, None,
                                "filen innehåller inga förslag.", table.sheet))
    if errors:
        errors.sort(key=lambda e: (e.line or 0, e.column or 0))
        raise ImportRejected(errors)
    return out


def catalogue_frame(proposals: list[ProposalData]) -> pd.DataFrame:
    rows = []
    for p in proposals:
        rows.append({
            "key": p.key, "theme_number": str(p.theme_number), "theme": p.theme,
            "title": p.title, "description": p.description, "source_report": p.source_report,
            "source_page": p.source_page, "evidence_links": ";".join(p.evidence_links),
            "malomraden": ";".join(str(m) for m in p.malomraden),
            "sdg_targets": ";".join(p.sdg_targets), "indicators": ";".join(p.indicators),
            "outcome": p.outcome})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def write_catalogue(proposals: list[ProposalData], path: Path) -> int:
    """Write proposals as CSV or XLSX (by suffix), formula-like text escaped; returns rows."""
    path = Path(path)
    df = safe_table(catalogue_frame(proposals))
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        df.to_excel(path, index=False, sheet_name="forslag")
    elif suffix in (".csv", ".txt"):
        df.to_csv(path, index=False, lineterminator="\n")
    else:
        raise ValueError(f"okänt filformat {path.suffix!r} — välj .csv eller .xlsx.")
    return len(df)
