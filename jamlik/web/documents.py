"""One HTML document → PDF (WeasyPrint) or DOCX (python-docx): the shared plumbing of reports.

A capability writes its report once, as a plain HTML document (headings, paragraphs, lists,
tables, ``<strong>``/``<em>``, inline SVG charts), and hands it to ``render_document(html,
fmt)`` for ``html``, ``pdf`` or ``docx``; ``MEDIA_TYPES`` and ``attachment_headers`` give the
response. The PDF is WeasyPrint's rendering of the same HTML (inline SVG included). The DOCX is
built from the HTML's structure (``html_to_docx``): ``h1``–``h4`` become headings, ``p`` and
``li`` paragraphs (bulleted or numbered), ``table`` a Word table (``th`` bold), ``strong``/``b``
bold and ``em``/``i`` italic runs, ``br`` a line break. Navigation, forms, scripts, styles and
``svg`` are left out of the DOCX (a chart's numbers belong in a table beside it), as is any
element with the attribute ``data-docx="skip"``.

Used by the social-investment report (``jamlik.economics_web``); the knowledge bank's story
reuses it (TEAM-NOTES).
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any

FORMATS = ("html", "pdf", "docx")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

_SKIP = {"head", "nav", "form", "button", "script", "style", "svg", "template", "noscript",
         "select", "textarea"}
_VOID = {"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr", "area", "base"}
_HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 4}
_BLOCKS = {"p", "div", "section", "article", "main", "header", "footer", "aside", "figure",
           "figcaption", "blockquote", "caption", "dl", "dt", "dd", "body", "html"}
_WS = re.compile(r"\s+")


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The HTML rendered by WeasyPrint (needs the pango system libraries,
    scripts/install_system_deps.sh)."""
    from weasyprint import HTML  # late: the pango libraries load with it

    return bytes(HTML(string=html, base_url=base_url).write_pdf())


class _DocxBuilder(HTMLParser):
    def __init__(self, doc: Any) -> None:  # noqa: ANN401 - a python-docx Document
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.skip = 0  # depth inside a skipped element
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped here)
        self.bold = 0
        self.italic = 0
        self.lists: list[str] = []  # ul / ol
        self.para: Any = None
        self.heading: tuple[int, list[tuple[str, bool, bool]]] | None = None
        self.tables: list[list[list[tuple[list[tuple[str, bool, bool]], bool]]]] = []
        self.cell: list[tuple[str, bool, bool]] | None = None
        self.cell_head = False
        self.pending_space = False

    # -- paragraphs ----------------------------------------------------------------------
    def _new_para(self) -> Any:  # noqa: ANN401
        if self.lists:
            style = "List Number" if self.lists[-1] == "ol" else "List Bullet"
            self.para = self.doc.add_paragraph(style=style)
        else:
            self.para = self.doc.add_paragraph()
        self.pending_space = False
        return self.para

    def _end_para(self) -> None:
        self.para = None
        self.pending_space = False

    def _text(self, text: str) -> None:
        text = _WS.sub(" ", text)
        if not text.strip():
            if text and (self.para is not None or self.cell is not None or self.heading):
                self.pending_space = True
            return
        lead = text[0] == " "
        trail = text[-1] == " "
        text = text.strip()
        run = (text, self.bold > 0, self.italic > 0)
        if self.cell is not None:
            if self.cell and (lead or self.pending_space):
                run = (" " + text, run[1], run[2])
            self.cell.append(run)
        elif self.heading is not None:
            if self.heading[1] and (lead or self.pending_space):
                run = (" " + text, run[1], run[2])
            self.heading[1].append(run)
        else:
            para = self.para if self.para is not None else self._new_para()
            if para.runs and (lead or self.pending_space):
                text = " " + text
            r = para.add_run(text)
            r.bold = run[1] or None
            r.italic = run[2] or None
        self.pending_space = trail

    # -- parser callbacks ----------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        skipped = tag in _SKIP or dict(attrs).get("data-docx") == "skip"
        if tag in _VOID:
            if tag == "br" and not self.skip:
                if self.cell is not None:
                    self.cell.append(("\n", False, False))
                elif self.para is not None:
                    self.para.add_run().add_break()
            return
        self.stack.append((tag, skipped))
        if skipped:
            self.skip += 1
        if self.skip:
            return
        if tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag in _HEADINGS:
            self._end_para()
            self.heading = (_HEADINGS[tag], [])
        elif tag in ("ul", "ol"):
            self._end_para()
            self.lists.append(tag)
        elif tag == "li":
            self._new_para()
        elif tag == "table":
            self._end_para()
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            if not self.tables[-1]:
                self.tables[-1].append([])
            self.cell = []
            self.cell_head = tag == "th"
        elif tag in _BLOCKS and self.cell is None:
            self._end_para()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        # close up to the matching open tag (tolerates unclosed <p>, <li>, <td>)
        while self.stack:
            open_tag, skipped = self.stack.pop()
            self._close(open_tag, skipped)
            if open_tag == tag:
                break

    def _close(self, tag: str, skipped: bool) -> None:
        if skipped:
            self.skip -= 1
            return
        if self.skip:
            return
        if tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag in _HEADINGS and self.heading is not None:
            level, runs = self.heading
            text = "".join(r[0] for r in runs).strip()
            if text:
                self.doc.add_heading(text, level)
            self.heading = None
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._end_para()
        elif tag == "li":
            self._end_para()
        elif tag in ("td", "th") and self.cell is not None and self.tables:
            self.tables[-1][-1].append((self.cell, self.cell_head))
            self.cell = None
        elif tag == "table" and self.tables:
            self._table(self.tables.pop())
        elif tag in _BLOCKS and self.cell is None:
            self._end_para()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._text(data)

    def _table(self, rows: list[list[tuple[list[tuple[str, bool, bool]], bool]]]) -> None:
        rows = [r for r in rows if r]
        if not rows:
            return
        cols = max(len(r) for r in rows)
        table = self.doc.add_table(rows=0, cols=cols)
        table.style = "Table Grid"
        for row in rows:
            cells = table.add_row().cells
            for cell, (runs, head) in zip(cells, row, strict=False):
                para = cell.paragraphs[0]
                for text, bold, italic in runs:
                    r = para.add_run(text)
                    r.bold = (bold or head) or None
                    r.italic = italic or None
        self._end_para()


def html_to_docx(html: str, *, title: str | None = None, language: str = "sv-SE") -> bytes:
    """A Word document with the HTML's headings, paragraphs, lists and tables (see the module
    docstring for what is kept and what is left out)."""
    from docx import Document

    doc = Document()
    if title:
        doc.core_properties.title = title
    doc.core_properties.language = language
    builder = _DocxBuilder(doc)
    builder.feed(html)
    builder.close()
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


#: What a document shown in a browser adds for screens: on a phone (≤ 40rem) the page never
#: scrolls sideways — a wide table scrolls inside its own box (focusable, so a keyboard can
#: scroll it too) and a chart shrinks to the screen. Print and PDF are not affected.
SCREEN_CSS = ("@media screen and (max-width: 40rem) { body { margin: .5rem; max-width: 100%; } "
              "table { display: block; max-width: 100%; overflow-x: auto; } "
              "svg, img { max-width: 100%; height: auto; } }")
_BODY = re.compile(r"(<body[^>]*>)(.*)(</body>)", re.DOTALL | re.IGNORECASE)
_TABLE = re.compile(r"<table(?![^>]*\btabindex=)", re.IGNORECASE)


def for_screen(html: str) -> str:
    """A report's HTML as a browser shows it: its content in one ``<main>`` landmark (if it has
    none) and ``SCREEN_CSS``, so the page fits a phone. ``render_document(…, "html")`` uses it;
    a capability serving its own report HTML passes it through this too."""
    if not re.search(r"<main[\s>]", html, re.IGNORECASE):
        html = _BODY.sub(lambda m: f"{m.group(1)}<main>{m.group(2)}</main>{m.group(3)}", html,
                         count=1)
    html = _TABLE.sub('<table tabindex="0"', html)
    style = f"<style>{SCREEN_CSS}</style>"
    if re.search(r"</head>", html, re.IGNORECASE):
        return re.sub(r"</head>", lambda _: style + "</head>", html, count=1, flags=re.IGNORECASE)
    return style + html


def render_document(html: str, fmt: str, *, title: str | None = None,
                    base_url: str | None = None) -> bytes:
    """The document as bytes in ``fmt`` (html, pdf or docx); ValueError (Swedish) otherwise.
    HTML goes out as a browser shows it (``for_screen``)."""
    if fmt == "html":
        return for_screen(html).encode("utf-8")
    if fmt == "pdf":
        return html_to_pdf(html, base_url=base_url)
    if fmt == "docx":
        return html_to_docx(html, title=title)
    raise ValueError(f"okänt format {fmt!r} — välj html, pdf eller docx.")


def attachment_headers(filename: str) -> dict[str, str]:
    """Content-Disposition for a download named ``filename`` (ASCII-safe plus RFC 5987)."""
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; "
                                   f"filename*=UTF-8''{quote(filename)}"}


__all__ = ["FORMATS", "MEDIA_TYPES", "SCREEN_CSS", "attachment_headers", "for_screen",
           "html_to_docx", "html_to_pdf", "render_document"]
