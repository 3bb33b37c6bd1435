"""Survey commands: ``jamlik survey generate|import|questions|estimate``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from jamlik.cli._app import DbOption, FormatOption, app, console, fail

survey_app = typer.Typer(help="Egna enkäter (elevhälsa, Lupp): syntetiska omgångar, import med "
                              "pseudonymisering och skattningar med röjandekontroll.",
                         no_args_is_help=True)
app.add_typer(survey_app, name="survey")


@survey_app.command("generate")
def generate_command(
    pupils: Annotated[int, typer.Option("--pupils", help="Antal elever (per omgång med --years)")],
    out: Annotated[Path, typer.Option("--out", help="Mapp att skriva omgången till")],
    seed: Annotated[int, typer.Option("--seed", help="Slumpfrö (samma frö → samma filer)")] = 0,
    years: Annotated[int, typer.Option(
        "--years", help="Antal årliga omgångar där samma elever kommer tillbaka (F → 4 → 7 → gy1); "
                        "1 = en enda omgång")] = 1,
) -> None:
    """Skriv en syntetisk omgång: responses.csv (påhittade personnummer), questionnaire.toml och
    population.csv (inskrivna elever per kommun, årskurs och kön, för vikterna). Med --years N
    skrivs N årliga omgångar i undermappar (2026 − N + 1 … 2026) med samma elever."""
    from jamlik.surveys import generate_panel, generate_wave

    try:
        if years == 1:
            wave = generate_wave(pupils, out, seed=seed)
        else:
            waves = generate_panel(pupils, out, years=years, seed=seed)
    except ValueError as exc:
        raise fail(str(exc)) from None
    if years == 1:
        console.print(f"{wave.pupils} syntetiska elever skrivna till {wave.responses} och "
                      f"enkäten till {wave.questionnaire}. Identiteterna är påhittade.",
                      highlight=False)
        return
    console.print(f"{len(waves)} årliga omgångar ({waves[0].directory.name}–"
                  f"{waves[-1].directory.name}) skrivna till {out}, "
                  f"{sum(w.pupils for w in waves)} svar; samma elever återkommer i "
                  "förskoleklass, år 4, år 7 och gymnasiet år 1. Identiteterna är påhittade.",
                  highlight=False)


@survey_app.command("import")
def import_command(
    directory: Annotated[Path, typer.Argument(help="Mapp med responses.csv och questionnaire.toml")],
    db: DbOption = None,
    key_file: Annotated[Path | None, typer.Option(
        "--key-file", help="Fil med nyckeln för pseudonymisering (annars JAMLIK_SURVEY_KEY)")] = None,
) -> None:
    """Importera en omgång: varje svar kontrolleras, identiteten pseudonymiseras, utan samtycke
    sparas ingenting om eleven."""
    from jamlik.cli._app import open_store
    from jamlik.io import ImportRejected
    from jamlik.surveys import DefinitionError, SurveyKeyError, import_wave, survey_key

    try:
        key = survey_key(key_file)
    except SurveyKeyError as exc:
        raise fail(str(exc)) from None
    from jamlik.surveys._generate import QUESTIONNAIRE_FILE

    if (directory / QUESTIONNAIRE_FILE).is_file() or not directory.is_dir():
        folders = [directory]
    else:  # a folder of yearly waves (survey generate --years)
        folders = sorted(p for p in directory.iterdir() if (p / QUESTIONNAIRE_FILE).is_file())
        if not folders:
            raise fail(f"{directory} innehåller varken {QUESTIONNAIRE_FILE} eller undermappar "
                       "med omgångar.")
    from jamlik.surveys._import import validate_wave

    folder = folders[0]
    try:  # every wave is checked before any is stored: all or nothing
        for folder in folders:
            validate_wave(folder)
    except ImportRejected as exc:
        where = f" (fel i {folder.name})" if len(folders) > 1 else ""
        raise fail(f"ingenting importerades{where}:\n{exc.text_sv()}") from None
    except DefinitionError as exc:
        raise fail(str(exc)) from None
    store = open_store(db)
    reports = []
    try:
        for folder in folders:
            reports.append(import_wave(store, folder, key))
    except (ImportRejected, DefinitionError) as exc:  # pragma: no cover - validated above
        raise fail(str(exc)) from None
    finally:
        store.close()
    for report in reports:
        console.print(
            f"Omgång {report.wave}: {report.stored} av {report.pupils} elever sparade "
            f"pseudonymiserade ({report.responses} svar); {report.without_consent} utan samtycke "
            "sparades inte" + (f" (varav {report.withdrawn} som återkallat tidigare)"
                               if report.withdrawn else "") + "." + (
                f" Befolkningsfilen: {report.enrolled} inskrivna elever (vikterna kalibreras mot "
                "dem)." if report.enrolled is not None else
                " Ingen befolkningsfil (population.csv): skattningarna blir oviktade."),
            highlight=False)


@survey_app.command("withdraw")
def withdraw_command(
    id_file: Annotated[Path, typer.Argument(
        help="Fil med ett personnummer (12 siffror) per rad — aldrig på kommandoraden")],
    db: DbOption = None,
    key_file: Annotated[Path | None, typer.Option(
        "--key-file", help="Fil med nyckeln för pseudonymisering (annars JAMLIK_SURVEY_KEY)")] = None,
) -> None:
    """Återkallat samtycke: radera elevernas svar i alla omgångar, håll dem utanför framtida
    importer och skriv en rad per elev i granskningsloggen (bara pseudonymen)."""
    from jamlik.cli._app import open_store
    from jamlik.surveys import SurveyKeyError, survey_key, withdraw_consent

    try:
        key = survey_key(key_file)
        identifiers = [line for line in id_file.read_text(encoding="utf-8").splitlines()
                       if line.strip()]
    except SurveyKeyError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"{id_file} kan inte läsas ({exc.strerror}).") from None
    store = open_store(db)
    try:
        report = withdraw_consent(store, identifiers, key)
    except ValueError as exc:
        raise fail(f"{id_file.name}: {exc}") from None
    finally:
        store.close()
    console.print(f"Samtycket återkallat för {report.pupils} elever; {report.rows_deleted} svar "
                  "raderade och loggade.", highlight=False)


@survey_app.command("audit")
def audit_command(db: DbOption = None, fmt: FormatOption = "table") -> None:
    """Granskningsloggen: importer och återkallade samtycken (bara pseudonymer)."""
    from jamlik.surveys import audit_log

    if fmt not in ("table", "json"):
        raise fail(f"--format {fmt!r} finns inte — välj table eller json.")
    store = _read_store(db)
    try:
        rows = audit_log(store)
    finally:
        store.close()
    for r in rows:
        r["logged_at"] = r["logged_at"].isoformat(timespec="seconds")  # type: ignore[attr-defined]
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        console.print(f"{r['logged_at']} {r['action']} {r['wave'] or ''} {r['rows']} rader: "
                      f"{r['detail']}", highlight=False)


UserOption = Annotated[str | None, typer.Option(
    "--user", help="Räkna som den här användaren: en kommuns analytiker ser bara sin kommun "
                   "(roller ur arbetsflödesdatabasen, JAMLIK_DATABASE_URL)")]


def _access(user: str | None):  # noqa: ANN202 - a SurveyAccess
    """The survey scope of ``--user`` from the steering loop's memberships (None: no limit —
    an operator with file access to the database)."""
    from jamlik.surveys import SurveyAccess, SurveyAccessError

    if user is None:
        return SurveyAccess.everything()
    from jamlik.cli.steering import _workflow
    from jamlik.steering import NotFound

    workflow = _workflow(None)
    try:
        memberships = workflow.memberships(user)
    except NotFound:
        raise fail(f"användaren {user!r} finns inte i arbetsflödesdatabasen.") from None
    finally:
        workflow.close()
    try:
        return SurveyAccess.from_memberships(user, memberships)
    except SurveyAccessError as exc:
        raise fail(str(exc)) from None


def _read_store(db: Path | None):  # noqa: ANN202 - a Store
    from jamlik.cli._app import open_store
    from jamlik.store import default_db_path

    if not Path(db or default_db_path()).exists():
        raise fail("databasen finns inte — kör först `jamlik survey import`.")
    return open_store(db, read_only=True)


@survey_app.command("questions")
def questions_command(
    db: DbOption = None,
    wave: Annotated[str | None, typer.Option("--wave", help="Omgång (standard: senaste)")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Lista enkätens frågor och deras härledda andelar."""
    from jamlik.surveys import DefinitionError, questionnaire

    if fmt not in ("table", "json"):
        raise fail(f"--format {fmt!r} finns inte — välj table eller json.")
    store = _read_store(db)
    try:
        definition = questionnaire(store, wave)
    except DefinitionError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    rows = [{"id": q.id, "text_sv": q.text_sv, "indicator_sv": q.indicator_sv,
             "answers": q.answers, "indicator_codes": list(q.indicator_codes)}
            for q in definition.questions]
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        console.print(f"{r['id']}: {r['text_sv']} → {r['indicator_sv']}", highlight=False)


@survey_app.command("estimate")
def estimate_command(
    question: Annotated[str, typer.Option("--question", help="Fråge-id (se `jamlik survey questions`)")],
    by: Annotated[str, typer.Option("--by", help="Indelning, kommaseparerad: "
                                                 "municipality,school,grade,sex")] = "",
    db: DbOption = None,
    wave: Annotated[str | None, typer.Option("--wave", help="Omgång (standard: senaste)")] = None,
    threshold: Annotated[int, typer.Option(
        "--threshold", help="Undertryck celler med färre svarande än detta")] = 5,
    fmt: FormatOption = "table",
    statistic: Annotated[str, typer.Option(
        "--statistic", help="share = andel (%), mean = medelvärde av svarens poäng (scores)")
    ] = "share",
    user: UserOption = None,
) -> None:
    """Viktad andel (%) eller medelvärde med designbaserade gränser och svarsfrekvens per
    indelning; små celler undertrycks."""
    from jamlik.surveys import DefinitionError, estimate, method_sv

    if fmt not in ("table", "json"):
        raise fail(f"--format {fmt!r} finns inte — välj table eller json.")
    keys = [b.strip() for b in by.split(",") if b.strip()]
    access = _access(user)
    store = _read_store(db)
    try:
        rows = estimate(store, question, keys, wave=wave, threshold=threshold,
                        statistic=statistic, access=access)
        method = method_sv(store, wave, statistic)
    except (DefinitionError, ValueError) as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if fmt == "json":
        typer.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    from jamlik.format import fmt_num

    for r in rows:
        label = ", ".join(r.keys.values()) or "alla"
        if r.suppressed:
            console.print(f"{label}: undertryckt (färre än {threshold} svarande)", highlight=False)
        else:
            rate = ("" if r.response_rate is None
                    else f", svarsfrekvens {fmt_num(100 * r.response_rate, decimals=0)} %")
            unit = "" if statistic == "mean" else " %"
            console.print(f"{label}: {fmt_num(r.value, decimals=1)}{unit} ({fmt_num(r.lower, decimals=1)}–"
                          f"{fmt_num(r.upper, decimals=1)}), n = {r.n}{rate}", highlight=False)
    console.print(method, highlight=False)


@survey_app.command("cohort")
def cohort_command(
    question: Annotated[str, typer.Option("--question", help="Fråge-id (se `jamlik survey questions`)")],
    from_grade: Annotated[str, typer.Option("--from", help="Tidigare årskurs: F, 4, 7")] = "4",
    to_grade: Annotated[str, typer.Option("--to", help="Senare årskurs: 4, 7, gy1")] = "7",
    db: DbOption = None,
    threshold: Annotated[int, typer.Option(
        "--threshold", help="Undertryck antal under detta (och det som skulle avslöja dem)")] = 5,
    fmt: FormatOption = "table",
    user: UserOption = None,
) -> None:
    """Följ samma elever från en årskurs till en senare: hur det gick för dem som svarade bra
    respektive dåligt, och hur många som inte kunde följas (bortfall)."""
    from jamlik.surveys import DefinitionError, cohort_transitions
    from jamlik.surveys._definition import GRADES

    if fmt not in ("table", "json"):
        raise fail(f"--format {fmt!r} finns inte — välj table eller json.")
    access = _access(user)
    store = _read_store(db)
    try:
        rows = cohort_transitions(store, question, from_grade, to_grade, threshold=threshold,
                                  access=access)
    except (DefinitionError, ValueError) as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if fmt == "json":
        typer.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    from jamlik.format import fmt_num

    words = {"good": "svarade bra", "poor": "svarade dåligt", "all": "alla"}

    def n(v: int | None) -> str:
        return "–" if v is None else str(v)

    for r in rows:
        c = r.counts
        share = ("" if r.share_poor_after is None else
                 f"; {fmt_num(r.share_poor_after, decimals=1)} % svarade dåligt i "
                 f"{GRADES[to_grade]} ({fmt_num(r.lower, decimals=1)}–{fmt_num(r.upper, decimals=1)})"
                 " bland dem som kunde följas")
        console.print(f"{r.from_wave} → {r.to_wave}, {words[r.before]} i {GRADES[from_grade]}: "
                      f"{n(c['total'])} elever — sedan bra {n(c['after_good'])}, dåligt "
                      f"{n(c['after_poor'])}, kunde inte följas {n(c['not_followed'])}{share}.",
                      highlight=False)
    console.print("Antal elever, oviktade; '–' = undertryckt (färre än "
                  f"{threshold}, eller skulle avslöja en sådan cell). Bortfallet visas alltid: "
                  "de som flyttat, inte deltog, saknar samtycke eller inte svarade.",
                  highlight=False)


@survey_app.command("publish")
def publish_command(
    db: DbOption = None,
    threshold: Annotated[int, typer.Option(
        "--threshold", help="Celler med färre svarande sparas som undertryckta")] = 5,
) -> None:
    """Spara omgångarnas resultat som vanliga indikatorer (en per fråga och årskurs, efter kön,
    per kommun och för länet när alla dess kommuner deltog), så att profiler, skillnader,
    trender och portalen använder dem som vilken Kolada-indikator som helst."""
    from jamlik.cli._app import open_store
    from jamlik.surveys import DefinitionError, publish_indicators

    store = open_store(db)
    try:
        report = publish_indicators(store, threshold=threshold)
    except (DefinitionError, ValueError) as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    county = f" och länet ({report.county})" if report.county else ""
    console.print(f"{report.indicators} enkätindikatorer sparade för omgångarna "
                  f"{', '.join(report.waves)}: {report.values} värden per kommun{county}, "
                  f"{report.suppressed} undertryckta (färre än {threshold} svarande)."
                  + (f" Obs: {report.note}" if report.note else ""), highlight=False)


@survey_app.command("prune")
def prune_command(
    before: Annotated[int, typer.Option("--before", help="Gallra omgångar från före detta år")],
    db: DbOption = None,
) -> None:
    """Gallra: radera alla svar i omgångar från före ett år (t.ex. enligt kommunens
    dokumenthanteringsplan), med en rad per omgång i granskningsloggen. Publicerade andelar
    ligger kvar (de innehåller inga personuppgifter)."""
    from jamlik.cli._app import open_store
    from jamlik.surveys._import import prune_waves

    store = open_store(db)
    try:
        report = prune_waves(store, before)
    finally:
        store.close()
    if not report.waves:
        console.print(f"Inga omgångar från före {before}; ingenting gallrades.", highlight=False)
        return
    console.print(f"Gallrade omgångarna {', '.join(report.waves)}: {report.rows_deleted} svar "
                  "raderade; granskningsloggen visar det.", highlight=False)
