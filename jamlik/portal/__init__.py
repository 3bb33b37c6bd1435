"""The analysis portal (analyswebben): area profiles, indicators, gaps, articles, fact sheets.

- ``create_app(store_path, county="20", extra_routers=())`` – the portal's FastAPI app; ``jamlik
  serve`` uses the composition root ``jamlik.app.create_app``, which mounts the other
  capabilities (the steering loop) on it;
- ``build_site(store_path, out_dir)`` – the public portal as static files (``jamlik build-site``);
- ``render_markdown`` / ``ArticleLibrary`` – articles in Markdown with live chart directives.
"""

from jamlik.portal._app import create_app
from jamlik.portal._articles import Article, ArticleLibrary, parse_article, render_markdown
from jamlik.portal._format import fmt_num
from jamlik.portal._site import SiteReport, build_site

__all__ = ["Article", "ArticleLibrary", "SiteReport", "build_site", "create_app", "fmt_num",
           "parse_article", "render_markdown"]
