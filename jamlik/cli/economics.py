"""Social-investment commands: ``jamlik economics run CASE.toml``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from jamlik.cli._app import app, console, fail

economics_app = typer.Typer(
    help="Sociala investeringar: kostnader och intäkter per betalare över tid, med osäkerhet.",
    no_args_is_help=True,
)
app.add_typer(economics_app, name="economics")


def _kr(x: float | None) -> str:
    from jamlik.format import fmt_num

    return "–" if x is None else fmt_num(round(x / 1000) * 1000, decimals=0)


def _pct(x: float | None, decimals: int = 0) -> str:
    from jamlik.format import fmt_num

    return "–" if x is None else f"{fmt_num(x * 100, decimals=decimals)} %"


def _ratio(x: float | None) -> str:
    from jamlik.format import fmt_num

    return "–" if x is None else fmt_num(x, decimals=0 if abs(x) >= 100 else 2)


def result_json(result: Any) -> dict[str, Any]:  # noqa: ANN401 - a CaseResult
    """Everything ``run_case`` computed, as plain JSON (keys in English, texts in Swedish)."""
    from dataclasses import asdict

    case = result.case
    rows = []
    for (payer, h), s in result.base.items():
        mc = result.monte_carlo[(payer, h)]
        th = result.thresholds[(payer, h)]
        rows.append({
            "payer": payer, "horizon": h, **{k: v for k, v in asdict(s).items()},
            "npv_mean": mc.mean, "npv_lower": mc.lower, "npv_upper": mc.upper,
            "p_npv_positive": mc.p_positive,
            "threshold_risk_reduction": th.reduction, "threshold_effect": th.effect,
            "threshold_note": th.note,
        })
    return {
        "title": case.title,
        "illustrative": case.illustrative,
        "note": case.note,
        "price_year": case.price_year,
        "currency": case.currency,
        "discount_rate": case.rate.value,
        "convention": result.convention,
        "draws": result.draws,
        "seed": result.seed,
        "participants": result.participants,
        "risk_reduction": result.risk_reduction,
        "effect_measure": case.effect.measure,
        "results": rows,
        "npv_by_rate": [
            {"rate": r, "payer": p, "horizon": h, "npv": v}
            for r, table in result.by_rate.items() for (p, h), v in table.items()
        ],
        "tornado": {
            "payer": result.tornado_payer, "horizon": result.tornado_horizon,
            "rows": [asdict(t) for t in result.tornado],
        },
    }


@economics_app.command("run")
def run(
    case_file: Annotated[Path, typer.Argument(help="Fallet i TOML-format (se docs/ECONOMICS.md).")],
    draws: Annotated[int, typer.Option("--draws", help="Antal Monte Carlo-dragningar")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Slumpfrö (samma frö, samma resultat)")] = 2024,
    fmt: Annotated[str, typer.Option("--format", help="table eller json")] = "table",
) -> None:
    """Räkna ut ett fall: nuvärden, nettonuvärde och osäkerhet per betalare vid 2, 10 och 15 år."""
    from jamlik.economics import MEASURES, CaseError, load_case, run_case
    from jamlik.economics.case import MEASURE_SV

    if fmt not in ("table", "json"):
        raise fail(f"--format {fmt!r} finns inte — välj table eller json.")
    try:
        case = load_case(case_file)
        result = run_case(case, draws=draws, seed=seed)
    except (CaseError, ValueError) as exc:
        raise fail(str(exc)) from None
    if fmt == "json":
        typer.echo(json.dumps(result_json(result), ensure_ascii=False, indent=1))
        return
    assert case.effect.measure in MEASURES
    if case.illustrative:
        console.print(f"[bold yellow]OBS: illustrativt exempel.[/] {case.note or ''}",
                      highlight=False)
    price = f", prisnivå {case.price_year}" if case.price_year else ""
    console.print(f"[bold]{case.title}[/]", highlight=False)
    console.print(
        f"{result.participants:.0f} deltagare; riskminskning {_pct(result.risk_reduction, 1)}"
        f" ({MEASURE_SV[case.effect.measure]}); belopp i {case.currency}{price}, "
        f"real ränta {_pct(case.rate.value, 1)}. {result.convention}",
        highlight=False,
    )
    table = Table(title=f"Per betalare ({result.draws} dragningar, frö {result.seed})")
    for col in ("Betalare", "År", "Nuvärde kostnad", "Nuvärde besparing", "Nettonuvärde",
                "95 % intervall", "P(>0)", "Per satsad krona", "Jämnt (disk./odisk.)"):
        table.add_column(col, justify="left" if col == "Betalare" else "right")
    for (payer, h), s in result.base.items():
        mc = result.monte_carlo[(payer, h)]
        nothing = s.pv_costs == 0 and s.pv_benefits == 0
        be = "–" if nothing else (
            f"{s.break_even_year if s.break_even_year is not None else 'aldrig'} / "
            f"{s.break_even_year_undiscounted if s.break_even_year_undiscounted is not None else 'aldrig'}"
        )
        table.add_row(payer, str(h), _kr(s.pv_costs), _kr(s.pv_benefits), _kr(s.npv),
                      f"{_kr(mc.lower)} – {_kr(mc.upper)}", _pct(mc.p_positive),
                      _ratio(s.bcr), be)
    console.print(table)
    longest = max(case.horizons)
    for payer in ("kommun", "samhället"):
        th = result.thresholds[(payer, longest)]
        if th.note:
            console.print(f"Tröskel för {payer} ({longest} år): {th.note}", highlight=False)
        elif th.effect is not None:
            console.print(
                f"Tröskel för {payer} ({longest} år): effekten måste vara minst "
                f"{MEASURE_SV[case.effect.measure]} = {_ratio(th.effect)} "
                f"(riskminskning {_pct(th.reduction, 1)}, dvs. att utfallet undviks hos "
                f"{_pct(th.reduction, 1)} av deltagarna) för att gå jämnt ut.",
                highlight=False,
            )
    irr = result.base[("samhället", longest)]
    console.print(
        "Internränta för samhället: "
        + (_pct(irr.irr, 1) if irr.irr is not None else str(irr.irr_note)),
        highlight=False,
    )
    tornado = Table(title=f"Känslighet, en parameter i taget ({result.tornado_payer}, "
                          f"{result.tornado_horizon} år)")
    for col in ("Parameter", "Lågt", "Högt", "Nettonuvärde lågt", "Nettonuvärde högt"):
        tornado.add_column(col, justify="left" if col == "Parameter" else "right")
    for row in result.tornado[:8]:
        tornado.add_row(row.name_sv, _ratio(row.low), _ratio(row.high), _kr(row.npv_low),
                        _kr(row.npv_high))
    console.print(tornado)
    rates = ", ".join(
        f"{_pct(r, 1)}: {_kr(t[('samhället', longest)])}" for r, t in result.by_rate.items()
    )
    console.print(f"Nettonuvärde för samhället vid {longest} år med andra räntor: {rates}.",
                  highlight=False)


@economics_app.command("fund")
def fund(
    fund_file: Annotated[Path, typer.Argument(help="Fonden i TOML-format (se docs/ECONOMICS.md).")],
    year: Annotated[int, typer.Option("--year", help="Följ upp till och med detta år")],
    db: Annotated[Path | None, typer.Option("--db", help="Indikatordatabasen (för utfallsindikatorer)")] = None,
) -> None:
    """Följ upp en social investeringsfond: utfall mot förväntat, återföring och saldo."""
    from jamlik.economics import FundError, follow_up_fund, load_fund

    try:
        f = load_fund(fund_file)
    except FundError as exc:
        raise fail(str(exc)) from None
    store = None
    if db is not None:
        import jamlik

        store = jamlik.open(db, read_only=True)
    try:
        fu = follow_up_fund(f, year, store)
    finally:
        if store is not None:
            store.close()
    console.print(f"[bold]{f.name}[/] – uppföljning till och med {year}", highlight=False)
    for a in fu.applications:
        console.print(f"\n[bold]{a.application.title}[/] ({', '.join(a.application.committees)})",
                      highlight=False)
        console.print(f"Kostnad: förväntad {_kr(a.expected_cost)}, utfall {_kr(a.actual_cost)}; "
                      f"besparing: förväntad {_kr(a.expected_saving)}, utfall "
                      f"{_kr(a.actual_saving)}; återföring: plan {_kr(a.repaid_planned)}, "
                      f"gjord {_kr(a.repaid_made)}", highlight=False)
        for n in a.notes:
            console.print(n, highlight=False)
        for ind in a.indicators:
            console.print(ind.get("text") or
                          f"{ind['indicator']}: {ind['value']:g} ({ind['period']}); "
                          f"vid start {ind['base_value']:g} ({ind['base_period']})",
                          highlight=False)
    table = Table(title="Fondens saldo")
    for col in ("År", "Enligt plan", "Utfall"):
        table.add_column(col, justify="right")
    for y, planned, actual in fu.balance:
        table.add_row(str(y), _kr(planned), _kr(actual))
    console.print(table)
