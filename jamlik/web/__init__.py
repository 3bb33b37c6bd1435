"""The shared web layer: what every capability's pages have in common — the words and the one
translator (``i18n``), the layout every page extends (``templates/web/layout.html``) and the
one stylesheet (``static/jamlik.css``, served at ``/static/web/``), the ``Page`` layer
(``pages``: views return a ``Page``, one renderer and one table download), the one SVG chart
helper (``charts``) and the one palette (``palette``). ``jamlik.portal`` and
``jamlik.steering`` depend on it, never on each other (the import contracts in
``.importlinter`` check it); numbers are formatted by ``jamlik.format`` below it."""

from jamlik.web._assets import (
    STATIC_DIR,
    STATIC_URL,
    install_globals,
    mount_static,
    stylesheet_url,
    template_loader,
)
from jamlik.web.i18n import (
    COMMON_WORDS,
    LANGUAGES,
    Translator,
    Words,
    language,
    missing_texts,
    translator,
)

__all__ = ["COMMON_WORDS", "LANGUAGES", "STATIC_DIR", "STATIC_URL", "Translator", "Words",
           "install_globals", "language", "missing_texts", "mount_static", "stylesheet_url",
           "template_loader", "translator"]
