"""The ``Page`` idea every capability's pages share: a view builds a ``Page`` (template, title,
context, downloadable tables) without knowing whether it is served or written to a static site;
one renderer turns it into HTML and one function into the download of one of its tables.

    page = Page("survey.html", title, {"rows": rows}, {"andelar": frame})
    return page_response(env, page, lang, t, fmt=query.get("format"), table=query.get("tabell"),
                         name="enkater-2080", attribution="Källa: …")

The portal's ``Views`` build every portal page this way and both the app (``portal/_app.py``)
and the static site (``portal/_site.py``) render them with ``render_page``; a capability does
the same with its own environment and words. Charts on a page are ``Figure``s (a Plotly spec
with its table alternative) or server-side SVG from ``jamlik.web.charts``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment

from jamlik.errors import JamlikError
from jamlik.format import safe_table

__all__ = ["Figure", "Page", "TableError", "page_response", "render_page", "table_bytes",
           "table_download"]


@dataclass
class Figure:
    """A chart placed on a page: Plotly spec, a text alternative and its caption."""

    id: str
    spec: dict[str, Any]
    caption: str
    table: pd.DataFrame | None = None
    #: Decimals for the table alternative's values (the indicator's; None: as stored).
    decimals: int | None = None

    @property
    def json(self) -> str:
        text = json.dumps(self.spec, ensure_ascii=False, allow_nan=False, default=_json_default)
        return text.replace("</", "<\\/")  # never close the surrounding <script> early


@dataclass
class Page:
    """What a view returns: ``template`` rendered with ``context`` (and ``title``); ``tables``
    are the page's downloads by name (every ``Figure``'s table is one, under its id)."""

    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    status: int = 200

    def __post_init__(self) -> None:
        # Every chart's data table is downloadable too, under the chart's id.
        for value in self.context.values():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, Figure) and item.table is not None:
                    self.tables.setdefault(item.id, item.table)


def _json_default(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(type(value))


def render_page(env: Environment, page: Page, lang: str, t: Callable[[str], str],
                **extra: Any) -> str:  # noqa: ANN401 - template values
    """The page's HTML: its template with ``page``, ``title``, ``lang``, ``t`` (the page's
    translator), ``tables`` (the download names), the page's context and ``extra``."""
    context: dict[str, Any] = {"page": page, "title": page.title, "lang": lang, "t": t,
                               "tables": list(page.tables)}
    context.update(page.context)
    context.update(extra)
    return env.get_template(page.template).render(context)


class TableError(JamlikError, ValueError):
    """A download that cannot be made: an unknown table or format (Swedish message;
    ``status_code`` 404 for an unknown table, else 400)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status_code = status


def table_bytes(df: pd.DataFrame, fmt: str, attribution: str) -> tuple[bytes, str]:
    """CSV (UTF-8 with BOM, semicolon, decimal comma: opens right in Swedish Excel) or XLSX.

    Text cells that a spreadsheet would run as a formula are escaped (jamlik.format.safe_table).
    """
    df = safe_table(df)
    if fmt == "csv":
        text = df.to_csv(index=False, sep=";", decimal=",", lineterminator="\n")
        text += f"# {attribution}\n"
        return ("\ufeff" + text).encode("utf-8"), "text/csv; charset=utf-8"
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            df.to_excel(writer, index=False, sheet_name="data")
            pd.DataFrame({"källa": [attribution]}).to_excel(writer, index=False,
                                                            sheet_name="källa")
        return (buffer.getvalue(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    raise TableError(f'okänt format "{fmt}" — välj csv eller xlsx.')


def table_download(page: Page, fmt: str, table: str | None, name: str,
                   attribution: str) -> Response:
    """One of the page's tables as a file (``?format=csv|xlsx&tabell=NAME``; the first table
    when no name is given). TableError (404 for an unknown table) when it cannot be made."""
    table_name = table or next(iter(page.tables), "")
    if table_name not in page.tables:
        raise TableError(f'Tabellen "{table_name}" finns inte på sidan. Välj en av: '
                         f"{', '.join(page.tables) or 'inga'}.", status=404)
    body, ctype = table_bytes(page.tables[table_name], fmt, attribution)
    return Response(body, media_type=ctype, headers={
        "Content-Disposition": f'attachment; filename="{name}-{table_name}.{fmt}"'})


def page_response(env: Environment, page: Page, lang: str, t: Callable[[str], str], *,
                  fmt: str | None = None, table: str | None = None, name: str = "tabell",
                  attribution: str = "", **extra: Any) -> Response:  # noqa: ANN401
    """The response to a page request: the download of one of its tables when ``fmt`` is
    given (``table_download``), else its HTML with the page's status."""
    if fmt:
        return table_download(page, fmt, table, name, attribution)
    return HTMLResponse(render_page(env, page, lang, t, **extra), status_code=page.status)
