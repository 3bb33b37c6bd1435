"""Steering-loop commands: ``plan import``, ``followup``, ``report`` and ``user``."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jamlik.cli._app import DbOption, app, console, fail, open_store
from jamlik.format import count_sv

plan_app = typer.Typer(help="Planer för styrsnurran (mål, indikatorer, målvärden).",
                       no_args_is_help=True)
user_app = typer.Typer(help="Användare och API-nycklar för styrningsdelen.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")
app.add_typer(user_app, name="user")

DatabaseUrlOption = Annotated[
    str | None,
    typer.Option("--database-url", envvar="JAMLIK_DATABASE_URL",
                 help="Arbetsflödesdatabas (SQLAlchemy-URL). Standard: en SQLite-fil i "
                      "användarens datamapp; PostgreSQL: postgresql+psycopg://…"),
]
OrgOption = Annotated[str, typer.Option("--org", help="Kommun- eller regionkod, t.ex. 2080.")]
YearOption = Annotated[int, typer.Option("--year", help="Uppföljningsår, t.ex. 2022.")]


def _cli_actor():
    from jamlik.steering import Actor, Role

    # a local operator with file access to the database acts as administrator
    return Actor(f"cli:{getpass.getuser()}", Role.ADMIN)


def _workflow(url: str | None):
    from jamlik.steering import open_workflow
    from jamlik.steering._db import safe_url

    try:
        return open_workflow(url)
    except Exception as exc:
        shown = safe_url(url) if url else "standarddatabasen"
        raise fail(f"kunde inte öppna arbetsflödesdatabasen {shown}: {type(exc).__name__}. "
                   "Kontrollera JAMLIK_DATABASE_URL och att databasservern är igång.") from None


def _where(url: str | None) -> str:
    """The workflow database a command used, password masked: users are never surprised."""
    from jamlik.steering._db import default_database_url, safe_url

    return safe_url(url or default_database_url())


def _store(db: Path | None):
    try:
        return open_store(db, read_only=True)
    except Exception as exc:
        raise fail(f"kunde inte öppna indikatordatabasen {db or '(standard)'}: {exc}. "
                   "Skapa den med 'jamlik init --sample' eller ange --db.") from None


def _run(fn):
    """Turn steering errors into Swedish CLI messages."""
    from jamlik.steering import SteeringError

    try:
        return fn()
    except SteeringError as exc:
        raise fail(exc.message) from None
    except KeyError as exc:
        raise fail(str(exc.args[0]) if exc.args else str(exc)) from None


@plan_app.command("import")
def plan_import(
    file: Annotated[Path, typer.Argument(help="Planfil i TOML-format.")],
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Skapa eller uppdatera en organisations plan från en TOML-fil."""
    from jamlik.steering import import_plan

    wf, store = _workflow(database_url), _store(db)
    result = _run(lambda: import_plan(wf, _cli_actor(), file, store=store))
    console.print(f"Plan för {result.area} importerad: {result.goals} mål, "
                  f"{count_sv(result.indicators, 'indikator', 'indikatorer')}, "
                  f"{count_sv(result.activities, 'aktivitet', 'aktiviteter')}.")
    for w in result.warnings:
        console.print(f"[yellow]Varning:[/] {w}", highlight=False)


# Below this width the ten columns would be squeezed to a few characters each; each indicator
# is then printed as a short block of labelled lines.
WIDE_FOLLOWUP_COLUMNS = 140


def _followup_blocks(goal) -> None:  # noqa: ANN001 - a follow-up goal
    from jamlik.steering._followup import SEX_LABELS_SV, _fmt

    console.print(f"[bold]{goal.key} {goal.title}[/]", highlight=False)
    for i in goal.indicators:
        by_sex = (f" (kvinnor {_fmt(i.women_value)}, män {_fmt(i.men_value)})"
                  if i.women_value is not None or i.men_value is not None else "")
        console.print(f"  {i.indicator} {i.title} · {SEX_LABELS_SV[i.sex]} · "
                      f"{i.period_label or '–'}", highlight=False, markup=False)
        console.print(f"    Värde {_fmt(i.value)}{by_sex} · målvärde {_fmt(i.target_value)} "
                      f"till {i.target_year or '–'} · {i.status_label}",
                      highlight=False, markup=False)
        console.print(f"    Regel: {i.rule}", highlight=False, markup=False)
    console.print()


@app.command("followup")
def followup(
    org: OrgOption,
    year: YearOption,
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json eller md")] = "table",
) -> None:
    """Visa uppföljningen: varje mål och indikator med värde, målvärde, status och regel."""
    from jamlik.steering import follow_up, to_markdown

    if fmt not in ("table", "json", "md"):
        raise fail(f"okänt format {fmt!r}: välj table, json eller md.")
    wf, store = _workflow(database_url), _store(db)
    fu = _run(lambda: follow_up(wf, store, org, year))
    if fmt == "json":
        typer.echo(json.dumps(fu.to_dict(), ensure_ascii=False, indent=2))
        return
    if fmt == "md":
        typer.echo(to_markdown(fu))
        return
    console.print(f"[bold]Uppföljning {fu.period}: {fu.name} ({fu.area})[/]")
    for goal, item in fu.deviations:
        for d in item.deviations:
            console.print(f"[red]Avvikelse[/] {goal.key}: {d.label} – {d.text}", highlight=False)
    for a in fu.open_assignments:
        console.print(f"[yellow]Öppet uppdrag[/]: {a['description']} (ansvarig {a['owner']}, "
                      f"följs upp {a['follow_up_on']})", highlight=False)
    from jamlik.steering._followup import SEX_LABELS_SV, _fmt

    for goal in fu.goals:
        if console.width < WIDE_FOLLOWUP_COLUMNS:
            _followup_blocks(goal)
            continue
        table = Table(title=f"{goal.key} {goal.title}", title_justify="left")
        for col in ("Indikator", "Kön", "Värde", "Kvinnor", "Män", "Period", "Målvärde", "Målår",
                    "Status", "Regel"):
            table.add_column(col, overflow="fold")
        for i in goal.indicators:
            table.add_row(f"{i.indicator} {i.title}", SEX_LABELS_SV[i.sex], _fmt(i.value),
                          _fmt(i.women_value), _fmt(i.men_value), i.period_label or "–", _fmt(i.target_value), str(i.target_year or "–"),
                          i.status_label, i.rule)
        console.print(table)
    for n in fu.notes:
        console.print(f"[dim]{n}[/]", highlight=False)
    console.print("Källa: Kolada (RKA), CC BY 4.0.")


@app.command("report")
def report(
    org: OrgOption,
    year: YearOption,
    fmt: Annotated[str, typer.Option("--format", help="pdf, html eller docx")] = "pdf",
    out: Annotated[Path | None, typer.Option("--out", help="Utfil (standard: "
                                             "analysrapport-<org>-<år>.<format>).")] = None,
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Skapa analysrapporten inför mål- och budgetdagen (HTML, PDF eller DOCX)."""
    from jamlik.steering._report import FORMATS, build_report, render

    if fmt not in FORMATS:
        raise fail(f"okänt format {fmt!r}: välj pdf, html eller docx.")
    wf, store = _workflow(database_url), _store(db)
    data = _run(lambda: build_report(wf, store, org, year))
    try:
        payload = render(data, fmt)
    except OSError as exc:  # WeasyPrint without the pango libraries
        raise fail(f"kunde inte skapa PDF: {exc}. Installera systempaketen libpango-1.0-0 och "
                   "libpangoft2-1.0-0, eller välj --format html/docx.") from None
    target = out or Path(f"analysrapport-{data.follow_up.area}-{year}.{fmt}")
    target.write_bytes(payload)
    console.print(f"Rapporten sparades i {target} ({len(payload) // 1024} kB).")


def _password(label: str) -> str:
    """JAMLIK_PASSWORD, or asked for twice without echo (never a command-line argument)."""
    return os.environ.get("JAMLIK_PASSWORD") or typer.prompt(
        label, hide_input=True, confirmation_prompt="Upprepa lösenordet")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Användarnamn.")],
    role: Annotated[str, typer.Option("--role", help="admin, analyst, editor eller viewer")],
    display_name: Annotated[str | None, typer.Option("--display-name")] = None,
    org: Annotated[str | None, typer.Option(
        "--org", help="Rollen gäller bara denna organisation (områdeskod, t.ex. 2080); "
                      "utan --org gäller den hela regionen.")] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Lägg till en användare. Lösenordet läses från JAMLIK_PASSWORD eller frågas efter."""
    password = _password("Lösenord")
    wf = _workflow(database_url)
    try:
        user = _run(lambda: wf.create_user(_cli_actor(), name, role, password=password,
                                           display_name=display_name, organisation=org))
    except ValueError as exc:
        raise fail(str(exc)) from None
    scope = f"i organisation {org}" if org else "för hela regionen"
    console.print(f"Användaren {user.username} skapades med rollen {user.role} {scope} i "
                  f"{_where(database_url)}.", highlight=False, markup=False)
    if not database_url:
        console.print("JAMLIK_DATABASE_URL är inte satt, så det här är standarddatabasen. "
                      "Portalen läser den bara om den också startas utan JAMLIK_DATABASE_URL "
                      "(`make demo` använder demo/styrning.sqlite — se README).",
                      highlight=False, markup=False)


@user_app.command("token")
def user_token(
    name: Annotated[str, typer.Argument(help="Användarnamn.")],
    label: Annotated[str, typer.Option("--label", help="Vad nyckeln används till.")] = "api",
    database_url: DatabaseUrlOption = None,
) -> None:
    """Skapa en API-nyckel. Den visas bara nu; databasen sparar endast ett hashvärde."""
    wf = _workflow(database_url)
    token = _run(lambda: wf.create_token(_cli_actor(), name, label))
    typer.echo(token)


@user_app.command("list")
def user_list(database_url: DatabaseUrlOption = None) -> None:
    """Lista användare och roller."""
    wf = _workflow(database_url)
    table = Table("Användare", "Roller (region = hela regionen)", "Aktiv")
    for u in wf.users():
        roles = ", ".join(f"{role} ({scope})" for scope, role in wf.memberships(u.username))
        table.add_row(u.username, roles or "–", "ja" if u.active else "nej")
    console.print(table)


@user_app.command("role")
def user_role(
    name: Annotated[str, typer.Argument(help="Användarnamn.")],
    role: Annotated[str, typer.Option("--role", help="admin, analyst, editor, viewer eller "
                                      "none (ta bort rollen)")],
    org: Annotated[str | None, typer.Option(
        "--org", help="Organisationens områdeskod; utan --org: hela regionen.")] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Ge en användare en roll i en organisation eller för hela regionen."""
    wf = _workflow(database_url)
    _run(lambda: wf.set_role(_cli_actor(), name, None if role == "none" else role, org))
    console.print(f"{name}: {', '.join(f'{r} ({s})' for s, r in wf.memberships(name)) or '–'}",
                  highlight=False, markup=False)


@user_app.command("password")
def user_password(
    name: Annotated[str, typer.Argument(help="Användarnamn.")],
    database_url: DatabaseUrlOption = None,
) -> None:
    """Byt lösenord (från JAMLIK_PASSWORD eller frågas efter); användaren loggas ut överallt."""
    password = _password("Nytt lösenord")
    wf = _workflow(database_url)
    try:
        _run(lambda: wf.set_password(_cli_actor(), name, password))
    except ValueError as exc:
        raise fail(str(exc)) from None
    console.print(f"Lösenordet för {name} är bytt; alla inloggningar avslutades.")


@user_app.command("logout")
def user_logout(
    name: Annotated[str, typer.Argument(help="Användarnamn.")],
    database_url: DatabaseUrlOption = None,
) -> None:
    """Logga ut en användare från alla webbläsare (t.ex. en borttappad dator)."""
    wf = _workflow(database_url)
    count = _run(lambda: wf.revoke_sessions(_cli_actor(), name))
    console.print(f"{name}: {count} inloggning{'' if count == 1 else 'ar'} avslutades.")
