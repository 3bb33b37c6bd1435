"""Pages of the knowledge bank: ``/kunskapsbank/`` (search, facets) and
``/kunskapsbank/exempel/{id}`` (one example). Read-only; the bank is read once at start."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Engine

from jamlik import catalog
from jamlik.knowledge import (
    DECISIONS,
    EVIDENCE_LEVELS,
    KINDS,
    SECTORS,
    SHIPPED_ON,
    STAGES,
    Example,
    Initiatives,
    ReviewDesk,
    ReviewError,
    atom_feed,
    facets,
    initiative_report,
    load_bank,
    search,
)
from jamlik.language import index, is_default, other_language
from jamlik.web import install_globals, language, template_loader, translator

PREFIX = "/kunskapsbank"
router = APIRouter(prefix=PREFIX, include_in_schema=False)

WORDS: dict[str, tuple[str, str]] = {
    "bank": ("Kunskapsbanken – goda exempel", "The knowledge bank – good examples"),
    "query": ("Sökord", "Search words"),
    "all_municipalities": ("Alla kommuner", "All municipalities"),
    "all_themes": ("Alla temaområden", "All themes"),
    "municipality": ("Kommun", "Municipality"),
    "theme": ("Temaområde", "Theme"),
    "hits": ("träffar", "results"),
    "no_hits": ("Inga exempel matchar.", "No example matches."),
    "organisation": ("Organisation", "Organisation"),
    "sectors": ("Sektorer", "Sectors"),
    "target_group": ("Målgrupp", "Target group"),
    "action_areas": ("Åtgärdsområden", "Action areas"),
    "malomraden": ("Målområden", "Target areas"),
    "sdg_targets": ("Globala mål, delmål", "SDG targets"),
    "evidence": ("Evidensnivå", "Evidence level"),
    "kind": ("Slag", "Kind"),
    "years": ("Period", "Period"),
    "contact": ("Kontakt (roll)", "Contact (role)"),
    "link": ("Läs mer", "Read more"),
    "source_ref": ("Källa", "Source"),
    "page": ("sidan", "page"),
    "back": ("Till kunskapsbanken", "To the knowledge bank"),
    "arena": ("Arenan för sociala innovationer", "The arena for social innovations"),
    "arena_intro": ("Idéer från civilsamhälle, offentlig verksamhet och näringsliv som "
                    "utvecklas, testas, testas igen och leds vidare till ordinarie "
                    "verksamhet eller en social investering.",
                    "Ideas from civil society, public services and business that are "
                    "developed, tested, tested again and guided into ordinary operations or "
                    "a social investment."),
    "economics_case": ("samhällsekonomiskt underlag", "economic case"),
    "latest_step": ("Senaste steget", "Latest step"),
    "owner": ("ansvarig", "owner"),
    "no_initiative": ("Initiativet finns inte.", "No such initiative."),
    "feed": ("Flöde (Atom)", "Feed (Atom)"),
    "in_plans": ("Används i handlingsplaner", "Used in action plans"),
    "not_found": ("Exemplet finns inte i kunskapsbanken.", "No such example in the bank."),
    "spans_themes": ("flera temaområden", "several themes"),
    "ongoing": ("pågår", "ongoing"),
    "source_note": ("Exemplen kommer från kommunsidorna i Samling för social hållbarhet i "
                    "Dalarna – slutrapport (2019); sammanfattningarna är skrivna för jamlik.",
                    "The examples come from the municipality pages of the Samling för social "
                    "hållbarhet i Dalarna final report (2019); the summaries were written for "
                    "jamlik."),
}

_env = Environment(loader=template_loader(PackageLoader("jamlik.knowledge_web", "templates")),
                   autoescape=select_autoescape(["html"]))
install_globals(_env)
_bank: list[Example] = []
#: example id -> the plan activities taken from it (given by the composition root, which
#: asks the steering loop; dicts with area, organisation, plan, what)
_linked: list[Callable[[str], list[dict[str, Any]]]] = []
#: the workflow database's engine (for published submissions), given by the composition root
_engine: list[Callable[[], Engine]] = []


def configure(app: FastAPI, *, bank: str | os.PathLike[str] | None = None,
              linked_activities: Callable[[str], list[dict[str, Any]]] | None = None,
              workflow_engine: Callable[[], Engine] | None = None) -> None:
    """Read the bank (``bank``, else ``JAMLIK_EXAMPLES``, else the shipped one) for the pages.

    linked_activities: example id -> the plan activities taken from it (shown on its page).
    workflow_engine: the workflow database, whose published submissions join the bank.
    """
    path = bank or os.environ.get("JAMLIK_EXAMPLES")
    _bank[:] = load_bank(Path(path) if path else None)
    _linked[:] = [linked_activities] if linked_activities else []
    _engine[:] = [workflow_engine] if workflow_engine else []
    app.state.knowledge_bank = _bank


def _desk() -> ReviewDesk | None:
    return ReviewDesk(_engine[0](), _bank) if _engine else None


def _examples() -> list[Example]:
    """The shipped bank and every published submission."""
    desk = _desk()
    return desk.examples() if desk else list(_bank)


def _names() -> dict[str, str]:
    df = catalog.municipalities()
    return dict(zip(df["code"], df["name"], strict=True))


def _themes() -> dict[int, str]:
    df = catalog.samling_themes()
    df = df[df["kind"] == "theme"]
    return {int(n): t for n, t in zip(df["number"], df["title_sv"], strict=True)}


def _targets() -> dict[int, str]:
    df = catalog.target_areas()
    return dict(zip(df["id"], df["title_sv"], strict=True))


def _render(request: Request, name: str, lang: str, **ctx: Any) -> HTMLResponse:  # noqa: ANN401
    t = translator(lang, WORDS)
    other = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if not is_default(other_language(lang)):
        other.append(("lang", other_language(lang)))
    switch = request.url.path + ("?" + urlencode(other) if other else "")
    html = _env.get_template(name).render(t=t, lang=lang, names=_names(), themes=_themes(),
                                          targets=_targets(), switch_language=switch, **ctx)
    return HTMLResponse(html)


@router.get("/", response_class=HTMLResponse)
def bank_page(request: Request, q: str = "", kommun: str = "", tema: str = "",
              lang: str | None = None) -> HTMLResponse:
    lng = language(lang)
    code = kommun if kommun in _names() else None
    theme = int(tema) if tema in {"1", "2", "3", "4"} else None
    bank = _examples()
    hits = search(bank, q, municipality=code, theme=theme)
    counts = facets(h.example for h in search(bank, q))

    def link(**params: str) -> str:
        base = {"q": q, "kommun": code or "", "tema": str(theme or ""),
                "lang": "" if is_default(lng) else lng}
        base.update(params)
        return f"{PREFIX}/?" + urlencode({k: v for k, v in base.items() if v})

    return _render(request, "bank.html", lng, title=translator(lng, WORDS)("bank"), q=q, code=code,
                   theme=theme, hits=hits, counts=counts, link=link)


@router.get("/exempel/{example_id}", response_class=HTMLResponse)
def example_page(request: Request, example_id: str, lang: str | None = None) -> HTMLResponse:
    lng = language(lang)
    found = next((e for e in _examples() if e.id == example_id), None)
    if found is None:
        raise HTTPException(404, translator(lng, WORDS)("not_found"))
    idx = index(lng)
    plans = _linked[0](found.id) if _linked else []
    return _render(request, "example.html", lng, title=found.title, e=found, plans=plans,
                   evidence=EVIDENCE_LEVELS[found.evidence_level][idx],
                   kind=KINDS.get(found.kind, (found.kind, found.kind))[idx],
                   sectors=[SECTORS[s][idx] for s in found.sectors])


@router.get("/flode.atom")
def feed(request: Request) -> Response:
    """Atom feed of published examples, newest first (the shipped bank dated when compiled)."""
    desk = _desk()
    items = [(e, SHIPPED_ON) for e in _bank]
    if desk is not None:
        items += [(p.example, p.published_at or p.created_at) for p in desk.published()]
    body = atom_feed(items, str(request.base_url))
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def _initiatives() -> Initiatives | None:
    desk = _desk()
    return Initiatives(desk.engine, roles=desk.roles) if desk else None


@router.get("/arena", response_class=HTMLResponse)
def arena_page(request: Request, lang: str | None = None) -> HTMLResponse:
    """The public view of what is in the arena's pipeline, stage by stage."""
    lng = language(lang)
    ini = _initiatives()
    pipeline = ini.pipeline() if ini else {s: [] for s in STAGES}
    return _render(request, "arena.html", lng, title=translator(lng, WORDS)("arena"),
                   pipeline=pipeline, stages=STAGES, decisions=DECISIONS)


@router.get("/initiativ/{initiative_id}", response_class=HTMLResponse)
def initiative_page(initiative_id: int, lang: str | None = None) -> HTMLResponse:
    """An initiative's story (partners, phases, learning log, timeline) as one page."""
    ini = _initiatives()
    try:
        if ini is None or not 0 < initiative_id < 2**31:
            raise ReviewError("")
        view = ini.get(initiative_id)
    except ReviewError:
        raise HTTPException(404, translator(language(lang), WORDS)("no_initiative")) from None
    return HTMLResponse(initiative_report(view))
