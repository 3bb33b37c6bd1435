"""`jamlik sync kolada|pxweb|log`: fetch real data incrementally and resumably."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Annotated

import platformdirs
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jamlik.cli._app import DbOption, app, console, fail, open_store, refresh_results

sync_app = typer.Typer(help="Hämta och uppdatera data från Kolada och PxWeb (SCB, "
                            "Folkhälsomyndigheten).", no_args_is_help=True)
app.add_typer(sync_app, name="sync")

BaseUrlOption = Annotated[str | None, typer.Option(
    "--base-url", help="API:ets adress (standard: Kolada https://api.kolada.se/v3).")]
SinceOption = Annotated[str | None, typer.Option(
    "--since", help="Hämta bara ändringar sedan detta datum (ÅÅÅÅ-MM-DD). Standard: senaste "
                    "lyckade synkningen av samma del.")]
NoCacheOption = Annotated[bool, typer.Option(
    "--no-cache", help="Läs inte sparade svar från disk (cachen i användarens cachemapp).")]


_INTERRUPTED = ("avbrutet. Det som hunnit hämtas är sparat; kör samma kommando igen så "
                "fortsätter synkningen där den slutade.")


def _since(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"--since {text!r} är inget datum – skriv ÅÅÅÅ-MM-DD, t.ex. 2025-01-31.") \
            from None


def _http(no_cache: bool):
    """The CLI's HTTP client; JAMLIK_SYNC_RATE_LIMIT / _BACKOFF / _TIMEOUT / _ATTEMPTS tune it."""
    from jamlik.sources import HttpClient, HttpConfig

    cache = None if no_cache else Path(platformdirs.user_cache_dir("jamlik")) / "http"
    config = HttpConfig(cache_dir=cache)
    tunables = (("RATE_LIMIT", "rate_limit", float), ("BACKOFF", "backoff_base", float),
                ("TIMEOUT", "timeout", float), ("ATTEMPTS", "max_attempts", int))
    for name, attr, kind in tunables:
        text = os.environ.get(f"JAMLIK_SYNC_{name}")
        if text:
            try:
                setattr(config, attr, kind(text))
            except ValueError:
                raise fail(f"JAMLIK_SYNC_{name}={text!r} är inget tal.") from None
    return HttpClient(config)


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def _run_with_progress(label: str, run):
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=False) as bar:
        task = bar.add_task(label, total=None)

        def progress(done: int, total: int, description: str) -> None:
            bar.update(task, completed=done, total=total, description=f"{label}: {description}")

        return run(progress)


def _report(summary) -> None:
    console.print(summary.text_sv(), highlight=False)


@sync_app.command("kolada")
def sync_kolada_cmd(
    kpi: Annotated[str | None, typer.Option("--kpi", help="Nyckeltal, kommaseparerade: "
                                                          "N01951,U01405.")] = None,
    area: Annotated[str | None, typer.Option("--area", help="Områden: 2080,20,0000 "
                                                            "(kommun, län, riket).")] = None,
    years: Annotated[str | None, typer.Option("--years", help="År: 2010-2024 eller "
                                                              "2019,2021.")] = None,
    group: Annotated[str | None, typer.Option(
        "--group", help="Jämförelsegrupp vars medlemmar också hämtas (t.ex. Koladas G-id).")
    ] = None,
    preset: Annotated[str | None, typer.Option("--preset", help="'core' = de kurerade "
                                               "kärnindikatorerna för ett län.")] = None,
    county: Annotated[str, typer.Option("--county", help="Län för --preset "
                                                         "(standard 20 Dalarna).")] = "20",
    since: SinceOption = None,
    base_url: BaseUrlOption = None,
    no_cache: NoCacheOption = False,
    db: DbOption = None,
) -> None:
    """Hämta Kolada-data (nyckeltal × områden × år) till databasen, inkrementellt."""
    from jamlik.sources import SyncError, core_kpis, parse_years, preset_areas, sync_kolada
    from jamlik.sources.kolada import DEFAULT_BASE_URL, KoladaClient, group_members

    since_date = _since(since)
    try:
        year_list = parse_years(years) if years else (
            list(range(2010, date.today().year + 1)) if preset else None)
    except ValueError as exc:
        raise fail(f"--years: {exc}") from None
    if year_list is None:
        raise fail("ange --years, t.ex. --years 2010-2024.")
    if preset not in (None, "core"):
        raise fail(f"okänt --preset {preset!r} – det som finns är 'core'.")
    store = open_store(db)
    http = _http(no_cache)
    try:
        kpis = _split(kpi)
        areas = _split(area)
        if preset == "core":
            kpis = kpis + core_kpis(store)
            areas = areas + preset_areas(store, county)
        if group:
            client = KoladaClient(http, base_url or DEFAULT_BASE_URL)
            areas = areas + group_members(store, client, group)
        if not kpis:
            raise fail("ange --kpi N01951,… eller --preset core.")
        if not areas:
            raise fail("ange --area 2080,20 (kommun/län/0000), --group eller --preset core.")
        summary = _run_with_progress("Kolada", lambda progress: sync_kolada(
            store, kpis, areas, year_list, base_url=base_url or DEFAULT_BASE_URL, http=http,
            since=since_date, progress=progress, skip_unknown=preset == "core"))
        refresh_results(store)
    except SyncError as exc:
        raise fail(f"synkningen från Kolada misslyckades: {exc}") from None
    except KeyboardInterrupt:
        raise fail(_INTERRUPTED, code=130) from None
    finally:
        http.close()
        store.close()
    _report(summary)
    console.print("Källa: Kolada (RKA), CC BY 4.0", style="dim")


@sync_app.command("groups")
def sync_groups_cmd(
    title: Annotated[str, typer.Option("--title", help="Hämta grupper vars namn innehåller "
                                       "detta.")] = "Liknande kommuner",
    base_url: BaseUrlOption = None,
    no_cache: NoCacheOption = False,
    db: DbOption = None,
) -> None:
    """Uppdatera jämförelsegrupper från Kolada (t.ex. RKA:s liknande kommuner)."""
    from jamlik.sources import SyncError, sync_groups
    from jamlik.sources.kolada import DEFAULT_BASE_URL

    store = open_store(db)
    http = _http(no_cache)
    try:
        with console.status("Hämtar jämförelsegrupper från Kolada …"):
            n = sync_groups(store, title=title, base_url=base_url or DEFAULT_BASE_URL, http=http)
        refresh_results(store)
    except SyncError as exc:
        raise fail(f"hämtningen av grupper från Kolada misslyckades: {exc}") from None
    finally:
        http.close()
        store.close()
    console.print(f"{n} jämförelsegrupper uppdaterade från Kolada (titel innehåller {title!r}).")
    console.print("Källa: Kolada (RKA), CC BY 4.0", style="dim")


@sync_app.command("pxweb")
def sync_pxweb_cmd(
    table: Annotated[str | None, typer.Option("--table", help="Tabell-id (v2) eller sökväg "
                                                              "till tabellen (v1).")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", help="PxWeb-API:ets adress (standard: SCB "
                           "https://statistikdatabasen.scb.se/api/v2) eller en v1-databas, "
                           "t.ex. Folkhälsodata.")] = None,
    mapping: Annotated[Path | None, typer.Option("--mapping", help="TOML-fil som säger vilken "
                       "variabel som är område, period, kön … (se docs/SOURCES.md).")] = None,
    api: Annotated[str | None, typer.Option("--api", help="v1 eller v2 (standard: gissas "
                                                          "från adressen).")] = None,
    describe: Annotated[bool, typer.Option("--describe", help="Visa tabellens variabler, "
                                           "koder och kodlistor i stället för att hämta.")] = False,
    search: Annotated[str | None, typer.Option("--search", help="Sök tabeller (v2), t.ex. "
                                               "\"folkmängd månad\"; visar id, namn, "
                                               "perioder och senaste uppdatering.")] = None,
    since: SinceOption = None,
    no_cache: NoCacheOption = False,
    db: DbOption = None,
) -> None:
    """Hämta en PxWeb-tabell (SCB v2, Folkhälsodata v1) med en mappningsfil."""
    from jamlik.sources import PxWebClient, SyncError, load_mapping, sync_pxweb
    from jamlik.sources.pxweb import SCB_V2_BASE_URL, describe_table

    base_url = base_url or SCB_V2_BASE_URL
    http = _http(no_cache)
    try:
        if search is not None:
            found = PxWebClient(http, base_url, api=api).search(search, limit=200)
            grid = Table("tabell", "namn", "perioder", "uppdaterad")
            for t in found:
                grid.add_row(str(t.get("id")), str(t.get("label")),
                             f"{t.get('firstPeriod') or '?'}–{t.get('lastPeriod') or '?'}",
                             str(t.get("updated") or "")[:10])
            console.print(grid)
            console.print(f"{len(found)} tabeller matchar {search!r}.")
            return
        if table is None:
            raise fail("ange --table ID (eller --search TEXT för att hitta en tabell).")
        if describe:
            client = PxWebClient(http, base_url, api=api)
            grid = Table("variabel", "text", "antal", "exempel (kod = text)")
            for var in describe_table(client, table):
                examples = var["examples"] + [f"kodlista: {c}" for c in var["codelists"]]
                grid.add_row(str(var["code"]), str(var["text"]), str(var["count"]),
                             "\n".join(examples))
            console.print(grid)
            return
        if mapping is None:
            raise fail("ange --mapping FIL (eller --describe för att se tabellens variabler).")
        spec = load_mapping(mapping)
        store = open_store(db)
        try:
            summary = _run_with_progress(spec.source, lambda progress: sync_pxweb(
                store, base_url, table, spec, http=http, api=api, since=_since(since),
                progress=progress))
            refresh_results(store)
        finally:
            store.close()
    except SyncError as exc:
        raise fail(f"synkningen från PxWeb misslyckades: {exc}") from None
    except KeyboardInterrupt:
        raise fail(_INTERRUPTED, code=130) from None
    finally:
        http.close()
    _report(summary)


@sync_app.command("preset")
def sync_preset_cmd(
    name: Annotated[str, typer.Argument(help="Förinställning: folkhalsa (Koladas "
                                             "kärnindikatorer och SCB:s folkmängd).")],
    county: Annotated[str, typer.Option("--county", help="Län (standard 20 Dalarna).")] = "20",
    years: Annotated[str | None, typer.Option("--years", help="År för Kolada: 2010-2024 "
                                              "(standard 2010–i år).")] = None,
    no_cache: NoCacheOption = False,
    db: DbOption = None,
) -> None:
    """Hämta en färdig uppsättning källor för ett län (se `jamlik sources list`)."""
    from jamlik.sources import SyncError, parse_years
    from jamlik.sources.catalogue import BUNDLES, sync_preset

    if name not in BUNDLES:
        raise fail(f"okänd förinställning {name!r} – finns: {', '.join(BUNDLES)}.")
    try:
        year_list = parse_years(years) if years else None
    except ValueError as exc:
        raise fail(f"--years: {exc}") from None
    store = open_store(db)
    http = _http(no_cache)
    try:
        summaries = sync_preset(
            store, name, county, http=http, years=year_list,
            on_step=lambda e: console.print(f"[bold]{e.title_sv}[/] – {e.licence}"))
        refresh_results(store)
    except SyncError as exc:
        raise fail(f"förinställningen {name} misslyckades: {exc}") from None
    except KeyboardInterrupt:
        raise fail(_INTERRUPTED, code=130) from None
    finally:
        http.close()
        store.close()
    for summary in summaries:
        _report(summary)


sources_app = typer.Typer(help="Källkatalogen: vilka källor jamlik kan hämta, vad de "
                               "innehåller, licens och hur ofta de uppdateras.",
                          no_args_is_help=True)
app.add_typer(sources_app, name="sources")


@sources_app.command("list")
def sources_list_cmd() -> None:
    """Lista källorna i katalogen (levererade förinställningar och sådant som saknas)."""
    from jamlik.sources.catalogue import catalogue

    grid = Table("id", "källa", "innehåll", "licens", "uppdateras", "levereras")
    for e in catalogue():
        grid.add_row(e.id, e.provider, e.title_sv, e.licence, e.cadence,
                     "ja" if e.shipped else f"nej: {e.reason_sv}")
    console.print(grid)
    console.print("Kör en uppsättning: jamlik sync preset folkhalsa --county 20", style="dim")


@sources_app.command("describe")
def sources_describe_cmd(
    entry_id: Annotated[str, typer.Argument(help="Källans id, se `jamlik sources list`.")],
) -> None:
    """Visa vad en källa hämtar, dess licens, uppdateringstakt och vad som är verifierat."""
    from jamlik.sources import SyncError
    from jamlik.sources.catalogue import BUNDLES, source

    try:
        e = source(entry_id)
    except SyncError as exc:
        raise fail(str(exc)) from None
    bundles = [b for b, ids in BUNDLES.items() if e.id in ids]
    rows = [("Källa", e.provider), ("Innehåll", e.title_sv), ("Hämtar", e.fetches),
            ("Licens", e.licence), ("Uppdateras", e.cadence), ("Verifierat", e.verified),
            ("Adress", e.base_url or "–"), ("Tabell", e.table or "–"),
            ("Mappning", f"jamlik/sources/presets/{e.preset_file}" if e.preset_file else "–"),
            ("Ingår i", ", ".join(f"jamlik sync preset {b}" for b in bundles) or "–")]
    if not e.shipped:
        rows.append(("Levereras inte", str(e.reason_sv)))
    grid = Table(show_header=False)
    for label, value in rows:
        grid.add_row(label, value)
    console.print(grid)


@sync_app.command("log")
def sync_log_cmd(
    source: Annotated[str | None, typer.Option("--source", help="Bara en källa, "
                                               "t.ex. Kolada.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Antal körningar.")] = 20,
    db: DbOption = None,
) -> None:
    """Visa synkloggen: vad som hämtats, ändrats, reviderats och misslyckats."""
    from jamlik.sources import sync_log

    store = open_store(db)
    try:
        frame = sync_log(store, source, limit)
    finally:
        store.close()
    if frame.empty:
        console.print("Inga synkningar ännu.")
        return
    grid = Table("nr", "källa", "status", "start", "delar", "anrop", "nya", "reviderade",
                 "borttagna", "oförändrade", "meddelande")
    status_sv = {"ok": "klar", "failed": "misslyckad", "running": "avbruten/pågår"}
    for r in frame.to_dict("records"):
        grid.add_row(str(r["id"]), str(r["source"]), status_sv.get(r["status"], r["status"]),
                     str(r["started_at"])[:19], f"{r['batches_done']}/{r['batches_total']}",
                     str(r["requests"]), str(r["inserted"]), str(r["updated"]),
                     str(r["deleted"]), str(r["unchanged"]), str(r["message"] or ""))
    console.print(grid)
    for r in frame.to_dict("records"):
        for line in str(r.get("warnings") or "").splitlines()[:10]:
            console.print(f"Körning {r['id']}: varning: {line}")
