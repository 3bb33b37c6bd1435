"""The one base of the errors users read: a Swedish message, where it happened (file, line,
column when a file is at fault) and the HTTP status a web page answers with.

Every capability keeps its own error classes as its interface (``SteeringError``,
``PrioritisationError``, ``CaseError``, ``FundError``, ``SyncError``, ``MappingError``,
``TomlError`` …); they are subclasses of ``JamlikError``, so the CLI and the web layer can
catch one class and show ``str(error)``. This module sits at the bottom of the layers (beside
``jamlik.language``) and imports nothing from jamlik.

    raise CaseError("ett värde saknas", file="fall.toml", line=3, column=9)
    str(error) == "fall.toml:3:9: ett värde saknas"
"""

from __future__ import annotations

from typing import Self


class JamlikError(Exception):
    """An error with a Swedish message for users.

    ``detail``: the message alone; ``file``, ``line``, ``column`` (1-based) where it happened,
    each None when unknown; ``message`` and ``str(error)``: ``file:line:column: detail`` (as far
    as the location is known). ``status_code``: the HTTP status a web page answers with.
    """

    status_code = 400

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 column: int | None = None):
        self.detail = message
        self.file, self.line, self.column = file, line, column
        self.message = located(message, file, line, column)
        super().__init__(self.message)

    @classmethod
    def from_error(cls, error: JamlikError) -> Self:
        """This class's error with ``error``'s message and location (e.g. a ``TomlError``
        turned into the caller's ``CaseError``)."""
        return cls(error.detail, file=error.file, line=error.line, column=error.column)

    @property
    def location(self) -> str:
        """``file:line:column`` as far as it is known ('' when nothing is)."""
        return location(self.file, self.line, self.column)


def location(file: str | None, line: int | None = None, column: int | None = None) -> str:
    """'plan.toml:3:9', 'plan.toml:3', 'plan.toml', 'rad 3, kolumn 9' without a file, or ''."""
    if file:
        if line is None:
            return file
        return f"{file}:{line}" + (f":{column}" if column is not None else "")
    if line is None:
        return ""
    return f"rad {line}" + (f", kolumn {column}" if column is not None else "")


def located(message: str, file: str | None = None, line: int | None = None,
            column: int | None = None) -> str:
    """``message`` preceded by its location, when there is one."""
    where = location(file, line, column)
    return f"{where}: {message}" if where else message


__all__ = ["JamlikError", "located", "location"]
