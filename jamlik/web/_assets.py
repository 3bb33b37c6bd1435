"""The shared web layer's files: the layout every page extends and the one stylesheet."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from jinja2 import BaseLoader, ChoiceLoader, PackageLoader, PrefixLoader

PACKAGE = Path(__file__).resolve().parent
#: the shared stylesheet and other assets, served at STATIC_URL
STATIC_DIR = PACKAGE / "static"
STATIC_URL = "/static/web"


@functools.lru_cache(maxsize=1)
def stylesheet_url() -> str:
    """The shared stylesheet's URL with its content hash (``?v=…``), so a changed stylesheet
    is fetched again while an unchanged one stays cached (the portal versions it the same
    way)."""
    digest = hashlib.sha256((STATIC_DIR / "jamlik.css").read_bytes()).hexdigest()[:12]
    return f"{STATIC_URL}/jamlik.css?v={digest}"


def install_globals(env) -> None:  # noqa: ANN001 - a jinja2.Environment
    """What web/layout.html and web/site_header.html need from every capability's
    environment: the versioned stylesheet URL."""
    env.globals["web_stylesheet"] = stylesheet_url()


def template_loader(own: BaseLoader) -> BaseLoader:
    """A capability's templates first, then the shared ones as ``web/…`` (``web/layout.html``:
    the document every page extends, linking the shared stylesheet)."""
    return ChoiceLoader([own, PrefixLoader({"web": PackageLoader("jamlik.web", "templates/web")})])


def mount_static(app: FastAPI) -> None:
    """Serve the shared assets at ``/static/web/`` (before any broader ``/static`` mount)."""
    app.mount(STATIC_URL, StaticFiles(directory=str(STATIC_DIR)), name="web-static")
