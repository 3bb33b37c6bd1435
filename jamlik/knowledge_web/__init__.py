"""The knowledge bank's pages (a capability): search with facets and a page per example,
under ``/kunskapsbank``. The bank itself (model, search, import) is ``jamlik.knowledge``."""

from jamlik.knowledge_web.web import WORDS, configure, router

__all__ = ["WORDS", "configure", "router"]
