"""Knowledge-bank commands: ``jamlik examples search|import|export``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jamlik.cli._app import DbOption, FormatOption, app, console, err_console, fail, open_store

examples_app = typer.Typer(
    help="Kunskapsbanken: goda exempel att lära av — sök, läs in och exportera.",
    no_args_is_help=True,
)
app.add_typer(examples_app, name="examples")

BankOption = Annotated[
    Path | None,
    typer.Option("--bank", envvar="JAMLIK_EXAMPLES",
                 help="Kunskapsbankens fil (CSV). Standard: examples.csv i användarens "
                      "datamapp, eller de exempel som följer med jamlik om den inte finns."),
]


def _user_bank() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("jamlik")) / "examples.csv"


def _bank_path(bank: Path | None) -> Path | None:
    """The bank to read: ``--bank``, else the user's bank if it exists, else None (shipped)."""
    if bank is not None:
        return bank
    user = _user_bank()
    return user if user.exists() else None


def _load(bank: Path | None):  # noqa: ANN202 - list[Example]
    from jamlik.io import ImportRejected
    from jamlik.knowledge import load_bank

    path = _bank_path(bank)
    if path is not None and not path.exists():
        raise fail(f'kunskapsbanken "{path}" finns inte — kontrollera sökvägen, eller läs in '
                   "exempel med jamlik examples import.")
    try:
        return load_bank(path)
    except ImportRejected as exc:
        raise fail(f"kunskapsbanken går inte att läsa:\n{exc.text_sv()}") from None


def _municipality(text: str | None) -> str | None:
    if text is None:
        return None
    from jamlik import catalog
    from jamlik.knowledge import fold

    df = catalog.municipalities()
    code = text.strip()
    if code in set(df["code"]):
        return code
    by_name = {fold(n).removesuffix(" kommun"): c for c, n in zip(df["code"], df["name"],
                                                                   strict=True)}
    found = by_name.get(fold(code).removesuffix(" kommun"))
    if found is None:
        raise fail(f'--municipality: "{text}" är ingen känd kommun — ange SCB:s kommunkod '
                   "(t.ex. 2081) eller kommunens namn (Borlänge).")
    return found


@examples_app.command("search")
def search_cmd(
    query: Annotated[str, typer.Argument(help='Sökord, t.ex. "familjecentral" (stora/små '
                                              "bokstäver, å/ä/ö och böjningar spelar ingen "
                                              'roll). "" visar alla.')],
    municipality: Annotated[str | None, typer.Option(
        "--municipality", help="Bara exempel från kommunen (kod 2081 eller namn).")] = None,
    theme: Annotated[int | None, typer.Option(
        "--theme", min=1, max=4, help="Bara exempel inom Samlingens temaområde 1–4.")] = None,
    fmt: FormatOption = "table",
    bank: BankOption = None,
) -> None:
    """Sök bland goda exempel — bästa träff först."""
    from jamlik.knowledge import search

    if fmt not in ("table", "json"):
        raise fail(f'--format: "{fmt}" stöds inte här — välj table eller json.')
    hits = search(_load(bank), query, municipality=_municipality(municipality), theme=theme)
    if fmt == "json":
        sys.stdout.write(json.dumps([h.as_json() for h in hits], ensure_ascii=False,
                                    indent=2) + "\n")
        return
    if not hits:
        console.print(f'Inga exempel matchar "{query}".', highlight=False, markup=False)
        return
    table = Table(title=f"Goda exempel: {len(hits)} träffar", title_justify="left")
    for name in ("id", "Titel", "Kommuner", "Tema", "År"):
        table.add_column(name)
    for h in hits:
        e = h.example
        table.add_row(e.id, e.title, ", ".join(e.municipality_codes),
                      "" if e.theme_number is None else str(e.theme_number),
                      "" if e.year is None else str(e.year))
    console.print(table)


@examples_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="CSV- eller Excelfil med exempel (kolumner i "
                                              "docs/KNOWLEDGE.md).", show_default=False)],
    replace: Annotated[bool, typer.Option(
        "--replace", help="Ersätt exempel vars id redan finns i banken.")] = False,
    bank: BankOption = None,
) -> None:
    """Läs in exempel i kunskapsbanken — allt eller inget."""
    from jamlik.io import ImportRejected
    from jamlik.knowledge import import_examples

    if not file.exists():
        raise fail(f'filen "{file}" finns inte — kontrollera sökvägen.')
    target = bank or _user_bank()
    try:
        result = import_examples(file, target, replace=replace)
    except ImportRejected as exc:
        err_console.print(f"[bold red]Importen avbröts:[/] {exc.total} fel i {file.name}. "
                          "Ingenting har sparats; rätta felen och kör kommandot igen.",
                          highlight=False)
        for error in exc.errors:
            err_console.print(str(error), markup=False, highlight=False)
        raise typer.Exit(1) from None
    console.print(f"Importen är klar: kunskapsbanken {target} har nu {len(result)} exempel.",
                  highlight=False, markup=False)


@examples_app.command("export")
def export_cmd(
    file: Annotated[Path, typer.Argument(help="Fil att skriva: .csv eller .xlsx.",
                                         show_default=False)],
    bank: BankOption = None,
) -> None:
    """Exportera kunskapsbanken till CSV eller Excel."""
    from jamlik.knowledge import BankError, export_examples

    try:
        n = export_examples(_load(bank), file)
    except BankError as exc:
        raise fail(str(exc)) from None
    console.print(f"{n} exempel skrivna till {file}.", highlight=False, markup=False)


@examples_app.command("related")
def related_cmd(
    municipality: Annotated[str, typer.Option(
        "--municipality", help="Kommunen beslutet gäller (kod 2080 eller namn).")],
    action_area: Annotated[list[int] | None, typer.Option(
        "--action-area", min=1, max=30, help="Samlingens åtgärdsområde 1–30 (kan upprepas).")
    ] = None,
    malomrade: Annotated[list[int] | None, typer.Option(
        "--malomrade", min=0, max=8, help="Målområde 0–8 (kan upprepas).")] = None,
    indicator: Annotated[str | None, typer.Option(
        "--indicator", help="Indikatorn en avvikelse gäller; dess målområden läses ur "
                            "databasen (--db).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Högst så många exempel.")] = 5,
    fmt: FormatOption = "table",
    bank: BankOption = None,
    db: DbOption = None,
) -> None:
    """Andra som arbetat med detta: exempel som delar indikator, åtgärdsområde eller målområde."""
    from jamlik.knowledge import related_examples, related_to_indicator

    if fmt not in ("table", "json"):
        raise fail(f'--format: "{fmt}" stöds inte här — välj table eller json.')
    code = _municipality(municipality)
    assert code is not None
    examples = _load(bank)
    if indicator is not None:
        store = open_store(db, read_only=True)
        try:
            found = related_to_indicator(store, examples, code, indicator, limit=None)
        finally:
            store.close()
        extra = related_examples(examples, code, action_areas=action_area or (),
                                 malomraden=malomrade or (), limit=None)
        merged = {r.example.id: r for r in extra}
        merged.update({r.example.id: r for r in found})
        hits = sorted(merged.values(), key=lambda r: (r.proximity, -r.score, r.example.id))
        hits = hits[:limit]
    else:
        if not action_area and not malomrade:
            raise fail("ange vad beslutet gäller: --action-area, --malomrade eller --indicator.")
        hits = related_examples(examples, code, action_areas=action_area or (),
                                malomraden=malomrade or (), limit=limit)
    if fmt == "json":
        sys.stdout.write(json.dumps([h.as_json() for h in hits], ensure_ascii=False,
                                    indent=2) + "\n")
        return
    if not hits:
        console.print("Inga exempel delar de områdena ännu.", highlight=False)
        return
    table = Table(title="Andra som arbetat med detta", title_justify="left")
    for name in ("id", "Titel", "Kommuner", "Varför"):
        table.add_column(name)
    for h in hits:
        table.add_row(h.example.id, h.example.title, ", ".join(h.example.municipality_codes),
                      "; ".join(h.reasons))
    console.print(table)
