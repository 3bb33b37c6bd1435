"""The knowledge bank's pages (a capability): search with facets, a page per example, the
forms to submit, review and publish examples, initiatives through their phases and the arena
for social innovations, under ``/kunskapsbank``. The bank itself (model, search, import) is ``jamlik.knowledge``."""

from jamlik.knowledge_web import _forms  # noqa: F401 - registers the forms' routes
from jamlik.knowledge_web.web import WORDS, configure, router

__all__ = ["WORDS", "configure", "router"]
