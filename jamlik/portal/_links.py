"""URLs for the two ways the portal is published: a live server and a static file tree.

Templates never build URLs themselves; they ask ``links``. The server uses stable absolute
paths (``/kommun/2080?lang=en``); the static site uses relative file paths
(``../kommun/2080.html``) so it works from any web server and from file://.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote_plus, urlencode

from jamlik.language import is_default, other_language
from jamlik.portal._transfer import asset_version

_STATIC_PAGES = {"start", "kommun", "indikator", "skillnader", "amne", "artikel", "faktablad",
                 "sok", "amnen", "artiklar", "kommuner", "indikatorer"}


class Links:
    def __init__(self, *, static: bool = False, lang: str = "sv", depth: int = 0,
                 current: str = "/", query: dict[str, str] | None = None,
                 chart_version: str | None = None,
                 pairs: list[tuple[str, str]] | None = None):
        """chart_version: the data version the page's charts are read at (``chart``); None:
        the charts' data stays in the page (the static site, which works from file://).
        pairs: the query as given, repeated parameters too (``?kon=K&kon=M``; default
        ``query``'s items), for the charts' URLs."""
        self.static = static
        self.lang = lang
        self.depth = depth
        self.current = current  # the current page's path (server) or file (static)
        self.query = dict(query or {})
        self.chart_version = chart_version
        self.pairs = list(pairs) if pairs is not None else list(self.query.items())

    def chart(self, fig_id: str) -> str | None:
        """Where a chart of the current page loads its data from (``?diagram=ID&v=VERSION``:
        the page's URL, so it is cached and compressed like the page, and never changes for
        one data version), or None when the data stays in the page."""
        if self.static or self.chart_version is None:
            return None
        query = [(k, v) for k, v in self.pairs if k not in ("format", "tabell", "diagram", "v")]
        query += [("diagram", fig_id), ("v", self.chart_version)]
        return f"{self.current}?{urlencode(query)}"

    # -- pages -------------------------------------------------------------------------------
    def page(self, kind: str, key: str | None = None, **params: str | None) -> str | None:
        """A link to a page, or None when that page does not exist in this publication."""
        clean = {k: v for k, v in params.items() if v not in (None, "")}
        if self.static:
            if kind not in _STATIC_PAGES or clean.get("format"):
                return None
            path = "index.html" if kind == "start" else (
                f"{kind}/{key}.html" if key else f"{kind}/index.html")
            if kind == "faktablad" and key:
                path = f"faktablad/{key}.html"
            suffix = f"?{urlencode(clean)}" if clean else ""
            return "../" * self.depth + path + suffix
        path = "/" if kind == "start" else (f"/{kind}/{key}" if key else f"/{kind}")
        if kind == "faktablad" and key:
            path = f"/faktablad/{key}.html"
        if not is_default(self.lang):
            clean["lang"] = self.lang
        return path + (f"?{urlencode(clean)}" if clean else "")

    def pdf(self, code: str) -> str | None:
        return None if self.static else f"/faktablad/{code}.pdf"

    def static_file(self, name: str) -> str:
        """A static file; on the server with its content hash (``?v=…``), cached for a year."""
        if self.static:
            return "../" * self.depth + f"static/{name}"
        version = asset_version(name)
        return f"/static/{name}?v={version}" if version else f"/static/{name}"

    def here(self, **params: str | None) -> str:
        """The current page with some query parameters changed (None removes one)."""
        query = dict(self.query)
        for k, v in params.items():
            if v is None:
                query.pop(k, None)
            else:
                query[k] = v
        if self.static:
            query.pop("lang", None)
        elif not is_default(self.lang):
            query["lang"] = self.lang
        return self.current + (f"?{urlencode(query)}" if query else "")

    def here_with(self, key: str) -> Callable[[str], str]:
        """``here`` with one parameter changed, for many values: the query is encoded once
        (a table of 800 rows linking to itself with ``?indikator=…`` each)."""
        mark = "\x00jamlik\x00"
        head, _, tail = self.here(**{key: mark}).partition(quote_plus(mark))
        return lambda value: f"{head}{quote_plus(str(value))}{tail}"

    def table(self, name: str, fmt: str) -> str | None:
        """Download link for one table of the current page (CSV/XLSX)."""
        if self.static:
            if fmt != "csv":
                return None
            base = self.current.removesuffix(".html")
            return f"{base}.{name}.csv"
        query = {k: v for k, v in self.query.items() if k not in ("format", "tabell")}
        query.update({"format": fmt, "tabell": name})
        return self.current + "?" + urlencode(query)

    def switch_language(self) -> str | None:
        if self.static:
            return None
        other = other_language(self.lang)
        query = {k: v for k, v in self.query.items() if k != "lang"}
        if not is_default(other):
            query["lang"] = other
        return self.current + (f"?{urlencode(query)}" if query else "")
