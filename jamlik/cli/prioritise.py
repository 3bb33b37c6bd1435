"""Prioritisation commands: ``jamlik prioritise catalogue|round|invite|results|report|send``."""

from __future__ import annotations

import getpass
import json
import math
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from jamlik.cli._app import app, console, fail
from jamlik.cli.steering import DatabaseUrlOption, _cli_actor, _workflow

prio_app = typer.Typer(help="Prioritera tillsammans: åtgärdskataloger, omgångar med "
                            "skattningar, resultat och rapport (docs/PRIORITISATION.md).",
                       no_args_is_help=True)
catalogue_app = typer.Typer(help="Kataloger med förslag och åtgärdsområden.", no_args_is_help=True)
round_app = typer.Typer(help="Omgångar: skapa, öppna, stänga, lista.", no_args_is_help=True)
app.add_typer(prio_app, name="prioritise")
prio_app.add_typer(catalogue_app, name="catalogue")
prio_app.add_typer(round_app, name="round")


def _who() -> str:
    return f"cli:{getpass.getuser()}"


def _prio(url: str | None):  # noqa: ANN202 - (Workflow, Prioritisation)
    from jamlik.prioritisation import Prioritisation

    wf = _workflow(url)
    prio = Prioritisation(wf.engine)
    prio.install_samling(_who())
    return wf, prio


def _run(fn):  # noqa: ANN001, ANN202
    from jamlik.io import ImportRejected
    from jamlik.prioritisation import PrioritisationError
    from jamlik.steering import SteeringError

    try:
        return fn()
    except ImportRejected as exc:
        raise fail(f"filen lästes inte in (inget sparades):\n{exc.text_sv()}") from None
    except (PrioritisationError, SteeringError) as exc:
        raise fail(exc.message) from None


def _time(text: str | None, what: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise fail(f'{what}: "{text}" är ingen tidpunkt — skriv t.ex. 2027-01-10T08:00 '
                   "(UTC).") from None


def _ints(text: str | None, what: str) -> list[int]:
    if not text:
        return []
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise fail(f'{what}: "{text}" ska vara heltal med komma emellan, t.ex. 1,2.') from None


@catalogue_app.command("list")
def catalogue_list(database_url: DatabaseUrlOption = None) -> None:
    """Lista katalogerna (Samlingens 30 åtgärdsområden finns alltid)."""
    _, prio = _prio(database_url)
    table = Table("Nyckel", "Rubrik", "Ägare", "Förslag")
    for c in prio.catalogues():
        table.add_row(c.key, c.title, c.owner, str(len(prio.proposals(c.key))))
    console.print(table)


@catalogue_app.command("import")
def catalogue_import(
    file: Annotated[Path, typer.Argument(help="CSV- eller XLSX-fil med en rad per förslag.")],
    key: Annotated[str, typer.Option("--key", help="Katalogens nyckel, t.ex. falun-2027.")],
    title: Annotated[str, typer.Option("--title", help="Katalogens rubrik.")],
    owner: Annotated[str, typer.Option("--owner", help="Kommunkod eller region.")] = "region",
    replace: Annotated[bool, typer.Option("--replace", help="Ersätt en befintlig katalog "
                                                           "(som ingen omgång använder).")] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Läs in en katalog — allt eller inget; fel anges som fil:rad:kolumn."""
    _, prio = _prio(database_url)
    if not file.exists():
        raise fail(f'filen "{file}" finns inte.')
    cat = _run(lambda: prio.import_catalogue(_who(), file, key, title, owner=owner,
                                             replace=replace))
    console.print(f"Katalogen {cat.key} inläst: {len(prio.proposals(cat.key))} förslag.")


@catalogue_app.command("export")
def catalogue_export(
    key: Annotated[str, typer.Argument(help="Katalogens nyckel, t.ex. samling-dalarna.")],
    out: Annotated[Path, typer.Argument(help="Fil att skriva (.csv eller .xlsx).")],
    database_url: DatabaseUrlOption = None,
) -> None:
    """Skriv en katalog till CSV eller XLSX."""
    _, prio = _prio(database_url)
    n = _run(lambda: prio.export_catalogue(key, out))
    console.print(f"{n} förslag skrivna till {out}.")


@round_app.command("create")
def round_create(
    catalogue: Annotated[str, typer.Option("--catalogue", help="Katalogens nyckel.")],
    title: Annotated[str, typer.Option("--title", help="Omgångens rubrik.")],
    scale: Annotated[int, typer.Option("--scale", help="Skalans högsta värde: 9 eller 5.")] = 9,
    themes: Annotated[str | None, typer.Option("--themes", help="Teman, t.ex. 1,2.")] = None,
    kind: Annotated[str, typer.Option("--kind", help="rating, home, merged eller "
                                                     "forced_choice.")] = "rating",
    previous: Annotated[int | None, typer.Option("--previous", help="Omgång vars svar "
                                                 "deltagarna ser (Delphi).")] = None,
    merged_into: Annotated[int | None, typer.Option("--merged-into", help="Den sammanvägda "
                                                    "omgång en hemmakonsultation ingår i.")] = None,
    organisation: Annotated[str | None, typer.Option("--organisation", help="En "
                                                     "hemmakonsultations kommun.")] = None,
    weights: Annotated[str | None, typer.Option("--weights", help="Fasta vikter, t.ex. "
                                                "angelagenhet=2,nytta=1,...")] = None,
    ahp: Annotated[Path | None, typer.Option("--ahp", help="JSON-fil med AHP-matrisen "
                                             "(null för saknad jämförelse).")] = None,
    choice_format: Annotated[str | None, typer.Option("--choice-format",
                                                      help="top5 eller points.")] = None,
    opens: Annotated[str | None, typer.Option("--opens", help="Öppnar (UTC), ISO-tid.")] = None,
    closes: Annotated[str | None, typer.Option("--closes", help="Stänger (UTC).")] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Skapa en omgång (som utkast) med Samlingens fyra kriterier."""
    _, prio = _prio(database_url)
    w = None
    if weights:
        try:
            w = {k.strip(): float(v) for k, v in (p.split("=") for p in weights.split(","))}
        except ValueError:
            raise fail(f'--weights: "{weights}" — skriv kriterium=vikt med komma emellan.') \
                from None
    matrix = None
    if ahp is not None:
        try:
            matrix = json.loads(ahp.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise fail(f"--ahp: kunde inte läsa {ahp}: {exc}") from None
    rnd = _run(lambda: prio.create_round(
        _who(), catalogue, title, scale=scale, themes=_ints(themes, "--themes"), kind=kind,
        previous=previous, merged_into=merged_into, organisation=organisation, weights=w,
        ahp=matrix, choice_format=choice_format, opens_at=_time(opens, "--opens"),
        closes_at=_time(closes, "--closes")))
    console.print(f"Omgång {rnd.id} skapad (utkast): {rnd.title}.")


@round_app.command("open")
def round_open(round_id: Annotated[int, typer.Argument(help="Omgångens id.")],
               database_url: DatabaseUrlOption = None) -> None:
    """Öppna omgången för svar."""
    _, prio = _prio(database_url)
    rnd = _run(lambda: prio.open_round(_who(), round_id))
    console.print(f"Omgång {rnd.id} är öppen.")


@round_app.command("close")
def round_close(round_id: Annotated[int, typer.Argument(help="Omgångens id.")],
                database_url: DatabaseUrlOption = None) -> None:
    """Stäng omgången: inga fler svar tas emot."""
    _, prio = _prio(database_url)
    rnd = _run(lambda: prio.close_round(_who(), round_id))
    console.print(f"Omgång {rnd.id} är stängd.")


@round_app.command("list")
def round_list(database_url: DatabaseUrlOption = None) -> None:
    """Lista omgångarna."""
    from jamlik.prioritisation import KIND_LABELS_SV, STATE_LABELS_SV

    _, prio = _prio(database_url)
    table = Table("Id", "Rubrik", "Typ", "Läge", "Skala", "Deltagare")
    for r in prio.rounds():
        table.add_row(str(r.id), r.title, KIND_LABELS_SV[r.kind], STATE_LABELS_SV[r.state],
                      f"1–{r.scale_max}", str(len(prio.participants(r.id))))
    console.print(table)


@prio_app.command("invite")
def invite(
    round_id: Annotated[int, typer.Argument(help="Omgångens id.")],
    org: Annotated[str, typer.Option("--org", help="Organisation, t.ex. 2080 eller Region "
                                                   "Dalarna.")],
    group: Annotated[str, typer.Option("--group", help="Intressentgrupp, t.ex. kommun.")],
    role: Annotated[str | None, typer.Option("--role", help="Roll, t.ex. folkhälsostrateg.")] = None,
    count: Annotated[int, typer.Option("--count", min=1, max=500)] = 1,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Bjud in deltagare; varje länk visas en gång (bara en kontrollsumma sparas)."""
    _, prio = _prio(database_url)
    for _ in range(count):
        p, token = _run(lambda: prio.invite(_who(), round_id, organisation=org, group=group,
                                            role=role))
        console.print(f"{p.pseudonym}\t/prioritering/omgang/{round_id}/svar/{token}",
                      highlight=False, markup=False)


@prio_app.command("member")
def member(username: Annotated[str, typer.Argument(help="Användarnamn.")],
           role: Annotated[str, typer.Option("--role", help="facilitator, viewer eller none.")],
           database_url: DatabaseUrlOption = None) -> None:
    """Ge en användare rollen samordnare (facilitator) eller läsare (viewer)."""
    _, prio = _prio(database_url)
    _run(lambda: prio.set_member(_who(), username, None if role == "none" else role))
    console.print(f"{username}: {role}.")


def _json_results(res: Any) -> dict[str, Any]:
    def num(x: float | None) -> float | None:
        return None if x is None or not math.isfinite(x) else round(x, 4)

    return {
        "round": res.round_id, "title": res.title, "scale": [1, res.scale_max],
        "participants": res.participants, "organisations": res.organisations,
        "consensus_rule": res.consensus_rule_sv, "weights": res.weights,
        "themes": [{
            "number": t.number, "title": t.title, "clear": t.clear, "reasons": list(t.reasons),
            "explanation": t.explanation_sv, "next_round": t.next_round_sv,
            "next_round_format": t.next_round_format, "kendall_w": num(t.kendall_w),
            "alpha": num(t.alpha),
            "proposals": [{"key": p.key, "title": p.proposal.title, "in_top": p.in_top,
                           **p.scores_json()} for p in t.proposals],
        } for t in res.themes]}


@prio_app.command("results")
def results(
    round_id: Annotated[int, typer.Argument(help="Omgångens id.")],
    fmt: Annotated[str, typer.Option("--format", help="table eller json")] = "table",
    seed: Annotated[int, typer.Option("--seed")] = 1,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Resultat per tema: rangordning med osäkerhet och om det finns en tydlig topplista."""
    from jamlik.format import fmt_num

    _, prio = _prio(database_url)
    res = _run(lambda: prio.results(round_id, seed=seed))
    if fmt == "json":
        console.print_json(json.dumps(_json_results(res), ensure_ascii=False))
        return
    if fmt != "table":
        raise fail(f'--format: "{fmt}" — välj table eller json.')
    console.print(f"{res.title}: {res.participants} deltagare, {res.organisations} "
                  f"organisationer. {res.consensus_rule_sv}", highlight=False)
    for t in res.themes:
        console.print(f"\n[bold]Tema {t.number}: {t.title}[/]\n{t.explanation_sv}",
                      highlight=False)
        if t.next_round_sv:
            console.print(t.next_round_sv, highlight=False)
        table = Table("Plats", "Nr", "Förslag", "Poäng", "Rangintervall", "P(topp)", "Topp")
        for p in t.proposals:
            table.add_row(str(p.rank), p.key, p.proposal.title, fmt_num(p.score, decimals=1),
                          f"{p.rank_lower}–{p.rank_upper}",
                          fmt_num(p.p_top_k * 100, decimals=0) + " %"
                          if math.isfinite(p.p_top_k) else "–", "★" if p.in_top else "")
        console.print(table)


@prio_app.command("report")
def report(
    round_id: Annotated[int, typer.Argument(help="Omgångens id.")],
    fmt: Annotated[str, typer.Option("--format", help="html, pdf eller docx")] = "html",
    out: Annotated[Path | None, typer.Option("--out", help="Fil att skriva.")] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Omgångens rapport (HTML, PDF eller DOCX, på svenska)."""
    from jamlik.prioritisation import FORMATS, render_report

    if fmt not in FORMATS:
        raise fail(f'--format: "{fmt}" — välj html, pdf eller docx.')
    _, prio = _prio(database_url)
    res = _run(lambda: prio.results(round_id))
    target = out or Path(f"prioritering-{round_id}.{fmt}")
    target.write_bytes(render_report(res, fmt))
    console.print(f"Rapporten skrevs till {target}.")


@prio_app.command("send")
def send(
    round_id: Annotated[int, typer.Argument(help="Omgångens id.")],
    area: Annotated[str, typer.Option("--area", help="Kommunkod vars handlingsplan får "
                                                     "förslagen, t.ex. 2080.")],
    proposals: Annotated[str, typer.Option("--proposals", help="Förslagens nummer, t.ex. "
                                                               "1,2,3.")],
    plan_title: Annotated[str | None, typer.Option("--plan", help="Handlingsplanens rubrik.")] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Skicka valda förslag till en kommuns handlingsplan, med poäng och underlag."""
    from jamlik.app import send_to_action_plan

    wf, prio = _prio(database_url)
    keys = [k.strip() for k in proposals.split(",") if k.strip()]
    ids = _run(lambda: send_to_action_plan(prio, wf, _cli_actor(), round_id, area, keys,
                                           plan_title=plan_title))
    console.print(f"{len(ids)} förslag finns nu i handlingsplanen för {area}.")
