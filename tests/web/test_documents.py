"""The shared HTML → PDF/DOCX plumbing (jamlik.web.documents)."""

from __future__ import annotations

import io

import docx
import pypdf
import pytest

from jamlik.web.documents import (
    MEDIA_TYPES,
    SCREEN_CSS,
    attachment_headers,
    for_screen,
    html_to_docx,
    html_to_pdf,
    render_document,
)

HTML = """<!doctype html><html lang="sv"><head><title>T</title><style>p{color:red}</style></head>
<body><nav>Meny som inte hör till dokumentet</nav>
<h1>Rapport för kommunstyrelsen</h1>
<p>Samhällets nettonuvärde är <strong>1 200 000 kr</strong> efter <em>15</em> år.<br>Ny rad.</p>
<h2>Per betalare</h2>
<ul><li>kommun</li><li>region <b>och</b> stat</li></ul>
<ol><li>först</li></ol>
<table><thead><tr><th>Betalare</th><th>Nettonuvärde</th></tr></thead>
<tbody><tr><td>kommun</td><td class="num">−300 000</td></tr><tr><td>samhället</td><td>1 200 000</td></tr></tbody></table>
<svg viewBox="0 0 10 10" width="40" height="40"><title>diagram</title><text>SVG-TEXT</text></svg>
<p data-docx="skip">Bara i PDF</p>
<section>Lös text i en sektion</section>
</body></html>"""


def _docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_docx_keeps_headings_paragraphs_lists_tables_and_emphasis() -> None:
    doc = _docx(html_to_docx(HTML, title="Rapport"))
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    assert ("Title", "Rapport för kommunstyrelsen") in paras
    assert ("Heading 1", "Per betalare") in paras
    assert ("Normal", "Samhällets nettonuvärde är 1 200 000 kr efter 15 år.\nNy rad.") in paras
    assert ("List Bullet", "kommun") in paras and ("List Bullet", "region och stat") in paras
    assert ("List Number", "först") in paras
    assert ("Normal", "Lös text i en sektion") in paras
    bold = [r.text.strip() for p in doc.paragraphs for r in p.runs if r.bold]
    italic = [r.text.strip() for p in doc.paragraphs for r in p.runs if r.italic]
    assert bold == ["1 200 000 kr", "och"] and italic == ["15"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Meny" not in text and "SVG-TEXT" not in text and "Bara i PDF" not in text
    [table] = doc.tables
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["Betalare", "Nettonuvärde"], ["kommun", "−300 000"], ["samhället", "1 200 000"]]
    assert all(r.bold for r in table.rows[0].cells[0].paragraphs[0].runs)
    assert doc.core_properties.title == "Rapport" and doc.core_properties.language == "sv-SE"


def test_pdf_has_the_text_and_pages() -> None:
    reader = pypdf.PdfReader(io.BytesIO(html_to_pdf(HTML)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Rapport för kommunstyrelsen" in text and "Bara i PDF" in text
    long = HTML.replace("<section>", "<section>" + "<p>rad</p>" * 200)
    assert len(pypdf.PdfReader(io.BytesIO(html_to_pdf(long))).pages) > 1


def test_render_document_formats_and_headers() -> None:
    assert render_document("<p>x</p>", "html") == for_screen("<p>x</p>").encode()
    assert render_document("<p>x</p>", "pdf").startswith(b"%PDF")
    assert render_document("<p>x</p>", "docx")[:2] == b"PK"
    with pytest.raises(ValueError, match="välj html, pdf eller docx"):
        render_document("<p>x</p>", "odt")
    assert set(MEDIA_TYPES) == {"html", "pdf", "docx"}
    h = attachment_headers("rapport-göteborg.pdf")["Content-Disposition"]
    assert 'filename="rapport-g_teborg.pdf"' in h and "UTF-8''rapport-g%C3%B6teborg.pdf" in h


def test_a_document_in_the_browser_has_one_main_and_fits_a_phone() -> None:
    doc = ("<!doctype html><html><head><title>R</title></head><body class='r'><h1>R</h1>"
           "<table><tr><td>1</td></tr></table><table tabindex='-1'></table></body></html>")
    shown = for_screen(doc)
    assert shown.count("<main>") == 1 and "<body class='r'><main><h1>R</h1>" in shown
    assert shown.count('<table tabindex="0"') == 1 and "tabindex='-1'" in shown
    assert shown.index(SCREEN_CSS) < shown.index("</head>")
    assert for_screen(shown).count("<main>") == 1  # a document with a main keeps its own
