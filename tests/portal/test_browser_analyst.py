"""The analyst tasks of issue 14 in a real headless Chromium, at 1366 px and 390 px.

Screenshots of the pages touched go to tests/artifacts/portal/ (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "portal"
WIDTHS = (1366, 390)


@pytest.fixture(scope="module")
def base_url(app, serve_asgi) -> Iterator[str]:
    with serve_asgi(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser(launch_chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with launch_chromium() as b:
        yield b


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def page(browser, request):
    context = browser.new_context(viewport={"width": request.param, "height": 900},
                                  accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.errors = errors  # type: ignore[attr-defined]
    pg.width = request.param  # type: ignore[attr-defined]
    yield pg
    context.close()


def _wait_for_charts(page, n: int = 1) -> None:
    # a function, not a string: the page's CSP forbids eval, and polling a string evals
    page.wait_for_function(
        "n => document.querySelectorAll('.plot[data-rendered]').length >= n", arg=n,
        timeout=30_000)


def _trace_names(page, fig: str) -> list[str]:
    return page.evaluate(f"document.getElementById('{fig}').data.map(t => t.name)")


def test_falun_against_its_similar_municipalities_on_n00957(page, base_url: str) -> None:
    page.goto(f"{base_url}/kommun/Falun")
    section = page.locator("#jamforelsegrupp")
    section.locator("select#grupp").select_option(label="Liknande kommuner – socioekonomi")
    section.get_by_role("button").click()
    page.wait_for_url("**grupp=**")
    assert "Östersund" in page.locator("#jamforelsegrupp .members").inner_text()
    page.screenshot(path=str(SHOTS / f"kommun-2080-grupp-{page.width}.png"), full_page=False)
    page.locator('#tabell-grupp tr[data-indicator="N00957"] a').click()
    page.wait_for_url("**/indikator/N00957**")
    _wait_for_charts(page, 4)
    summary = page.locator("#gruppsammanfattning").inner_text()
    assert "Falun: 20,66" in summary and "7 andra kommuner" in summary and "Plats" in summary
    bars = page.evaluate("document.getElementById('fig-grupp').data[0].y")
    assert "Falun" in bars and "Luleå" in bars and len(bars) == 8
    assert _trace_names(page, "fig-trend")[-1].startswith("Liknande kommuner – socioekonomi")
    page.locator("#fig-grupp").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"indikator-N00957-grupp-{page.width}.png"), full_page=False)
    assert not page.errors


def test_falun_dalarna_and_riket_for_women_and_men_in_one_chart(page, base_url: str) -> None:
    page.goto(f"{base_url}/indikator/N00957")
    form = page.locator("form.choose")
    form.locator('input[name="omraden"][value="2080"]').check()
    form.locator('input[name="kon"][value="T"]').uncheck()
    form.locator('input[name="kon"][value="K"]').check()
    form.locator('input[name="kon"][value="M"]').check()
    form.get_by_role("button", name="Visa").click()
    page.wait_for_url("**kon=K**")
    _wait_for_charts(page, 3)
    names = _trace_names(page, "fig-trend")
    assert sorted(names) == sorted(f"{a} – {s}" for a in ("Falun", "Dalarnas län", "Riket")
                                   for s in ("kvinnor", "män"))
    page.locator("#fig-trend").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"indikator-N00957-kon-{page.width}.png"), full_page=False)
    assert not page.errors


def test_compare_by_name_with_autocomplete(page, base_url: str) -> None:
    page.goto(f"{base_url}/jamfor")
    box = page.locator("#omraden")
    assert page.locator('#omraden-lista option[value="Borlänge"]').count() == 1
    box.fill("Falun, Dalarna, Riket")
    page.locator("form.choose").get_by_role("button").click()
    _wait_for_charts(page, 1)
    assert _trace_names(page, "fig-jamfor") == ["Falun", "Dalarnas län", "Riket"]
    page.screenshot(path=str(SHOTS / f"jamfor-{page.width}.png"), full_page=False)
    assert not page.errors


def test_borlange_top_deviations_in_one_click(page, base_url: str) -> None:
    page.goto(f"{base_url}/kommun/borlange")
    link = page.locator("#hopp-avvikelser")
    assert link.is_visible()
    link.click()
    page.wait_for_url("**#avvikelser")
    page.wait_for_function(
        "Math.abs(document.getElementById('avvikelser').getBoundingClientRect().top) < 80",
        timeout=5_000)
    first = page.locator("#avvikelser ol.deviations li").first
    assert first.is_visible() and first.inner_text()
    page.screenshot(path=str(SHOTS / f"kommun-2081-avvikelser-{page.width}.png"),
                    full_page=False)
    assert not page.errors


def test_one_page_fact_sheet_for_mora(page, base_url: str) -> None:
    import io

    from pypdf import PdfReader

    page.goto(f"{base_url}/kommun/Mora")
    pdf_link = page.get_by_role("link", name="Faktablad (PDF)")
    href = pdf_link.get_attribute("href")
    response = page.request.get(base_url + href)
    assert response.ok and len(PdfReader(io.BytesIO(response.body())).pages) == 1
    page.get_by_role("link", name="Faktablad (HTML)").click()
    page.wait_for_url("**/faktablad/2062.html")
    assert page.locator("main .card").count() >= 10
    page.screenshot(path=str(SHOTS / f"faktablad-2062-{page.width}.png"), full_page=True)
    assert not page.errors


def test_search_and_funnel_pages(page, base_url: str) -> None:
    page.goto(f"{base_url}/sok?q=sjukskrivning")
    hits = page.locator(".search-hits li").all_inner_texts()
    assert any(h.startswith("Sjukpenningtalet") for h in hits)
    assert any(h.startswith("Ohälsotal") for h in hits)
    page.screenshot(path=str(SHOTS / f"sok-sjukskrivning-{page.width}.png"), full_page=False)
    page.goto(f"{base_url}/indikator/N31807?omraden=Falun")
    page.wait_for_function(
        "() => document.getElementById('fig-tratt') && "
        "document.getElementById('fig-tratt').hasAttribute('data-rendered')", timeout=30_000)
    page.locator("#fig-tratt").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"indikator-N31807-tratt-{page.width}.png"),
                    full_page=False)
    assert not page.errors
