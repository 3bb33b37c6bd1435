"""The portal in a real headless Chromium: numbers, downloads, colour switch, screenshots.

One browser and one server per module; screenshots go to tests/artifacts/portal/ (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "portal"


@pytest.fixture(scope="module")
def base_url(app, serve_asgi) -> Iterator[str]:
    with serve_asgi(app) as url:
        yield url


@pytest.fixture(scope="module")
def page(base_url: str, launch_chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with launch_chromium() as browser:
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280,
                                                                       "height": 900})
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        # the Content-Security-Policy must not block anything the pages (and Plotly) need
        pg.on("console", lambda msg: errors.append(msg.text)
              if "Content Security Policy" in msg.text else None)
        pg.errors = errors  # type: ignore[attr-defined]
        yield pg


def _wait_for_charts(page, n: int = 1) -> None:
    # a function, not a string: the page's CSP forbids eval, and polling a string evals
    page.wait_for_function(
        "n => document.querySelectorAll('.plot[data-rendered]').length >= n", arg=n,
        timeout=30_000)


def test_area_profile_numbers_and_colour_switch(page, base_url: str) -> None:
    page.goto(f"{base_url}/kommun/2080")
    row = page.locator('tr[data-indicator="N00957"]')
    assert "20,66" in row.locator("td.value").inner_text()  # Falun 2022, as in the store
    profile = page.locator("#profil")
    # 13 of Falun's 65 indicators have (derived) limits: fewer than half, so the page opens on
    # the rank colouring and says how many were tested and why the rest were not.
    coverage = page.locator("#testade")
    assert coverage.get_attribute("data-tested") == "13"
    assert "13 av 65 indikatorer kunde signifikanstestas" in coverage.inner_text()
    assert profile.get_attribute("data-farg") == "rang"
    assert row.locator(".farg-rang").is_visible()
    page.screenshot(path=str(SHOTS / "kommun-2080-rang.png"), full_page=False)
    page.get_by_label("Skillnad mot riket (signifikans)").check()
    assert profile.get_attribute("data-farg") == "signifikans"
    assert "farg=signifikans" in page.url  # the shareable URL follows the choice
    assert not row.locator(".farg-rang").is_visible()
    tested = page.locator('tr[data-indicator="N66078"] .farg-signifikans')
    assert tested.is_visible() and "säkerställt" in tested.inner_text()
    tested.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "kommun-2080-signifikans.png"), full_page=False)
    with page.expect_download() as info:
        page.get_by_role("link", name="XLSX").first.click()
    assert info.value.suggested_filename == "profil-2080-profil.xlsx"
    assert not page.errors


def test_indicator_page_map_bars_and_downloads(page, base_url: str, tmp_path: Path) -> None:
    page.goto(f"{base_url}/indikator/N00957?omraden=2080,2081")
    _wait_for_charts(page, 3)
    assert page.locator("#fig-karta .choroplethlayer path, #fig-karta .choropleth path").count() \
        >= 290
    page.locator("details.table-alt summary").last.click()
    falun = page.locator('#tabell-kommuner tr[data-area="2080"]')
    assert "20,66" in falun.inner_text()
    page.screenshot(path=str(SHOTS / "indikator-N00957.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").first.click()
    path = tmp_path / "k.csv"
    info.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    assert "2080;Falun;2022;20,66" in text
    with page.expect_download() as info:
        page.locator('button[data-download="svg"][data-target="fig-rang"]').click()
    assert info.value.suggested_filename.endswith(".svg")
    assert not page.errors


@pytest.mark.parametrize("path, name, expect", [
    ("/", "start", "Dalarnas län"),
    ("/jamfor?omraden=2080,2081,20&indikator=N00957", "jamfor", "Borlänge"),
    ("/skillnader/2080", "skillnader-2080", "Ohälsotal"),
    ("/amne/halsoutfall", "amne-halsoutfall", "Hälsoutfall"),
    ("/artikel/medellivslangd-dalarna", "artikel-medellivslangd", "84,6"),
    ("/faktablad/2080.html", "faktablad-2080", "Falun"),
    ("/kommun/2080?lang=en", "kommun-2080-en", "20.66"),
])
def test_page_types_render_and_are_captured(page, base_url: str, path: str, name: str,
                                           expect: str) -> None:
    page.goto(base_url + path)
    charts = page.locator(".plot").count()  # their data fetched from data-src
    if charts:
        _wait_for_charts(page, charts)
    assert expect in page.locator("main, body").first.inner_text()
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert not page.errors


def test_static_site_works_from_file_urls(page, sample_db: Path, tmp_path_factory) -> None:
    from jamlik.portal import build_site

    out = tmp_path_factory.mktemp("site")
    build_site(sample_db, out, areas=["2080"], workers=1)
    page.goto((out / "indikator" / "N00957.html").as_uri())
    _wait_for_charts(page, 3)
    page.goto((out / "kommun" / "2080.html").as_uri() + "?farg=rang")
    assert page.locator("#profil").get_attribute("data-farg") == "rang"
    assert "20,66" in page.locator('tr[data-indicator="N00957"] td.value').inner_text()
    page.goto((out / "sok" / "index.html").as_uri() + "?q=falun")
    page.get_by_role("link", name="Falun").first.click()
    assert page.url.endswith("kommun/2080.html")
    page.screenshot(path=str(SHOTS / "statisk-kommun-2080.png"))
    assert not page.errors
