"""The router. Roles: **facilitator** (samordnare: creates, opens and closes rounds, invites,
follows the live dashboard, proposes a forced-choice round, sends to the action plan),
**viewer** (läsare: results and reports), **participant** (by the invitation link only: the
form, save and return, hand in). A steering administrator counts as facilitator.

CSRF: every form carries a token that must equal the ``jamlik_prio_csrf`` cookie (double
submit, SameSite=Strict, HttpOnly); participant links carry their own secret token besides.
Every change is written to the prioritisation audit log (``prio_audit``).
"""

from __future__ import annotations

import hmac
import math
import secrets
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, select_autoescape

from jamlik.format import fmt_num
from jamlik.language import is_default
from jamlik.prioritisation import (
    CHOICE_FORMATS,
    FORMATS,
    KIND_LABELS_SV,
    SAMLING_KEY,
    STATE_LABELS_SV,
    NotFound,
    PermissionDenied,
    Prioritisation,
    PrioritisationError,
    render_report,
)
from jamlik.web import language, template_loader, translator
from jamlik.web.documents import for_screen

PREFIX = "/prioritering"
CSRF_COOKIE = "jamlik_prio_csrf"
MAX_ID = 2**31 - 1

WORDS: dict[str, tuple[str, str]] = {
    "prioritisation": ("Prioritering", "Prioritisation"),
    "rounds": ("Omgångar", "Rounds"),
    "catalogues": ("Kataloger", "Catalogues"),
    "new_round": ("Ny omgång", "New round"),
    "title": ("Rubrik", "Title"),
    "catalogue": ("Katalog", "Catalogue"),
    "scale": ("Skala", "Scale"),
    "themes": ("Teman (t.ex. 1,2; tomt = alla)", "Themes (e.g. 1,2; empty = all)"),
    "create": ("Skapa", "Create"),
    "kind": ("Typ", "Kind"),
    "state": ("Läge", "State"),
    "participants": ("Deltagare", "Participants"),
    "invited": ("inbjudna", "invited"),
    "saved": ("har sparat", "have saved"),
    "submitted": ("har lämnat in", "have handed in"),
    "open": ("Öppna omgången", "Open the round"),
    "close": ("Stäng omgången", "Close the round"),
    "invite": ("Bjud in", "Invite"),
    "organisation": ("Organisation", "Organisation"),
    "group": ("Intressentgrupp", "Stakeholder group"),
    "role": ("Roll", "Role"),
    "count": ("Antal", "Number"),
    "links_once": ("Inbjudningslänkar — visas bara nu, skicka dem till deltagarna:",
                   "Invitation links — shown only now, send them to the participants:"),
    "results": ("Resultat", "Results"),
    "dashboard": ("Samordnarens översikt", "Facilitator's dashboard"),
    "theme": ("Tema", "Theme"),
    "rank": ("Plats", "Rank"),
    "proposal": ("Förslag", "Proposal"),
    "score": ("Poäng", "Score"),
    "median": ("Median", "Median"),
    "interval": ("Rangintervall (95 %)", "Rank interval (95%)"),
    "p_top": ("I topplistan", "In the top list"),
    "rand": ("RAND/UCLA", "RAND/UCLA"),
    "consensus": ("Konsensus", "Consensus"),
    "answers": ("Svar", "Answers"),
    "top": ("Topplista", "Top list"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    "next_round": ("Nästa omgång", "Next round"),
    "propose_choice": ("Skapa omgång med tvingande val", "Create a forced-choice round"),
    "send": ("Skicka till handlingsplanen", "Send to the action plan"),
    "area": ("Kommunkod", "Municipality code"),
    "sent": ("förslag finns nu i handlingsplanen för", "proposals are now in the action plan of"),
    "report": ("Rapport", "Report"),
    "audit": ("Logg", "Audit log"),
    "your_form": ("Ditt formulär", "Your form"),
    "form_intro": ("Ge varje förslag ett betyg på varje kriterium. Du kan spara och fortsätta "
                   "senare; när du lämnar in kan du inte ändra längre. Dina svar visas bara "
                   "utan namn.",
                   "Rate each proposal on each criterion. You can save and come back; once you "
                   "hand in you can no longer change. Your answers are only shown without "
                   "your name."),
    "not_answered": ("ej besvarat", "not answered"),
    "comment": ("Kommentar", "Comment"),
    "save": ("Spara och fortsätt senare", "Save and continue later"),
    "submit": ("Lämna in", "Hand in"),
    "saved_msg": ("Dina svar är sparade.", "Your answers are saved."),
    "submitted_msg": ("Tack! Dina svar är inlämnade.", "Thank you! Your answers are handed in."),
    "group_before": ("Gruppen förra omgången", "The group last round"),
    "your_before": ("ditt svar då", "your answer then"),
    "choose_top": ("Välj de viktigaste förslagen i ordning", "Choose the most important "
                   "proposals in order"),
    "points": ("Fördela 100 poäng", "Spread 100 points"),
    "place": ("Plats", "Place"),
    "sign_in": ("Logga in (styrningens inloggning) för att se prioriteringen.",
                "Sign in (the steering sign-in) to see the prioritisation."),
    "log_in": ("Logga in", "Sign in"),
    "criteria": ("Kriterier", "Criteria"),
    "not_open": ("Omgången tar inte emot svar just nu", "The round does not take answers now"),
    "error": ("Något gick inte att göra", "Something could not be done"),
    "messages_sv": ("", "Messages from the statistics and errors are in Swedish."),
    "when": ("Tid (UTC)", "Time (UTC)"),
    "state_draft": ("utkast", "draft"),
    "state_open": ("öppen", "open"),
    "state_closed": ("stängd", "closed"),
    "kind_rating": ("skattning", "rating"),
    "kind_home": ("konsultation på hemmaplan", "home consultation"),
    "kind_merged": ("sammanvägd omgång", "merged round"),
    "kind_forced_choice": ("tvingande val", "forced choice"),
    "examples": ("goda exempel", "good examples"),
    "who": ("Vem", "Who"),
    "what": ("Vad", "What"),
}


@dataclass(frozen=True)
class Identity:
    """Who is asking, as the composition root tells it: a user name (None: anonymous) and
    whether they administer the steering loop (then they count as facilitator)."""

    username: str | None
    admin: bool = False


_config: dict[str, Any] = {}
_env = Environment(loader=template_loader(PackageLoader("jamlik.prioritisation_web",
                                                        "templates")),
                   autoescape=select_autoescape(["html"]))


def configure(app: FastAPI, *, prioritisation: Callable[[], Prioritisation],
              identify: Callable[[Request], Identity],
              send_to_plan: Callable[[Request, int, str, Sequence[str]], list[int]] | None = None,
              ) -> None:
    """prioritisation: the workflow on the workflow database (asked on first use);
    identify: who is signed in; send_to_plan: hands chosen proposals to the steering loop."""
    _config.clear()
    _config.update(prio=prioritisation, identify=identify, send=send_to_plan)
    app.state.jamlik_prioritisation = _config


def _prio() -> Prioritisation:
    return _config["prio"]()


class _Route(APIRoute):
    """Prioritisation errors become a Swedish page with their status (nothing half-done)."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                for name in ("round_id", "theme"):
                    value = request.path_params.get(name)
                    if value is not None and not 0 < int(value) <= MAX_ID:
                        raise NotFound(f"Sidan finns inte: {name} {value} är inget giltigt id.")
                return await handler(request)
            except PrioritisationError as exc:
                return _page(request, "message.html", title="Fel", heading_key="error",
                             message=exc.message, status_code=exc.status_code)

        return route


router = APIRouter(prefix=PREFIX, include_in_schema=False, route_class=_Route)


# -- rendering, roles, CSRF --------------------------------------------------------------------
def _lang(request: Request) -> str:
    return language(request.query_params.get("lang"))


def _u(request: Request, path: str) -> str:
    return path + translator(_lang(request), WORDS).query


def _page(request: Request, name: str, *, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    lang = _lang(request)
    t = translator(lang, WORDS)
    other = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if not is_default(t.other):
        other.append(("lang", t.other))
    switch = request.url.path + ("?" + urlencode(other) if other else "")
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    html = _env.get_template(name).render(
        t=t, lang=lang, switch_language=switch, csrf=token,
        u=lambda p: _u(request, p), n=_num,
        states={k: t(f"state_{k}") for k in STATE_LABELS_SV},
        kinds={k: t(f"kind_{k}") for k in KIND_LABELS_SV},
        prefix=PREFIX, **ctx)
    resp = HTMLResponse(html, status_code=status_code)
    if request.cookies.get(CSRF_COOKIE) != token:
        resp.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path=PREFIX)
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _num(x: float | None, d: int = 1) -> str:
    return "–" if x is None or not math.isfinite(x) else fmt_num(x, decimals=d)


def _who(request: Request) -> Identity:
    return _config["identify"](request)


def _role(request: Request) -> tuple[Identity, str | None]:
    me = _who(request)
    if me.admin:
        return me, "facilitator"
    return me, _prio().role_of(me.username)


def _need(request: Request, role: str) -> str:
    me, have = _role(request)
    if me.username is None:
        raise _NotSignedIn()
    if have == "facilitator" or (role == "viewer" and have == "viewer"):
        return me.username
    raise PermissionDenied(
        "Du behöver rollen " + ("samordnare" if role == "facilitator" else "läsare eller "
                                "samordnare") + " i prioriteringen. Be en samordnare eller "
        "administratör (jamlik prioritise member NAMN --role …).")


class _NotSignedIn(PrioritisationError):
    status_code = 401

    def __init__(self) -> None:
        super().__init__("Logga in för att se prioriteringen (/styrning/logga-in).")


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    data = {k: str(v) for k, v in form.items()}
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    if not cookie or not hmac.compare_digest(cookie.encode(), data.get("csrf_token", "").encode()):
        raise PermissionDenied("Formuläret kunde inte verifieras (CSRF-skydd). Ladda om sidan "
                               "och försök igen. Inget sparades.")
    return data


def _back(request: Request, path: str, **params: str) -> RedirectResponse:
    param = translator(_lang(request), WORDS).param
    if param:
        params["lang"] = param
    return RedirectResponse(path + ("?" + urlencode(params) if params else ""), status_code=303)


# -- facilitator and viewer pages ----------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    me, role = _role(request)
    if me.username is None or role is None:
        return _page(request, "message.html", title="Prioritering",
                     heading_key="prioritisation",
                     message=translator(_lang(request), WORDS)("sign_in"),
                     login=True, status_code=401 if me.username is None else 403)
    prio = _prio()
    rounds = prio.rounds()
    counts = {r.id: len(prio.participants(r.id)) for r in rounds}
    return _page(request, "index.html", title="Prioritering", rounds=rounds, counts=counts,
                 catalogues=prio.catalogues(), role=role, me=me)


@router.post("/omgangar")
async def create_round(request: Request) -> Response:
    who = _need(request, "facilitator")
    f = await _form(request)
    themes = [int(x) for x in f.get("themes", "").replace(" ", "").split(",") if x.isdigit()]
    scale = 5 if f.get("scale") == "5" else 9
    rnd = _prio().create_round(who, f.get("catalogue", ""), f.get("title", ""), scale=scale,
                               themes=themes)
    return _back(request, f"{PREFIX}/omgang/{rnd.id}")


@router.get("/omgang/{round_id}", response_class=HTMLResponse)
def dashboard(request: Request, round_id: int) -> HTMLResponse:
    _need(request, "facilitator")
    return _dashboard(request, round_id)


def _dashboard(request: Request, round_id: int, *, links: list[tuple[str, str]] | None = None,
               sent: tuple[int, str] | None = None) -> HTMLResponse:
    prio = _prio()
    rnd = prio.round(round_id)
    parts = prio.participants(round_id)
    by_group: dict[str, list[int]] = {}
    for p in parts:
        row = by_group.setdefault(p.stakeholder_group, [0, 0, 0])
        row[0] += 1
        row[1] += p.saved_at is not None
        row[2] += p.submitted_at is not None
    res = prio.results(round_id, resamples=1000)
    return _page(request, "dashboard.html", title=rnd.title, rnd=rnd, by_group=by_group,
                 res=res, links=links or [], sent=sent, why=prio.accepting(rnd),
                 formats=FORMATS, choice_formats=CHOICE_FORMATS)


@router.post("/omgang/{round_id}/oppna")
async def open_round(request: Request, round_id: int) -> Response:
    who = _need(request, "facilitator")
    await _form(request)
    _prio().open_round(who, round_id)
    return _back(request, f"{PREFIX}/omgang/{round_id}")


@router.post("/omgang/{round_id}/stang")
async def close_round(request: Request, round_id: int) -> Response:
    who = _need(request, "facilitator")
    await _form(request)
    _prio().close_round(who, round_id)
    return _back(request, f"{PREFIX}/omgang/{round_id}")


@router.post("/omgang/{round_id}/bjud-in", response_class=HTMLResponse)
async def invite(request: Request, round_id: int) -> HTMLResponse:
    who = _need(request, "facilitator")
    f = await _form(request)
    try:
        count = max(1, min(200, int(f.get("count") or 1)))
    except ValueError:
        count = 1
    prio = _prio()
    links = []
    for _ in range(count):
        p, token = prio.invite(who, round_id, organisation=f.get("organisation", ""),
                               group=f.get("group", ""), role=f.get("role") or None)
        links.append((p.pseudonym, f"{PREFIX}/omgang/{round_id}/svar/{token}"))
    return _dashboard(request, round_id, links=links)


@router.post("/omgang/{round_id}/tvingande-val/{theme}")
async def forced_choice(request: Request, round_id: int, theme: int) -> Response:
    who = _need(request, "facilitator")
    await _form(request)
    new = _prio().propose_forced_choice(who, round_id, theme)
    return _back(request, f"{PREFIX}/omgang/{new.id}")


@router.post("/omgang/{round_id}/skicka", response_class=HTMLResponse)
async def send(request: Request, round_id: int) -> HTMLResponse:
    _need(request, "facilitator")
    form = await request.form()
    await _form(request)
    keys = [str(k) for k in form.getlist("proposal")]
    area = str(form.get("area") or "").strip()
    if not keys:
        raise PrioritisationError("Välj minst ett förslag att skicka till handlingsplanen.")
    if _config.get("send") is None:
        raise PrioritisationError("Styrningen är inte ansluten — förslagen kan inte skickas.")
    ids = _config["send"](request, round_id, area, keys)
    return _dashboard(request, round_id, sent=(len(ids), area))


@router.get("/omgang/{round_id}/resultat", response_class=HTMLResponse)
def results(request: Request, round_id: int) -> HTMLResponse:
    _need(request, "viewer")
    prio = _prio()
    res = prio.results(round_id)
    return _page(request, "results.html", title=f"Resultat: {res.title}", res=res,
                 formats=FORMATS, examples=_examples_by_area(prio, res.catalogue_key))


def _examples_by_area(prio: Prioritisation, catalogue: str) -> dict[str, int]:
    """Samling action area number -> how many of the knowledge bank's examples (shipped and
    published) work on it ("andra som arbetat med detta" beside each proposal); other
    catalogues' proposals have no action-area number, so none."""
    if catalogue != SAMLING_KEY:
        return {}
    from jamlik.knowledge import ReviewDesk, load_bank

    bank = ReviewDesk(prio.engine, load_bank()).examples()
    return dict(Counter(str(a) for e in bank for a in e.action_areas))


@router.get("/omgang/{round_id}/rapport.{fmt}")
def report(request: Request, round_id: int, fmt: str) -> Response:
    _need(request, "viewer")
    if fmt not in FORMATS:
        raise NotFound(f"Rapporten finns som html, pdf eller docx, inte {fmt[:10]!r}.")
    body = render_report(_prio().results(round_id), fmt)
    if fmt == "html":
        body = for_screen(body.decode("utf-8")).encode("utf-8")
    media = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    headers = {"Cache-Control": "private, no-store"}
    if fmt != "html":
        headers["Content-Disposition"] = f'attachment; filename="prioritering-{round_id}.{fmt}"'
    return Response(body, media_type=media[fmt], headers=headers)


@router.get("/logg", response_class=HTMLResponse)
def audit(request: Request) -> HTMLResponse:
    _need(request, "facilitator")
    return _page(request, "audit.html", title="Logg", entries=_prio().audit_log(limit=300))


# -- the participant's form ----------------------------------------------------------------------
def _form_page(request: Request, round_id: int, token: str, *, message: str | None = None,
               status_code: int = 200) -> HTMLResponse:
    prio = _prio()
    rnd = prio.round(round_id)
    me = prio.participant_for(round_id, token)
    own, comments = prio.own_answers(round_id, token)
    props = prio.round_proposals(round_id)
    themes: dict[int, list[Any]] = {}
    for p in props:
        themes.setdefault(p.theme_number, []).append(p)
    return _page(request, "form.html", title=rnd.title, rnd=rnd, me=me, themes=themes,
                 own=own, comments=comments, feedback=prio.feedback(round_id, token),
                 why=prio.accepting(rnd), message=message, status_code=status_code,
                 action=f"{PREFIX}/omgang/{round_id}/svar/{token}")


@router.get("/omgang/{round_id}/svar/{token}", response_class=HTMLResponse)
def participant_form(request: Request, round_id: int, token: str) -> HTMLResponse:
    return _form_page(request, round_id, token)


@router.post("/omgang/{round_id}/svar/{token}", response_class=HTMLResponse)
async def participant_save(request: Request, round_id: int, token: str) -> HTMLResponse:
    f = await _form(request)
    prio = _prio()
    rnd = prio.round(round_id)
    submit = f.get("action") == "submit"
    t = translator(_lang(request), WORDS)
    if rnd.kind == "forced_choice":
        themes = sorted({p.theme_number for p in prio.round_proposals(round_id)})
        for theme in themes:
            if rnd.choice_format == "top5":
                order = [f[k] for k in sorted((k for k in f if k.startswith(f"top|{theme}|")),
                                              key=lambda k: int(k.split("|")[2])) if f[k]]
                prio.save_choice(round_id, token, theme, order,
                                 submit=submit and theme == themes[-1])
            else:
                pts = {k.split("|", 2)[2]: v or "0" for k, v in f.items()
                       if k.startswith(f"pts|{theme}|")}
                prio.save_choice(round_id, token, theme, pts,
                                 submit=submit and theme == themes[-1])
    else:
        answers = [(k.split("|")[1], k.split("|")[2], v) for k, v in f.items()
                   if k.startswith("r|") and k.count("|") == 2 and v.strip()]
        comments = {k.split("|", 1)[1]: v for k, v in f.items() if k.startswith("c|")}
        prio.save_answers(round_id, token, answers, comments=comments, submit=submit)
    return _form_page(request, round_id, token,
                      message=t("submitted_msg" if submit else "saved_msg"))


__all__ = ["PREFIX", "WORDS", "Identity", "configure", "router"]
