"""Charts load their data on demand: a served page carries a placeholder per chart
(``Links.chart``: ``?diagram=ID&v=VERSION`` on the page's own URL) and ``portal.js`` fetches the
Plotly spec from there, cached and compressed like any response; the page's caption and table
alternative say what the chart shows without JavaScript. The static site keeps the data in
the page (it works from file://, where nothing can be fetched)."""

from __future__ import annotations

import hashlib

from fastapi.responses import JSONResponse, Response

from jamlik.portal._data import PortalData
from jamlik.web.pages import Figure, Page

#: for a chart asked at the data version it was drawn from: its URL never changes content
IMMUTABLE = "public, max-age=31536000, immutable"


def chart_version(data: PortalData) -> str:
    """A short name of the data version the charts are read at (``Links.chart``): the same
    in every worker on one snapshot."""
    return hashlib.sha1(repr(data.version()).encode(), usedforsecurity=False).hexdigest()[:12]


def chart_response(page: Page, fig_id: str, version: str | None, current: str) -> Response:
    """One chart's Plotly spec of ``page`` as JSON (``?diagram=ID``): cached for a year when
    asked at the current data version (``v``; a new version gives the page a new URL), else
    revalidated; 404 for a chart the page does not have."""
    for value in page.context.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Figure) and item.id == fig_id:
                fresh = version == current
                return Response(item.json.encode("utf-8"), media_type="application/json",
                                headers={"Cache-Control": IMMUTABLE if fresh else "no-cache"})
    return JSONResponse({"detail": f'Diagrammet "{fig_id}" finns inte på sidan.'},
                        status_code=404)
