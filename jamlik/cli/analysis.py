"""Analysis commands: ``jamlik profile``, ``jamlik deviations``, ``jamlik life-expectancy``,
``jamlik materialise`` and ``jamlik export-parquet``."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from jamlik.cli._app import DbOption, app, console, fail, open_store

AreaOption = Annotated[str, typer.Option("--area", help="Områdeskod eller namn, t.ex. 2080 eller Falun")]
ThemeOption = Annotated[str, typer.Option(
    "--theme", help="Tema för RKA:s liknande kommuner (standard: socioekonomi)")]
IndicatorOption = Annotated[str | None, typer.Option(
    "--indicator", help="Indikator-id, kommaseparerade (standard: alla med värden)")]


def _open(db: Path | None):
    from jamlik.store import default_db_path

    path = Path(db or default_db_path())
    if not path.exists():
        raise fail(f"databasen {path} finns inte — skapa den med `jamlik init --sample --db {path}`.")
    return open_store(path, read_only=True)


def _indicator_ids(store, text: str | None) -> list[str] | None:  # noqa: ANN001 - a Store
    """Comma-separated ids, each checked (KeyError with a Swedish message for an unknown id)."""
    if not text:
        return None
    ids = [i.strip() for i in text.split(",") if i.strip()]
    for i in ids:
        store.indicator(i)
    return ids


ThresholdOption = Annotated[int, typer.Option(
    "--threshold", help="Visa inte värden som bygger på färre fall än så här (standard 5)")]


def _fmt(x: float | None, decimals: int | None = None) -> str:
    """A value with its indicator's decimals (the portal's ``PortalData.decimals``), so the CLI
    and the portal print the same number ("20,66" in both)."""
    from jamlik.format import fmt_num

    return fmt_num(x, decimals=decimals)


def _indicator_decimals(store: Any, ids: set[str]) -> dict[str, int]:  # noqa: ANN401
    """Each indicator's printed decimals: its stored values' own precision (``value_decimals``)."""
    from jamlik.format import value_decimals

    return {i: value_decimals(store.observations(i)["value"]) for i in sorted(ids)}


def _chip(code: str, label: str) -> Text:
    from jamlik.analysis import LEGENDS

    colour = LEGENDS.get(code, {}).get("colour", "#BBBBBB")
    text = Text("■ ", style=colour)
    text.append(label)
    return text


def _flatten(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k not in ("sex_gap", "flags", "flag_labels",
                                                     "trend_periods")}
    out["flags"] = ";".join(row["flags"])
    out["trend_periods"] = ";".join(str(p) for p in row["trend_periods"])
    gap = row.get("sex_gap") or {}
    for key in ("women", "men", "difference", "ratio", "lower", "upper", "trend"):
        out[f"sex_gap_{key}"] = gap.get(key)
    return out


@app.command()
def profile(
    area: AreaOption,
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", help="table, csv eller json")] = "table",
    indicator: IndicatorOption = None,
    theme: ThemeOption = "socioekonomi",
    sex: Annotated[str, typer.Option("--sex", help="T (totalt), K eller M")] = "T",
    threshold: ThresholdOption = 5,
) -> None:
    """Områdesprofil: senaste värde, osäkerhet, jämförelser, färger, trend, könsskillnad och bedömning."""
    from jamlik.analysis import coverage
    from jamlik.analysis import profile as build_profile

    if format not in ("table", "csv", "json"):
        raise fail(f"okänt format {format!r}: välj table, csv eller json.")
    if sex not in ("T", "K", "M"):
        raise fail(f"okänt kön {sex!r}: välj T, K eller M.")
    with _open(db) as store:
        try:
            code = store.resolve_area(area)
            rows = build_profile(store, code, _indicator_ids(store, indicator), theme, sex=sex,
                                 threshold=threshold)
            name = store.area(code).name
            decimals = _indicator_decimals(store, {r.indicator for r in rows})
        except KeyError as exc:
            raise fail(str(exc.args[0])) from None
    if not rows:
        raise fail(f"inga värden för {name} ({code}) i databasen — ladda data med "
                   "`jamlik init --sample` eller `jamlik sync`.")
    dicts = [r.to_dict() for r in rows]
    cov = coverage(rows)
    if format in ("json", "csv"):
        # stdout stays the rows (one object per indicator, keys tested/untested_reason);
        # the summary goes to stderr so pipes keep working.
        typer.echo(cov["text"], err=True)
    if format == "json":
        sys.stdout.write(json.dumps(dicts, ensure_ascii=False, indent=2) + "\n")
        return
    if format == "csv":
        flat = [_flatten(d) for d in dicts]
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(flat[0]))
        writer.writeheader()
        writer.writerows(flat)
        sys.stdout.write(buf.getvalue())
        return
    from jamlik.analysis import multiplicity

    for d in dicts:
        d["decimals"] = decimals.get(d["indicator"])
    _profile_table(name, code, dicts, multiplicity(rows).sentence, cov["text"])


# Below this width the twelve columns would be squeezed to a few characters each (at 80
# columns: "Indi/kato/r"); each indicator is then printed as a short block of labelled lines.
WIDE_PROFILE_COLUMNS = 140


def _profile_cells(r: dict[str, Any]) -> dict[str, Any]:
    from jamlik.analysis._text import TEST_SHORT_SV

    gap = r["sex_gap"]
    d = r.get("decimals")
    return {
        "ci": f"{_fmt(r['lower'], d)}–{_fmt(r['upper'], d)}" if r["lower"] is not None
        else "okänd",
        "value": (_fmt(r["value"], d) if r["value"] is not None
                  else "dolt" if "suppressed" in r["flags"] else "–"),
        "gap": "–" if not gap else f"{_fmt(gap['difference'], d)} ({gap['trend_label']})",
        "nation": _fmt(r["nation_value"], d), "county": _fmt(r["county_value"], d),
        "similar": _fmt(r["similar_value"], d),
        "trend": r["trend_label"] + (f" ({TEST_SHORT_SV[r['trend_test']]})"
                                     if r["trend_test"] else ""),
    }


def _profile_blocks(rows: list[dict[str, Any]]) -> None:
    """The profile for a narrow terminal: one labelled block per indicator, nothing truncated."""
    for r in rows:
        c = _profile_cells(r)
        console.print(Text.assemble((r["title"], "bold"), f" ({r['indicator']}) · ",
                                    r["period_label"] or "–"))
        console.print(f"  Värde {c['value']} (95 % KI {c['ci']}) · Riket {c['nation']} · "
                      f"Länet {c['county']} · Liknande {c['similar']}", highlight=False,
                      markup=False)
        console.print(Text.assemble("  Mot riket: ", _chip(r["vs_nation"], r["vs_nation_label"])))
        console.print(Text.assemble("  Placering: ",
                                    _chip(r["rank_colour"], r["rank_colour_label"])))
        console.print(f"  Trend: {c['trend']}", highlight=False, markup=False)
        console.print(f"  Kvinnor − män: {c['gap']}", highlight=False, markup=False)
        if r["flag_labels"]:
            console.print(f"  Flaggor: {', '.join(r['flag_labels'])}", highlight=False,
                          markup=False)
        console.print()


def _profile_table(name: str, code: str, rows: list[dict[str, Any]],
                   multiplicity_sentence: str = "", coverage_sentence: str = "") -> None:
    if console.width < WIDE_PROFILE_COLUMNS:
        console.print(f"[bold]Områdesprofil: {name} ({code})[/]", highlight=False)
        console.print()
        _profile_blocks(rows)
    else:
        _profile_wide(name, code, rows)
    _profile_footer(rows)
    if coverage_sentence:
        console.print(f"Testade: {coverage_sentence}", highlight=False)
    if multiplicity_sentence:
        console.print(multiplicity_sentence, highlight=False)


def _profile_wide(name: str, code: str, rows: list[dict[str, Any]]) -> None:
    table = Table(title=f"Områdesprofil: {name} ({code})", show_lines=False, expand=False)
    for col, justify in (("Indikator", "left"), ("Period", "left"), ("Värde", "right"),
                         ("95 % KI", "right"), ("Riket", "right"), ("Länet", "right"),
                         ("Liknande", "right"), ("Mot riket", "left"), ("Placering", "left"),
                         ("Trend", "left"), ("Kvinnor − män", "right"), ("Flaggor", "left")):
        table.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for r in rows:
        c = _profile_cells(r)
        title = r["title"] if len(r["title"]) <= 60 else r["title"][:57] + "…"
        table.add_row(
            f"{title} [dim]{r['indicator']}[/]", r["period_label"], c["value"],
            c["ci"], c["nation"], c["county"], c["similar"],
            _chip(r["vs_nation"], r["vs_nation_label"]),
            _chip(r["rank_colour"], r["rank_colour_label"]),
            c["trend"], c["gap"], ", ".join(r["flag_labels"]),
        )
    console.print(table)


def _profile_footer(rows: list[dict[str, Any]]) -> None:
    from jamlik.analysis import COLOURING_LABELS_SV

    attributions = sorted({r["attribution"] for r in rows if r["attribution"]})
    console.print(
        f"Färger – Mot riket: {COLOURING_LABELS_SV['significance']}. "
        f"Placering: {COLOURING_LABELS_SV['rank']}. "
        "Utan konfidensintervall görs ingen signifikansjämförelse (osäkerheten är okänd). "
        "Bedömningen per indikator: --format json (nyckeln verdict).",
        highlight=False,
    )
    if attributions:
        console.print(" ".join(attributions), highlight=False)


@app.command()
def deviations(
    area: AreaOption,
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", help="table eller json")] = "table",
    indicator: IndicatorOption = None,
    theme: ThemeOption = "socioekonomi",
    threshold: ThresholdOption = 5,
) -> None:
    """Avvikelser: där området är sämre än jämförelserna, utvecklas åt fel håll eller skillnader växer."""
    from jamlik.analysis import deviations_from_profile, multiplicity, profile
    from jamlik.analysis._text import fmt_p

    if format not in ("table", "json"):
        raise fail(f"okänt format {format!r}: välj table eller json.")
    with _open(db) as store:
        try:
            code = store.resolve_area(area)
            rows = profile(store, code, _indicator_ids(store, indicator), theme,
                           threshold=threshold)
            devs = deviations_from_profile(rows)
            name = store.area(code).name
        except KeyError as exc:
            raise fail(str(exc.args[0])) from None
    if format == "json":
        sys.stdout.write(json.dumps([d.to_dict() for d in devs], ensure_ascii=False, indent=2) + "\n")
        return
    if not devs:
        console.print(f"Inga avvikelser hittades för {name} ({code}).")
        return
    table = Table(title=f"Avvikelser: {name} ({code}) – starkast stöd först", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("Typ")
    table.add_column("Beskrivning", overflow="fold")
    table.add_column("Vikt", justify="right")
    table.add_column("q-värde", justify="right")
    for i, d in enumerate(devs, 1):
        table.add_row(str(i), d.kind_label, d.text, _fmt(d.severity),
                      "–" if d.q_value is None else fmt_p(d.q_value).replace("p", "q", 1))
    console.print(table)
    console.print("Sämre än riket, länet eller liknande kommuner bygger på konfidensintervall "
                  "när källan har sådana; annars på placeringen bland kommunerna (relativ, inte "
                  "ett signifikanstest).",
                  highlight=False)
    console.print(multiplicity(rows).sentence, highlight=False)


@app.command("life-expectancy")
def life_expectancy_command(
    area: AreaOption = "0000",
    period: Annotated[int, typer.Option("--period", help="Sista året, t.ex. 2020")] = 2020,
    span: Annotated[int, typer.Option("--span", help="Antal sammanslagna år (SCB: 5)")] = 5,
    at_age: Annotated[int, typer.Option("--at-age", help="Ålder, en åldersgrupps start")] = 0,
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", help="table eller json")] = "table",
) -> None:
    """Medellivslängd ur lagrets döda och medelfolkmängd per ålder, kvinnor och män, med skillnaden."""
    from jamlik.analysis import life_expectancy_dict, life_expectancy_for
    from jamlik.format import fmt_num
    from jamlik.stats.life_expectancy import life_expectancy_gap

    if format not in ("table", "json"):
        raise fail(f"okänt format {format!r}: välj table eller json.")
    with _open(db) as store:
        try:
            results = [life_expectancy_for(store, area, sex, period, at_age=at_age, span=span)
                       for sex in ("K", "M")]
            name = store.area(results[0].area).name
        except (KeyError, ValueError) as exc:
            raise fail(str(exc.args[0])) from None
    gap = life_expectancy_gap(results[0].estimate, results[1].estimate)
    if format == "json":
        out = {"women": life_expectancy_dict(results[0]), "men": life_expectancy_dict(results[1]),
               "gap": {"value": gap.value, "lower": gap.lower, "upper": gap.upper,
                       "method": gap.method}}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    first = results[0]
    years = f"{first.period_start}–{first.period}" if span > 1 else str(period)
    table = Table(title=f"Återstående medellivslängd vid {at_age} år: {name}, {years}")
    table.add_column("Grupp")
    table.add_column("År", justify="right")
    table.add_column("95 % konfidensintervall", justify="right")
    for label, r in (("Kvinnor", results[0]), ("Män", results[1])):
        est = r.estimate
        table.add_row(label, fmt_num(est.value, decimals=2),
                      "–" if not est.has_limits else
                      f"{fmt_num(est.lower, decimals=2)}–{fmt_num(est.upper, decimals=2)}")
    table.add_row("Skillnad kvinnor − män", fmt_num(gap.value, decimals=2),
                  "–" if not gap.has_limits else
                  f"{fmt_num(gap.lower, decimals=2)}–{fmt_num(gap.upper, decimals=2)}")
    console.print(table)
    console.print(first.note_sv, highlight=False)


@app.command()
def materialise(
    db: DbOption = None,
    full: Annotated[bool, typer.Option(
        "--full", help="Räkna om alla indikatorer, inte bara de vars data har ändrats.")] = False,
) -> None:
    """Räkna om de lagrade profilresultaten (alla områden) för indikatorer vars data har ändrats.

    Kör det en gång; sedan håller `jamlik import` och `jamlik sync` resultaten aktuella. Portalen
    läser resultaten i stället för att räkna vid varje sidvisning (docs/ANALYSIS.md).
    """
    from jamlik.analysis import materialise as run
    from jamlik.store import default_db_path

    path = Path(db or default_db_path())
    if not path.exists():
        raise fail(f"databasen {path} finns inte — skapa den med `jamlik init --sample --db {path}`.")
    with open_store(path) as store:
        done = run(store, full=full)
    console.print(f"Profilresultat: {done.changed} av {done.indicators} indikatorer omräknade "
                  f"({done.rows} rader, {done.seconds:.1f} s).")


@app.command("export-parquet")
def export_parquet(
    out: Annotated[Path, typer.Option("--out", help="Mappen att skriva (ersätts i ett svep).")],
    db: DbOption = None,
) -> None:
    """Skriv värdena och de lagrade profilresultaten som partitionerad Parquet.

    observations/period=ÅÅÅÅ/ och profile_results/sex=T/area=KOD/, för DuckDB, Spark, Trino
    och delad lagring (docs/OPERATIONS.md, "Nationell drift").
    """
    from jamlik.analysis import export_parquet as run

    with _open(db) as store:
        done = run(store, out)
    console.print(f"Parquet: {done.observations} värden och {done.results} profilrader i "
                  f"{done.files} filer under {escape(done.folder)}.")
