"""The social investment fund: an application with a repayment plan, followed up a year later."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

import jamlik
from jamlik.economics import FundError, follow_up_fund, fund_from_dict, load_fund

FUND = Path(str(resources.files("jamlik.economics") / "examples" / "fond_falun.toml"))


@pytest.fixture(scope="module")
def store(sample_db_path: Path):
    s = jamlik.open(sample_db_path, read_only=True)
    yield s
    s.close()


def test_application_with_repayment_plan_followed_up_a_year_later(store):
    fund = load_fund(FUND)
    app = fund.applications[0]
    assert app.decision.granted == 1_500_000 and len(app.repayments) == 2
    fu = follow_up_fund(fund, 2025, store)
    a = fu.applications[0]
    # expected vs actual, 2024–2025 (2026 not yet due)
    assert (a.expected_cost, a.actual_cost) == (1_800_000, 1_900_000)
    assert (a.expected_saving, a.actual_saving) == (800_000, 670_000)
    assert [r[0] for r in a.rows] == [2024, 2025]
    # repayment: 300 000 planned in 2025 by Socialnämnden, 250 000 returned
    assert (a.repaid_planned, a.repaid_made) == (300_000, 250_000)
    assert any("Återföring 50\u202f000 kr enligt plan är inte gjord" in n for n in a.notes)
    # balance: 10 M − 1.5 M in 2024; + 300 000 planned / + 250 000 actual in 2025
    assert fu.balance == ((2024, 8_500_000, 8_500_000), (2025, 8_800_000, 8_750_000))
    # the outcome indicator from the store (children 0–5 in Falun): latest ≤ 2025 is 2022
    ind = a.indicators[0]
    assert (ind["indicator"], ind["period"], ind["value"]) == ("N01952", 2022, 3970.0)
    later = follow_up_fund(fund, 2026, store)
    assert later.applications[0].notes[0].startswith("Utfall saknas för 2026 (kommun)")
    assert later.balance[-1] == (2026, 9_300_000, 8_750_000)


def _data() -> dict:
    return tomllib.loads(FUND.read_text(encoding="utf-8"))


def test_bad_fund_input_is_a_swedish_error():
    d = _data()
    d["application"][0]["expected"][0]["cost"] = -5
    with pytest.raises(FundError, match="beloppet är negativt"):
        fund_from_dict(d)
    d = _data()
    d["application"][0]["decision"]["granted"] = 20_000_000
    with pytest.raises(FundError, match="större än fondens kapital"):
        fund_from_dict(d)
    d = _data()
    d["application"][0]["repayment"][0]["committee"] = "Kulturnämnden"
    with pytest.raises(FundError, match="står inte bakom ansökan"):
        fund_from_dict(d)
    d = _data()
    d["application"][0]["expected"][0]["payer"] = "landsting"
    with pytest.raises(FundError, match="välj bland kommun"):
        fund_from_dict(d)
    d = _data()
    del d["application"][0]["decision"]
    with pytest.raises(FundError, match="kräver ett beviljat beslut"):
        fund_from_dict(d)


def test_cli_fund_follow_up(sample_db_path):
    from typer.testing import CliRunner

    from jamlik.cli import _load_commands
    from jamlik.cli._app import app

    _load_commands()
    r = CliRunner().invoke(app, ["economics", "fund", str(FUND), "--year", "2025",
                                 "--db", str(sample_db_path)])
    assert r.exit_code == 0, r.output
    assert "Fondens saldo" in r.output and "8\u202f750\u202f000" in r.output
    assert "N01952: 3970 (2022)" in r.output
    bad = CliRunner().invoke(app, ["economics", "fund", "finns-inte.toml", "--year", "2025"])
    assert bad.exit_code != 0 and "filen finns inte" in bad.output
