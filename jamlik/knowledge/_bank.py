"""Reading, validating, importing and exporting the bank of good examples.

A bank is a CSV file with the columns of ``COLUMNS`` (the shipped bank is one). Every import
is all or nothing: each rejected cell is reported as ``file:line:column: message`` (the
style of jamlik.io) and the bank file is replaced atomically only when no cell was rejected.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from jamlik import catalog
from jamlik.errors import JamlikError
from jamlik.format import safe_table
from jamlik.io import CellError, ImportRejected, read_table
from jamlik.knowledge._model import COLUMNS, EVIDENCE_LEVELS, KINDS, REQUIRED, SECTORS, Example

#: Where the shipped bank came from (see docs/KNOWLEDGE.md).
DEFAULT_SOURCE = ("Samling för social hållbarhet i Dalarna – slutrapport (2019), kommunsidorna; "
                  "sammanfattningar skrivna för jamlik")

_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,79}")
_SDG = re.compile(r"(\d{1,2})(\.[0-9a-z]{1,2})?")


def default_bank_path() -> Path:
    """The bank shipped with jamlik: ten examples from the Samling's municipality pages."""
    return Path(str(resources.files("jamlik.knowledge") / "data" / "good_examples.csv"))


class BankError(JamlikError, ValueError):
    """A change to the bank that was refused; the message says why, in Swedish."""


@lru_cache(maxsize=1)
def _municipality_codes() -> frozenset[str]:
    return frozenset(catalog.municipalities()["code"])


@lru_cache(maxsize=1)
def _indicator_ids() -> frozenset[str]:
    ids = set(catalog.core_indicators()["kolada_id"])
    ids |= set(pd.read_csv(Path(str(resources.files("jamlik.catalog") / "data" /
                                    "indicators.csv")), dtype=str,
                           keep_default_na=False)["id"])
    return frozenset(i for i in ids if i)


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split(";") if p.strip()]


#: an e-mail address or a phone number (six digits or more, spaces and dashes allowed)
_PERSONAL = re.compile(r"@|\d(?:[\s-]?\d){5,}")


class _RowParser:
    """Parses one row's cells, recording a CellError for each rejected one."""

    def __init__(self, file: str, line: int, positions: dict[str, int], sheet: str | None,
                 errors: list[CellError]):
        self.file, self.line, self.positions, self.sheet = file, line, positions, sheet
        self.errors = errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(CellError(self.file, self.line, self.positions.get(column),
                                     column, f'kolumn "{column}": {message}', self.sheet))

    def integer(self, column: str, text: str, low: int, high: int) -> int | None:
        if not text:
            return None
        if not re.fullmatch(r"\d+", text) or not low <= int(text) <= high:
            self.error(column, f'"{text}" är inte ett heltal {low}–{high}.')
            return None
        return int(text)

    def integers(self, column: str, text: str, low: int, high: int) -> tuple[int, ...]:
        out = []
        for part in _split(text):
            value = self.integer(column, part, low, high)
            if value is not None:
                out.append(value)
        return tuple(out)


def _parse_row(p: _RowParser, cells: dict[str, str]) -> Example | None:
    n_errors = len(p.errors)
    ex_id = cells["id"]
    if not _ID.fullmatch(ex_id):
        p.error("id", f'"{ex_id}" är inget giltigt id — använd små bokstäver a–z, siffror och '
                      'bindestreck, t.ex. "orsa-konsultationsteam".')
    if not cells["title"]:
        p.error("title", "titeln saknas.")
    codes = tuple(_split(cells["municipality_codes"]))
    if not codes:
        p.error("municipality_codes", "ange minst en kommunkod, t.ex. 2081 (Borlänge).")
    for code in codes:
        if code not in _municipality_codes():
            p.error("municipality_codes", f'"{code}" är ingen känd kommunkod — ange SCB:s '
                                          'fyrsiffriga kod, t.ex. 2081 för Borlänge.')
    sectors = tuple(_split(cells["sectors"]))
    for s in sectors:
        if s not in SECTORS:
            p.error("sectors", f'"{s}" är ingen känd sektor — välj bland {", ".join(SECTORS)}.')
    kind = cells["kind"]
    if kind and kind not in KINDS:
        p.error("kind", f'"{kind}" är inget känt slag — välj bland {", ".join(KINDS)}.')
    sdgs = tuple(_split(cells["sdg_targets"]))
    for t in sdgs:
        m = _SDG.fullmatch(t)
        if not m or not 1 <= int(m.group(1)) <= 17:
            p.error("sdg_targets", f'"{t}" är inget globalt mål eller delmål (t.ex. 3 eller 3.4).')
    indicators = tuple(_split(cells["indicators"]))
    for i in indicators:
        if i not in _indicator_ids():
            p.error("indicators", f'"{i}" är ingen känd indikator i katalogen (t.ex. N03926).')
    evidence = p.integer("evidence_level", cells["evidence_level"], 0, max(EVIDENCE_LEVELS))
    example = Example(
        id=ex_id, title=cells["title"], municipality_codes=codes,
        organisation=cells["organisation"], sectors=sectors,
        year=p.integer("year", cells["year"], 1900, 2100),
        period_end=p.integer("period_end", cells["period_end"], 1900, 2100),
        theme_number=p.integer("theme_number", cells["theme_number"], 1, 4),
        action_areas=p.integers("action_areas", cells["action_areas"], 1, 30),
        malomraden=p.integers("malomraden", cells["malomraden"], 0, 8),
        sdg_targets=sdgs, indicators=indicators, kind=kind,
        target_group=cells["target_group"], evidence_level=evidence or 0,
        summary_sv=cells["summary_sv"], results=cells["results"], costs=cells["costs"],
        contact_role=cells["contact_role"],
        source=cells["source"], source_page=cells["source_page"], url=cells["url"],
    )
    if example.year and example.period_end and example.period_end < example.year:
        p.error("period_end", f"slutåret {example.period_end} är före startåret {example.year}.")
    if _PERSONAL.search(example.contact_role):
        p.error("contact_role", "ange en roll (t.ex. folkhälsostrateg, Orsa kommun), inte en "
                                "e-postadress eller ett telefonnummer.")
    if example.url and not re.match(r"https?://", example.url):
        p.error("url", f'"{example.url}" är ingen webbadress (börja med https://).')
    return example if len(p.errors) == n_errors else None


def read_examples(path: Path) -> list[Example]:
    """Read and validate a bank file (CSV or XLSX); raises ImportRejected listing every error.

    A repeated id within the file is an error at its second line.
    """
    table = read_table(Path(path))
    errors: list[CellError] = [CellError(table.file, line, None, None, message, table.sheet)
                               for line, message in table.row_errors]
    headers = [h.strip() for h in table.headers]
    positions = {h: i + 1 for i, h in enumerate(headers)}
    missing = [c for c in REQUIRED if c not in positions]
    if missing:
        raise ImportRejected([CellError(
            table.file, table.header_line, None, None,
            f"kolumnen {', '.join(repr(c) for c in missing)} saknas; en exempelfil har "
            f"kolumnerna {', '.join(COLUMNS)} (se docs/KNOWLEDGE.md).", table.sheet)])
    unknown = [h for h in headers if h and h not in COLUMNS]
    for h in unknown:
        errors.append(CellError(table.file, table.header_line, positions[h], h,
                                f'okänd kolumn "{h}" — kända kolumner: {", ".join(COLUMNS)}.',
                                table.sheet))
    examples: list[Example] = []
    first_line: dict[str, int] = {}
    for row, line in zip(table.data.itertuples(index=False), table.lines, strict=True):
        values = [("" if v is None else str(v)).strip() for v in row]
        if not any(values):
            continue
        cells = {c: (values[positions[c] - 1] if c in positions else "") for c in COLUMNS}
        parser = _RowParser(table.file, int(line), positions, table.sheet, errors)
        ex_id = cells["id"]
        if ex_id in first_line:
            parser.error("id", f'exemplet "{ex_id}" finns redan på rad {first_line[ex_id]} — '
                               "varje exempel har ett eget id.")
            continue
        first_line[ex_id] = int(line)
        example = _parse_row(parser, cells)
        if example is not None:
            examples.append(example)
    if errors:
        errors.sort(key=lambda e: (e.line or 0, e.column or 0))
        raise ImportRejected(errors)
    return examples


def load_bank(path: Path | None = None) -> list[Example]:
    """The examples in the bank file ``path`` (default: the shipped bank), in file order."""
    return read_examples(path or default_bank_path())


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ";".join(str(x) for x in value)
    return "" if value is None else str(value)


def _frame(examples: Iterable[Example]) -> pd.DataFrame:
    rows = []
    for e in examples:
        d = e.as_json()
        rows.append({c: _cell(d[c]) for c in COLUMNS})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def write_bank(examples: Iterable[Example], path: Path) -> None:
    """Write a bank file atomically (a temporary file beside it, then os.replace)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            _frame(examples).to_csv(fh, index=False, lineterminator="\n",
                                    quoting=csv.QUOTE_MINIMAL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def import_examples(source: Path, bank: Path, *, replace: bool = False) -> list[Example]:
    """Add the examples in ``source`` (CSV/XLSX) to the bank file ``bank``, all or nothing.

    The bank file starts as a copy of the shipped bank when it does not exist. An id already
    in the bank is refused (BankError naming the file and line) unless ``replace``; then the
    new version takes its place. Returns the bank after the import.
    """
    new = read_examples(source)
    bank = Path(bank)
    current = load_bank(bank if bank.exists() else None)
    known = {e.id: e for e in current}
    if not replace:
        table = read_table(Path(source))
        lines: dict[str, int] = {}
        pos = [h.strip() for h in table.headers].index("id")
        for row, line in zip(table.data.itertuples(index=False), table.lines, strict=True):
            lines.setdefault(str(row[pos]).strip(), int(line))
        clashes = [e for e in new if e.id in known]
        if clashes:
            raise ImportRejected([CellError(
                Path(source).name, lines.get(e.id), pos + 1, "id",
                f'kolumn "id": exemplet "{e.id}" finns redan i kunskapsbanken — ge det ett '
                "nytt id, eller importera med --replace för att ersätta det.", table.sheet)
                for e in clashes])
    merged = dict(known)
    merged.update({e.id: e for e in new})
    result = list(merged.values())
    write_bank(result, bank)
    return result


def export_examples(examples: Iterable[Example], path: Path) -> int:
    """Write examples to CSV or XLSX (by suffix); text cells a spreadsheet would run as a
    formula are escaped (jamlik.format.safe_table). Returns the number of rows written."""
    path = Path(path)
    df = safe_table(_frame(examples))
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        df.to_excel(path, index=False, sheet_name="exempel")
    elif suffix in (".csv", ".txt"):
        df.to_csv(path, index=False, lineterminator="\n")
    else:
        raise BankError(f'{path.name}: filtypen "{suffix or "(ingen)"}" stöds inte för export '
                        "— använd .csv eller .xlsx.")
    return len(df)
