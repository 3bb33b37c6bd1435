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
#: The longest cell a text file may have (the csv module's limit, 128 KiB).
_FIELD_LIMIT = csv.field_size_limit()


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
        try:
            widths = [len(r) for r in csv.reader(sample, delimiter=sep) if r]
        except csv.Error:  # e.g. a field over the limit; reading the file reports it
            continue
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
        if "field limit" in str(exc):
            message = (f"ett fält på raden är längre än {_FIELD_LIMIT:,} tecken".replace(",", " ")
                       + " — så långa celler läses inte. Oftast saknar ett citattecken (\") "
                       "sitt slut, så att resten av filen blir ett enda fält; kontrollera "
                       "citattecknen på raden och raderna före.")
        else:
            message = (f"filen kan inte delas upp i kolumner (csv: {exc}) — kontrollera "
                       "citattecknen på raden.")
        raise ImportRejected([CellError(path.name, reader.line_num, None, None, message)]
                             ) from exc
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


#: The most an .xlsx file may hold uncompressed (all its parts together). A real export of
#: 100 000 rows is ~40 MB; a "zip bomb" of 1 MB that unpacks to 1 GiB is refused before
#: openpyxl reads it.
MAX_XLSX_UNCOMPRESSED = 200 * 2**20
#: Excel's own limit on the characters in one cell.
MAX_CELL_CHARS = 32_767


def _check_xlsx_size(path: Path) -> bool:
    """Refuse an .xlsx whose parts unpack to more than MAX_XLSX_UNCOMPRESSED; True when any
    worksheet holds a formula (then the cached results are checked cell by cell)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_XLSX_UNCOMPRESSED:
                raise ImportRejected([CellError(
                    path.name, None, None, None,
                    f"Excel-filen packas upp till {_mb(total)}, mer än gränsen "
                    f"{_mb(MAX_XLSX_UNCOMPRESSED)} — den läses inte (en så stor arbetsbok är ovanlig och kan vara skadad "
                    "eller skadlig). Dela upp den, eller exportera bladet som CSV.")])
            return any(_has_formula(zf, i) for i in infos
                       if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"))
    except zipfile.BadZipFile:
        return False  # openpyxl says it cannot open the file, in Swedish, below


def _mb(size: int) -> str:
    """Bytes as Swedish megabytes: '0,03 MB', '1 234 MB'."""
    mb = size / 2**20
    if mb < 10:
        return f"{mb:.2f} MB".replace(".", ",")
    return f"{mb:,.0f} MB".replace(",", "\u202f")


def _has_formula(zf, info) -> bool:  # noqa: ANN001 - zipfile objects
    tail = b""
    with zf.open(info) as part:
        while chunk := part.read(1 << 20):
            if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                return True
            tail = chunk[-3:]
    return False


def _formula_errors(path: Path, sheet_index: int, header_line: int,
                    values: list[tuple]) -> list[tuple[int, str]]:
    """Cells with a formula but no saved result (openpyxl reads them as empty)."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    errors: list[tuple[int, str]] = []
    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        ws = wb.worksheets[sheet_index]
        for number, (cached, raw) in enumerate(zip(values, ws.iter_rows(values_only=True),
                                                   strict=False), start=1):
            if number < header_line:
                continue
            for col, (value, formula) in enumerate(zip(cached, raw, strict=False), start=1):
                if value is None and formula is not None:
                    text = str(getattr(formula, "text", formula))
                    shown = text if len(text) <= 40 else text[:37] + "…"
                    errors.append((number, (
                        f'cellen {get_column_letter(col)}{number} innehåller formeln "{shown}" '
                        "men inget sparat resultat (filen är skapad av ett program som inte "
                        "räknar ut formler) — öppna och spara filen i Excel eller LibreOffice "
                        "så att resultaten sparas, eller ersätt formeln med värdet.")))
                    if len(errors) >= 100:
                        return errors
    finally:
        wb.close()
    return errors


def _read_excel(path: Path, *, sheet: str | int | None, header_line: int) -> RawTable:
    import openpyxl

    has_formulas = _check_xlsx_size(path)
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
    row_errors: list[tuple[int, str]] = []
    kept: list[tuple] = []  # the cached values, for the formula check
    sheet_index = wb.worksheets.index(ws)
    try:
        # read-only worksheets yield every row from 1 to max_row, empty ones included
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if has_formulas:
                kept.append(values)
            if number < header_line:
                continue
            cells = [cell_text(v) for v in values]
            long = [i for i, c in enumerate(cells, start=1) if len(c) > MAX_CELL_CHARS]
            if long:
                from openpyxl.utils import get_column_letter

                row_errors.append((number, (
                    f"cellen {get_column_letter(long[0])}{number} har {len(cells[long[0] - 1]):,}"
                    .replace(",", " ") + f" tecken, mer än Excels gräns {MAX_CELL_CHARS:,}"
                    .replace(",", " ") + " — filen är skadad eller inte skapad av Excel.")))
                cells = [c[:MAX_CELL_CHARS] for c in cells]
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
    if has_formulas:
        row_errors.extend(_formula_errors(path, sheet_index, found_header + 1, kept))
    return RawTable(path.name, headers, _frame(rows, len(headers)),
                    np.asarray(lines, dtype=np.int64), sheet=title, header_line=found_header,
                    row_errors=row_errors)


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
