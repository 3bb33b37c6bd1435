"""Jinja environment and page rendering, shared by the server and the static site (the ``Page``
layer and the table downloads are ``jamlik.web.pages``)."""

from __future__ import annotations

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
