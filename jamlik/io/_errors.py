"""Errors an import reports: one per rejected cell, collected before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from jamlik.errors import JamlikError

#: How many errors an import lists before it summarises the rest as "… och N fel till".
ERROR_LIMIT = 100


@dataclass(frozen=True)
class CellError:
    """One rejected cell (or row, or header) of an input file.

    line: 1-based physical line of the file including the header line (Excel: the row
    number; Parquet: row number + 1). column: 1-based column number. Either is None when
    the error is not tied to one (a missing column, a mapping problem).
    """

    file: str
    line: int | None
    column: int | None
    column_name: str | None
    message: str
    #: set for spreadsheets: the location is then said "rad 14, kolumn C"
    sheet: str | None = None

    @property
    def location_sv(self) -> str:
        """'rad 14, kolumn C' (Excel) or 'rad 14, kolumn 3'."""
        parts = []
        if self.line is not None:
            parts.append(f"rad {self.line}")
        if self.column is not None:
            from openpyxl.utils import get_column_letter  # only for a spreadsheet's error

            col = get_column_letter(self.column) if self.sheet is not None else self.column
            parts.append(f"kolumn {col}")
        return ", ".join(parts)

    def __str__(self) -> str:
        if self.sheet is not None:
            where = f'{self.file} (blad "{self.sheet}")'
            loc = self.location_sv
            return f"{where}, {loc}: {self.message}" if loc else f"{where}: {self.message}"
        head = self.file
        if self.line is not None:
            head += f":{self.line}"
            if self.column is not None:
                head += f":{self.column}"
        return f"{head}: {self.message}"


class ImportRejected(JamlikError):
    """An import found errors and wrote nothing. ``errors`` lists the first ERROR_LIMIT."""

    def __init__(self, errors: list[CellError], total: int | None = None):
        self.errors = list(errors)
        self.total = total if total is not None else len(self.errors)
        super().__init__(self.text_sv())

    @property
    def more(self) -> int:
        """Errors found beyond those listed."""
        return self.total - len(self.errors)

    def text_sv(self) -> str:
        lines = [str(e) for e in self.errors]
        if self.more > 0:
            lines.append(f"… och {self.more} fel till")
        return "\n".join(lines)


class MappingError(JamlikError, ValueError):
    """A mapping file that cannot be used; the message says what to change, in Swedish."""


@dataclass
class _Issue:
    """Rejected cells found by one vectorised check; messages are built only when shown."""

    lines: np.ndarray
    rows: np.ndarray
    column: int | None
    column_name: str | None
    message: Callable[[int], str]  # row position -> Swedish message


@dataclass
class ErrorCollector:
    """Gathers every check's rejected cells, then lists the first ``limit`` by line and column."""

    file: str
    sheet: str | None = None
    limit: int = ERROR_LIMIT
    _issues: list[_Issue] = field(default_factory=list)
    _single: list[CellError] = field(default_factory=list)

    def add(self, line: int | None, column: int | None, column_name: str | None,
            message: str, *, file: str | None = None) -> None:
        self._single.append(CellError(file or self.file, line, column, column_name, message,
                                      self.sheet if file is None else None))

    def add_rows(self, rows: np.ndarray, lines: np.ndarray, column: int | None,
                 column_name: str | None, message: Callable[[int], str]) -> None:
        """Record rejected cells at row positions ``rows`` (their file lines are ``lines``)."""
        if len(rows):
            self._issues.append(_Issue(np.asarray(lines), np.asarray(rows), column,
                                       column_name, message))

    @property
    def total(self) -> int:
        return len(self._single) + sum(len(i.rows) for i in self._issues)

    def __bool__(self) -> bool:
        return self.total > 0

    def errors(self) -> list[CellError]:
        """The first ``limit`` errors, ordered by line then column (file-level ones first)."""
        keyed: list[tuple[int, int, int, int]] = []  # (line, column, issue index, position)
        for idx, issue in enumerate(self._issues):
            # keep only each issue's first `limit` cells; more cannot make the overall top list
            take = min(len(issue.rows), self.limit)
            order = np.argsort(issue.lines, kind="stable")[:take]
            col = issue.column if issue.column is not None else 0
            keyed.extend((int(issue.lines[p]), col, idx, int(p)) for p in order)
        keyed.sort()
        out = sorted(self._single, key=lambda e: (e.line or 0, e.column or 0))
        for line, _col, idx, pos in keyed[: max(self.limit - len(out), 0)]:
            issue = self._issues[idx]
            out.append(CellError(self.file, line, issue.column, issue.column_name,
                                 issue.message(int(issue.rows[pos])), self.sheet))
        out.sort(key=lambda e: (e.line or 0, e.column or 0))
        return out[: self.limit]

    def raise_if_any(self) -> None:
        if self:
            raise ImportRejected(self.errors(), self.total)
