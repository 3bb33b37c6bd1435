"""The district pages in a real headless Chromium at 1366 and 390 px: map, profile, builder.

Screenshots go to tests/artifacts/areas_web/ (git-ignored)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "areas_web"


@pytest.fixture(scope="module")
def base_url(app, serve_asgi) -> Iterator[str]:
    with serve_asgi(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser(launch_chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with launch_chromium() as b:
        yield b


@pytest.fixture(params=[1366, 390], ids=["1366px", "390px"])
def page(request, browser):
    context = browser.new_context(accept_downloads=True,
                                  viewport={"width": request.param, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.errors = errors  # type: ignore[attr-defined]
    pg.width = request.param  # type: ignore[attr-defined]
    yield pg
    context.close()


def _no_horizontal_scroll(page) -> None:
    # the page itself never scrolls sideways; wide tables scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("code", ["2081", "2084"])
def test_map_profile_and_back(page, base_url: str, code: str) -> None:
    page.goto(f"{base_url}/omraden/{code}")
    svg = page.locator("svg.district-map").first
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box is not None and box["width"] <= page.width and box["height"] > 100
    assert page.locator("svg.district-map path").count() == (27 if code == "2081" else 13)
    _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / f"omraden-{code}-{page.width}.png"), full_page=False)
    page.select_option("#indikator", "unemp")
    page.get_by_role("button", name="Visa").first.click()
    assert "indikator=unemp" in page.url
    assert page.locator("#legend li").count() >= 3
    page.locator("#segregation").scroll_into_view_if_needed()
    assert page.locator('#segregation-2022 td[data-unit="regso"]').count() == 4
    page.screenshot(path=str(SHOTS / f"omraden-{code}-segregation-{page.width}.png"))
    first = page.locator("svg.district-map a").first
    target = first.get_attribute("href")
    page.goto(base_url + target)
    assert page.locator("#profile-table").is_visible()
    _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / f"profil-{code}-{page.width}.png"), full_page=True)
    assert not page.errors


def test_crosstab_builder_and_download(page, base_url: str) -> None:
    page.goto(f"{base_url}/omraden/2084/korstabell")
    page.get_by_label("DeSO").first.check()
    page.get_by_label("kön").check()
    page.get_by_label("bakgrund (svensk/utländsk)").check()
    page.get_by_role("button", name="Gör tabellen").click()
    assert page.locator("#crosstab-table tbody tr").count() == (13 + 1) * 3 * 3
    _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / f"korstabell-2084-{page.width}.png"))
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    assert info.value.suggested_filename == "korstabell-2084-deso-sex-background.csv"
    assert not page.errors
