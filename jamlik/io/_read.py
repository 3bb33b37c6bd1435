"""Read CSV/text, XLSX and Parquet files into one raw layout: text cells plus file line numbers.

Everything becomes text first so that one vectorised parser handles numbers as Swedish
analysts write them, whatever the file type; line numbers are kept per row so every error
can point at the physical line (CSV), the Excel row, or row number + 1 (Parquet).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from jamlik.io._errors import CellError, ImportRejected

TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}

ENCODING_LABELS = {
    "utf-8-sig": "UTF-8 med BOM",
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252",
    "latin-1": "ISO-8859-1",
    "utf-16": "UTF-16",
}
SEPARATOR_LABELS = {";": "semikolon", ",": "komma", "\t": "tabb", "|": "lodstreck"}
_SEPARATORS = (";", ",", "\t")


@dataclass
class RawTable:
    """A file's header and data cells as text; data columns are positions 0..n-1."""

    file: str
    headers: list[str]
    data: pd.DataFrame
    lines: np.ndarray
    sheet: str | None = None
    encoding: str | None = None
    separator: str | None = None
    header_line: int = 1
    #: rows that could not be split into the header's columns: (line, message)
    row_errors: list[tuple[int, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.data)


def read_table(path: Path, *, sheet: str | int | None = None, encoding: str | None = None,
               separator: str | None = None, header_line: int = 1) -> RawTable:
    """Read a CSV/text, XLSX or Parquet file; raises ImportRejected when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return _read_text(path, encoding=encoding, separator=separator, header_line=header_line)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, sheet=sheet, header_line=header_line)
    if suffix in PARQUET_SUFFIXES:
        return _read_parquet(path)
    hint = " — spara om filen som .xlsx i Excel" if suffix == ".xls" else ""
    raise ImportRejected([CellError(
        path.name, None, None, None,
        f'filtypen "{suffix or "(ingen)"}" stöds inte{hint}; jamlik läser CSV (.csv, .txt, '
        ".tsv), Excel (.xlsx) och Parquet (.parquet).")])


# -- text -------------------------------------------------------------------------------------
def decode(raw: bytes, encoding: str | None, file: str) -> tuple[str, str]:
    """Decode bytes: BOM first, then strict UTF-8, then Windows-1252 (Swedish Excel's default)."""
    if encoding and encoding.lower() not in ("auto", ""):
        try:
            return raw.decode(encoding), encoding.lower()
        except (UnicodeDecodeError, LookupError) as exc:
            line = raw[: getattr(exc, "start", 0)].count(b"\n") + 1
            raise ImportRejected([CellError(
                file, line if isinstance(exc, UnicodeDecodeError) else None, None, None,
                f"filen kan inte läsas som {encoding} — ta bort encoding ur mappningen så "
                "känner jamlik av teckenkodningen, eller ange rätt (utf-8 eller cp1252).")]) from exc
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # bytes 0x81, 0x8D … are undefined in cp1252
        return raw.decode("latin-1"), "latin-1"


def sniff_separator(text: str, header_line: int = 1) -> str:
    """The separator that splits the header and the next lines into the same, largest width."""
    sample = text.splitlines()[header_line - 1 : header_line + 49]
    best, best_score = ",", (0.0, 0)
    for sep in _SEPARATORS:
        widths = [len(r) for r in csv.reader(sample, delimiter=sep) if r]
        if not widths or widths[0] < 2:
            continue
        agree = sum(w == widths[0] for w in widths) / len(widths)
        score = (agree, widths[0])
        if score > best_score:
            best, best_score = sep, score
    return best


def _read_text(path: Path, *, encoding: str | None, separator: str | None,
               header_line: int) -> RawTable:
    text, used = decode(path.read_bytes(), encoding, path.name)
    sep = separator if separator and separator != "auto" else sniff_separator(text, header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        # the reader's line_num after a record is the record's last physical line
        records = [(rec, reader.line_num) for rec in reader]
    except csv.Error as exc:
        raise ImportRejected([CellError(
            path.name, reader.line_num, None, None,
            f"filen kan inte delas upp i kolumner ({exc}) — kontrollera citattecknen.")]) from exc
    starts = [1] + [end + 1 for _, end in records[:-1]]
    headers: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    row_errors: list[tuple[int, str]] = []
    found_header = header_line
    body = 0
    for i, (rec, _) in enumerate(records):
        if starts[i] >= header_line and "".join(rec).strip():
            headers = [h.strip() for h in rec]
            found_header = starts[i]
            while headers and headers[-1] == "":  # trailing separator on the header line
                headers.pop()
            body = i + 1
            break
    if headers is None:
        raise ImportRejected([CellError(path.name, None, None, None,
                                        "filen är tom — den har ingen rubrikrad.")])
    width = len(headers)
    for i in range(body, len(records)):
        rec = records[i][0]
        if len(rec) != width:
            if not "".join(rec).strip():
                continue  # a blank line
            if len(rec) > width and not "".join(rec[width:]).strip():
                rec = rec[:width]  # trailing separators, as Excel writes them
            else:
                row_errors.append((starts[i], (
                    f"raden har {len(rec)} fält men rubrikraden har {width} — kontrollera "
                    f"avgränsaren ({SEPARATOR_LABELS.get(sep, sep)}) och citattecknen på "
                    "raden.")))
                continue
        rows.append(rec)
        lines.append(starts[i])
    frame = _frame(rows, width)
    blank = (frame == "").all(axis=1).to_numpy() if width else np.zeros(0, dtype=bool)
    if blank.any():  # rows of only separators (";;;;")
        frame = frame[~blank].reset_index(drop=True)
    line_numbers = np.asarray(lines, dtype=np.int64)[~blank] if len(lines) else np.asarray(
        lines, dtype=np.int64)
    return RawTable(path.name, headers, frame, line_numbers, encoding=used, separator=sep,
                    header_line=found_header, row_errors=row_errors)


def _frame(rows: list[list[str]], width: int) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame({i: pd.Series([], dtype="str") for i in range(width)})
    cols = list(zip(*rows, strict=True))
    return pd.DataFrame({i: pd.Series(cols[i], dtype="str") for i in range(width)})


# -- spreadsheets and parquet -----------------------------------------------------------------
def cell_text(value: object) -> str:
    """A spreadsheet or Parquet cell as the text the parser expects."""
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        f = float(value)
        if math.isnan(f):
            return ""
        if f.is_integer() and abs(f) < 1e15:
            return str(int(f))
        return repr(f)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value)


def _read_excel(path: Path, *, sheet: str | int | None, header_line: int) -> RawTable:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for broken files
        raise ImportRejected([CellError(
            path.name, None, None, None,
            f"Excel-filen kan inte öppnas ({type(exc).__name__}) — är den en .xlsx-fil? "
            "Öppna och spara om den i Excel.")]) from exc
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif isinstance(sheet, int):
            if not 1 <= sheet <= len(wb.worksheets):
                raise KeyError(sheet)
            ws = wb.worksheets[sheet - 1]
        else:
            ws = wb[sheet]
    except KeyError:
        wb.close()
        raise ImportRejected([CellError(
            path.name, None, None, None,
            f'bladet "{sheet}" finns inte — arbetsboken har bladen '
            + ", ".join(f'"{s}"' for s in wb.sheetnames) + "; rätta sheet i mappningen.")]
        ) from None
    headers: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    found_header = header_line
    try:
        # read-only worksheets yield every row from 1 to max_row, empty ones included
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if number < header_line:
                continue
            cells = [cell_text(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            if headers is None:
                headers = [c.strip() for c in cells]
                while headers and headers[-1] == "":
                    headers.pop()
                found_header = number
                continue
            width = len(headers)
            cells = (cells + [""] * width)[:width]  # Excel rows are ragged at the right edge
            rows.append(cells)
            lines.append(number)
    finally:
        title = ws.title
        wb.close()
    if headers is None:
        raise ImportRejected([CellError(path.name, None, None, None,
                                        f'bladet "{title}" är tomt — det har ingen rubrikrad.')])
    return RawTable(path.name, headers, _frame(rows, len(headers)),
                    np.asarray(lines, dtype=np.int64), sheet=title, header_line=found_header)


def _read_parquet(path: Path) -> RawTable:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError …
        raise ImportRejected([CellError(
            path.name, None, None, None,
            f"Parquet-filen kan inte läsas ({type(exc).__name__}: {exc}).")]) from exc
    data = pd.DataFrame({
        i: pd.Series([cell_text(v) for v in frame[c].tolist()], dtype="str")
        for i, c in enumerate(frame.columns)
    })
    return RawTable(path.name, [str(c).strip() for c in frame.columns], data,
                    np.arange(len(frame), dtype=np.int64) + 2)
