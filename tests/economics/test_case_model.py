"""The intervention case model: identities, a hand-worked case, conversions, Monte Carlo seeding,
thresholds, refusals, and the ``jamlik economics run`` command on the shipped example."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jamlik.cli import _load_commands
from jamlik.cli._app import app
from jamlik.economics import (
    ALL_PAYERS,
    Case,
    CaseError,
    Effect,
    OutcomeCost,
    Param,
    ProgrammeCost,
    case_from_dict,
    load_case,
    monte_carlo_npv,
    run_case,
)
from jamlik.economics.model import LN_OR_PER_D, _p1

EXAMPLE = Path(__file__).parents[2] / "jamlik" / "economics" / "examples" / "foraldrastod.toml"


def _tiny(**changes: object) -> Case:
    """100 participants, 10 000 kr each in year 1 (kommun), risk 0.5 → 0.4 (rd −0.1), no decay,
    outcome costs 20 000 kr/year (kommun) and 5 000 kr/year (region) in years 1–3, rate 0."""
    case = Case(
        title="litet fall",
        target_group=Param(200),
        uptake=Param(0.5),
        baseline_risk=Param(0.5),
        effect=Effect("rd", -0.1, 0.02),
        costs=(ProgrammeCost("kommun", Param(10_000), (1,)),),
        outcomes=(OutcomeCost("kommun", Param(20_000), to_year=3),
                  OutcomeCost("region", Param(5_000), to_year=3)),
        onset=1,
        duration=3,
        rate=Param(0.0),
        horizons=(1, 3),
    )
    return replace(case, **changes)  # type: ignore[arg-type]


def test_hand_worked_case_per_payer_and_society() -> None:
    res = run_case(_tiny(), draws=1000, seed=1)
    # 100 participants × 0.1 = 10 avoided outcomes a year; kommun saves 10 × 20 000 = 200 000 a
    # year, pays 100 × 10 000 = 1 000 000 in year 1; region saves 50 000 a year
    k3, r3, s3 = (res.base[(p, 3)] for p in ("kommun", "region", "samhället"))
    assert (k3.pv_costs, k3.pv_benefits, k3.npv) == pytest.approx((1_000_000, 600_000, -400_000))
    assert (r3.pv_costs, r3.pv_benefits) == pytest.approx((0, 150_000))
    assert s3.npv == pytest.approx(-250_000) and s3.bcr == pytest.approx(0.75)
    assert res.base[("kommun", 1)].npv == pytest.approx(-800_000)
    assert res.participants == 100 and res.risk_reduction == pytest.approx(0.1)
    assert "(1 + r)^t" in res.convention


def test_payer_sums_equal_society_in_every_draw() -> None:
    case = load_case(EXAMPLE)
    npv = monte_carlo_npv(case, draws=2000, seed=3)
    assert npv.shape == (2000, len(ALL_PAYERS), 3)
    assert np.allclose(npv[:, :-1, :].sum(axis=1), npv[:, -1, :])
    res = run_case(case, draws=1000, seed=3)
    for h in case.horizons:
        parts = [res.base[(p, h)] for p in ALL_PAYERS[:-1]]
        society = res.base[("samhället", h)]
        assert sum(s.npv for s in parts) == pytest.approx(society.npv)
        assert sum(s.pv_costs for s in parts) == pytest.approx(society.pv_costs)
        assert sum(s.pv_benefits for s in parts) == pytest.approx(society.pv_benefits)


def test_npv_rises_with_a_stronger_effect() -> None:
    case = load_case(EXAMPLE)
    npvs = [
        run_case(replace(case, effect=replace(case.effect, estimate=d)), draws=1000,
                 seed=1).base[("samhället", 15)].npv
        for d in (0.0, -0.1, -0.3, -0.6)
    ]
    assert npvs == sorted(npvs)


def test_hasselblad_hedges_conversion() -> None:
    # ln OR = d·π/√3 = 1.8138·d (Hasselblad & Hedges 1995; Chinn 2000): d = 0.5 → ln OR 0.9069
    assert LN_OR_PER_D == pytest.approx(1.8138, abs=1e-4)
    assert math.log(math.exp(0.5 * LN_OR_PER_D)) == pytest.approx(0.9069, abs=1e-4)
    p0 = np.array([0.25])
    p1 = _p1("smd", p0, np.array([-0.3]))
    odds_ratio = (p1 / (1 - p1)) / (p0 / (1 - p0))
    assert float(odds_ratio[0]) == pytest.approx(math.exp(-0.3 * math.pi / math.sqrt(3)))
    assert float(_p1("rr", p0, np.array([math.log(0.8)]))[0]) == pytest.approx(0.2)


def test_monte_carlo_is_reproducible_with_a_seed() -> None:
    case = load_case(EXAMPLE)
    a = run_case(case, draws=10_000, seed=7)
    b = run_case(case, draws=10_000, seed=7)
    c = run_case(case, draws=10_000, seed=8)
    assert a.monte_carlo == b.monte_carlo
    assert a.monte_carlo != c.monte_carlo
    mc = a.monte_carlo[("samhället", 15)]
    assert mc.lower < mc.mean < mc.upper and 0 <= mc.p_positive <= 1


def test_threshold_effect_breaks_even() -> None:
    case = load_case(EXAMPLE)
    res = run_case(case, draws=1000, seed=1)
    th = res.thresholds[("kommun", 15)]
    assert th.note is None and th.effect is not None and th.effect > case.effect.estimate
    at = replace(case, effect=replace(case.effect, estimate=th.effect))
    assert abs(run_case(at, draws=1000, seed=1).base[("kommun", 15)].npv) < 1.0
    assert res.thresholds[("individ", 2)].effect is None  # nothing to save for the individual yet


def test_tornado_is_sorted_and_names_the_effect() -> None:
    res = run_case(load_case(EXAMPLE), draws=1000, seed=1)
    swings = [r.swing for r in res.tornado]
    assert swings == sorted(swings, reverse=True)
    assert res.tornado[0].key == "effect" and "d" in res.tornado[0].name_sv
    rates = res.by_rate
    assert set(rates) == {0.0, 0.03, 0.035}
    assert rates[0.0][("samhället", 15)] > rates[0.035][("samhället", 15)]


def _data() -> dict:
    import tomllib

    return tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["case"].update(horizons=[2, 10]) or d["effect_course"].update(onset=3),
         "horisonten 2 år är kortare än effektens start"),
        (lambda d: d["target_group"].update(uptake=1.4), "ingen andel"),
        (lambda d: d["target_group"].update(baseline_risk={"value": 0.5, "low": 0.2,
                                                           "high": 1.2}), "high 1.2 är ingen andel"),
        (lambda d: d["cost"][0].update(amount=-5), "negativt"),
        (lambda d: d["outcome"][0].update(payer="landsting"), "betalaren 'landsting' finns inte"),
        (lambda d: d["effect"].update(measure="hr"), "measure = 'hr'"),
        (lambda d: d["case"].update(discount_rate=3), "ange räntan som andel"),
        (lambda d: d["target_group"].update(size={"value": 50, "low": 60, "high": 70}),
         "ligger inte inom"),
    ],
)
def test_bad_cases_get_a_swedish_error(change, message: str) -> None:  # noqa: ANN001
    data = _data()
    change(data)
    with pytest.raises(CaseError, match=message):
        case_from_dict(data, where="fall.toml")


def test_toml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "fall.toml"
    bad.write_text('[case]\ntitle = "x\n', encoding="utf-8")
    with pytest.raises(CaseError, match=r"fall\.toml:2:11: ogiltig TOML – ett citattecken saknas"
                       ) as info:
        load_case(bad)
    assert (info.value.line, info.value.column) == (2, 11)


runner = CliRunner()


def test_cli_runs_the_shipped_example_in_swedish() -> None:
    _load_commands()
    out = runner.invoke(app, ["economics", "run", str(EXAMPLE), "--draws", "2000"])
    assert out.exit_code == 0, out.output
    assert "illustrativt" in out.output and "Nettonuvärde" in out.output
    assert "samhället" in out.output and "Tröskel för kommun" in out.output


def test_cli_json_has_every_payer_and_horizon() -> None:
    _load_commands()
    out = runner.invoke(app, ["economics", "run", str(EXAMPLE), "--draws", "2000",
                              "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["illustrative"] is True and "(1 + r)^t" in data["convention"]
    assert {(r["payer"], r["horizon"]) for r in data["results"]} == {
        (p, h) for p in ALL_PAYERS for h in (2, 10, 15)
    }


def test_cli_refuses_a_missing_file_in_swedish(tmp_path: Path) -> None:
    _load_commands()
    out = runner.invoke(app, ["economics", "run", str(tmp_path / "saknas.toml")])
    assert out.exit_code == 1 and "filen finns inte" in out.output


@settings(max_examples=25, deadline=None)
@given(st.floats(-1.0, 0.5), st.floats(0.0, 0.5), st.floats(0.01, 0.3))
def test_stronger_effect_never_lowers_any_payers_npv(d: float, extra: float, decay: float) -> None:
    case = load_case(EXAMPLE)
    base = replace(case, effect=replace(case.effect, estimate=d), decay=Param(decay))
    stronger = replace(base, effect=replace(base.effect, estimate=d - extra))
    a, b = run_case(base, draws=1000, seed=1), run_case(stronger, draws=1000, seed=1)
    for key, s in a.base.items():
        assert b.base[key].npv >= s.npv - 1e-6 * (1 + abs(s.npv))
