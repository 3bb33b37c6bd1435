"""The prioritisation pages in a real headless Chromium: a facilitator opens a round and invites,
a participant saves, returns and hands in, the facilitator reads the live dashboard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_facilitator_and_participant_in_the_browser(web_app, browser, serve_asgi, db_url):
    ARTIFACTS.mkdir(exist_ok=True)
    with serve_asgi(web_app) as base:
        fac = browser.new_page()
        fac.goto(f"{base}/styrning/logga-in")
        fac.get_by_label("Användarnamn").fill("fac")
        fac.get_by_label("Lösenord").fill(PASSWORD)
        fac.get_by_role("button", name="Logga in").click()
        fac.wait_for_url(f"{base}/styrning/")
        fac.goto(f"{base}/prioritering/")
        fac.get_by_label("Rubrik").fill("Omgång 1: tema 1")
        fac.get_by_label("Teman").fill("1")
        fac.get_by_role("button", name="Skapa").click()
        fac.wait_for_url(re.compile(r".*/prioritering/omgang/1$"))
        fac.get_by_role("button", name="Öppna omgången").click()
        fac.get_by_label("Organisation").fill("2080")
        fac.get_by_role("button", name="Bjud in").click()
        link = fac.locator("code.invite-link").first.inner_text()
        assert link.startswith("/prioritering/omgang/1/svar/prio_")

        person = browser.new_page()
        person.set_viewport_size({"width": 390, "height": 844})
        person.goto(base + link)
        first = person.locator("div.proposal").first
        first.get_by_label("Angelägenhetsgrad").select_option("8")
        first.get_by_label("Kommentar").fill("Viktigt för de minsta")
        person.get_by_role("button", name="Spara och fortsätt senare").click()
        assert person.get_by_role("status").first.inner_text() == "Dina svar är sparade."
        person.goto(base + link)  # return later: the answer is still there
        first = person.locator("div.proposal").first
        assert first.get_by_label("Angelägenhetsgrad").input_value() == "8"
        first.get_by_label("Relevans för Dalarnas kommuner och region").select_option("7")
        person.screenshot(path=str(ARTIFACTS / "prioritering-formular-390.png"), full_page=True)
        person.get_by_role("button", name="Lämna in").click()
        assert "Tack! Dina svar är inlämnade." in person.locator("main").inner_text()

        fac.goto(f"{base}/prioritering/omgang/1")
        text = fac.locator("main").inner_text()
        assert "kommun\t1\t1\t1" in text
        fac.screenshot(path=str(ARTIFACTS / "prioritering-oversikt.png"), full_page=True)
