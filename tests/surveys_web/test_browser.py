"""The survey pages in a real headless Chromium at 1366 and 390 px: readable tables and charts,
no sideways scrolling, the download link works. Screenshots: tests/artifacts/surveys_web/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "surveys_web"


@pytest.fixture(scope="module")
def base_url(app, serve_asgi) -> Iterator[str]:
    with serve_asgi(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser(launch_chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with launch_chromium() as b:
        yield b


@pytest.mark.parametrize("width", [1366, 390])
def test_falun_survey_page(browser, base_url: str, width: int) -> None:
    context = browser.new_context(accept_downloads=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base_url}/enkater/")
    page.get_by_role("link", name="Falun").click()
    assert page.url.endswith("/enkater/2080")
    assert page.locator("section.survey-section").count() == 4
    chart = page.locator("svg.survey-chart").first
    box = chart.bounding_box()
    assert box is not None and 150 <= box["width"] <= width
    # the page never scrolls sideways; a wide table scrolls inside its own box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(SHOTS / f"enkater-2080-{width}.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ned tabellen (CSV)").click()
    assert info.value.suggested_filename == "enkater-2080.csv"
    assert not errors
    context.close()
