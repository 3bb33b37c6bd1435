"""The steering pages in a real headless Chromium: an editor and an analyst walk the loop."""

from __future__ import annotations

from pathlib import Path

import pytest

from jamlik.steering import SYSTEM

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PASSWORD = "korrekt-häst-batteri"

pytestmark = pytest.mark.browser


@pytest.fixture()
def server(falun, store, serve_asgi):
    from steering_webapp import make_app

    falun.create_user(SYSTEM, "erik", "editor", password=PASSWORD)
    falun.create_user(SYSTEM, "anna", "analyst", password=PASSWORD)
    with serve_asgi(make_app(falun, store)) as url:
        yield url


def _login(page, base: str, user: str) -> None:
    page.goto(f"{base}/styrning/logga-in")
    page.get_by_label("Användarnamn").fill(user)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base}/styrning/")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_editor_and_analyst_walk_the_loop_in_the_browser(server, browser, db_url):
    ARTIFACTS.mkdir(exist_ok=True)
    base = server
    # the public sees the follow-up with the deviation first, but no analysis link
    public = browser.new_page()
    public.goto(f"{base}/styrning/2080/uppfoljning/2022")
    assert public.get_by_role("heading", name="Avvikelser").is_visible()
    assert "Målvärdet nås inte" in public.locator("ul.deviations").inner_text()
    assert public.get_by_role("link", name="Analysera").count() == 0
    public.screenshot(path=str(ARTIFACTS / "styrning-uppfoljning-publik.png"), full_page=True)

    # the analyst records a cause with evidence and a proposed action
    analyst = browser.new_context().new_page()
    _login(analyst, base, "anna")
    analyst.goto(f"{base}/styrning/2080/uppfoljning/2022")
    analyst.get_by_role("link", name="Analysera").click()
    cause = analyst.locator("fieldset.cause").first  # structured fields, no pipe syntax
    cause.get_by_label("Orsaken med ord").fill("Hög sjukskrivning bland kvinnor i vård och omsorg")
    cause.get_by_label("Indikator som visar den").fill("N00957")
    cause.get_by_label("Länk till underlag").fill("https://example.org/hr")
    analyst.get_by_role("textbox", name="Slutsatser").fill("Skillnaden mellan kvinnor och män driver avvikelsen.")
    analyst.get_by_role("button", name="Spara analysen").click()
    assert "Hög sjukskrivning" in analyst.locator("ul.causes").inner_text()
    assert analyst.locator("ul.causes").get_by_role("link", name="N00957").count() == 1
    analyst.get_by_label("Åtgärd", exact=True).fill("Tidiga insatser vid sjukfrånvaro")
    analyst.get_by_label("Konsekvens om vi inte gör det").fill("Ohälsotalet ligger kvar.")
    analyst.get_by_label("Uppskattad effekt (1–5)").fill("4")
    analyst.get_by_label("Resursbehov (1–5)").fill("2")
    analyst.get_by_role("button", name="Lägg till förslaget").click()
    assert "Tidiga insatser" in analyst.locator("ul.proposals").inner_text()
    analyst.screenshot(path=str(ARTIFACTS / "styrning-analys.png"), full_page=True)
    analyst.goto(f"{base}/styrning/2080/atgarder/2022")
    assert "Gör först" in analyst.locator("table").inner_text()
    analyst.screenshot(path=str(ARTIFACTS / "styrning-prioritering.png"), full_page=True)

    # the editor decides; the assignment shows in the next year's follow-up
    editor = browser.new_context().new_page()
    _login(editor, base, "erik")
    editor.goto(f"{base}/styrning/2080/beslut/2022")
    form = editor.locator("#decision-form")
    form.get_by_label("Åtgärdsförslag").select_option(label="1. Tidiga insatser vid sjukfrånvaro")
    form.get_by_label("Beslut", exact=True).fill("KS ger HR i uppdrag att införa tidiga insatser.")
    form.get_by_label("Beslutat av (organ)").fill("Kommunstyrelsen")
    form.get_by_label("Uppdraget ges till").fill("HR-chefen")
    form.get_by_label("Beslutsdatum").fill("2023-03-14")
    form.get_by_label("Följs upp senast").fill("2024-03-31")
    form.get_by_role("button", name="Registrera beslutet").click()
    editor.wait_for_load_state()
    assert "HR-chefen" in editor.locator("main").inner_text(), editor.content()[:3000]
    editor.screenshot(path=str(ARTIFACTS / "styrning-beslut.png"), full_page=True)
    editor.goto(f"{base}/styrning/2080/uppfoljning/2023")
    assert "införa tidiga insatser" in editor.locator("ul.assignments").inner_text()
    editor.screenshot(path=str(ARTIFACTS / "styrning-uppfoljning-2023.png"), full_page=True)

    # the analyst may not decide: the form is not offered and a forged post is refused
    analyst.goto(f"{base}/styrning/2080/beslut/2022")
    assert analyst.locator("#decision-form").count() == 0
