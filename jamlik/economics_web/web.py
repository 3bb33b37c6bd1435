"""Pages of social investments: ``/ekonomi/`` (start), ``/ekonomi/fall`` (case editor and
results: per payer at 2, 10 and 15 years with their uncertainty, cumulative NPV by payer,
tornado, NPV distribution), ``/ekonomi/fall/rapport`` (the Swedish report with every
assumption) and ``/ekonomi/fond`` (the fund overview).

The case editor starts from the shipped parenting-support case and the municipality's own
store values (children 0–5, Kolada N01952); every field a user changes is marked "eget
värde". Computing is read-only (GET), so the pages need no sign-in; "Skicka till
handlingsplanen" links to the steering loop's plan page with the activity filled in, where a
signed-in plan editor saves it (the composition root gives the link).
"""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from jamlik import catalog
from jamlik.economics import (
    ALL_PAYERS,
    CONVENTION_SV,
    PAYERS,
    CaseError,
    FundError,
    case_from_dict,
    cumulative_npv,
    follow_up_fund,
    load_fund,
    monte_carlo_npv,
    run_case,
    target_group_from_store,
    with_target_group,
)
from jamlik.economics.case import MEASURE_SV
from jamlik.economics_web import _charts
from jamlik.format import fmt_num
from jamlik.language import is_default, other_language
from jamlik.store import Store
from jamlik.web import language, template_loader, translator
from jamlik.web.documents import MEDIA_TYPES, attachment_headers, render_document

PREFIX = "/ekonomi"
router = APIRouter(prefix=PREFIX, include_in_schema=False)
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
    "cumulative": ("Nettonuvärde över tid per betalare", "Cumulative NPV by payer"),
    "tornado": ("Vad betyder mest? (samhället, längsta horisonten)",
                "What matters most? (society, longest horizon)"),
    "distribution": ("Fördelningen av samhällets nettonuvärde", "Distribution of society's NPV"),
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
}

_env = Environment(loader=template_loader(PackageLoader("jamlik.economics_web", "templates")),
                   autoescape=select_autoescape(["html"]))
_state: dict[str, Any] = {}

#: form field -> (default, path in the case TOML, kind)
FIELDS: dict[str, tuple[float, tuple[str, ...]]] = {
    "andel": (0.15, ()),
    "deltagande": (0.4, ("target_group", "uptake")),
    "risk": (0.25, ("target_group", "baseline_risk")),
    "d": (-0.3, ("effect", "estimate")),
    "se": (0.08, ("effect", "se")),
    "kostnad": (15000.0, ("cost", "1", "amount")),
    "uppstart": (300000.0, ("cost", "0", "amount")),
    "kommun_kostnad": (60000.0, ("outcome", "0", "amount")),
    "region_kostnad": (15000.0, ("outcome", "1", "amount")),
    "ranta": (0.03, ("case", "discount_rate")),
}


def configure(app: FastAPI, *, store: Store, store_lock: threading.RLock,
              plan_link: Callable[[str, dict[str, str]], str] | None = None,
              fund: str | os.PathLike[str] | None = None) -> None:
    """store (and its lock): for target groups and outcome indicators; plan_link(area,
    activity fields) -> the URL of the steering plan page with the activity filled in;
    fund: the fund file shown under /ekonomi/fond (default JAMLIK_FUND, else the example)."""
    _state.update(store=store, lock=store_lock, plan_link=plan_link,
                  fund=fund or os.environ.get("JAMLIK_FUND") or
                  str(resources.files("jamlik.economics") / "examples" / "fond_falun.toml"))


def _example_data() -> dict[str, Any]:
    path = resources.files("jamlik.economics") / "examples" / "foraldrastod.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _names() -> dict[str, str]:
    df = catalog.municipalities()
    return dict(zip(df["code"], df["name"], strict=True))


def _kr(x: float | None, lang: str = "sv") -> str:
    return "–" if x is None else fmt_num(round(x / 1000) * 1000, lang, 0)


def _pct(x: float | None, lang: str = "sv") -> str:
    return "–" if x is None else f"{fmt_num(x * 100, lang, 0)} %"


def _render(request: Request, name: str, lang: str, **ctx: Any) -> HTMLResponse:  # noqa: ANN401
    t = translator(lang, WORDS)
    other = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if not is_default(other_language(lang)):
        other.append(("lang", other_language(lang)))
    switch = request.url.path + ("?" + urlencode(other) if other else "")
    status = ctx.pop("status_code", 200)
    html = _env.get_template(name).render(t=t, lang=lang, switch_language=switch, kr=_kr,
                                          pct=_pct, names=_names(), **ctx)
    return HTMLResponse(html, status_code=status)


def _parse(request: Request) -> tuple[dict[str, float], set[str], list[str]]:
    """The form's numbers (decimal comma accepted), which differ from the defaults, errors."""
    values, own, errors = {}, set(), []
    for key, (default, _) in FIELDS.items():
        raw = request.query_params.get(key, "").strip().replace(",", ".").replace(" ", "")
        if not raw:
            values[key] = default
            continue
        try:
            v = float(raw)
        except ValueError:
            errors.append(f"{key}: \"{raw}\" är inget tal.")
            continue
        if not np.isfinite(v):
            errors.append(f"{key}: \"{raw}\" är inget ändligt tal.")
            continue
        values[key] = v
        if v != default:
            own.add(key)
    if values.get("andel") is not None and not 0 < values["andel"] <= 1:
        errors.append("Andelen av åldersgruppen ska ligga mellan 0 och 1.")
    return values, own, errors


def build_case(values: dict[str, float], own: set[str], area: str) -> Any:  # noqa: ANN401
    """The parenting-support case with the form's values and the area's children 0–5."""
    data = _example_data()
    for key, (_, path) in FIELDS.items():
        if not path or key not in own:
            continue
        node: Any = data
        for part in path[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        if path[0] == "effect":  # plain numbers in a case file; the source says it is own
            node[path[-1]] = values[key]
            node["source"] = "eget värde (användaren)"
        else:
            node[path[-1]] = {"value": values[key], "source": "eget värde (användaren)"}
    data["case"]["title"] = "Föräldrastöd för familjer med barn 0–5 år"
    case = case_from_dict(data, where="fallet")
    with _state["lock"]:
        group = target_group_from_store(_state["store"], area, "N01952")
    return with_target_group(case, group, values["andel"])


def _results(case: Any, lang: str) -> dict[str, Any]:  # noqa: ANN401
    result = run_case(case, draws=DRAWS, seed=SEED)
    h = case.max_horizon
    sample = monte_carlo_npv(case, draws=DRAWS, seed=SEED, horizons=(h,))
    society = sample[:, ALL_PAYERS.index("samhället"), 0]
    curves = cumulative_npv(case)
    t = translator(lang, WORDS)
    torn = [(r.name_sv, r.npv_low, r.npv_high) for r in result.tornado[:8]]
    tornado_rows = [(r.name_sv, r.npv_low, r.npv_high) for r in result.tornado]
    base_npv = result.base[(result.tornado_payer, result.tornado_horizon)].npv
    return {
        "result": result, "payers": ALL_PAYERS, "horizons": case.horizons,
        "cumulative_svg": _charts.cumulative_npv_svg(curves, t("cumulative")),
        "tornado_svg": _charts.tornado_svg(torn, base_npv, t("tornado")),
        "hist_svg": _charts.histogram_svg(society, t("distribution")),
        "measure_sv": MEASURE_SV[case.effect.measure], "tornado_rows": tornado_rows,
    }


def _assumptions(case: Any, own: set[str]) -> list[tuple[str, str, str, bool]]:  # noqa: ANN401
    """(what, value, source, own value?) for every number in the case."""
    rows = [("Målgruppens storlek", fmt_num(case.target_group.value, "sv", 0),
             case.target_group.source or "", "andel" in own),
            ("Andel som deltar", fmt_num(case.uptake.value, "sv", 2), case.uptake.source or "",
             "deltagande" in own),
            ("Risk utan insats", fmt_num(case.baseline_risk.value, "sv", 2),
             case.baseline_risk.source or "", "risk" in own),
            (f"Effekt ({MEASURE_SV[case.effect.measure]})",
             f"{fmt_num(case.effect.estimate, 'sv', 2)} (SE {fmt_num(case.effect.se, 'sv', 2)})",
             case.effect.source or "", bool({"d", "se"} & own)),
            ("Effektens start, varaktighet, avtagande",
             f"år {case.onset}, {case.duration} år, {fmt_num(case.decay.value * 100, 'sv', 0)} % per år",
             case.decay.source or "", False),
            ("Diskonteringsränta", f"{fmt_num(case.rate.value * 100, 'sv', 1)} %",
             case.rate.source or "", "ranta" in own)]
    for c in case.costs:
        rows.append((f"Programkostnad: {c.label} ({c.payer}, {c.kind}, per {c.per})",
                     fmt_num(c.amount.value, "sv", 0), c.amount.source or "",
                     (c.amount.source or "").startswith("eget")))
    for o in case.outcomes:
        rows.append((f"Kostnad för utfallet: {o.label} ({o.payer}, år {o.from_year}–"
                     f"{o.to_year or ''})", fmt_num(o.amount.value, "sv", 0),
                     o.amount.source or "", (o.amount.source or "").startswith("eget")))
    return rows


def _page_context(request: Request) -> dict[str, Any]:
    area = request.query_params.get("kommun", "2080")
    values, own, errors = _parse(request)
    ctx: dict[str, Any] = {"area": area, "values": values, "own": own, "errors": errors,
                           "query": urlencode([(k, v) for k, v in
                                               request.query_params.multi_items()
                                               if k != "lang"])}
    if area not in _names():
        errors.append(f'"{area}" är ingen känd kommunkod.')
    if errors:
        return ctx
    try:
        case = build_case(values, own, area)
    except (CaseError, ValueError) as exc:
        errors.append(str(exc))
        return ctx
    ctx.update(case=case, assumptions=_assumptions(case, own), convention=CONVENTION_SV)
    ctx.update(_results(case, language(request.query_params.get("lang"))))
    link = _state.get("plan_link")
    if link:
        soc = ctx["result"].base[("samhället", case.max_horizon)]
        kom = ctx["result"].base[("kommun", case.max_horizon)]
        ctx["plan_url"] = link(area, {
            "what": case.title,
            "how": (f"Social investering: {case.target_group.value:.0f} i målgruppen; "
                    f"samhällets nettonuvärde {_kr(soc.npv)} kr och kommunens {_kr(kom.npv)} kr "
                    f"efter {case.max_horizon} år ({PREFIX}/fall?{ctx['query']})."),
            "budget": f"{sum(c.amount.value * (ctx['result'].participants if c.per == 'participant' else 1) for c in case.costs if c.payer == 'kommun'):.0f}",
        })
    return ctx


@router.get("/", response_class=HTMLResponse)
def start(request: Request, lang: str | None = None) -> HTMLResponse:
    lng = language(lang)
    return _render(request, "start.html", lng, title=translator(lng, WORDS)("economics"))


@router.get("/fall", response_class=HTMLResponse)
def case_page(request: Request, lang: str | None = None) -> HTMLResponse:
    lng = language(lang)
    ctx = _page_context(request)
    status = 400 if ctx["errors"] else 200
    return _render(request, "case.html", lng, title=translator(lng, WORDS)("case_editor"),
                   status_code=status, fields=FIELDS, payers_in=PAYERS, **ctx)


@router.get("/fall/rapport", response_class=HTMLResponse)
def report_page(request: Request) -> HTMLResponse:
    ctx = _page_context(request)
    status = 400 if ctx["errors"] else 200
    return _render(request, "report.html", "sv", title=translator("sv", WORDS)("report"),
                   status_code=status, **_report_links(request, f"{PREFIX}/fall/rapport"),
                   **ctx)


def _report_links(request: Request, base: str) -> dict[str, str]:
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"])
    return {"report_base": base, "report_query": "?" + query if query else ""}


def report_document(ctx: dict[str, Any], fmt: str) -> Response:
    """The report (a context with a computed case) as a PDF or DOCX download, through the
    shared HTML → PDF/DOCX plumbing in ``jamlik.web.documents``."""
    if fmt not in ("pdf", "docx"):
        return HTMLResponse(f"Rapporten finns som html, pdf eller docx, inte {fmt[:10]!r}.",
                            status_code=404)
    t = translator("sv", WORDS)
    html = _env.get_template("report_document.html").render(
        t=t, lang="sv", kr=_kr, pct=_pct, names=_names(), title=t("report"),
        made_on=f"Skapad {date.today().isoformat()}", **ctx)
    data = render_document(html, fmt, title=f"{t('report')}: {ctx['case'].title}")
    name = f"rapport-{ctx.get('area') or 'fall'}.{fmt}"
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=attachment_headers(name))


@router.get("/fall/rapport.{fmt}")
def report_file(request: Request, fmt: str) -> Response:
    ctx = _page_context(request)
    if ctx["errors"]:
        return _render(request, "report.html", "sv", title=translator("sv", WORDS)("report"),
                       status_code=400, **ctx)
    return report_document(ctx, fmt)


@router.get("/fond", response_class=HTMLResponse)
def fund_page(request: Request, ar: int | None = None, lang: str | None = None) -> HTMLResponse:
    lng = language(lang)
    try:
        fund = load_fund(Path(_state["fund"]))
    except FundError as exc:
        return _render(request, "fund.html", lng, title=translator(lng, WORDS)("fund"),
                       error=str(exc), status_code=500)
    year = ar if ar is not None and fund.start_year <= ar <= 2200 else fund.start_year + 1
    with _state["lock"]:
        fu = follow_up_fund(fund, year, _state["store"])
    return _render(request, "fund.html", lng, title=f"{translator(lng, WORDS)('fund')}: "
                   f"{fund.name}", fu=fu, year=year, error=None)
