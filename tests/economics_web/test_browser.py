"""In a real headless Chromium: Falun builds a parenting-support case from its own store
values, sees the results per payer at 2, 10 and 15 years with their uncertainty, and sends
it to its action plan (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jamlik.app import create_app
from jamlik.steering import SYSTEM, Workflow

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PASSWORD = "korrekt-häst-batteri"

pytestmark = pytest.mark.browser


@pytest.fixture()
def server(sample_db_path: Path, tmp_path: Path, serve_asgi, monkeypatch):
    from argon2 import PasswordHasher

    from jamlik.steering import _auth

    monkeypatch.setattr(_auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8,
                                                         parallelism=1))
    wf = Workflow.open(f"sqlite:///{tmp_path / 'wf.sqlite'}")
    wf.save_organisation(SYSTEM, "2080", "Falu kommun")
    plan = wf.add_action_plan(SYSTEM, "2080", "Handlingsplan 2025–2027")
    wf.create_user(SYSTEM, "erik", "editor", password=PASSWORD)
    app = create_app(sample_db_path, wf, county="20", warm=False)
    with serve_asgi(app) as url:
        yield url, wf, plan.id
    app.state.data.store.close()
    wf.close()


def test_falun_builds_a_case_sees_results_and_sends_it_to_its_plan(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    base, wf, plan_id = server
    page = browser.new_page()
    page.goto(f"{base}/ekonomi/fall")
    page.locator('select[name="kommun"]').select_option("2080")
    page.get_by_label("Andel av åldersgruppen i målgruppen").fill("0,2")
    page.get_by_label("Andel som deltar").fill("0,5")
    page.get_by_role("button", name="Räkna").click()
    page.wait_for_selector("table.results")
    text = page.content()
    # its own store value: 3 970 children 0–5 in Falun (Kolada N01952, 2022) × 0.2
    assert "3\u202f970" in text and "(eget värde)" in text
    for payer in ("kommun", "region", "samhället"):
        for h in (2, 10, 15):
            row = page.locator(f'tr[data-payer="{payer}"][data-years="{h}"]')
            cells = row.locator("td").all_inner_texts()
            assert cells[0] == payer and cells[1] == str(h)
            assert "–" in cells[5] and cells[6].endswith("%")  # 95 % interval, P(> 0)
    assert page.locator("svg.chart").count() == 3
    page.screenshot(path=str(ARTIFACTS / "ekonomi-fall-falun.png"), full_page=True)

    page.get_by_role("link", name="Skicka till handlingsplanen").click()
    # the plan page asks a plan editor to sign in first
    page.goto(f"{base}/styrning/logga-in")
    page.get_by_label("Användarnamn").fill("erik")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base}/styrning/")
    page.go_back()
    page.go_back()
    page.reload()
    form = page.locator("#ny-aktivitet")
    assert form.locator('input[name="what"]').input_value() == (
        "Föräldrastöd för familjer med barn 0–5 år")
    assert "samhällets nettonuvärde" in form.locator('input[name="how"]').input_value()
    form.get_by_role("button", name="Lägg till aktiviteten").click()
    page.wait_for_load_state()
    activities = wf.organisation("2080").action_plans[0].activities
    assert [a.what for a in activities] == ["Föräldrastöd för familjer med barn 0–5 år"]
    assert activities[0].budget and activities[0].budget > 0
    assert "/ekonomi/fall?" in activities[0].how
    page.screenshot(path=str(ARTIFACTS / "ekonomi-skickad-till-plan.png"), full_page=True)


ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _check(page, width: int) -> None:
    """No sideways scroll at ``width`` and no serious/critical axe-core finding."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (
        page.url, page.evaluate("document.documentElement.scrollWidth"))
    if AXE.exists():
        found = page.evaluate("""async () => (await axe.run(document,
            {resultTypes: ['violations']})).violations
            .filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3))""")
        assert not found, (page.url, found)


@pytest.mark.parametrize("width", [1366, 390])
def test_a_case_saved_versioned_and_a_fund_followed_up_in_the_browser(server, browser,
                                                                     width: int) -> None:
    base, wf, _ = server
    wf.set_role(SYSTEM, "erik", "editor", organisation="2080")
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    if AXE.exists():
        ctx.add_init_script(path=str(AXE))
    page = ctx.new_page()
    page.goto(f"{base}/styrning/logga-in")
    page.get_by_label("Användarnamn").fill("erik")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base}/styrning/")
    # start from the shipped school case, in Falun, with Falun's own Kolada unit costs
    page.goto(f"{base}/ekonomi/")
    page.get_by_role("link", name="Fullföljd gymnasieskola för unga med hög frånvaro "
                                   "(illustrativt exempel)").click()
    page.wait_for_selector("table.results")
    assert "KPI N31006, 2080, 2022" in page.content()
    _check(page, width)
    page.locator("#f-effect-estimate").fill("0,7")
    page.get_by_role("button", name="Räkna").click()
    page.wait_for_selector("table.results")
    assert "(eget värde)" in page.content()
    page.get_by_label("Anteckning").fill("starkare effekt")
    page.get_by_role("button", name="Spara som nytt fall").click()
    page.wait_for_url(f"{base}/ekonomi/fall/*")
    assert "starkare effekt" in page.content() and "Version 1" in page.content()
    _check(page, width)
    page.get_by_role("button", name="Spara som ny version").click()
    page.wait_for_url(f"{base}/ekonomi/fall/*")
    assert "<strong>Version 2</strong>" in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"ekonomi-sparat-fall-{width}.png"), full_page=True)
    # the example fund imported into the database and followed up
    page.goto(f"{base}/ekonomi/fonder")
    _check(page, width)
    page.get_by_role("button", name="Importera exempelfonden (TOML-filen)").click()
    page.wait_for_url(f"{base}/ekonomi/fond/*")
    assert "Fondens saldo" in page.content()
    _check(page, width)
    form = page.locator("form.flow").first
    form.get_by_label("År").fill("2026")
    form.get_by_label("Kostnad (kr)").fill("10000")
    form.get_by_label("Besparing (kr)").fill("700000")
    form.get_by_role("button", name="Spara").click()
    page.wait_for_url("**ar=2026")
    assert "700\u202f000" in page.content()
    page.screenshot(path=str(ARTIFACTS / f"ekonomi-fond-{width}.png"), full_page=True)
    ctx.close()
