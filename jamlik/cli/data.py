"""Store commands: init, areas, indicators, show, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from jamlik.cli._app import DbOption, app, console, fail, open_store, refresh_results
from jamlik.cli.areas import areas_app, print_districts
from jamlik.format import fmt_num, parse_years, safe_table, value_decimals
from jamlik.store import LABELS_SV, default_db_path, period_note_sv


def _int(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def _years(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        return parse_years(text)
    except ValueError as exc:
        raise fail(str(exc)) from None


@app.command()
def init(
    db: DbOption = None,
    sample: Annotated[bool, typer.Option("--sample", help="Ladda det medföljande "
                                         "Kolada-urvalet (64 nyckeltal, alla kommuner).")] = False,
) -> None:
    """Skapa en databas med kataloger (områden, målområden, indikatorer), ev. med exempeldata."""
    from jamlik.catalog import KOLADA_ATTRIBUTION, load_catalog, load_sample

    path = db or default_db_path()
    with open_store(path) as store:
        if sample:
            with console.status("Laddar exempeldata från Kolada …"):
                result = load_sample(store)
            console.print(
                f"Exempeldata laddad: {_int(result.inserted)} nya värden, "
                f"{_int(result.updated)} reviderade, {_int(result.unchanged)} oförändrade. "
                f"{KOLADA_ATTRIBUTION}."
            )
            refresh_results(store)  # a reload into a store that keeps results
        else:
            counts = load_catalog(store)
            console.print(f"Kataloger laddade: {counts['areas']} områden, "
                          f"{counts['indicators']} indikatorer, {counts['area_groups']} "
                          "jämförelsegrupper.")
        counts = store.counts()
    console.print(f"Databas: [bold]{escape(str(Path(path).resolve()))}[/] "
                  f"({_int(counts['observations'])} värden; {counts['indicators']} indikatorer i "
                  f"katalogen, varav {counts['indicators_with_data']} med värden)")


@areas_app.callback()
def areas(
    ctx: typer.Context,
    db: DbOption = None,
    type: Annotated[str | None, typer.Option("--type", help="nation, county, municipality, "
                                             "deso, regso, nyko eller custom")] = None,
    county: Annotated[str | None, typer.Option("--county", help="Visa kommunerna i ett län, "
                                               "t.ex. 20")] = None,
    municipality: Annotated[str | None, typer.Option(
        "--municipality", help="Kommunkod för --type deso/regso/custom, t.ex. 2081")] = None,
    vintage: Annotated[int | None, typer.Option(
        "--vintage", help="Årgång av indelningen (DeSO 2018/2025, RegSO 2020/2025)")] = None,
    year: Annotated[int | None, typer.Option("--year", help="År för områdestypen")] = None,
    fmt: Annotated[str, typer.Option(
        "--format", help="table, csv, json eller geojson (gränser)")] = "table",
) -> None:
    """Lista områden: riket, län, kommuner — eller en kommuns DeSO/RegSO/NYKO (--type deso)."""
    if ctx.invoked_subcommand is not None:
        return
    if type in ("deso", "regso", "custom", "nyko"):
        print_districts(db, type, municipality, vintage=vintage, year=year, fmt=fmt)
        return
    with open_store(db, read_only=_exists(db)) as store:
        try:
            df = store.areas(type=type, parent=county)
        except KeyError as exc:
            raise fail(str(exc.args[0])) from None
    table = Table(title=f"Områden ({len(df)})")
    for col in ("Kod", "Namn", "Typ", "Ingår i", "Kolada-kod"):
        table.add_column(col)
    for r in df.itertuples(index=False):
        table.add_row(r.code, r.name, LABELS_SV.get(r.type, r.type), r.parent or "",
                      r.kolada_code or "")
    console.print(table)


@app.command()
def indicators(
    db: DbOption = None,
    malomrade: Annotated[int | None, typer.Option("--malomrade", help="Målområde 0–8 "
                                                  "(0 = hälsoutfall)")] = None,
    missing_polarity: Annotated[bool, typer.Option("--missing-polarity", help="Bara indikatorer "
                                                   "utan bedömd riktning")] = False,
) -> None:
    """Lista indikatorer med riktning, datakälla och målområden."""
    with open_store(db, read_only=_exists(db)) as store:
        df = store.indicators(target_area=malomrade)
        if missing_polarity:
            from jamlik.sources import missing_polarity as uncurated

            df = df[df["id"].isin(uncurated(store)["id"])]
    table = Table(title=f"Indikatorer ({len(df)})")
    for col in ("Id", "Titel", "Riktning", "Data", "Målområde", "Agenda 2030"):
        table.add_column(col, overflow="fold")
    for r in df.itertuples(index=False):
        table.add_row(
            r.id, r.title_sv, LABELS_SV.get(r.polarity, r.polarity),
            LABELS_SV.get(r.data_kind, r.data_kind),
            ", ".join(str(t) for t in r.target_areas), ", ".join(r.sdg_targets),
        )
    console.print(table)


@app.command()
def show(
    area: Annotated[str, typer.Option("--area", help="Områdeskod eller namn, t.ex. 2080")],
    indicator: Annotated[str, typer.Option("--indicator", help="Indikator-id, t.ex. N00957")],
    db: DbOption = None,
    years: Annotated[str | None, typer.Option("--years", help="t.ex. 2010-2022")] = None,
) -> None:
    """Visa en indikator för ett område per år och kön, med länet och riket bredvid."""
    with open_store(db, read_only=_exists(db)) as store:
        try:
            code = store.resolve_area(area)
            ind = store.indicator(indicator)
        except KeyError as exc:
            raise fail(str(exc.args[0])) from None
        county = store.county_of(code)
        nation = store.nation_code()
        codes = list(dict.fromkeys(c for c in (code, county, nation) if c))
        df = store.observations(ind.id, areas=codes, years=_years(years))
        names = {c: store.area(c).name for c in codes}
    if df.empty:
        raise fail(f"Inga värden för {ind.id} i {names[code]}.")
    decimals = value_decimals(df["value"])  # one number of decimals per indicator
    table = Table(title=f"{ind.title_sv} ({ind.id})", caption=_caption(ind, df))
    table.add_column("Period")
    table.add_column("Kön")
    for c in codes:
        table.add_column(names[c], justify="right")
    wide = df.set_index(["period", "period_label", "sex", "area"])["value"].unstack("area")
    order = {"T": 0, "K": 1, "M": 2}
    keys = sorted(wide.index, key=lambda k: (k[0], order.get(k[2], 9)))
    previous = None
    for period, label, sex in keys:
        row = wide.loc[(period, label, sex)]
        cells = [label if period != previous else "", LABELS_SV.get(sex, sex)]
        for c in codes:
            v = row.get(c)
            cells.append(fmt_num(v, decimals=decimals))
        table.add_row(*cells)
        previous = period
    console.print(table)


def _caption(ind, df: pd.DataFrame) -> str:
    parts = []
    last = df.iloc[-1]
    note = period_note_sv(int(last["period"]), int(last["period_start"]))
    if note:
        parts.append(note)
    parts.append(f"Riktning: {LABELS_SV[str(ind.polarity)].lower()}. "
                 f"{LABELS_SV[str(ind.data_kind)]}.")
    if df["lower"].isna().all():
        if ind.denominator_indicator:
            parts.append("Källan redovisar inga konfidensintervall; `jamlik profile` härleder "
                         f"gränser ur nämnaren {ind.denominator_indicator} (befolkningen).")
        elif ind.no_limits_reason:
            parts.append(f"Osäkerheten är okänd ({ind.no_limits_reason}), så slumpens "
                         "betydelse kan inte bedömas.")
        else:
            parts.append("Källan redovisar inga konfidensintervall, så slumpens betydelse kan "
                         "inte bedömas (se `jamlik profile`).")
    if df["suppressed"].any():
        parts.append("– = skyddat eller saknas.")
    parts.append(ind.attribution or f"Källa: {ind.source or 'okänd'}")
    return " ".join(parts)


def _exists(db: Path | None) -> bool:
    return Path(db or default_db_path()).exists()


@app.command()
def export(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", help="csv eller xlsx")] = "csv",
    out: Annotated[Path | None, typer.Option("--out", help="Utfil (standard: "
                                             "jamlik-export.<format>)")] = None,
    indicator: Annotated[str | None, typer.Option("--indicator", help="Id, kommaseparerade")] = None,
    area: Annotated[str | None, typer.Option("--area", help="Koder, kommaseparerade")] = None,
    years: Annotated[str | None, typer.Option("--years")] = None,
    decimal_comma: Annotated[bool, typer.Option("--decimal-comma", help="Svenskt decimalkomma "
                                                "och semikolon som avgränsare (CSV)")] = False,
) -> None:
    """Exportera värden till CSV eller Excel (samma kolumner som `jamlik import` läser)."""
    if format not in ("csv", "xlsx"):
        raise fail(f"okänt format {format!r}: välj csv eller xlsx")
    with open_store(db, read_only=_exists(db)) as store:
        try:
            df = store.observations(
                indicator.split(",") if indicator else None,
                areas=area.split(",") if area else None,
                years=_years(years),
                breakdown="*", subperiod="*",
            )
        except KeyError as exc:
            raise fail(str(exc.args[0])) from None
    df = safe_table(df.drop(columns=["area_type"]))  # no live formulas in a spreadsheet
    if not (df["subperiod"] != "").any():
        df = df.drop(columns=["subperiod"])  # yearly data: the export keeps its old columns
    target = out or Path(f"jamlik-export.{format}")
    if format == "csv":
        if decimal_comma:
            df.to_csv(target, index=False, sep=";", decimal=",", encoding="utf-8-sig")
        else:
            df.to_csv(target, index=False, encoding="utf-8")
    else:
        df["retrieved_at"] = df["retrieved_at"].astype(str)
        with pd.ExcelWriter(target, engine="openpyxl") as writer:
            df.to_excel(writer, index=False, sheet_name="värden")
            pd.DataFrame({"Källa": ["Kolada (RKA), CC BY 4.0 där källan är Kolada"]}).to_excel(
                writer, index=False, sheet_name="källor")
    console.print(f"Exporterade {_int(len(df))} värden till {target}")
