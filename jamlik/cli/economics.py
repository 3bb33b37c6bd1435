"""Social-investment commands: ``jamlik economics run CASE.toml``, ``report``, ``fund``, and the
workflow database: ``save``, ``cases``, ``import-fund``, ``funds``, ``follow-up``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from jamlik.cli._app import app, console, fail
from jamlik.cli.steering import DatabaseUrlOption, _workflow

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


def _investments(url: str | None):  # noqa: ANN202 - an Investments
    from jamlik.economics import Investments

    return Investments(_workflow(url).engine)


def _who() -> str:
    import getpass

    return f"cli:{getpass.getuser()}"


@economics_app.command("report")
def report(
    case_file: Annotated[Path, typer.Argument(help="Fallet i TOML-format.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Filen som skrivs")],
    fmt: Annotated[str, typer.Option("--format", help="pdf, docx eller html")] = "pdf",
) -> None:
    """Rapporten för kommunstyrelsen (alla antaganden, per betalare, osäkerhet) som fil."""
    from jamlik.economics import CaseError, load_case
    from jamlik.economics_web.web import case_report

    if fmt not in ("pdf", "docx", "html"):
        raise fail(f"--format: {fmt!r} — välj pdf, docx eller html.")
    try:
        data = case_report(load_case(case_file), fmt)
    except CaseError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"PDF kunde inte skapas ({exc}); installera pango (scripts/"
                   "install_system_deps.sh) eller välj --format docx/html.") from None
    out.write_bytes(data)
    console.print(f"Rapporten skrevs till {out} ({len(data):,} byte).".replace(",", "\u202f"),
                  highlight=False)


@economics_app.command("save")
def save(
    case_file: Annotated[Path, typer.Argument(help="Fallet i TOML-format.")],
    area: Annotated[str, typer.Option("--area", help="Organisationen (kommunkod eller region)")],
    case_id: Annotated[int | None, typer.Option("--case", help="Spara som ny version av fallet")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Anteckning till versionen")] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Spara ett fall (ny eller nästa version) i arbetsdatabasen."""
    from jamlik.economics import CaseError, NotFound
    from jamlik.io import TomlError, read_toml

    try:
        data = read_toml(case_file)
    except TomlError as exc:  # names file, line and column
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"{case_file}: kan inte läsas ({exc}).") from None
    from jamlik.economics import case_from_dict

    try:
        case_from_dict(data, where=str(case_file))  # errors name the file
        info = _investments(database_url).save_case(
            _who(), area, data, case_id=case_id, note=note, origin=f"fil:{case_file.name}")
    except (CaseError, NotFound) as exc:
        raise fail(str(exc)) from None
    console.print(f"Fall {info.id} ({info.title}) sparat som version {info.version} för "
                  f"{info.area}.", highlight=False)


@economics_app.command("cases")
def cases(
    area: Annotated[str | None, typer.Option("--area", help="Bara denna organisation")] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Lista sparade fall och deras versioner."""
    rows = _investments(database_url).cases([area] if area else None)
    table = Table("Fall", "Rubrik", "Organisation", "Version", "Ursprung", "Senast sparad av")
    for c in rows:
        table.add_row(str(c.id), c.title, c.area, str(c.version), c.origin,
                      c.versions[-1].saved_by)
    console.print(table)


@economics_app.command("import-fund")
def import_fund(
    fund_file: Annotated[Path, typer.Argument(help="Fonden i TOML-format.")],
    area: Annotated[str | None, typer.Option("--area", help="Organisationen (standard: filens)")] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Läs in en fond från TOML-filen till arbetsdatabasen (allt eller inget)."""
    from jamlik.economics import FundError, load_fund

    try:
        info = _investments(database_url).import_fund(_who(), load_fund(fund_file), area=area)
    except FundError as exc:
        raise fail(str(exc)) from None
    console.print(f"Fond {info.id} ({info.name}) inläst för {info.area}: "
                  f"{info.applications} ansökningar.", highlight=False)


@economics_app.command("funds")
def funds(
    area: Annotated[str | None, typer.Option("--area", help="Bara denna organisation")] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Lista fonderna i arbetsdatabasen."""
    table = Table("Fond", "Namn", "Organisation", "Kapital", "Startår", "Ansökningar")
    for f in _investments(database_url).funds([area] if area else None):
        table.add_row(str(f.id), f.name, f.area, _kr(f.capital), str(f.start_year),
                      str(f.applications))
    console.print(table)


@economics_app.command("follow-up")
def follow_up(
    fund_id: Annotated[int, typer.Argument(help="Fondens nummer i arbetsdatabasen")],
    year: Annotated[int, typer.Option("--year", help="Följ upp till och med detta år")],
    database_url: DatabaseUrlOption = None,
) -> None:
    """Följ upp en fond i arbetsdatabasen: utfall mot förväntat, återföring och saldo."""
    from jamlik.economics import NotFound, follow_up_fund

    try:
        f = _investments(database_url).fund(fund_id)
    except NotFound as exc:
        raise fail(str(exc)) from None
    fu = follow_up_fund(f, year)
    table = Table(title=f"{f.name} – saldo till och med {year}")
    for col in ("År", "Enligt plan", "Utfall"):
        table.add_column(col, justify="right")
    for y, planned, actual in fu.balance:
        table.add_row(str(y), _kr(planned), _kr(actual))
    console.print(table)
    for a in fu.applications:
        console.print(f"{a.application.id}: kostnad förväntad {_kr(a.expected_cost)}, utfall "
                      f"{_kr(a.actual_cost)}; besparing förväntad {_kr(a.expected_saving)}, "
                      f"utfall {_kr(a.actual_saving)}", highlight=False)
        for n in a.notes:
            console.print(n, highlight=False)
