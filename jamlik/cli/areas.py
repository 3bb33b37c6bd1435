"""Area-level commands: ``jamlik crosstab``, ``jamlik areas`` (+ ``areas import``, ``areas
load``), ``jamlik segregation``, ``jamlik area-types``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jamlik.cli._app import app, console, fail

#: ``jamlik areas``: the listing itself is the group's callback (jamlik/cli/data.py)
areas_app = typer.Typer(invoke_without_command=True, help="Lista områden: riket, län, "
                        "kommuner — eller en kommuns DeSO/RegSO/NYKO (--type deso); "
                        "`jamlik areas import` läser in egna områden och NYKO.")
app.add_typer(areas_app, name="areas")


@app.command("crosstab")
def crosstab_command(
    data: Annotated[Path, typer.Argument(help="Parquet-fil, mapp med Parquet-filer eller CSV-fil")],
    by: Annotated[str, typer.Option("--by", help="Dimensioner, kommaseparerade: deso,sex,age_band")],
    out: Annotated[Path, typer.Option("--out", help="Utfil: .csv, .parquet eller .json")],
    threshold: Annotated[int, typer.Option("--threshold", help="Undertryck celler med n under detta")] = 5,
    count_column: Annotated[
        str | None, typer.Option("--count-column", help="Kolumn med antal (en rad per cell)")
    ] = None,
    rounding: Annotated[
        int | None, typer.Option("--round", help="Avrunda visade antal till denna bas, t.ex. 5")
    ] = None,
) -> None:
    """Korstabell med röjandekontroll: primär och sekundär undertryckning, totaler och logg."""
    from jamlik.areas import crosstab

    try:
        result = crosstab(
            data, by.split(","), threshold=threshold, count_column=count_column,
            rounding=rounding, out=out,
        )
    except ValueError as exc:
        raise fail(str(exc)) from None
    audit = out.with_name(out.stem + ".audit.csv")
    console.print(
        f"{len(result.table)} celler (med totaler) skrivna till {out}; "
        f"{result.primary} undertryckta under tröskeln {result.threshold} (primärt) och "
        f"{result.secondary} för att de inte ska kunna räknas fram (sekundärt). "
        f"Logg: {audit}",
        highlight=False,
    )


def _district_store(db: Path | None, *, boundaries: bool = False,  # noqa: ANN202 - a Store
                    writable: bool = False):
    """The store with the shipped DeSO/RegSO (and, if asked, boundaries) loaded once."""
    from jamlik.areas import districts as d
    from jamlik.areas.boundaries import has_boundaries, load_shipped_boundaries
    from jamlik.cli._app import open_store
    from jamlik.store import default_db_path

    if Path(db or default_db_path()).exists() and not writable:
        store = open_store(db, read_only=True)
        if d.loaded(store) and (not boundaries or has_boundaries(store)):
            return store
        store.close()
    store = open_store(db)
    if not d.loaded(store):
        d.load_districts(store)
    if boundaries and not has_boundaries(store):
        load_shipped_boundaries(store)
    return store


def print_districts(db: Path | None, kind: str, municipality: str | None, *,
                    vintage: int | None, year: int | None, fmt: str) -> None:
    """``jamlik areas --type deso|regso|custom --municipality 2081``."""
    import json

    import pandas as pd
    from rich.table import Table

    from jamlik.areas import districts as d

    if fmt not in ("table", "csv", "json", "geojson"):
        raise fail(f"--format {fmt!r} finns inte — välj table, csv, json eller geojson.")
    if not municipality:
        raise fail(f"ange --municipality (kommunkod, t.ex. 2081) för --type {kind}.")
    store = _district_store(db, boundaries=fmt == "geojson")
    try:
        if fmt == "geojson":
            from jamlik.areas.boundaries import boundaries

            typer.echo(json.dumps(boundaries(store, kind, municipality, vintage=vintage),
                                  ensure_ascii=False))
            return
        frame = d.districts(store, kind, municipality, vintage=vintage, year=year)
    except ValueError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    rows = [{k: (None if pd.isna(v) else v) for k, v in r.items()}
            for r in frame.astype(object).to_dict("records")]
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1, default=int))
        return
    if fmt == "csv":
        typer.echo(frame.to_csv(index=False), nl=False)
        return
    vint = rows[0]["vintage"] if rows else ""
    table = Table(title=f"{d.LABEL[kind]} {vint} i {municipality} ({len(rows)})")
    for col in ("Kod", "Namn", "Ingår i", "Områdestyp"):
        table.add_column(col)
    for r in rows:
        typ = "" if r["area_type"] is None else f"{r['area_type']} ({r['area_type_year']})"
        table.add_row(r["code"], r["name"], r["parent"] or "", typ)
    console.print(table)


@app.command("segregation")
def segregation_command(
    area: Annotated[str, typer.Option("--area", help="Kommun (2081), län (20) eller all")],
    unit: Annotated[str | None, typer.Option(
        "--unit", help="deso eller regso (utan: båda sida vid sida)")] = None,
    group: Annotated[str, typer.Option(
        "--group", help="foreign_background, swedish_background eller forgymnasial_education"
    )] = "foreign_background",
    year: Annotated[int | None, typer.Option("--year", help="År (standard: det senaste)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv eller json")] = "table",
    db: Annotated[Path | None, typer.Option("--db", help="Databasfil (DuckDB)")] = None,
) -> None:
    """Segregationsmått (D, isolering, exponering, Theils H) per kommun över DeSO och RegSO."""
    import json

    import pandas as pd
    from rich.table import Table

    from jamlik.areas.segregation import UNITS, segregation
    from jamlik.format import fmt_num

    if fmt not in ("table", "csv", "json"):
        raise fail(f"--format {fmt!r} finns inte — välj table, csv eller json.")
    store = _district_store(db)
    try:
        rows = segregation(store, area, units=(unit,) if unit else UNITS, group=group, year=year)
    except ValueError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if fmt == "csv":
        typer.echo(pd.DataFrame(rows).to_csv(index=False), nl=False)
        return
    table = Table(title=f"Segregation: {group}, {rows[0]['year']} (enhet: DeSO/RegSO)")
    for col in ("Kommun", "Mått", "Enhet", "Antal områden", "Värde"):
        table.add_column(col)
    for r in rows:
        value = "–" if r["value"] is None else fmt_num(r["value"], decimals=3)
        table.add_row(r["area"], r["measure"], r["unit"], str(r["units"]), value)
    console.print(table)


@app.command("area-types")
def area_types_command(
    area: Annotated[str, typer.Option("--area", help="Kommun (2081) eller län (20) i Dalarna")],
    indicator: Annotated[str, typer.Option(
        "--indicator", help="low_econ, unemp, foreign, income_med, higher_ed, renters")
    ] = "low_econ",
    year: Annotated[int | None, typer.Option("--year", help="År för områdestypen")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table eller json")] = "table",
    db: Annotated[Path | None, typer.Option("--db", help="Databasfil (DuckDB)")] = None,
) -> None:
    """En indikator per områdestyp (typ 1–5): DeSO-värden vägda med befolkningen."""
    import json

    from rich.table import Table

    from jamlik.areas.districts import VALUE_VARIABLES
    from jamlik.areas.gradient import area_type_gradient
    from jamlik.format import fmt_num

    if fmt not in ("table", "json"):
        raise fail(f"--format {fmt!r} finns inte — välj table eller json.")
    store = _district_store(db)
    try:
        g = area_type_gradient(store, area, indicator, area_type_year=year)
    except ValueError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    rows = [{"area_type": int(r.area_type), "deso": int(r.deso), "population": float(r.population),
             "value": float(r.value)} for r in g.groups.itertuples()]
    if fmt == "json":
        typer.echo(json.dumps({
            "area": g.area, "indicator": indicator, "year": g.year,
            "area_type_year": g.area_type_year, "groups": rows,
            "difference": g.difference.value if g.difference else None,
            "ratio": g.ratio.value if g.ratio else None, "note": g.note,
        }, ensure_ascii=False, indent=1))
        return
    label = VALUE_VARIABLES[indicator][1]
    table = Table(title=f"{label} ({g.year}) per områdestyp {g.area_type_year}, {g.area}")
    for col in ("Områdestyp", "DeSO", "Befolkning", "Värde"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["area_type"]), str(r["deso"]), fmt_num(r["population"], decimals=0),
                      fmt_num(r["value"], decimals=1))
    console.print(table)
    if g.difference is not None:
        console.print(f"Skillnad mellan typ {rows[0]['area_type']} och typ {rows[-1]['area_type']}: "
                      f"{fmt_num(g.difference.value, decimals=1)}"
                      + (f", kvot {fmt_num(g.ratio.value, decimals=1)}" if g.ratio else "")
                      + ". Källa: SCB.", highlight=False)


@areas_app.command("import")
def areas_import_command(
    file: Annotated[Path, typer.Argument(help="Kodlista (.csv: code,name,deso) eller polygoner "
                                         "(.geojson, .gpkg, .shp eller .zip med en .shp)")],
    municipality: Annotated[str, typer.Option("--municipality", help="Kommunkod, t.ex. 2081")],
    vintage: Annotated[int, typer.Option("--vintage", help="Årgång för indelningen, t.ex. 2024")],
    kind: Annotated[str, typer.Option("--type", help="custom (egna stadsdelar) eller nyko")
                    ] = "custom",
    deso_vintage: Annotated[int | None, typer.Option(
        "--deso-vintage", help="DeSO-årgång för kodlistans deso-koder (standard 2018) eller "
        "för polygonernas ingående DeSO (standard den senaste)")] = None,
    code_property: Annotated[str, typer.Option("--code-property", help="Egenskap med koden")
                             ] = "code",
    name_property: Annotated[str, typer.Option("--name-property", help="Egenskap med namnet")
                             ] = "name",
    db: Annotated[Path | None, typer.Option("--db", help="Databasfil (DuckDB)")] = None,
) -> None:
    """Läs in egna områden eller NYKO från en kodlista eller polygoner — allt eller inget."""
    from jamlik.areas.own import import_areas

    store = _district_store(db, boundaries=True, writable=True)
    try:
        counts = import_areas(store, file, kind=kind, municipality=municipality, vintage=vintage,
                              deso_vintage=deso_vintage, code_property=code_property,
                              name_property=name_property)
    except ValueError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    label = "NYKO-områden" if kind == "nyko" else "egna områden"
    console.print(f"{counts['areas']} {label} ({vintage}) inlästa för {municipality}: "
                  f"{counts['members']} ingående DeSO, {counts['boundaries']} gränser. "
                  f"Visa dem: jamlik areas --type {kind} --municipality {municipality}",
                  highlight=False)


@areas_app.command("load")
def areas_load_command(
    db: Annotated[Path | None, typer.Option("--db", help="Databasfil (DuckDB)")] = None,
) -> None:
    """Läs in (eller om) de medföljande DeSO/RegSO-tabellerna och gränserna."""
    from jamlik.areas import districts as d
    from jamlik.areas.boundaries import load_shipped_boundaries
    from jamlik.cli._app import open_store

    with open_store(db) as store:
        counts = d.load_districts(store)
        shapes = load_shipped_boundaries(store)
    console.print(f"{counts['areas']} områden, {counts['area_types']} områdestyper, "
                  f"{counts['counts']} antal och {shapes['stored']} gränser inlästa.",
                  highlight=False)
