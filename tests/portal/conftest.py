"""Fixtures: one sample store per session (the real bundled Kolada sample, ~5 s)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jamlik.app import create_app


@pytest.fixture(scope="session")
def sample_db(sample_db_path: Path) -> Path:
    """The shared session sample store (tests/conftest.py runs jamlik.catalog.load_sample)."""
    return sample_db_path


@pytest.fixture(scope="module")
def small_sections(sample_db: Path) -> Iterator[TestClient]:
    """The portal with 2 rows per målområde (``SECTION_ROWS``) on its long lists (the profile,
    the gaps page, the indicator index), so the sample's few indicators are cut as 2,000 are."""
    import jamlik.portal._app as portal_app
    from jamlik.portal import create_app as create_portal

    old = portal_app.SECTION_ROWS
    portal_app.SECTION_ROWS = 2
    application = create_portal(sample_db, warm=False, cache=False, page_store=False)
    try:
        with TestClient(application) as c:
            yield c
    finally:
        portal_app.SECTION_ROWS = old
        application.state.data.store.close()


@pytest.fixture(scope="session")
def app(sample_db: Path):
    application = create_app(sample_db, county="20", warm=False)  # warm() is tested directly
    yield application
    application.state.data.store.close()


@pytest.fixture(scope="session")
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def store_values(sample_db: Path, app):
    """Reference values read straight from the store (not through the portal)."""
    data = app.state.data
    with data.lock:
        return data.store.observations("N00957", areas=["2080", "20", "0000"], years=[2022])


def _page_with_charts(client: TestClient, path: str) -> str:
    """The page's HTML with each chart's data (fetched from its ``data-src``, as portal.js
    does) put after its placeholder as the static site carries it: ``<script
    class="plot-spec" data-target="ID">SPEC</script>``, so a test reads a chart's spec the
    same way from both."""
    import html as html_lib
    import re

    response = client.get(path)
    assert response.status_code == 200, path

    def with_data(match: re.Match[str]) -> str:
        chart = client.get(html_lib.unescape(match.group(2)))
        assert chart.status_code == 200, match.group(2)
        assert chart.headers["content-type"] == "application/json", match.group(2)
        return (f'{match.group(0)}<script type="application/json" class="plot-spec" '
                f'data-target="{match.group(1)}">{chart.text}</script>')

    return re.sub(r'<div id="([^"]+)" class="plot[^"]*"[^>]*data-src="([^"]+)"></div>',
                  with_data, response.text)


@pytest.fixture()
def page_with_charts():
    """``page_with_charts(client, path)``: the page with its charts' data (``_page_with_charts``)."""
    return _page_with_charts
