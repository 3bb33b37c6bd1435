"""Knowledge-bank workflow commands: ``jamlik knowledge list|show|submit|review|publish|
send-back|grant|revoke`` for submitted examples, ``jamlik knowledge initiative create|list|show|
partner|tick|phase|log|record|report`` for initiatives and ``jamlik knowledge idea
submit|decide|list`` for the arena. Importing, exporting and searching the bank file are
``jamlik examples``. Everything runs on the workflow database (``--database-url``)."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.table import Table

from jamlik.cli._app import app, console, fail
from jamlik.cli.examples import BankOption, _load
from jamlik.cli.steering import DatabaseUrlOption, _workflow

knowledge_app = typer.Typer(
    help="Kunskapsbankens arbetsflöden: inskickade exempel och granskning, initiativ genom "
         "sina faser och arenan för sociala innovationer (docs/KNOWLEDGE.md).",
    no_args_is_help=True)
initiative_app = typer.Typer(help="Sektorsövergripande initiativ genom de fyra faserna.",
                             no_args_is_help=True)
idea_app = typer.Typer(help="Arenan för sociala innovationer: idéer och beslut per steg.",
                       no_args_is_help=True)
app.add_typer(knowledge_app, name="knowledge")
knowledge_app.add_typer(initiative_app, name="initiative")
knowledge_app.add_typer(idea_app, name="idea")

AsOption = Annotated[str | None, typer.Option(
    "--as", help="Användaren som gör ändringen (standard: den som är inloggad på datorn). "
                 "Roller ges med jamlik knowledge grant.")]
JsonOption = Annotated[str, typer.Option("--format", help="table eller json")]
# grant and revoke
UserArgument = Annotated[str, typer.Argument(help="Användarnamnet (som i styrningens "
                                                  "inloggning).")]
RoleArgument = Annotated[str, typer.Argument(help="reviewer (granskare), editor (redaktör) "
                                                  "eller viewer (läsare).")]
EditorOption = Annotated[str, typer.Option("--as", help="En redaktör, eller system (den som "
                                                        "installerat jamlik).")]

T = TypeVar("T")


def _user(who: str | None) -> str:
    return who or getpass.getuser()


def _run(fn: Callable[[], T]) -> T:
    from jamlik.knowledge import ReviewError

    try:
        return fn()
    except ReviewError as exc:
        raise fail(f"{exc} Inget ändrades.") from None


def _desk(url: str | None, bank: Path | None = None):  # noqa: ANN202 - ReviewDesk
    from jamlik.knowledge import ReviewDesk

    return ReviewDesk(_workflow(url).engine, _load(bank))


def _work(url: str | None):  # noqa: ANN202 - Initiatives
    from jamlik.knowledge import Initiatives

    desk = _desk(url)
    return Initiatives(desk.engine, roles=desk.roles)


def _day(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f'--on: "{text}" är inget datum — skriv ÅÅÅÅ-MM-DD, t.ex. 2025-03-14.'
                   ) from None


def _fmt(fmt: str) -> str:
    if fmt not in ("table", "json"):
        raise fail(f'--format: "{fmt}" stöds inte här — välj table eller json.')
    return fmt


def _json(data: Any) -> None:  # noqa: ANN401
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


# -- submitted examples ------------------------------------------------------------------------
@knowledge_app.command("list")
def list_cmd(
    state: Annotated[str | None, typer.Option(
        "--state", help="Bara exempel i läget draft (utkast), reviewed (granskat) eller "
                        "published (publicerat).")] = None,
    fmt: JsonOption = "table",
    database_url: DatabaseUrlOption = None,
) -> None:
    """Lista inskickade exempel med läge och vem som skickade in dem."""
    from jamlik.knowledge import STATES

    if state is not None and state not in STATES:
        raise fail(f'--state: "{state}" är inget läge — välj bland {", ".join(STATES)}.')
    entries = _desk(database_url).entries(state)
    if _fmt(fmt) == "json":
        _json([{"number": e.id, "id": e.example.id, "title": e.example.title,
                "state": e.state, "submitted_by": e.submitted_by,
                "municipality_codes": list(e.example.municipality_codes)} for e in entries])
        return
    if not entries:
        console.print("Inga inskickade exempel.", highlight=False)
        return
    table = Table("Nr", "id", "Titel", "Läge", "Inskickat av", title="Inskickade exempel",
                  title_justify="left")
    for e in entries:
        table.add_row(str(e.id), e.example.id, e.example.title, STATES[e.state][0],
                      e.submitted_by)
    console.print(table)


@knowledge_app.command("show")
def show_cmd(number: Annotated[int, typer.Argument(help="Det inskickade exemplets nummer.")],
             fmt: JsonOption = "table", database_url: DatabaseUrlOption = None) -> None:
    """Visa ett inskickat exempel och dess historik."""
    from jamlik.knowledge import STATES

    entry = _run(lambda: _desk(database_url).get(number))
    if _fmt(fmt) == "json":
        _json({"number": entry.id, "state": entry.state, "submitted_by": entry.submitted_by,
               "example": entry.example.as_json(),
               "history": [{"at": ev.at.isoformat(), "user": ev.username, "action": ev.action,
                            "from": ev.from_state, "to": ev.to_state, "note": ev.note}
                           for ev in entry.history]})
        return
    console.print(f"{entry.example.title} ({entry.example.id}) – {STATES[entry.state][0]}, "
                  f"inskickat av {entry.submitted_by}", highlight=False, markup=False)
    table = Table("Tid (UTC)", "Vem", "Steg", "Kommentar", title="Historik", title_justify="left")
    for ev in entry.history:
        step = (f"{STATES[ev.from_state][0]} → " if ev.from_state else "") + STATES[ev.to_state][0]
        table.add_row(ev.at.strftime("%Y-%m-%d %H:%M"), ev.username, step, ev.note or "")
    console.print(table)


@knowledge_app.command("submit")
def submit_cmd(
    file: Annotated[Path, typer.Argument(help="CSV- eller Excelfil med exempel i bankens "
                                              "kolumner (docs/KNOWLEDGE.md).",
                                         show_default=False)],
    who: AsOption = None,
    bank: BankOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Skicka in exempel för granskning (utkast) — allt eller inget."""
    from jamlik.io import ImportRejected
    from jamlik.knowledge import read_examples

    if not file.exists():
        raise fail(f'filen "{file}" finns inte — kontrollera sökvägen.')
    try:
        examples = read_examples(file)
    except ImportRejected as exc:
        raise fail(f"filen lästes inte in (inget sparades):\n{exc.text_sv()}") from None
    desk = _desk(database_url, bank)
    entries = _run(lambda: desk.submit_all(_user(who), examples))
    for e in entries:
        console.print(f"Nr {e.id}: {e.example.title} ({e.example.id}) – utkast.",
                      highlight=False, markup=False)


def _step(action: str) -> Callable[..., None]:
    def command(number: Annotated[int, typer.Argument(help="Det inskickade exemplets nummer.")],
                note: Annotated[str | None, typer.Option("--note", help="Kommentar i "
                                                         "historiken.")] = None,
                who: AsOption = None, database_url: DatabaseUrlOption = None) -> None:
        desk = _desk(database_url)
        fn = {"review": desk.review, "publish": desk.publish}.get(action)
        if fn is not None:
            entry = _run(lambda: fn(_user(who), number, note))
        else:
            entry = _run(lambda: desk.send_back(_user(who), number, note or ""))
        from jamlik.knowledge import STATES

        console.print(f"{entry.example.title}: nu {STATES[entry.state][0]}.", highlight=False,
                      markup=False)

    command.__doc__ = {"review": "Granska ett utkast (rollen granskare; inte ditt eget).",
                       "publish": "Publicera ett granskat exempel (rollen granskare).",
                       "send-back": "Skicka tillbaka ett granskat exempel till utkast "
                                    "(--note säger varför)."}[action]
    return command


knowledge_app.command("review")(_step("review"))
knowledge_app.command("publish")(_step("publish"))
knowledge_app.command("send-back")(_step("send-back"))


@knowledge_app.command("grant")
def grant_cmd(
    username: UserArgument,
    role: RoleArgument,
    who: EditorOption = "system",
    database_url: DatabaseUrlOption = None,
) -> None:
    """Ge en användare en roll i kunskapsbanken."""
    from jamlik.knowledge import ROLES

    _run(lambda: _desk(database_url).grant(who, username, role))
    console.print(f"{username} är nu {ROLES[role][0]} i kunskapsbanken.", highlight=False,
                  markup=False)


@knowledge_app.command("revoke")
def revoke_cmd(
    username: UserArgument,
    role: RoleArgument,
    who: EditorOption = "system",
    database_url: DatabaseUrlOption = None,
) -> None:
    """Ta bort en användares roll i kunskapsbanken (den sista redaktören kan bara system ta
    bort)."""
    from jamlik.knowledge import ROLES

    removed = _run(lambda: _desk(database_url).revoke(who, username, role))
    if removed:
        console.print(f"{username} är inte längre {ROLES[role][0]} i kunskapsbanken.",
                      highlight=False, markup=False)
    else:
        console.print(f"{username} har inte rollen {ROLES[role][0]} i kunskapsbanken. "
                      "Inget ändrades.", highlight=False, markup=False)


# -- initiatives -------------------------------------------------------------------------------
@initiative_app.command("create")
def initiative_create(
    title: Annotated[str, typer.Argument(help="Initiativets namn.")],
    purpose: Annotated[str | None, typer.Option("--purpose", help="Syftet.")] = None,
    member: Annotated[list[str] | None, typer.Option(
        "--member", help="Användare som får ändra (flera gånger).")] = None,
    who: AsOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Starta ett initiativ (fasen förberedelse, Samlingens checklistor)."""
    iid = _run(lambda: _work(database_url).create(_user(who), title, purpose, member or []))
    console.print(f"Initiativ {iid}: {title} – förberedelse.", highlight=False, markup=False)


@initiative_app.command("list")
def initiative_list(fmt: JsonOption = "table", database_url: DatabaseUrlOption = None) -> None:
    """Lista initiativen med deras fas."""
    from jamlik.knowledge import PHASES

    items = _work(database_url).all()
    if _fmt(fmt) == "json":
        _json([{"id": i, "title": t, "phase": p} for i, t, p in items])
        return
    table = Table("Nr", "Initiativ", "Fas", title="Initiativ", title_justify="left")
    for i, t, p in items:
        table.add_row(str(i), t, PHASES[p][0])
    console.print(table)


@initiative_app.command("show")
def initiative_show(number: Annotated[int, typer.Argument(help="Initiativets nummer.")],
                    fmt: JsonOption = "table", database_url: DatabaseUrlOption = None) -> None:
    """Visa fas, checklistor (med punkternas nummer) och tidslinje."""
    from jamlik.knowledge import PHASES, RECORD_KINDS

    v = _run(lambda: _work(database_url).get(number))
    if _fmt(fmt) == "json":
        _json({"id": v.id, "title": v.title, "purpose": v.purpose, "phase": v.phase,
               "partners": [{"organisation": o, "sector": s, "role": r}
                            for o, s, r in v.partners],
               "checklist": {ph: [{"item": i, "text": t, "done": d} for i, t, d in items]
                             for ph, items in v.checklist.items()},
               "timeline": [{"on": t.on.isoformat(), "kind": t.kind, "phase": t.phase,
                             "title": t.title, **t.details} for t in v.timeline]})
        return
    console.print(f"{v.title} – fas {PHASES[v.phase][0]}", highlight=False, markup=False)
    table = Table("Fas", "Punkt", "Text", "Klar", title="Checklistor", title_justify="left")
    for ph, items in v.checklist.items():
        for i, t, d in items:
            table.add_row(PHASES[ph][0], str(i), t, "ja" if d else "")
    console.print(table)
    for t in v.timeline:
        console.print(f"{t.on.isoformat()} {RECORD_KINDS[t.kind][0]}: {t.title}",
                      highlight=False, markup=False)


@initiative_app.command("partner")
def initiative_partner(
    number: Annotated[int, typer.Argument(help="Initiativets nummer.")],
    organisation: Annotated[str, typer.Argument(help="Organisationen.")],
    sector: Annotated[str, typer.Option("--sector", help="offentlig, civilsamhälle, "
                                                         "näringsliv eller akademi.")],
    role: Annotated[str | None, typer.Option("--role", help="Dess roll.")] = None,
    who: AsOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Lägg till en part med sektor och roll."""
    _run(lambda: _work(database_url).add_partner(_user(who), number, organisation, sector, role))
    console.print(f"{organisation} är part i initiativ {number}.", highlight=False, markup=False)


@initiative_app.command("tick")
def initiative_tick(
    number: Annotated[int, typer.Argument(help="Initiativets nummer.")],
    items: Annotated[list[int] | None, typer.Argument(help="Punkternas nummer (jamlik "
                                                           "knowledge initiative show).")] = None,
    phase_done: Annotated[bool, typer.Option(
        "--all", help="Bocka av alla punkter i den nuvarande fasen.")] = False,
    undo: Annotated[bool, typer.Option("--undo", help="Ångra i stället.")] = False,
    who: AsOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Bocka av punkter i checklistan."""
    work = _work(database_url)
    view = _run(lambda: work.get(number))
    chosen = list(items or [])
    if phase_done:
        chosen += [i for i, _, _ in view.checklist[view.phase]]
    if not chosen:
        raise fail("Ange punkternas nummer eller --all.")
    known = {i for points in view.checklist.values() for i, _, _ in points}
    unknown = [str(i) for i in chosen if i not in known]
    if unknown:  # checked first: nothing is ticked when one number is wrong
        raise fail(f"Punkt {', '.join(unknown)} finns inte i initiativets checklista. "
                   "Inget ändrades.")
    def tick(item: int) -> None:
        work.edit_checklist_item(_user(who), number, item, done=not undo)

    for i in chosen:
        _run(partial(tick, i))
    console.print(f"{len(chosen)} punkter {'ångrade' if undo else 'avbockade'}.",
                  highlight=False, markup=False)


@initiative_app.command("phase")
def initiative_phase(
    number: Annotated[int, typer.Argument(help="Initiativets nummer.")],
    on: Annotated[str | None, typer.Option("--on", help="Datum ÅÅÅÅ-MM-DD (standard i dag).")
                  ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Kommentar.")] = None,
    who: AsOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Gå vidare till nästa fas (när alla punkter i fasen är avbockade)."""
    from jamlik.knowledge import PHASES

    new = _run(lambda: _work(database_url).advance(_user(who), number, _day(on), note))
    console.print(f"Initiativ {number} är nu i fasen {PHASES[new][0].lower()}.",
                  highlight=False, markup=False)


@initiative_app.command("log")
def initiative_log(
    number: Annotated[int, typer.Argument(help="Initiativets nummer.")],
    title: Annotated[str, typer.Option("--title", help="Rubrik.")],
    tried: Annotated[str, typer.Option("--tried", help="Vad ni prövade.")],
    learned: Annotated[str, typer.Option("--learned", help="Vad ni lärde er.")],
    change: Annotated[str, typer.Option("--change", help="Vad ni ändrar.")],
    on: Annotated[str | None, typer.Option("--on", help="Datum ÅÅÅÅ-MM-DD.")] = None,
    who: AsOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Skriv i lärandeloggen: vad ni prövade, lärde er och ändrar."""
    _run(lambda: _work(database_url).record(_user(who), number, "learning", _day(on), title,
                                            tried=tried, learned=learned, change=change))
    console.print(f"Lärandeloggen för initiativ {number}: {title}.", highlight=False,
                  markup=False)


@initiative_app.command("record")
def initiative_record(
    number: Annotated[int, typer.Argument(help="Initiativets nummer.")],
    kind: Annotated[str, typer.Argument(help="meeting (möte), decision (beslut), agreement "
                                             "(överenskommelse) eller risk.")],
    title: Annotated[str, typer.Option("--title", help="Rubrik.")],
    on: Annotated[str | None, typer.Option("--on", help="Datum ÅÅÅÅ-MM-DD.")] = None,
    party: Annotated[list[str] | None, typer.Option(
        "--party", help="En part bakom överenskommelsen (flera gånger).")] = None,
    likelihood: Annotated[int | None, typer.Option("--likelihood", help="Risk: 1–5.")] = None,
    impact: Annotated[int | None, typer.Option("--impact", help="Risk: 1–5.")] = None,
    mitigation: Annotated[str | None, typer.Option("--mitigation", help="Risk: åtgärd.")
                          ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Anteckningar.")] = None,
    who: AsOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Anteckna ett möte, beslut, en överenskommelse eller en risk."""
    details: dict[str, Any] = {}
    if kind == "agreement":
        details["parties"] = list(party or [])
    if kind == "risk":
        details.update(likelihood=likelihood, impact=impact, mitigation=mitigation)
    if notes:
        details["notes"] = notes
    _run(lambda: _work(database_url).record(_user(who), number, kind, _day(on), title,
                                            **details))
    console.print(f"Initiativ {number}: {title} antecknat.", highlight=False, markup=False)


@initiative_app.command("report")
def initiative_report_cmd(
    number: Annotated[int, typer.Argument(help="Initiativets nummer.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Filen att skriva: .html, "
                                                                ".pdf eller .docx.")],
    database_url: DatabaseUrlOption = None,
) -> None:
    """Skriv initiativets berättelse som rapport (HTML, PDF eller DOCX)."""
    from jamlik.knowledge import initiative_report
    from jamlik.web.documents import FORMATS, render_document

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise fail(f'--output: "{output.name}" — filen ska sluta på .html, .pdf eller .docx.')
    view = _run(lambda: _work(database_url).get(number))
    body = render_document(initiative_report(view), fmt, title=view.title)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_bytes(body)
    tmp.replace(output)  # whole or not at all
    console.print(f"Berättelsen om {view.title} skriven till {output}.", highlight=False,
                  markup=False)


# -- the arena ---------------------------------------------------------------------------------
@idea_app.command("submit")
def idea_submit(
    title: Annotated[str, typer.Argument(help="Idéns rubrik.")],
    description: Annotated[str, typer.Option("--description", help="Beskrivning.")],
    by: Annotated[str, typer.Option("--by", help="Vem som lämnar idén (namn eller "
                                                 "organisation).")],
    sector: Annotated[str, typer.Option("--sector", help="offentlig, civilsamhälle, "
                                                         "näringsliv eller akademi.")
                      ] = "civilsamhälle",
    database_url: DatabaseUrlOption = None,
) -> None:
    """Lämna en idé till arenan."""
    iid = _run(lambda: _work(database_url).submit_idea(by, title, description, sector))
    console.print(f"Idé {iid}: {title} – idé.", highlight=False, markup=False)


@idea_app.command("decide")
def idea_decide(
    number: Annotated[int, typer.Argument(help="Idéns nummer.")],
    decision: Annotated[str, typer.Argument(help="go (gå vidare), repeat (testa igen) eller "
                                                 "stop (avsluta).")],
    owner: Annotated[str, typer.Option("--owner", help="Ansvarig för steget.")],
    support: Annotated[str | None, typer.Option("--support", help="Stöd som erbjuds.")] = None,
    criteria: Annotated[str | None, typer.Option("--criteria", help="Kriterier.")] = None,
    outcome: Annotated[str | None, typer.Option(
        "--outcome", help="Efter utvärderingen: implementation eller social_investment.")
                       ] = None,
    economics_case: Annotated[str | None, typer.Option(
        "--case", help="Det samhällsekonomiska underlagets id (social investering).")] = None,
    on: Annotated[str | None, typer.Option("--on", help="Datum ÅÅÅÅ-MM-DD.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Kommentar.")] = None,
    who: AsOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Besluta om idéns nuvarande steg (rollen granskare eller redaktör)."""
    from jamlik.knowledge import STAGES

    new = _run(lambda: _work(database_url).decide_step(
        _user(who), number, owner=owner, decision=decision, on=_day(on), support=support,
        criteria=criteria, note=note, outcome=outcome, economics_case=economics_case))
    console.print(f"Idé {number} är nu: {STAGES[new][0].lower()}.", highlight=False,
                  markup=False)


@idea_app.command("list")
def idea_list(fmt: JsonOption = "table", database_url: DatabaseUrlOption = None) -> None:
    """Arenans pipeline: idéerna steg för steg."""
    from jamlik.knowledge import STAGES

    pipeline = _work(database_url).pipeline()
    if _fmt(fmt) == "json":
        _json({st: [{"id": i.id, "title": i.title, "submitted_by": i.submitted_by,
                     "economics_case": i.economics_case} for i in ideas]
               for st, ideas in pipeline.items()})
        return
    table = Table("Steg", "Nr", "Idé", "Från", title="Arenan", title_justify="left")
    for st, ideas in pipeline.items():
        for i in ideas:
            table.add_row(STAGES[st][0], str(i.id), i.title, i.submitted_by)
    console.print(table)
