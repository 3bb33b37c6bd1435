"""Pages of the knowledge bank: ``/kunskapsbank/`` (search, facets),
``/kunskapsbank/exempel/{id}`` (one example), the feed, the arena and initiatives (read
views). The forms are in ``_forms``; the shipped bank is read once at start.

Who is signed in comes from the composition root (``identify``: the steering loop's session
cookie, path ``/``). CSRF: every form carries a token that must equal the
``jamlik_kb_csrf`` cookie (double submit, SameSite=Strict, HttpOnly, path /kunskapsbank).
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
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
    Related,
    ReviewDesk,
    ReviewError,
    atom_feed,
    facets,
    load_bank,
    related_examples,
    search,
)
from jamlik.language import index, is_default, other_language
from jamlik.prioritisation import ProposalData, samling_proposals
from jamlik.web import install_globals, language, template_loader, translator

PREFIX = "/kunskapsbank"
CSRF_COOKIE = "jamlik_kb_csrf"
MAX_ID = 2**31 - 1

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
    "error": ("Det gick inte", "That did not work"),
    "roles_title": ("Roller i kunskapsbanken", "Roles in the knowledge bank"),
    "roles_intro": ("Alla inloggade kan skicka in exempel. Granskare granskar och publicerar "
                    "och fattar beslut i arenan; redaktörer gör allt det, ändrar alla "
                    "initiativ och ger roller.",
                    "Everyone signed in may submit examples. Reviewers review and publish and "
                    "decide in the arena; editors do all that, edit every initiative and grant "
                    "roles."),
    "username": ("Användarnamn", "User name"),
    "granted_by": ("Given av", "Granted by"),
    "grant": ("Ge rollen", "Grant the role"),
    "no_roles": ("Ingen har fått en roll ännu.", "Nobody holds a role yet."),
    "revoke": ("Ta bort", "Revoke"),
    "revoke_label": ("Ta bort rollen {role} från {user}", "Revoke the role {role} from {user}"),
    "role_change": ("Ändring", "Change"),
    "role_changes": ("Ändringar av roller", "Changes of roles"),
    "role_grant": ("gav", "granted"),
    "role_revoke": ("tog bort", "revoked"),
    "by": ("Av", "By"),
    "not_held": ("{user} har inte rollen {role}. Inget ändrades.",
                 "{user} does not hold the role {role}. Nothing was changed."),
    "results": ("Resultat", "Results"),
    "results_help": ("Vad det gav, med siffror: hur många som nåddes, gick vidare …",
                     "What came of it, with figures: how many were reached, went on …"),
    "costs": ("Kostnader", "Costs"),
    "costs_help": ("Vad det kostade och vem som betalade, t.ex. 5 mnkr/år 2019–2021.",
                   "What it cost and who paid, e.g. SEK 5 million a year 2019–2021."),
    "action_areas_title": ("Samlingens åtgärdsområden", "The Samling's action areas"),
    "action_areas_intro": ("Samlingens 30 åtgärdsområden, oavsett hur de hamnade i "
                           "prioriteringen, med de goda exempel som arbetar med vart och ett.",
                           "The Samling's 30 action areas, whatever their place in the "
                           "prioritisation, with the good examples that work on each."),
    "no_action_area": ("Åtgärdsområdet finns inte (1–30).", "No such action area (1–30)."),
    "examples_count": ("exempel", "examples"),
    "from_municipality": ("från", "from"),
    "examples_in_area": ("Goda exempel inom åtgärdsområdet", "Good examples in the action area"),
    "examples_near": ("Närliggande: samma målområde", "Nearby: the same target area"),
    "none_yet": ("Inga exempel ännu – skicka in ett!", "No examples yet – submit one!"),
    "own_municipality": ("egen kommun", "own municipality"),
    "same_county": ("samma län", "same county"),
    "choose_municipality": ("Visa för kommun", "Show for municipality"),
    "show": ("Visa", "Show"),
    "all_action_areas": ("Alla åtgärdsområden", "All action areas"),
    "action_area": ("Åtgärdsområde", "Action area"),
    "log_in": ("Logga in", "Sign in"),
    "signed_in_as": ("Inloggad som", "Signed in as"),
    "submit_example": ("Skicka in ett exempel", "Submit an example"),
    "edit_example": ("Ändra exemplet", "Edit the example"),
    "submit_intro": ("Beskriv vad ni gjorde och vad det gav. Exemplet blir ett utkast som en "
                     "granskare läser innan det publiceras. Fält med * måste fyllas i.",
                     "Describe what you did and what came of it. The example becomes a draft "
                     "that a reviewer reads before it is published. Fields marked * are "
                     "required."),
    "what_example": ("Exemplet", "The example"),
    "title_field": ("Rubrik", "Title"),
    "id_field": ("Id", "Id"),
    "id_help": ("Små bokstäver a–z, siffror och bindestreck; tomt = bildas av rubriken.",
                "Lower-case a–z, digits and hyphens; empty = made from the title."),
    "summary_field": ("Vad gjordes och vad gav det (gärna med siffror)",
                      "What was done and what came of it (with figures)"),
    "who_where": ("Vem och var", "Who and where"),
    "codes_field": ("Kommunkoder", "Municipality codes"),
    "codes_help": ("SCB:s fyrsiffriga koder, flera med semikolon: 2080;2081.",
                   "SCB's four-digit codes, several separated by semicolons: 2080;2081."),
    "contact_help": ("En roll, t.ex. folkhälsostrateg, Orsa kommun – inga namn, e-postadresser "
                     "eller telefonnummer.",
                     "A role, e.g. public health strategist, Orsa municipality – no names, "
                     "e-mail addresses or phone numbers."),
    "links_to": ("Kopplingar", "Links"),
    "areas_help": ("Samlingens åtgärdsområden 1–30, t.ex. 1;9.",
                   "The Samling's action areas 1–30, e.g. 1;9."),
    "sdg_help": ("Agenda 2030: mål eller delmål, t.ex. 3.4;10.", "Agenda 2030: goal or target, "
                 "e.g. 3.4;10."),
    "ind_help": ("Indikatorer exemplet vill påverka, t.ex. N03926.",
                 "Indicators the example aims to move, e.g. N03926."),
    "results_evidence": ("Resultat, tid och källor", "Results, period and sources"),
    "year_field": ("Startår", "First year"),
    "end_field": ("Slutår (tomt = pågår)", "Last year (empty = ongoing)"),
    "source_page": ("Sida i källan", "Page in the source"),
    "save_changes": ("Spara ändringarna", "Save the changes"),
    "send_in": ("Skicka in", "Send in"),
    "submissions": ("Inskickade exempel", "Submitted examples"),
    "your_roles": ("Dina roller i kunskapsbanken", "Your roles in the knowledge bank"),
    "state": ("Läge", "State"),
    "submitted_by": ("inskickat av", "submitted by"),
    "no_submissions": ("Inga inskickade exempel ännu.", "No submitted examples yet."),
    "public_page": ("Den publicerade sidan", "The published page"),
    "note": ("Kommentar", "Note"),
    "mark_reviewed": ("Markera som granskat", "Mark as reviewed"),
    "publish": ("Publicera", "Publish"),
    "why_back": ("Varför det skickas tillbaka", "Why it is sent back"),
    "send_back": ("Skicka tillbaka till utkast", "Send back to draft"),
    "history": ("Historik", "History"),
    "when": ("Tid (UTC)", "Time (UTC)"),
    "who": ("Vem", "Who"),
    "initiatives": ("Initiativ", "Initiatives"),
    "initiatives_intro": ("Sektorsövergripande initiativ genom Samlingens fyra faser – "
                          "förberedelse, engagera, genomförande och institutionalisering – med "
                          "parter, checklistor, möten, beslut, överenskommelser, risker och "
                          "en lärandelogg.",
                          "Cross-sector initiatives through the Samling's four phases – "
                          "preparation, engage, implementation and institutionalisation – with "
                          "partners, checklists, meetings, decisions, agreements, risks and a "
                          "learning log."),
    "no_initiatives": ("Inga initiativ ännu.", "No initiatives yet."),
    "new_initiative": ("Starta ett initiativ", "Start an initiative"),
    "purpose": ("Syfte", "Purpose"),
    "members": ("Medlemmar som får ändra (användarnamn)", "Members who may edit (user names)"),
    "members_help": ("Flera med komma: anna, bertil.", "Several separated by commas: anna, "
                     "bertil."),
    "create": ("Skapa", "Create"),
    "to_start": ("för att starta ett initiativ.", "to start an initiative."),
    "date": ("Datum", "Date"),
    "phase_now": ("Nuvarande fas", "Current phase"),
    "phases": ("Faserna", "The phases"),
    "story": ("Initiativets berättelse", "The initiative's story"),
    "partners": ("Parter och roller", "Partners and roles"),
    "add_partner": ("Lägg till en part", "Add a partner"),
    "sector": ("Sektor", "Sector"),
    "role": ("Roll", "Role"),
    "add": ("Lägg till", "Add"),
    "checklists": ("Checklistor per fas", "Checklists per phase"),
    "done": ("klar", "done"),
    "undo": ("Ångra", "Undo"),
    "tick": ("Bocka av", "Tick off"),
    "remove": ("Ta bort", "Remove"),
    "add_point": ("Lägg till en punkt", "Add a point"),
    "phase": ("Fas", "Phase"),
    "point": ("Punkt", "Point"),
    "advance": ("Gå vidare till nästa fas", "Move on to the next phase"),
    "learning_log": ("Lärandelogg", "Learning log"),
    "tried": ("Vad vi prövade", "What we tried"),
    "learned": ("Vad vi lärde oss", "What we learned"),
    "change": ("Vad vi ändrar", "What we change"),
    "no_entries": ("Inga anteckningar ännu.", "No entries yet."),
    "add_learning": ("Skriv i lärandeloggen", "Write in the learning log"),
    "records": ("Möten, beslut, överenskommelser och risker",
                "Meetings, decisions, agreements and risks"),
    "kind_meeting": ("Möten", "Meetings"),
    "kind_decision": ("Beslut", "Decisions"),
    "kind_agreement": ("Överenskommelser", "Agreements"),
    "kind_risk": ("Risker", "Risks"),
    "likelihood": ("sannolikhet", "likelihood"),
    "impact": ("konsekvens", "impact"),
    "parties": ("parter", "parties"),
    "parties_help": ("Flera med komma.", "Several separated by commas."),
    "notes": ("Anteckningar", "Notes"),
    "add_meeting": ("Lägg till ett möte eller beslut", "Add a meeting or decision"),
    "add_agreement": ("Lägg till en överenskommelse", "Add an agreement"),
    "add_risk": ("Lägg till en risk", "Add a risk"),
    "mitigation": ("Åtgärd", "Mitigation"),
    "edit_initiative": ("Ändra rubrik, syfte och medlemmar", "Edit title, purpose and members"),
    "timeline": ("Tidslinje", "Timeline"),
    "stage": ("Steg", "Stage"),
    "steps": ("Stegen hittills", "The steps so far"),
    "support": ("Stöd som erbjuds", "Support offered"),
    "criteria": ("Kriterier", "Criteria"),
    "decision": ("Beslut", "Decision"),
    "no_steps": ("Inga beslut ännu.", "No decisions yet."),
    "decide_step": ("Besluta om steget", "Decide the step"),
    "outcome": ("Efter utvärderingen", "After the evaluation"),
    "case_help": ("Id för det samhällsekonomiska underlaget, t.ex. foraldrastod (krävs för en "
                  "social investering).", "The economic case's id, e.g. foraldrastod (needed "
                  "for a social investment)."),
    "save_decision": ("Spara beslutet", "Save the decision"),
    "submit_idea": ("Lämna en idé", "Submit an idea"),
    "idea_intro": ("Alla kan lämna en idé – civilsamhälle, offentlig verksamhet, näringsliv "
                   "och akademi. Ingen inloggning behövs; ange ett namn eller en organisation.",
                   "Anyone may submit an idea – civil society, public services, business and "
                   "academia. No sign-in is needed; give a name or an organisation."),
    "description": ("Beskrivning", "Description"),
    "idea_by": ("Vem lämnar idén", "Who submits the idea"),
    "idea_by_help": ("En organisation eller ett namn; visas offentligt.",
                     "An organisation or a name; shown publicly."),
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
#: request -> the signed-in user's name or None, given by the composition root
_identify: list[Callable[[Request], str | None]] = []


def configure(app: FastAPI, *, bank: str | os.PathLike[str] | None = None,
              linked_activities: Callable[[str], list[dict[str, Any]]] | None = None,
              workflow_engine: Callable[[], Engine] | None = None,
              identify: Callable[[Request], str | None] | None = None) -> None:
    """Read the bank (``bank``, else ``JAMLIK_EXAMPLES``, else the shipped one) for the pages.

    linked_activities: example id -> the plan activities taken from it (shown on its page).
    workflow_engine: the workflow database, whose published submissions join the bank.
    identify: who is signed in (a user name, None for nobody); without it every form
    answers "log in".
    """
    path = bank or os.environ.get("JAMLIK_EXAMPLES")
    _bank[:] = load_bank(Path(path) if path else None)
    _linked[:] = [linked_activities] if linked_activities else []
    _engine[:] = [workflow_engine] if workflow_engine else []
    _identify[:] = [identify] if identify else []
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


def case_link(case: str) -> str:
    """The economics page of an arena idea's case: a saved case by number, else a shipped
    case by its key (the editor opened from it)."""
    if case.isdigit():
        return f"/ekonomi/fall/{case}"
    return "/ekonomi/fall?" + urlencode({"start": f"exempel:{case}"})


def _render(request: Request, name: str, lang: str, **ctx: Any) -> HTMLResponse:  # noqa: ANN401
    t = translator(lang, WORDS)
    other = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if not is_default(other_language(lang)):
        other.append(("lang", other_language(lang)))
    switch = request.url.path + ("?" + urlencode(other) if other else "")
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    status = ctx.pop("status_code", 200)
    html = _env.get_template(name).render(t=t, lang=lang, names=_names(), themes=_themes(),
                                          targets=_targets(), switch_language=switch,
                                          csrf=token, me=user(request), case_link=case_link,
                                          **ctx)
    resp = HTMLResponse(html, status_code=status)
    if request.cookies.get(CSRF_COOKIE) != token:
        resp.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path=PREFIX)
    if ctx.get("private"):
        resp.headers["Cache-Control"] = "private, no-store"
    return resp


class _Refused(ReviewError):
    """A refused request with its HTTP status (401 not signed in, 403 no right, 404)."""

    def __init__(self, message: str, status_code: int = 400):
        super().__init__(message)
        self.status_code = status_code


class _Route(APIRoute):
    """A ``ReviewError`` becomes a Swedish page with its status; nothing was written."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                for value in request.path_params.values():
                    if value.isdigit() and not 0 < int(value) <= MAX_ID:
                        raise _Refused(f"Sidan finns inte: {value} är inget giltigt nummer.", 404)
                return await handler(request)
            except ReviewError as exc:
                lng = language(request.query_params.get("lang"))
                return _render(request, "message.html", lng, title=translator(lng, WORDS)(
                    "error"), message=str(exc), login=getattr(exc, "status_code", 400) == 401,
                    status_code=getattr(exc, "status_code", 400))

        return route


router = APIRouter(prefix=PREFIX, include_in_schema=False, route_class=_Route)


def user(request: Request) -> str | None:
    """The signed-in user's name (None: nobody)."""
    return _identify[0](request) if _identify else None


def need_user(request: Request) -> str:
    who = user(request)
    if who is None:
        raise _Refused("Logga in för att göra det här (styrningens inloggning: "
                       "/styrning/logga-in).", 401)
    return who


async def form_data(request: Request) -> dict[str, list[str]]:
    """The posted form (each field's values), after the CSRF check."""
    form = await request.form()
    data: dict[str, list[str]] = {}
    for k, v in form.multi_items():
        data.setdefault(k, []).append(str(v))
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    token = (data.get("csrf_token") or [""])[0]
    if not cookie or not hmac.compare_digest(cookie.encode(), token.encode()):
        raise _Refused("Formuläret kunde inte verifieras (CSRF-skydd). Ladda om sidan och "
                       "försök igen. Inget sparades.", 403)
    return data


def back(request: Request, path: str) -> RedirectResponse:
    """303 to ``path`` in the request's language."""
    q = translator(language(request.query_params.get("lang")), WORDS).query
    return RedirectResponse(path + q, status_code=303)


def action_areas() -> dict[int, ProposalData]:
    """The Samling's 30 action areas by number (the prioritisation's shipped catalogue)."""
    if not _areas:
        _areas.update({int(p.key): p for p in samling_proposals()})
    return _areas


_areas: dict[int, ProposalData] = {}


@router.get("/", response_class=HTMLResponse)
def bank_page(request: Request, q: str = "", kommun: str = "", tema: str = "",
              omrade: str = "", lang: str | None = None) -> HTMLResponse:
    lng = language(lang)
    code = kommun if kommun in _names() else None
    theme = int(tema) if tema in {"1", "2", "3", "4"} else None
    area = int(omrade) if omrade.isdigit() and int(omrade) in action_areas() else None
    bank = _examples()
    hits = [h for h in search(bank, q, municipality=code, theme=theme)
            if area is None or area in h.example.action_areas]
    everything = search(bank, q)
    counts = facets(h.example for h in everything)
    by_area = Counter(a for h in everything for a in h.example.action_areas)

    def link(**params: str) -> str:
        base = {"q": q, "kommun": code or "", "tema": str(theme or ""),
                "omrade": str(area or ""), "lang": "" if is_default(lng) else lng}
        base.update(params)
        return f"{PREFIX}/?" + urlencode({k: v for k, v in base.items() if v})

    return _render(request, "bank.html", lng, title=translator(lng, WORDS)("bank"), q=q, code=code,
                   theme=theme, hits=hits, counts=counts, link=link, area=area,
                   by_area=by_area, areas=action_areas())


@router.get("/atgardsomraden", response_class=HTMLResponse)
def action_areas_page(request: Request, kommun: str = "") -> HTMLResponse:
    """The Samling's 30 action areas by theme — in prioritisation or not — each with how many
    examples work on it (and how many from the municipality ``kommun``)."""
    lng = language(request.query_params.get("lang"))
    code = kommun if kommun in _names() else None
    bank = _examples()
    count = Counter(a for e in bank for a in e.action_areas)
    own = Counter(a for e in bank if code in e.municipality_codes for a in e.action_areas)
    return _render(request, "action_areas.html", lng,
                   title=translator(lng, WORDS)("action_areas_title"), areas=action_areas(),
                   count=count, own=own, code=code)


@router.get("/atgardsomrade/{number}", response_class=HTMLResponse)
def action_area_page(request: Request, number: int, kommun: str = "") -> HTMLResponse:
    """One action area: the examples that work on it (the municipality's own first, then its
    county's, then the rest), and those sharing its målområden."""
    lng = language(request.query_params.get("lang"))
    area = action_areas().get(number)
    if area is None:
        raise _Refused(translator(lng, WORDS)("no_action_area"), 404)
    code = kommun if kommun in _names() else None
    bank = _examples()
    if code:
        same = related_examples(bank, code, action_areas=[number], limit=None)
        near = [r for r in related_examples(bank, code, malomraden=area.malomraden, limit=None)
                if number not in r.example.action_areas]
    else:
        same = [Related(e, 2.0, 2, ()) for e in sorted(bank, key=lambda e: e.id)
                if number in e.action_areas]
        near = [Related(e, 1.0, 2, ()) for e in sorted(bank, key=lambda e: e.id)
                if number not in e.action_areas and set(area.malomraden) & set(e.malomraden)]
    return _render(request, "action_area.html", lng, title=f"{number}. {area.title}",
                   area=area, number=number, code=code, same=same, near=near[:8])


@router.get("/exempel/{example_id}", response_class=HTMLResponse)
def example_page(request: Request, example_id: str, lang: str | None = None) -> HTMLResponse:
    lng = language(lang)
    found = next((e for e in _examples() if e.id == example_id), None)
    if found is None:
        raise HTTPException(404, translator(lng, WORDS)("not_found"))
    idx = index(lng)
    plans = _linked[0](found.id) if _linked else []
    return _render(request, "example.html", lng, title=found.title, e=found, plans=plans, areas=action_areas(),
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


def arena_view(request: Request, *, message: str = "", typed: dict[str, list[str]] | None = None,
               status_code: int = 200) -> HTMLResponse:
    """The public view of what is in the arena's pipeline, stage by stage, and the form to
    submit an idea (anyone)."""
    lng = language(request.query_params.get("lang"))
    ini = _initiatives()
    pipeline = ini.pipeline() if ini else {s: [] for s in STAGES}
    typed_one = {k: v[0] for k, v in (typed or {}).items() if v and k != "csrf_token"}
    return _render(request, "arena.html", lng, title=translator(lng, WORDS)("arena"),
                   pipeline=pipeline, stages=STAGES, decisions=DECISIONS, sectors=SECTORS,
                   message=message, typed=typed_one, status_code=status_code,
                   has_db=ini is not None)


@router.get("/arena", response_class=HTMLResponse)
def arena_page(request: Request) -> HTMLResponse:
    return arena_view(request)
