"""The shared web layer's files: the layout every page extends and the one stylesheet."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from jinja2 import BaseLoader, ChoiceLoader, PackageLoader, PrefixLoader

PACKAGE = Path(__file__).resolve().parent
#: the shared stylesheet and other assets, served at STATIC_URL
STATIC_DIR = PACKAGE / "static"
STATIC_URL = "/static/web"


def template_loader(own: BaseLoader) -> BaseLoader:
    """A capability's templates first, then the shared ones as ``web/…`` (``web/layout.html``:
    the document every page extends, linking the shared stylesheet)."""
    return ChoiceLoader([own, PrefixLoader({"web": PackageLoader("jamlik.web", "templates/web")})])


def mount_static(app: FastAPI) -> None:
    """Serve the shared assets at ``/static/web/`` (before any broader ``/static`` mount)."""
    app.mount(STATIC_URL, StaticFiles(directory=str(STATIC_DIR)), name="web-static")
