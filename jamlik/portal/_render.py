"""Jinja environment and table downloads, shared by the server and the static site."""

from __future__ import annotations

import io
import threading
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from jamlik.format import safe_table
from jamlik.portal._format import fmt_num, fmt_signed, is_missing
from jamlik.portal._i18n import translator
from jamlik.portal._links import Links
from jamlik.portal._views import Page
from jamlik.web import template_loader

PACKAGE = Path(str(resources.files("jamlik.portal")))


def plotly_js_path() -> Path:
    """The vendored Plotly bundle with only the traces the portal draws (scatter, bar,
    choropleth; plotly.js 4.1.1, MIT): 1.4 MB, 480 KB gzipped, instead of the full 4.8 MB
    bundle of the plotly package. Rebuilt by scripts/build_plotly.sh; no CDN."""
    return PACKAGE / "static" / "vendor" / "plotly.min.js"


_PDF_LOCK = threading.Lock()
_FONTS: list[Any] = []  # one WeasyPrint FontConfiguration for the process, made on first use


def render_pdf(html: str) -> bytes:
    """HTML → PDF with WeasyPrint (the fact sheet), relative URLs from the portal's package.

    One font configuration for the process: its font map keeps the fonts Pango has loaded and
    measured, so a second sheet does not look them up again (about a quarter of a warm render,
    bench/bench_national.py --only factsheet). Pango's font map is not thread-safe, so renders
    take turns; they are CPU-bound under the GIL anyway."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    with _PDF_LOCK:
        if not _FONTS:
            _FONTS.append(FontConfiguration())
        return bytes(HTML(string=html, base_url=str(PACKAGE)).write_pdf(font_config=_FONTS[0]))


def environment() -> Environment:
    env = Environment(
        loader=template_loader(FileSystemLoader(str(PACKAGE / "templates"))),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = fmt_num
    env.filters["signed"] = fmt_signed
    env.tests["missing"] = is_missing
    return env


def render_page(env: Environment, page: Page, links: Links, lang: str,
                extra: dict[str, Any] | None = None) -> str:
    template = env.get_template(page.template)
    context: dict[str, Any] = {"page": page, "title": page.title, "lang": lang,
                               "t": translator(lang), "links": links, "tables": list(page.tables)}
    context.update(page.context)
    context.update(extra or {})
    return template.render(context)


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
    raise ValueError(f'okänt format "{fmt}" — välj csv eller xlsx.')
