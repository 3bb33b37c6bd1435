"""The shared Page layer (jamlik.web.pages): views build a Page, one renderer makes its HTML
and one function the download of its tables — for the portal (app and static site) and any
capability."""

from __future__ import annotations

import pandas as pd
import pytest
from jinja2 import DictLoader, Environment

from jamlik.errors import JamlikError
from jamlik.web.pages import (
    Figure,
    Page,
    TableError,
    page_response,
    render_page,
    table_bytes,
    table_download,
)

ENV = Environment(loader=DictLoader({"p.html": "{{ t('hello') }} {{ title }} {{ n }} "
                                                "{{ tables|join(',') }} {{ extra }}"}),
                  autoescape=True)
FRAME = pd.DataFrame({"område": ["Falun"], "värde": [20.66], "text": ["=1+1"]})


def _t(code: str) -> str:
    return {"hello": "Hej"}.get(code, code)


def test_a_figures_table_is_a_download_of_the_page():
    fig = Figure("fig-trend", {"data": []}, "Trend", table=FRAME)
    page = Page("p.html", "Falun", {"figs": [fig], "n": 3}, {"profil": FRAME})
    assert list(page.tables) == ["profil", "fig-trend"]
    assert render_page(ENV, page, "sv", _t, extra="x") == "Hej Falun 3 profil,fig-trend x"


def test_table_download_csv_xlsx_and_refusals():
    page = Page("p.html", "Falun", tables={"profil": FRAME})
    csv = table_download(page, "csv", None, "profil-2080", "Källa: Kolada")
    assert csv.headers["content-disposition"] == 'attachment; filename="profil-2080-profil.csv"'
    text = csv.body.decode("utf-8")
    assert text.startswith("\ufeffområde;värde;text") and "20,66" in text
    assert "'=1+1" in text and text.endswith("# Källa: Kolada\n")  # formula escaped, credited
    assert table_bytes(FRAME, "xlsx", "k")[1].startswith("application/vnd.openxmlformats")
    with pytest.raises(TableError, match='Tabellen "saknas" finns inte på sidan. Välj en av: '
                                         "profil.") as info:
        table_download(page, "csv", "saknas", "x", "")
    assert info.value.status_code == 404 and isinstance(info.value, JamlikError)
    with pytest.raises(TableError, match='okänt format "pdf"') as info:
        table_download(page, "pdf", None, "x", "")
    assert info.value.status_code == 400


def test_page_response_answers_html_with_the_pages_status_or_the_download():
    page = Page("p.html", "Saknas", {"n": 0}, status=404)
    html = page_response(ENV, page, "sv", _t)
    assert html.status_code == 404 and html.body.decode().startswith("Hej Saknas 0")
    page = Page("p.html", "Falun", tables={"profil": FRAME})
    assert page_response(ENV, page, "sv", _t, fmt="csv").media_type.startswith("text/csv")


def test_the_portal_and_the_capabilities_use_the_shared_page():
    from jamlik.portal import _render, _views
    from jamlik.surveys_web import web as surveys_web

    assert _views.Page is Page and _views.Figure is Figure
    assert _render.table_bytes is table_bytes
    assert surveys_web.Page is Page
