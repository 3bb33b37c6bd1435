"""Articles: Markdown with chart directives, rendered safely.

An analyst writes the story in Markdown; a fenced block such as

    ```chart
    indicator=N00957 areas=2080,20,0000 years=2010-2022 sex=K,M title=Ohälsotal
    ```

(or the same parameters on the fence line: ```` ```chart indicator=N00957 ... ````) becomes a live
chart drawn from the store, so the charts stay current when the data change. Raw HTML in the
Markdown is not rendered (markdown-it's ``html`` option is off), and link targets such as
``javascript:`` are refused by markdown-it's link validation.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from pathlib import Path
from typing import Protocol, TypeVar

from markdown_it import MarkdownIt

from jamlik.portal._format import split_codes

_Figure = TypeVar("_Figure", covariant=True)

SLOT = "<!--jamlik-figure-->"


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    summary: str
    body: str
    #: slugs of the målområden the article belongs to (front matter ``target_areas:``)
    target_areas: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    date: str = ""
    author: str = ""


@dataclass
class ArticleLibrary:
    folders: list[Path] = field(default_factory=list)

    @classmethod
    def default(cls) -> ArticleLibrary:
        return cls([Path(str(resources.files("jamlik.portal") / "articles"))])

    def all(self) -> list[Article]:
        out = []
        for folder in self.folders:
            for path in sorted(folder.glob("*.md")):
                out.append(parse_article(path.stem, path.read_text(encoding="utf-8")))
        return sorted(out, key=lambda a: (a.date, a.slug), reverse=True)

    def get(self, slug: str) -> Article | None:
        return next((a for a in self.all() if a.slug == slug), None)


def parse_article(slug: str, text: str) -> Article:
    """Front matter between '---' lines (key: value), then the Markdown body."""
    meta: dict[str, str] = {}
    body = text
    match = re.match(r"\A---\s*\n(.*?)\n---\s*\n", text, re.S)
    if match:
        for line in match.group(1).splitlines():
            if ":" in line:
                key, value = line.split(":", 1)
                meta[key.strip().lower()] = value.strip()
        body = text[match.end():]
    return Article(
        slug=slug, title=meta.get("title", slug), summary=meta.get("summary", ""), body=body,
        # ``topics:`` is the old name of the key, still read so older articles keep working.
        target_areas=tuple(split_codes(meta.get("target_areas") or meta.get("topics"))),
        indicators=tuple(split_codes(meta.get("indicators"))),
        date=meta.get("date", ""), author=meta.get("author", ""))


def parse_directive(text: str) -> dict[str, str]:
    """'indicator=N00957 areas=2080,20 title="Ohälsotal i Falun"' -> dict."""
    params: dict[str, str] = {}
    try:
        tokens = shlex.split(text.replace("\n", " "))
    except ValueError:
        raise ValueError("ett citattecken saknar sin avslutning — skriv t.ex. "
                         'title="Ohälsotal i Falun".') from None
    for token in tokens:
        if "=" not in token:
            raise ValueError(f'"{token}" saknar likhetstecken — skriv t.ex. indicator=N00957.')
        key, value = token.split("=", 1)
        params[key.strip().lower()] = value.strip()
    return params


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    return md


_MD = _markdown()


class ChartMaker(Protocol[_Figure]):
    """What draws an article's ``chart`` directives (the portal's ``Views``)."""

    def directive_chart(self, text: str, lang: str, fig_id: str) -> _Figure:
        """The figure for one directive; ValueError or LookupError (Swedish) when it cannot."""
        ...


def render_markdown(body: str, views: ChartMaker[_Figure], lang: str, prefix: str = "fig"
                    ) -> tuple[list[str], list[_Figure | None]]:
    """Render an article body; returns HTML parts and the figures that go between them.

    parts[i] is followed by figures[i] (None after the last part or when a chart failed).
    ``views`` draws the charts (``Views.directive_chart``), so articles never import the views.
    """
    tokens = _MD.parse(body)
    figures: list[_Figure | None] = []
    errors: list[str] = []
    for token in tokens:
        if token.type == "fence" and token.info.strip().split(" ", 1)[0] == "chart":
            info = token.info.strip()[len("chart"):]
            figure: _Figure | None
            try:
                figure = views.directive_chart(f"{info} {token.content}", lang,
                                               f"{prefix}-{len(figures) + 1}")
                errors.append("")
            except (ValueError, LookupError) as exc:
                figure = None
                errors.append(str(exc))
            figures.append(figure)
            # Replace the fence with a placeholder paragraph the template fills in.
            token.type = "html_block"
            token.content = SLOT
    # The html_block rule renders our placeholders verbatim; authors cannot create such tokens.
    html = _MD.renderer.render(tokens, _MD.options, {})
    parts = html.split(SLOT)
    out_parts = []
    for i, part in enumerate(parts):
        if i < len(errors) and errors[i]:
            part += (f'<p class="chart-error" role="alert">Diagrammet kunde inte visas: '
                     f"{escape(errors[i])}</p>")
        out_parts.append(part)
    return out_parts, [*figures, None][: len(out_parts)]
