"""Jinja environment and page rendering, shared by the server and the static site (the ``Page``
layer and the table downloads are ``jamlik.web.pages``)."""

from __future__ import annotations

import logging
import threading
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from jamlik.portal._format import fmt_num, fmt_signed, is_missing
from jamlik.portal._i18n import translator
from jamlik.portal._links import Links
from jamlik.web import pages, template_loader
from jamlik.web.pages import Page
from jamlik.web.pages import table_bytes as table_bytes  # the one table download

PACKAGE = Path(str(resources.files("jamlik.portal")))
log = logging.getLogger(__name__)


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


#: the names a plain dict has as attributes (its methods): ``r.items`` stays the method
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(Environment):
    """Jinja's environment with a faster ``r.name`` on plain dicts (the profile rows).

    Jinja looks an attribute up first and an item second; on a dict every ``r.value`` first
    raises and catches an AttributeError (a third of a 2,000-row profile page's render).
    For a plain dict an attribute exists exactly when it is one of dict's own names, so
    asking for the item first when it is not gives the same value (or the same undefined)."""

    def getattr(self, obj: Any, attribute: str) -> Any:  # noqa: ANN401 - template values
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


#: a small page in the fact sheet's fonts (regular, bold, SVG text) for ``warm_pdf``; its SVG
#: comes from the one chart helper (tests/web/test_charts.py)
_WARM_HTML = ("<html><head><style>@page {{ size: A4; margin: 12mm; }} body {{ font-family: "
              '"DejaVu Sans", system-ui, sans-serif; font-size: 7.2pt; }}</style></head><body>'
              "<h1>Faktablad</h1><p><strong>Västerås</strong> 1 234,5 – riket</p>{svg}"
              "</body></html>")


def _warm_html() -> str:
    from jamlik.web.charts import svg_document

    return _WARM_HTML.format(svg=svg_document(
        60, 20, "2022", ['<text x="0" y="12" font-size="8">2022</text>',
                         '<line x1="0" y1="15" x2="60" y2="15" stroke="#000"/>']))


_WARMING: list[threading.Thread] = []
_WARMING_LOCK = threading.Lock()


def warm_pdf() -> None:
    """Make the process ready for its first PDF: WeasyPrint imported (its C declarations
    parsed, Pango, HarfBuzz and fontconfig found and loaded: about 1.2 s), the font
    configuration made and a small page in the fact sheet's fonts laid out (fonts looked up
    and measured, another second): what the first fact sheet of a new process used to wait
    for (bench/bench_national.py --only factsheet)."""
    render_pdf(_warm_html())


def warm_pdf_in_background() -> threading.Thread:
    """``warm_pdf`` in a daemon thread, once per process (later calls return the same
    thread): the portal starts it when it has answered its first requests, and a PDF route
    starts it before reading the sheet's data, so loading WeasyPrint overlaps the reads."""
    with _WARMING_LOCK:
        if not _WARMING:
            def run() -> None:
                try:
                    warm_pdf()
                except Exception as exc:  # only a slower first PDF; the route reports errors
                    log.warning("förberedelsen av PDF-motorn misslyckades: %s", exc)

            thread = threading.Thread(target=run, name="jamlik-pdf-warm", daemon=True)
            thread.start()
            _WARMING.append(thread)
        return _WARMING[0]


def environment() -> Environment:
    env = _Environment(
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
    """A portal page: the shared renderer (``jamlik.web.pages.render_page``) with the portal's
    translator and its links (served or static)."""
    return pages.render_page(env, page, lang, translator(lang), links=links, **(extra or {}))
