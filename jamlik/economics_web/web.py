"""Pages of social investments under ``/ekonomi``.

- ``/ekonomi/`` start: the blank case, every shipped case, the signed-in user's saved cases
  and funds;
- ``/ekonomi/fall?start=tomt|exempel:KEY|fall:ID[:vN]&kommun=…`` the case editor from any
  case, with results per payer at 2, 10 and 15 years and their uncertainty (cumulative NPV,
  tornado, NPV distribution); ``/ekonomi/fall/rapport`` (+ ``.pdf``/``.docx``) the report;
- ``POST /ekonomi/fall/spara`` saves the computed case (new case or next version),
  ``/ekonomi/fall/{id}?version=N`` opens a saved version, ``POST …/kopiera`` copies it into any
  organisation the user may edit, ``/ekonomi/fall/{id}/rapport.{html,pdf,docx}``;
- ``/ekonomi/fonder`` the organisation's funds (create, import the fund file),
  ``/ekonomi/fond/{id}?ar=YYYY`` a stored fund followed up, with forms for applications,
  decisions, expected/actual flows and repayments; ``/ekonomi/fond`` the fund file read-only.

Computing stays read-only (GET, no sign-in). Saving and the funds need a signed-in steering
user with a role in the organisation (``Identity.can(action, area)`` from the composition
root: read, edit, decide); every form carries a CSRF token equal to the ``jamlik_econ_csrf``
cookie (double submit, SameSite=Strict). Every field a user changes is marked "eget värde".
"Skicka till handlingsplanen" links to the steering plan page with the activity filled in.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, select_autoescape

from jamlik import catalog
from jamlik.economics import (
    ALL_PAYERS,
    BLANK_KEY,
    CONVENTION_EN,
    CONVENTION_SV,
    MEASURE_EN,
    MEASURE_SV,
    PAYER_WORDS,
    PAYERS,
    TARGET_GROUPS,
    TARGET_GROUPS_EN,
    CaseError,
    FundError,
    Investments,
    NotFound,
    case_from_dict,
    cumulative_npv,
    follow_up_fund,
    load_fund,
    monte_carlo_npv,
    run_case,
    shipped_cases,
    starting_point,
    target_group_from_store,
    with_target_group,
)
from jamlik.economics.library import apply_unit_costs
from jamlik.economics_web import _charts
from jamlik.economics_web._editor import apply_form, sections, share_text, store_link
from jamlik.format import fmt_num
from jamlik.language import is_default, other_language
from jamlik.store import Store
from jamlik.web import language, template_loader, translator
from jamlik.web.documents import MEDIA_TYPES, attachment_headers, render_document

PREFIX = "/ekonomi"
router = APIRouter(prefix=PREFIX, include_in_schema=False)
CSRF_COOKIE = "jamlik_econ_csrf"
MAX_ID = 2**31 - 1
DRAWS = 10_000
SEED = 2024

WORDS: dict[str, tuple[str, str]] = {
    "economics": ("Sociala investeringar", "Social investments"),
    "case_editor": ("Bygg ett fall", "Build a case"),
    "intro": ("Vad kostar en tidig insats, vad ger den tillbaka, för vem och när – med "
              "osäkerheten. Beräkningen bygger på kommunens egna värden i databasen och på "
              "antaganden som du kan ändra.",
              "What an early intervention costs and returns, for whom and when — with its "
              "uncertainty, from the municipality's own store values and assumptions you "
              "can change."),
    "municipality": ("Kommun", "Municipality"),
    "share": ("Andel av åldersgruppen i målgruppen", "Share of the age group in the target group"),
    "uptake": ("Andel som deltar", "Uptake"),
    "risk": ("Risk för utfallet utan insats", "Risk of the outcome without the intervention"),
    "effect": ("Effekt (standardiserad medelskillnad d)", "Effect (standardised mean difference d)"),
    "se": ("Effektens standardfel", "Standard error of the effect"),
    "cost": ("Kostnad per deltagare (kommunen, kr)", "Cost per participant (municipality, SEK)"),
    "setup": ("Uppstartskostnad (kommunen, kr)", "Set-up cost (municipality, SEK)"),
    "out_kommun": ("Kommunens kostnad per person och år med utfallet (kr)",
                   "Municipality's yearly cost per person with the outcome (SEK)"),
    "out_region": ("Regionens kostnad per person och år med utfallet (kr)",
                   "Region's yearly cost per person with the outcome (SEK)"),
    "rate": ("Diskonteringsränta (real, andel)", "Discount rate (real, share)"),
    "compute": ("Räkna", "Compute"),
    "results": ("Resultat per betalare", "Results per payer"),
    "payer": ("Betalare", "Payer"),
    "years": ("År", "Years"),
    "pv_costs": ("Nuvärde kostnader", "PV costs"),
    "pv_savings": ("Nuvärde besparingar", "PV savings"),
    "npv": ("Nettonuvärde", "NPV"),
    "interval": ("95 % intervall", "95 % interval"),
    "p_positive": ("Sannolikhet > 0", "Probability > 0"),
    "per_krona": ("Per satsad krona", "Per krona invested"),
    "break_even": ("Går jämnt ut år", "Breaks even in year"),
    "never": ("aldrig", "never"),
    "none": ("finns inte", "none"),
    "cumulative": ("Nettonuvärde över tid per betalare", "Cumulative NPV by payer"),
    "tornado": ("Vad betyder mest? (samhället, längsta horisonten)",
                "What matters most? (society, longest horizon)"),
    "distribution": ("Fördelningen av samhällets nettonuvärde", "Distribution of society's NPV"),
    "cumulative_desc": (
        "En linje per betalare: summan av diskonterade nettoflöden år för år. Betalarna skiljs "
        "åt med färg och streckning, och namnet står vid linjens slut; nollan är en grå linje.",
        "One line per payer: the sum of discounted net flows year by year. Payers differ by "
        "colour and dash, and the name stands at the end of the line; zero is a grey line."),
    "tornado_desc": (
        "En stapel per parameter, från nettonuvärdet vid parameterns låga till dess höga värde; "
        "den lodräta linjen är nettonuvärdet vid basvärdena.",
        "One bar per parameter, from the NPV at the parameter's low to its high value; the "
        "vertical line is the NPV at the base values."),
    "distribution_desc": (
        "Staplar: hur många simuleringar som gav varje nettonuvärde; mörkblå staplar är noll "
        "eller mer, ljusblå under noll.",
        "Bars: how many simulations gave each NPV; dark blue bars are zero or more, light blue "
        "below zero."),
    "assumptions": ("Antaganden och källor", "Assumptions and sources"),
    "own_value": ("eget värde", "own value"),
    "report": ("Rapport för kommunstyrelsen", "Report for the executive board"),
    "send_to_plan": ("Skicka till handlingsplanen", "Send to the action plan"),
    "fund": ("Social investeringsfond", "Social investment fund"),
    "balance": ("Fondens saldo", "The fund's balance"),
    "planned": ("enligt plan", "planned"),
    "actual": ("utfall", "actual"),
    "illustrative": ("OBS: illustrativt exempel – siffrorna saknar svensk källa där inget "
                     "annat anges.", "Note: an illustrative example — the numbers have no "
                     "Swedish source unless stated."),
    "threshold": ("Tröskel", "Threshold"),
    "thresholds": ("Trösklar", "Thresholds"),
    "irr": ("Internränta", "Internal rate of return"),
    "error": ("Fallet går inte att räkna", "The case cannot be computed"),
    "expected": ("förväntat", "expected"),
    "repaid": ("återfört", "repaid"),
    "funds": ("Fonder", "Funds"),
    "start_from": ("Börja från", "Start from"),
    "saved_cases": ("Sparade fall", "Saved cases"),
    "save": ("Spara", "Save"),
    "save_new": ("Spara som nytt fall", "Save as a new case"),
    "save_version": ("Spara som ny version", "Save as a new version"),
    "note": ("Anteckning", "Note"),
    "versions": ("Versioner", "Versions"),
    "version": ("Version", "Version"),
    "copy": ("Kopiera", "Copy"),
    "copy_to": ("Kopiera fallet till", "Copy the case to"),
    "title": ("Rubrik", "Title"),
    "target_group_from": ("Målgruppen från databasen", "Target group from the store"),
    "own_size": ("eget antal (fältet nedan)", "own number (the field below)"),
    "low": ("lägst", "lowest"),
    "high": ("högst", "highest"),
    "fill_in": ("Fyll i fälten och tryck Räkna.", "Fill in the fields and press Compute."),
    "sign_in_to_save": ("Logga in för att spara fallet i organisationens arbetsdatabas.",
                        "Sign in to save the case in the organisation's workflow database."),
    "log_in": ("Logga in", "Sign in"),
    "new_fund": ("Ny fond", "New fund"),
    "import_example": ("Importera exempelfonden (TOML-filen)",
                       "Import the example fund (the TOML file)"),
    "name": ("Namn", "Name"),
    "capital": ("Kapital (kr)", "Capital (SEK)"),
    "start_year": ("Startår", "Start year"),
    "create": ("Skapa", "Create"),
    "application": ("Ansökan", "Application"),
    "new_application": ("Ny ansökan", "New application"),
    "decision": ("Beslut", "Decision"),
    "record_flow": ("Registrera kostnad och besparing", "Record cost and saving"),
    "repayment": ("Återföring", "Repayment"),
    "copied_from": ("Kopia av", "Copy of"),
    "saved_by": ("sparad av", "saved by"),
    "organisation": ("Organisation", "Organisation"),
    "participants": ("deltagare", "participants"),
    "draws": ("Monte Carlo-dragningar, frö", "Monte Carlo draws, seed"),
    "blank_case": ("Tomt fall", "Blank case"),
    "illustrative_example": ("illustrativt exempel", "illustrative example"),
    "example_file": ("exempelfil", "example file"),
    "applications": ("ansökningar", "applications"),
    "year": ("År", "Year"),
    "chart_year": ("år", "year"),
    "chart_base": ("bas", "base"),
    # the fund's follow-up
    "follow_up_to": ("Uppföljning till och med", "Follow-up up to and including"),
    "show": ("Visa", "Show"),
    "approved": ("beviljad", "approved"),
    "rejected": ("avslagen", "rejected"),
    "no_decision": ("inget beslut ännu", "no decision yet"),
    "case_ref": ("fall", "case"),
    "evaluation": ("Utvärdering", "Evaluation"),
    "cost_word": ("Kostnad", "Cost"),
    "saving_word": ("Besparing", "Saving"),
    "not_followed_up": ("inte följt upp", "not followed up"),
    "at_start": ("vid start", "at the start"),
    "sek": ("kr", "SEK"),
    "date": ("Datum", "Date"),
    "decided_by": ("Beslutat av", "Decided by"),
    "granted": ("Beviljat (kr)", "Granted (SEK)"),
    "kind": ("Slag", "Kind"),
    "cost_sek": ("Kostnad (kr)", "Cost (SEK)"),
    "saving_sek": ("Besparing (kr)", "Saving (SEK)"),
    "committee": ("Nämnd", "Committee"),
    "repay_planned": ("Enligt plan (kr)", "Planned (SEK)"),
    "repay_made": ("Återfört (kr, tomt = inte ännu)", "Repaid (SEK, empty = not yet)"),
    "app_key": ("Id (kort)", "Id (short)"),
    "committees": ("Nämnder (komma emellan)", "Committees (separated by commas)"),
    "target_group": ("Målgrupp", "Target group"),
    "evaluation_plan": ("Utvärderingsplan", "Evaluation plan"),
    "case_field": ("Fall (t.ex. fall:3)", "Case (e.g. fall:3)"),
    "indicators_field": ("Indikatorer (komma emellan)", "Indicators (separated by commas)"),
    "expected_n": ("Förväntat", "Expected"),
    # the assumptions table
    "a_size": ("Målgruppens storlek", "Size of the target group"),
    "a_uptake": ("Andel som deltar", "Uptake"),
    "a_risk": ("Risk utan insats", "Risk without the intervention"),
    "a_effect": ("Effekt", "Effect"),
    "a_course": ("Effektens start, varaktighet, avtagande", "Onset, duration and fade-out"),
    "a_course_value": ("år {onset}, {duration} år, {decay} % per år",
                       "year {onset}, {duration} years, {decay} % a year"),
    "a_rate": ("Diskonteringsränta", "Discount rate"),
    "a_cost": ("Programkostnad", "Programme cost"),
    "a_outcome": ("Kostnad för utfallet", "Cost of the outcome"),
    "a_years": ("år", "years"),
    "setup_kind": ("uppstart", "set-up"),
    "running_kind": ("drift", "running"),
    "per_participant": ("per deltagare", "per participant"),
    "per_total": ("totalt", "in total"),
}

_env = Environment(loader=template_loader(PackageLoader("jamlik.economics_web", "templates")),
                   autoescape=select_autoescape(["html"]))
_state: dict[str, Any] = {}

@dataclass(frozen=True)
class Identity:
    """Who is asking, as the composition root tells it: a user name (None: anonymous) and
    ``can(action, area)`` for the actions "read" (see an organisation's saved cases and
    funds), "edit" (save cases, applications, outcomes and repayments) and "decide" (fund
    decisions) — the steering loop's roles per organisation."""

    username: str | None
    can: Callable[[str, str], bool] = field(default=lambda action, area: False)


def configure(app: FastAPI, *, store: Store, store_lock: threading.RLock,
              plan_link: Callable[[str, dict[str, str]], str] | None = None,
              fund: str | os.PathLike[str] | None = None,
              investments: Callable[[], Investments] | None = None,
              identify: Callable[[Request], Identity] | None = None) -> None:
    """store (and its lock): for target groups and outcome indicators; plan_link(area,
    activity fields) -> the URL of the steering plan page with the activity filled in;
    fund: the fund file shown under /ekonomi/fond (default JAMLIK_FUND, else the example);
    investments: saved cases and funds on the workflow database (asked on first use);
    identify: who is signed in and what they may do where."""
    _state.clear()
    _state.update(store=store, lock=store_lock, plan_link=plan_link,
                  fund=fund or os.environ.get("JAMLIK_FUND") or
                  str(resources.files("jamlik.economics") / "examples" / "fond_falun.toml"),
                  investments=investments, identify=identify or (lambda r: Identity(None)))


def _names() -> dict[str, str]:
    df = catalog.municipalities()
    return dict(zip(df["code"], df["name"], strict=True))


def _kr(x: float | None, lang: str = "sv") -> str:
    return "–" if x is None else fmt_num(round(x / 1000) * 1000, lang, 0)


def _num(x: float | None, lang: str = "sv") -> str:
    """A count or value without padded zeros ("3 703", "12,5")."""
    return "–" if x is None else fmt_num(x, lang, 0 if float(x).is_integer() else 1)


def _pct(x: float | None, lang: str = "sv") -> str:
    return "–" if x is None else f"{fmt_num(x * 100, lang, 0)} %"


def _dec(x: float | None, lang: str = "sv", decimals: int = 2) -> str:
    """A ratio or an effect size: at most two decimals, no padded zeros ("1,5", "−0,3")."""
    return fmt_num(x, lang, decimals)


def _render(request: Request, name: str, lang: str, **ctx: Any) -> HTMLResponse:  # noqa: ANN401
    t = translator(lang, WORDS)
    other = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if not is_default(other_language(lang)):
        other.append(("lang", other_language(lang)))
    switch = request.url.path + ("?" + urlencode(other) if other else "")
    status = ctx.pop("status_code", 200)
    html = _env.get_template(name).render(t=t, lang=lang, switch_language=switch, kr=_kr,
                                          pct=_pct, num=_num, dec=_dec, names=_names(),
                                          payer_names=PAYER_WORDS, **ctx)
    return HTMLResponse(html, status_code=status)


def _results(case: Any, lang: str) -> dict[str, Any]:  # noqa: ANN401
    result = run_case(case, draws=DRAWS, seed=SEED)
    h = case.max_horizon
    sample = monte_carlo_npv(case, draws=DRAWS, seed=SEED, horizons=(h,))
    society = sample[:, ALL_PAYERS.index("samhället"), 0]
    curves = cumulative_npv(case)
    t = translator(lang, WORDS)
    tornado_rows = [(t.pick(r.name_sv, r.name_en), r.npv_low, r.npv_high)
                    for r in result.tornado]
    base_npv = result.base[(result.tornado_payer, result.tornado_horizon)].npv
    return {
        "result": result, "payers": ALL_PAYERS, "horizons": case.horizons,
        "cumulative_svg": _charts.cumulative_npv_svg(
            curves, t("cumulative"), desc=t("cumulative_desc"), year_word=t("chart_year"),
            names={p: t.word(pair) for p, pair in PAYER_WORDS.items()}, lang=lang),
        "tornado_svg": _charts.tornado_svg(tornado_rows[:8], base_npv, t("tornado"),
                                           desc=t("tornado_desc"), base_word=t("chart_base"),
                                           lang=lang),
        "hist_svg": _charts.histogram_svg(society, t("distribution"),
                                          desc=t("distribution_desc"), lang=lang),
        "measure_sv": MEASURE_SV[case.effect.measure], "tornado_rows": tornado_rows,
    }


def _mine(p: Any) -> bool:  # noqa: ANN401
    return (getattr(p, "source", None) or "").startswith("eget")


def _assumptions(case: Any, own: set[str], lang: str = "sv"  # noqa: ANN401
                 ) -> list[tuple[str, str, str, bool]]:
    """(what, value, source, own value?) for every number in the case, in ``lang``."""
    t = translator(lang, WORDS)
    measure = t.pick(MEASURE_SV[case.effect.measure], MEASURE_EN[case.effect.measure])
    course = t("a_course_value").format(onset=case.onset, duration=case.duration,
                                        decay=fmt_num(case.decay.value * 100, lang, 0))
    rows = [(t("a_size"), fmt_num(case.target_group.value, lang, 0),
             case.target_group.source or "",
             bool({"andel", "target_group.size"} & own)),
            (t("a_uptake"), fmt_num(case.uptake.value, lang, 2), case.uptake.source or "",
             _mine(case.uptake)),
            (t("a_risk"), fmt_num(case.baseline_risk.value, lang, 2),
             case.baseline_risk.source or "", _mine(case.baseline_risk)),
            (f"{t('a_effect')} ({measure})",
             f"{fmt_num(case.effect.estimate, lang, 2)} (SE {fmt_num(case.effect.se, lang, 2)})",
             case.effect.source or "", _mine(case.effect)),
            (t("a_course"), course, case.decay.source or "", False),
            (t("a_rate"), f"{fmt_num(case.rate.value * 100, lang, 1)} %",
             case.rate.source or "", _mine(case.rate))]
    for c in case.costs:
        payer = t.word(PAYER_WORDS.get(c.payer, (c.payer, c.payer)))
        kind = t(f"{c.kind}_kind")
        per = t(f"per_{c.per}")
        rows.append((f"{t('a_cost')}: {c.label} ({payer}, {kind}, {per})",
                     fmt_num(c.amount.value, lang, 0), c.amount.source or "",
                     _mine(c.amount)))
    for o in case.outcomes:
        payer = t.word(PAYER_WORDS.get(o.payer, (o.payer, o.payer)))
        rows.append((f"{t('a_outcome')}: {o.label} ({payer}, {t('a_years')} {o.from_year}–"
                     f"{o.to_year or ''})", fmt_num(o.amount.value, lang, 0),
                     o.amount.source or "", _mine(o.amount)))
    return rows



# -- who may do what, CSRF ------------------------------------------------------------------------
class PageError(Exception):
    """A Swedish message and the status it is shown with; nothing was written."""

    def __init__(self, message: str, status_code: int = 400, *, login: bool = False):
        super().__init__(message)
        self.message, self.status_code, self.login = message, status_code, login


def _who(request: Request) -> Identity:
    return _state["identify"](request)


def _investments() -> Investments:
    make = _state.get("investments")
    if make is None:
        raise PageError("Arbetsdatabasen är inte ansluten — fall och fonder kan inte sparas "
                        "här.", 503)
    return make()


def _need(request: Request, action: str, area: str) -> str:
    me = _who(request)
    if me.username is None:
        raise PageError("Logga in (styrningens inloggning) för att spara och öppna "
                        "organisationens fall och fonder.", 401, login=True)
    if not me.can(action, area):
        what = {"read": "läsa", "edit": "ändra", "decide": "fatta beslut i"}[action]
        raise PageError(f"Du har ingen roll som får {what} fall och fonder för {area}. Be en "
                        "administratör i styrningen om en roll i organisationen.", 403)
    return me.username


def _readable(request: Request, areas: list[str]) -> list[str]:
    me = _who(request)
    return [a for a in areas if me.username is not None and me.can("read", a)]


def _csrf(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    data = {k: str(v) for k, v in form.items()}
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    if not cookie or not hmac.compare_digest(cookie.encode(),
                                             data.get("csrf_token", "").encode()):
        raise PageError("Formuläret kunde inte verifieras (CSRF-skydd). Ladda om sidan och "
                        "försök igen. Inget sparades.", 403)
    return data


def _page(request: Request, name: str, lang: str, **ctx: Any) -> HTMLResponse:  # noqa: ANN401
    token = _csrf(request)
    me = _who(request)
    resp = _render(request, name, lang, csrf=token, me=me, **ctx)
    if request.cookies.get(CSRF_COOKIE) != token:
        resp.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path=PREFIX)
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _message(request: Request, exc: PageError) -> HTMLResponse:
    lng = language(request.query_params.get("lang"))
    return _page(request, "message.html", lng, title=translator(lng, WORDS)("error"),
                 message=exc.message, login=exc.login, status_code=exc.status_code)


class _Route(APIRoute):
    """Page, case, fund and not-found errors become a Swedish page with their status."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except PageError as exc:
                return _message(request, exc)
            except (CaseError, FundError) as exc:
                return _message(request, PageError(str(exc), 400))
            except NotFound as exc:
                return _message(request, PageError(str(exc), 404))

        return route


router.route_class = _Route


def _int_param(raw: str | None, what: str) -> int | None:
    if raw is None or not raw.strip():
        return None
    try:
        value = int(raw)
    except ValueError:
        raise PageError(f"{what}: {raw[:20]!r} är inget heltal.", 400) from None
    if not 0 < value <= MAX_ID:
        raise PageError(f"{what}: {value} finns inte.", 404)
    return value


# -- the editor ------------------------------------------------------------------------------
_META = {"start", "kommun", "grupp", "andel", "lang", "version"}


def _start(request: Request, start: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The data a page starts from and, for a saved case, its id, version and area."""
    if start.startswith("fall:"):
        ident, _, ver = start.removeprefix("fall:").partition(":v")
        case_id = _int_param(ident, "fallet")
        version = _int_param(ver, "versionen") if ver else None
        assert case_id is not None
        data, info = _investments().case_data(case_id, version)
        _need(request, "read", info.area)
        return data, {"id": info.id, "version": version or info.version, "area": info.area,
                      "info": info}
    return starting_point(start), None


def _editor(request: Request, start: str, *, saved: dict[str, Any] | None = None,
            base: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything the editor and the report show: the form, the computed case or errors."""
    q = request.query_params
    if base is None:
        base, saved = _start(request, start)
    area = q.get("kommun") or (saved["area"] if saved and saved["area"] != "region"
                               else "2080")
    params = {k: v for k, v in q.items() if k not in _META}
    data, own, errors = apply_form(base, params)
    link = store_link(base)
    grupp = q.get("grupp", link[0] if link else "")
    andel_raw = q.get("andel", "").strip()
    andel = link[1] if link else 1.0
    if andel_raw:
        try:
            andel = float(andel_raw.replace(",", "."))
        except ValueError:
            errors.append(f'Andelen av åldersgruppen: "{andel_raw}" är inget tal.')
        else:
            if not 0 < andel <= 1:
                errors.append("Andelen av åldersgruppen ska ligga mellan 0 och 1.")
            elif not link or andel != link[1]:
                own.add("andel")
    submitted = bool(params) or bool(andel_raw)
    ctx: dict[str, Any] = {
        "area": area, "start": start, "saved": saved, "own": own, "errors": errors,
        "grupp": grupp, "andel": share_text(andel), "target_groups": TARGET_GROUPS,
        "target_groups_en": TARGET_GROUPS_EN,
        "starts": _starts(language(q.get("lang"))), "query": urlencode([(k, v) for k, v in q.multi_items()
                                                if k != "lang"]),
        # the same case from anywhere: its start (the saved version) and the form's values
        "save_query": urlencode([("start", f"fall:{saved['id']}:v{saved['version']}"
                                  if saved else start)] + [
            (k, v) for k, v in q.multi_items() if k not in ("lang", "start", "version")])}
    if area not in _names():
        errors.append(f'"{area}" är ingen känd kommunkod.')
    if grupp and grupp not in TARGET_GROUPS:
        errors.append(f'"{grupp}" är ingen befolkningsserie för en målgrupp.')
    case = None
    if not errors:
        try:
            apply_unit_costs(data, area)
            for section in ("cost", "outcome"):  # a library amount is not the user's own
                for i, row in enumerate(data.get(section) or []):
                    if row.get("library"):
                        own.discard(f"{section}.{i}.amount")
            if grupp:
                tg = data.setdefault("target_group", {})
                tg["from_store"] = {"indicator": grupp, "share": andel}
                tg.setdefault("size", 1)  # replaced by the store's value below
            case = case_from_dict(data, where="fallet")
            if grupp:
                with _state["lock"]:
                    group = target_group_from_store(_state["store"], area, grupp)
                case = with_target_group(case, group, andel)
                data["target_group"]["size"] = {"value": case.target_group.value,
                                                "source": case.target_group.source}
        except (CaseError, ValueError) as exc:
            errors.append(str(exc))
            case = None
    ctx["sections"] = sections(data if not errors else {**base, **data}, own)
    ctx["data"] = data
    if case is None:
        # a blank case opened without input asks to be filled in rather than failing
        ctx["hint"] = not submitted and start == BLANK_KEY
        if ctx["hint"]:
            errors.clear()
        return ctx
    lang = language(q.get("lang"))
    t = translator(lang, WORDS)
    ctx.update(case=case, assumptions=_assumptions(case, own, lang),
               convention=t.pick(CONVENTION_SV, CONVENTION_EN))
    ctx.update(_results(case, lang))
    link_fn = _state.get("plan_link")
    if link_fn:
        soc = ctx["result"].base[("samhället", case.max_horizon)]
        kom = ctx["result"].base[("kommun", case.max_horizon)]
        where = (f"{PREFIX}/fall/{saved['id']}?version={saved['version']}" if saved and
                 not params else f"{PREFIX}/fall?{ctx['save_query']}")
        ctx["plan_url"] = link_fn(area, {
            "what": case.title,
            "how": (f"Social investering: {case.target_group.value:.0f} i målgruppen; "
                    f"samhällets nettonuvärde {_kr(soc.npv)} kr och kommunens {_kr(kom.npv)} kr "
                    f"efter {case.max_horizon} år ({where})."),
            "budget": f"{_kommun_budget(case, ctx['result'].participants):.0f}",
        })
    return ctx


def _kommun_budget(case: Any, participants: float) -> float:  # noqa: ANN401
    return sum(c.amount.value * (participants if c.per == "participant" else 1) * len(c.years)
               for c in case.costs if c.payer == "kommun")


def _starts(lang: str = "sv") -> list[tuple[str, str]]:
    """(start key, title) of the blank case and every shipped case (titles are the cases'
    own, in Swedish)."""
    t = translator(lang, WORDS)
    return [(BLANK_KEY, t("blank_case"))] + [
        (f"exempel:{key}", str(data["case"]["title"]) + (f" ({t('illustrative_example')})"
                                                         if data["case"].get("illustrative")
                                                         else ""))
        for key, data in shipped_cases().items()]


DEFAULT_START = "exempel:foraldrastod"


@router.get("/", response_class=HTMLResponse)
def start(request: Request, lang: str | None = None) -> HTMLResponse:
    lng = language(lang)
    me = _who(request)
    cases, funds = [], []
    if me.username is not None and _state.get("investments") is not None:
        inv = _investments()
        cases = [c for c in inv.cases() if me.can("read", c.area)]
        funds = [f for f in inv.funds() if me.can("read", f.area)]
    return _page(request, "start.html", lng, title=translator(lng, WORDS)("economics"),
                 starts=_starts(lng), cases=cases, funds=funds)


@router.get("/fall", response_class=HTMLResponse)
def case_page(request: Request, lang: str | None = None,
              start: str = DEFAULT_START) -> HTMLResponse:
    lng = language(lang)
    ctx = _editor(request, start[:80])
    status = 400 if ctx["errors"] else 200
    can_save = _who(request).can("edit", ctx["area"]) and "case" in ctx
    return _page(request, "case.html", lng, title=translator(lng, WORDS)("case_editor"),
                 status_code=status, can_save=can_save, payers_in=PAYERS, **ctx)


@router.get("/fall/rapport", response_class=HTMLResponse)
def report_page(request: Request, start: str = DEFAULT_START) -> HTMLResponse:
    ctx = _editor(request, start[:80])
    status = 400 if ctx["errors"] or "case" not in ctx else 200
    return _page(request, "report.html", "sv", title=translator("sv", WORDS)("report"),
                 status_code=status, **_report_links(request, f"{PREFIX}/fall/rapport"),
                 **ctx)


def _report_links(request: Request, base: str) -> dict[str, str]:
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"])
    return {"report_base": base, "report_query": "?" + query if query else ""}


def report_document(ctx: dict[str, Any], fmt: str) -> Response:
    """The report (a context with a computed case) as a PDF or DOCX download, through the
    shared HTML → PDF/DOCX plumbing in ``jamlik.web.documents``."""
    if fmt not in ("pdf", "docx"):
        raise PageError(f"Rapporten finns som html, pdf eller docx, inte {fmt[:10]!r}.", 404)
    t = translator("sv", WORDS)
    html = _env.get_template("report_document.html").render(
        t=t, lang="sv", kr=_kr, pct=_pct, dec=_dec, names=_names(), title=t("report"),
        made_on=f"Skapad {date.today().isoformat()}", **ctx)
    data = render_document(html, fmt, title=f"{t('report')}: {ctx['case'].title}")
    saved = ctx.get("saved")
    name = (f"rapport-fall-{saved['id']}-v{saved['version']}.{fmt}" if saved
            else f"rapport-{ctx.get('area') or 'fall'}.{fmt}")
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=attachment_headers(name))


def case_report(case: Any, fmt: str, *, area: str | None = None) -> bytes:  # noqa: ANN401
    """The report of a computed case (e.g. read from a case file) as html, pdf or docx bytes —
    the same document as ``/ekonomi/fall/rapport.{pdf,docx}`` (used by ``jamlik economics
    report``)."""
    if fmt not in ("html", "pdf", "docx"):
        raise ValueError(f"okänt format {fmt!r} — välj html, pdf eller docx.")
    ctx: dict[str, Any] = {"case": case, "area": area, "saved": None,
                           "assumptions": _assumptions(case, set()),
                           "convention": CONVENTION_SV, **_results(case, "sv")}
    t = translator("sv", WORDS)
    html = _env.get_template("report_document.html").render(
        t=t, lang="sv", kr=_kr, pct=_pct, num=_num, dec=_dec, names=_names(), title=t("report"),
        made_on=f"Skapad {date.today().isoformat()}", **ctx)
    return render_document(html, fmt, title=f"{t('report')}: {case.title}")


def _report_response(request: Request, ctx: dict[str, Any], fmt: str) -> Response:
    if fmt not in ("pdf", "docx"):
        raise PageError(f"Rapporten finns som html, pdf eller docx, inte {fmt[:10]!r}.", 404)
    if ctx["errors"] or "case" not in ctx:
        return _page(request, "report.html", "sv", title=translator("sv", WORDS)("report"),
                     status_code=400, **{**ctx, "errors": ctx["errors"] or [
                         "Fallet går inte att räkna ännu — fyll i fälten."]})
    return report_document(ctx, fmt)


@router.get("/fall/rapport.{fmt}")
def report_file(request: Request, fmt: str, start: str = DEFAULT_START) -> Response:
    if fmt not in ("pdf", "docx"):
        raise PageError(f"Rapporten finns som html, pdf eller docx, inte {fmt[:10]!r}.", 404)
    return _report_response(request, _editor(request, start[:80]), fmt)


# -- saved cases ------------------------------------------------------------------------------
@router.post("/fall/spara")
async def save_case(request: Request) -> Response:
    """Save the computed case (the editor's query) as a new case or the next version."""
    f = await _form(request)
    area = f.get("kommun", "")
    who = _need(request, "edit", area)
    scope = {**request.scope, "query_string": f.get("query", "").encode()}
    editor_request = Request(scope, request.receive)
    ctx = _editor(editor_request, editor_request.query_params.get("start", DEFAULT_START))
    if ctx["errors"] or "case" not in ctx:
        raise PageError("Fallet går inte att spara: " + " ".join(
            ctx["errors"] or ["fyll i fälten först."]), 400)
    data = ctx["data"]
    if f.get("title", "").strip():
        data.setdefault("case", {})["title"] = f["title"].strip()[:300]
    saved = ctx.get("saved")
    as_version = f.get("as") == "version" and saved is not None
    if as_version and saved is not None:
        _need(request, "edit", saved["area"])
    info = _investments().save_case(
        who, area, data, case_id=saved["id"] if as_version and saved else None,
        note=f.get("note", "").strip()[:1000] or None,
        origin=(f"fall:{saved['id']} v{saved['version']}" if saved else ctx["start"]))
    return _back(request, f"{PREFIX}/fall/{info.id}")


def _back(request: Request, path: str) -> RedirectResponse:
    param = translator(language(request.query_params.get("lang")), WORDS).param
    return RedirectResponse(path + (f"?lang={param}" if param else ""), status_code=303)


@router.get("/fall/{case_id}", response_class=HTMLResponse)
def saved_case(request: Request, case_id: int, lang: str | None = None,
               version: str | None = None) -> HTMLResponse:
    lng = language(lang)
    cid = _int_param(str(case_id), "fallet")
    ver = _int_param(version, "versionen")
    start = f"fall:{cid}" + (f":v{ver}" if ver else "")
    ctx = _editor(request, start)
    saved = ctx["saved"]
    me = _who(request)
    inv = _investments()
    copy_areas = sorted(a for a in _names() if me.can("edit", a))
    source = None
    info = saved["info"]
    if info.copied_from is not None:
        try:
            source = inv.case_info(info.copied_from)
        except NotFound:
            source = None
    return _page(request, "case.html", lng, title=f"{info.title}", status_code=(
        400 if ctx["errors"] else 200), can_save=me.can("edit", ctx["area"]) and "case" in ctx,
        copy_areas=copy_areas, copied_source=source, payers_in=PAYERS, **ctx)


@router.post("/fall/{case_id}/kopiera")
async def copy_case(request: Request, case_id: int) -> Response:
    f = await _form(request)
    cid = _int_param(str(case_id), "fallet")
    assert cid is not None
    inv = _investments()
    info = inv.case_info(cid)
    _need(request, "read", info.area)
    area = f.get("kommun", "")
    who = _need(request, "edit", area)
    version = _int_param(f.get("version"), "versionen")
    new = inv.copy_case(who, cid, area, version=version, title=f.get("title", "").strip() or None)
    return _back(request, f"{PREFIX}/fall/{new.id}")


@router.get("/fall/{case_id}/rapport.{fmt}")
def saved_report_file(request: Request, case_id: int, fmt: str,
                      version: str | None = None) -> Response:
    cid = _int_param(str(case_id), "fallet")
    ver = _int_param(version, "versionen")
    if fmt not in ("pdf", "docx", "html"):
        raise PageError(f"Rapporten finns som html, pdf eller docx, inte {fmt[:10]!r}.", 404)
    ctx = _editor(request, f"fall:{cid}" + (f":v{ver}" if ver else ""))
    if fmt == "html":
        return _page(request, "report.html", "sv", title=translator("sv", WORDS)("report"),
                     status_code=400 if ctx["errors"] else 200,
                     **_report_links(request, f"{PREFIX}/fall/{cid}/rapport"), **ctx)
    return _report_response(request, ctx, fmt)


# -- funds ------------------------------------------------------------------------------------
@router.get("/fond", response_class=HTMLResponse)
def fund_page(request: Request, ar: int | None = None, lang: str | None = None) -> HTMLResponse:
    """The fund file's overview (``JAMLIK_FUND`` or the example), read-only."""
    lng = language(lang)
    try:
        fund = load_fund(Path(_state["fund"]))
    except FundError as exc:
        return _page(request, "fund.html", lng, title=translator(lng, WORDS)("fund"),
                     error=str(exc), status_code=500)
    year = ar if ar is not None and fund.start_year <= ar <= 2200 else fund.start_year + 1
    with _state["lock"]:
        fu = follow_up_fund(fund, year, _state["store"])
    return _page(request, "fund.html", lng, title=f"{translator(lng, WORDS)('fund')}: "
                 f"{fund.name}", fu=fu, year=year, error=None, stored=None)


@router.get("/fonder", response_class=HTMLResponse)
def funds_page(request: Request, lang: str | None = None) -> HTMLResponse:
    lng = language(lang)
    me = _who(request)
    if me.username is None:
        raise PageError("Logga in (styrningens inloggning) för att se organisationens fonder.",
                        401, login=True)
    funds = [f for f in _investments().funds() if me.can("read", f.area)]
    areas = sorted(a for a in _names() if me.can("edit", a))
    return _page(request, "funds.html", lng, title=translator(lng, WORDS)("funds"),
                 funds=funds, edit_areas=areas)


@router.post("/fonder")
async def create_fund(request: Request) -> Response:
    f = await _form(request)
    area = f.get("kommun", "")
    who = _need(request, "edit", area)
    inv = _investments()
    if f.get("import") == "example":
        fund = load_fund(Path(_state["fund"]))
        info = inv.import_fund(who, fund, area=area)
    else:
        info = inv.create_fund(who, area, f.get("name", "").strip(), _amount(f, "capital"),
                               _year(f, "start_year"))
    return _back(request, f"{PREFIX}/fond/{info.id}")


def _amount(f: Mapping[str, str], key: str, *, optional: bool = False) -> Any:  # noqa: ANN401
    raw = f.get(key, "").strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    if not raw:
        if optional:
            return None
        raise PageError(f"{key}: ange ett belopp i kronor.", 400)
    try:
        x = float(raw.replace("\u2212", "-"))
    except ValueError:
        raise PageError(f'{key}: "{f.get(key)}" är inget belopp.', 400) from None
    return x


def _year(f: Mapping[str, str], key: str) -> int:
    raw = f.get(key, "").strip()
    if not raw.isdigit():
        raise PageError(f'{key}: "{raw[:10]}" är inget år (t.ex. 2025).', 400)
    return int(raw)


def _fund_for(request: Request, fund_id: int, action: str) -> tuple[str, Any]:  # noqa: ANN401
    fid = _int_param(str(fund_id), "fonden")
    assert fid is not None
    info = _investments().fund_info(fid)
    return _need(request, action, info.area), info


@router.get("/fond/{fund_id}", response_class=HTMLResponse)
def stored_fund(request: Request, fund_id: int, ar: str | None = None,
                lang: str | None = None) -> HTMLResponse:
    lng = language(lang)
    _, info = _fund_for(request, fund_id, "read")
    fund = _investments().fund(info.id)
    year = _int_param(ar, "året") if ar else None
    if year is None or not fund.start_year <= year <= 2200:
        year = fund.start_year + 1
    with _state["lock"]:
        fu = follow_up_fund(fund, year, _state["store"])
    me = _who(request)
    return _page(request, "fund.html", lng, title=f"{translator(lng, WORDS)('fund')}: "
                 f"{fund.name}", fu=fu, year=year, error=None, stored=info,
                 can_edit=me.can("edit", info.area), can_decide=me.can("decide", info.area),
                 payers_in=PAYERS)


@router.post("/fond/{fund_id}/ansokan")
async def add_application(request: Request, fund_id: int) -> Response:
    f = await _form(request)
    who, info = _fund_for(request, fund_id, "edit")
    expected = []
    for i in range(6):
        if f.get(f"year{i}", "").strip():
            expected.append({"year": _year(f, f"year{i}"), "payer": f.get(f"payer{i}", ""),
                             "cost": _amount(f, f"cost{i}", optional=True) or 0.0,
                             "saving": _amount(f, f"saving{i}", optional=True) or 0.0})
    committees = [c.strip() for c in f.get("committees", "").split(",") if c.strip()]
    case_ref = f.get("case", "").strip() or None
    _investments().add_application(
        who, info.id, key=f.get("key", "").strip()[:80], title=f.get("title", "").strip(),
        committees=committees, target_group=f.get("target_group", "").strip(),
        evaluation_plan=f.get("evaluation_plan", "").strip(), case_ref=case_ref,
        indicators=[x.strip() for x in f.get("indicators", "").split(",") if x.strip()],
        expected=expected)
    return _back(request, f"{PREFIX}/fond/{info.id}")


@router.post("/fond/{fund_id}/beslut")
async def decide(request: Request, fund_id: int) -> Response:
    f = await _form(request)
    who, info = _fund_for(request, fund_id, "decide")
    try:
        on = date.fromisoformat(f.get("decided_on", "").strip())
    except ValueError:
        raise PageError(f'Beslutsdatum: "{f.get("decided_on", "")[:12]}" är inget datum '
                        "(t.ex. 2025-02-15).", 400) from None
    _investments().decide(who, info.id, f.get("key", ""), status=f.get("status", ""),
                          decided_on=on, decided_by=f.get("decided_by", "").strip(),
                          granted=_amount(f, "granted", optional=True) or 0.0)
    return _back(request, f"{PREFIX}/fond/{info.id}")


@router.post("/fond/{fund_id}/flode")
async def set_flow(request: Request, fund_id: int) -> Response:
    f = await _form(request)
    who, info = _fund_for(request, fund_id, "edit")
    year = _year(f, "year")
    _investments().set_flow(who, info.id, f.get("key", ""), kind=f.get("kind", "actual"),
                            year=year, payer=f.get("payer", ""),
                            cost=_amount(f, "cost", optional=True) or 0.0,
                            saving=_amount(f, "saving", optional=True) or 0.0)
    return _back(request, f"{PREFIX}/fond/{info.id}?ar={year}")


@router.post("/fond/{fund_id}/aterforing")
async def set_repayment(request: Request, fund_id: int) -> Response:
    f = await _form(request)
    who, info = _fund_for(request, fund_id, "edit")
    year = _year(f, "year")
    _investments().set_repayment(who, info.id, f.get("key", ""),
                                 committee=f.get("committee", "").strip(), year=year,
                                 amount=_amount(f, "amount"),
                                 made=_amount(f, "made", optional=True))
    return _back(request, f"{PREFIX}/fond/{info.id}?ar={year}")
