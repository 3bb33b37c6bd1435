"""The knowledge bank's forms: submitting an example (any signed-in user), reviewing and
publishing it (the reviewer role), editing a draft with its history; creating and editing an
initiative, ticking its checklists, moving it through its phases and writing its meetings,
decisions, agreements, risks and learning log; submitting an idea to the arena (anyone) and
deciding its steps (reviewer).

Every POST checks the CSRF token first (``web.form_data``); every change is one call of the
``jamlik.knowledge`` workflows, which write all or nothing and refuse with a Swedish
``ReviewError`` — then the page is shown again with the message (and, for the example form,
what was typed), status 400/403, nothing written.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from jamlik.knowledge import (
    COLUMNS,
    DECISIONS,
    EVIDENCE_LEVELS,
    KINDS,
    PHASES,
    RECORD_KINDS,
    ROLES,
    SECTORS,
    STAGES,
    STATES,
    Entry,
    Initiatives,
    ReviewDesk,
    ReviewError,
    fold,
    initiative_report,
)
from jamlik.knowledge_web import web
from jamlik.knowledge_web.web import PREFIX, WORDS, _Refused, back, form_data, need_user, router
from jamlik.web import language, translator
from jamlik.web.documents import FORMATS, MEDIA_TYPES, attachment_headers, render_document

#: The record kinds a form may write (phase changes are written by "advance").
FORM_KINDS = tuple(k for k in RECORD_KINDS if k != "phase")


def _lang(request: Request) -> str:
    return language(request.query_params.get("lang"))


def _desk() -> ReviewDesk:
    desk = web._desk()
    if desk is None:
        raise _Refused("Kunskapsbanken har ingen arbetsdatabas (JAMLIK_DATABASE_URL); "
                       "formulären går inte att använda.", 503)
    return desk


def _work() -> Initiatives:
    desk = _desk()
    return Initiatives(desk.engine, roles=desk.roles)


def _one(data: dict[str, list[str]], key: str) -> str:
    return (data.get(key) or [""])[0].strip()


def _date(text: str) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ReviewError(f'"{text}" är inget datum — skriv ÅÅÅÅ-MM-DD, t.ex. 2025-03-14.'
                          ) from None


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:60].strip("-")


# -- examples: submit, list, review, publish, edit -------------------------------------------
def _cells(data: dict[str, list[str]]) -> dict[str, str]:
    """The form's fields as a bank row's cells (several values joined by ";")."""
    cells = {c: ";".join(v.strip() for v in data.get(c, []) if v.strip()) for c in COLUMNS}
    for c in ("municipality_codes", "action_areas", "malomraden", "sdg_targets", "indicators"):
        cells[c] = ";".join(p for p in re.split(r"[;,\s]+", cells[c]) if p)
    if not cells["id"] and cells["title"]:
        cells["id"] = _slug(cells["title"])
    return cells


def _example_form(request: Request, *, cells: dict[str, str], action: str, message: str = "",
                  entry: Entry | None = None, status_code: int = 200) -> HTMLResponse:
    lng = _lang(request)
    t = translator(lng, WORDS)
    return web._render(request, "submit.html", lng,
                       title=t("edit_example") if entry else t("submit_example"),
                       cells=cells, action=action, message=message, entry=entry,
                       sectors=SECTORS, kinds=KINDS, evidence_levels=EVIDENCE_LEVELS,
                       multi={c: set(cells.get(c, "").split(";")) for c in
                              ("sectors", "malomraden")},
                       private=True, status_code=status_code)


@router.get("/skicka-in", response_class=HTMLResponse)
def submit_form(request: Request) -> HTMLResponse:
    need_user(request)
    return _example_form(request, cells={c: "" for c in COLUMNS}, action=f"{PREFIX}/skicka-in")


@router.post("/skicka-in", response_class=HTMLResponse)
async def submit_example(request: Request) -> Response:
    who = need_user(request)
    cells = _cells(await form_data(request))
    try:
        entry = _desk().submit(who, cells)
    except ReviewError as exc:
        return _example_form(request, cells=cells, action=f"{PREFIX}/skicka-in",
                             message=str(exc), status_code=400)
    return back(request, f"{PREFIX}/inskickat/{entry.id}")


def _may_see(desk: ReviewDesk, who: str, entry: Entry) -> bool:
    return entry.submitted_by == who or bool(desk.roles(who) & {"reviewer", "editor"})


@router.get("/inskickat", response_class=HTMLResponse)
def submissions(request: Request) -> HTMLResponse:
    """The signed-in user's submissions; reviewers see every one."""
    who = need_user(request)
    desk = _desk()
    entries = [e for e in desk.entries() if _may_see(desk, who, e)]
    lng = _lang(request)
    return web._render(request, "submissions.html", lng,
                       title=translator(lng, WORDS)("submissions"), entries=entries,
                       states=STATES, roles=sorted(desk.roles(who)), role_words=ROLES,
                       private=True)


def _entry(request: Request, desk: ReviewDesk, who: str, sid: int) -> Entry:
    entry = desk.get(sid)
    if not _may_see(desk, who, entry):
        raise _Refused("Bara den som skickade in exemplet och kunskapsbankens granskare kan "
                       "se det innan det är publicerat.", 403)
    return entry


def _entry_page(request: Request, sid: int, message: str = "",
                status_code: int = 200) -> HTMLResponse:
    who = need_user(request)
    desk = _desk()
    entry = _entry(request, desk, who, sid)
    roles = desk.roles(who)
    reviewer = bool(roles & {"reviewer", "editor"})
    lng = _lang(request)
    return web._render(
        request, "submission.html", lng, title=entry.example.title, entry=entry,
        states=STATES, message=message, private=True, status_code=status_code,
        may_edit=entry.state == "draft" and (entry.submitted_by == who or reviewer),
        may_review=entry.state == "draft" and reviewer and entry.submitted_by != who,
        may_publish=entry.state == "reviewed" and reviewer)


@router.get("/inskickat/{sid}", response_class=HTMLResponse)
def submission(request: Request, sid: int) -> HTMLResponse:
    return _entry_page(request, sid)


@router.get("/inskickat/{sid}/andra", response_class=HTMLResponse)
def edit_form(request: Request, sid: int) -> HTMLResponse:
    who = need_user(request)
    desk = _desk()
    entry = _entry(request, desk, who, sid)
    cells = {c: (";".join(map(str, v)) if isinstance(v, (list, tuple)) else
                 ("" if v is None else str(v)))
             for c, v in entry.example.as_json().items() if c in COLUMNS}
    return _example_form(request, cells=cells, action=f"{PREFIX}/inskickat/{sid}/andra",
                         entry=entry)


@router.post("/inskickat/{sid}/andra", response_class=HTMLResponse)
async def edit_example(request: Request, sid: int) -> Response:
    who = need_user(request)
    cells = _cells(await form_data(request))
    desk = _desk()
    entry = _entry(request, desk, who, sid)
    cells["id"] = entry.example.id  # a submission keeps its id
    try:
        desk.edit(who, sid, cells)
    except ReviewError as exc:
        return _example_form(request, cells=cells, action=f"{PREFIX}/inskickat/{sid}/andra",
                             entry=entry, message=str(exc), status_code=400)
    return back(request, f"{PREFIX}/inskickat/{sid}")


@router.post("/inskickat/{sid}/{step}", response_class=HTMLResponse)
async def move_example(request: Request, sid: int, step: str) -> Response:
    """granska (draft → reviewed), publicera (reviewed → published), skicka-tillbaka."""
    who = need_user(request)
    data = await form_data(request)
    desk = _desk()
    note = _one(data, "note") or None
    try:
        if step == "granska":
            desk.review(who, sid, note)
        elif step == "publicera":
            desk.publish(who, sid, note)
        elif step == "skicka-tillbaka":
            desk.send_back(who, sid, note or "")
        else:
            raise _Refused(f'"{step}" är inget steg i granskningen.', 404)
    except _Refused:
        raise
    except ReviewError as exc:
        status = 403 if "behörighet" in str(exc) else 400
        try:
            return _entry_page(request, sid, message=str(exc), status_code=status)
        except _Refused:  # may not even see the draft: the refusal alone
            raise _Refused(str(exc), status) from None
    return back(request, f"{PREFIX}/inskickat/{sid}")


# -- roles ------------------------------------------------------------------------------------
def _roles_page(request: Request, message: str = "", status_code: int = 200) -> HTMLResponse:
    who = need_user(request)
    desk = _desk()
    if "editor" not in desk.roles(who):
        raise _Refused("Bara kunskapsbankens redaktörer ser och ger roller (jamlik knowledge "
                       "grant ANVÄNDARE editor ger den första).", 403)
    lng = _lang(request)
    return web._render(request, "roles.html", lng, title=translator(lng, WORDS)("roles_title"),
                       holders=desk.holders(), events=desk.role_events(), role_words=ROLES,
                       message=message, private=True, status_code=status_code)


@router.get("/roller", response_class=HTMLResponse)
def roles_page(request: Request) -> HTMLResponse:
    """Who holds which role in the knowledge bank; editors grant roles here."""
    return _roles_page(request)


@router.post("/roller", response_class=HTMLResponse)
async def grant_role(request: Request) -> Response:
    who = need_user(request)
    data = await form_data(request)
    try:
        _desk().grant(who, _one(data, "username"), _one(data, "role"))
    except ReviewError as exc:
        status = 403 if "Bara en redaktör" in str(exc) else 400
        if status == 403:
            raise _Refused(str(exc), 403) from None
        return _roles_page(request, message=str(exc), status_code=status)
    return back(request, f"{PREFIX}/roller")


@router.post("/roller/ta-bort", response_class=HTMLResponse)
async def revoke_role(request: Request) -> Response:
    """An editor takes a role away (one audit row); a role the user does not hold changes
    nothing and says so; the last editor stays."""
    who = need_user(request)
    data = await form_data(request)
    username, role = _one(data, "username"), _one(data, "role")
    try:
        removed = _desk().revoke(who, username, role)
    except ReviewError as exc:
        if "Bara en redaktör" in str(exc):
            raise _Refused(str(exc), 403) from None
        return _roles_page(request, message=f"{exc} Inget ändrades.", status_code=400)
    if not removed:
        t = translator(_lang(request), WORDS)
        return _roles_page(request, message=t("not_held").format(
            user=username, role=t.word(ROLES[role])))
    return back(request, f"{PREFIX}/roller")


# -- initiatives ------------------------------------------------------------------------------
@router.get("/initiativ", response_class=HTMLResponse)
def initiatives(request: Request) -> HTMLResponse:
    lng = _lang(request)
    work = web._initiatives()
    return web._render(request, "initiatives.html", lng,
                       title=translator(lng, WORDS)("initiatives"),
                       items=work.all() if work else [], phases=PHASES)


@router.post("/initiativ", response_class=HTMLResponse)
async def create_initiative(request: Request) -> Response:
    who = need_user(request)
    data = await form_data(request)
    members = [m for m in re.split(r"[;,\s]+", _one(data, "members")) if m]
    iid = _work().create(who, _one(data, "title"), _one(data, "purpose") or None, members)
    return back(request, f"{PREFIX}/initiativ/{iid}")


def initiative_view(request: Request, iid: int, message: str = "",
                    status_code: int = 200) -> HTMLResponse:
    work = web._initiatives()
    if work is None:
        raise _Refused(translator(_lang(request), WORDS)("no_initiative"), 404)
    try:
        view = work.get(iid)
    except ReviewError:
        raise _Refused(translator(_lang(request), WORDS)("no_initiative"), 404) from None
    who = web.user(request)
    lng = _lang(request)
    return web._render(request, "initiative.html", lng, title=view.title, v=view,
                       phases=PHASES, kinds=RECORD_KINDS, form_kinds=FORM_KINDS,
                       sectors=SECTORS, message=message, status_code=status_code,
                       editable=who is not None and work.can_edit(who, iid),
                       today=date.today().isoformat(), private=bool(who))


@router.get("/initiativ/{iid}", response_class=HTMLResponse)
def initiative_page(request: Request, iid: int) -> HTMLResponse:
    """An initiative's story (partners, phases, learning log, timeline) and, for those who
    may edit it, the forms."""
    return initiative_view(request, iid)


@router.get("/initiativ/{iid}/berattelse.{fmt}")
def initiative_story(request: Request, iid: int, fmt: str) -> Response:
    """The initiative's story as a report: HTML, PDF (WeasyPrint) or DOCX (python-docx),
    one HTML document rendered by ``jamlik.web.documents``."""
    work = web._initiatives()
    if fmt not in FORMATS or work is None:
        raise _Refused(translator(_lang(request), WORDS)("no_initiative"), 404)
    try:
        view = work.get(iid)
    except ReviewError:
        raise _Refused(translator(_lang(request), WORDS)("no_initiative"), 404) from None
    body = render_document(initiative_report(view), fmt, title=view.title)
    headers = {} if fmt == "html" else attachment_headers(f"initiativ-{iid}.{fmt}")
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)


async def _change(request: Request, iid: int, do: Any) -> Response:  # noqa: ANN401
    who = need_user(request)
    data = await form_data(request)
    try:
        do(_work(), who, data)
    except ReviewError as exc:
        status = 403 if "behörighet" in str(exc) else 400
        return initiative_view(request, iid, message=str(exc), status_code=status)
    return back(request, f"{PREFIX}/initiativ/{iid}")


@router.post("/initiativ/{iid}/andra", response_class=HTMLResponse)
async def edit_initiative(request: Request, iid: int) -> Response:
    return await _change(request, iid, lambda w, who, d: w.update(
        who, iid, title=_one(d, "title"), purpose=_one(d, "purpose") or None,
        members=[m for m in re.split(r"[;,\s]+", _one(d, "members")) if m]))


@router.post("/initiativ/{iid}/partner", response_class=HTMLResponse)
async def add_partner(request: Request, iid: int) -> Response:
    return await _change(request, iid, lambda w, who, d: w.add_partner(
        who, iid, _one(d, "organisation"), _one(d, "sector"), _one(d, "role") or None))


@router.post("/initiativ/{iid}/punkt", response_class=HTMLResponse)
async def add_point(request: Request, iid: int) -> Response:
    return await _change(request, iid, lambda w, who, d: w.add_checklist_item(
        who, iid, _one(d, "phase"), _one(d, "text")))


def _point(w: Initiatives, who: str, d: dict[str, list[str]], iid: int, item: int) -> None:
    action = _one(d, "action")
    if action == "remove":
        w.remove_checklist_item(who, iid, item)
    elif action == "reword":
        w.edit_checklist_item(who, iid, item, text=_one(d, "text"))
    elif action in ("done", "undo"):
        w.edit_checklist_item(who, iid, item, done=action == "done")
    else:
        raise ReviewError(f'"{action}" är ingen ändring av en punkt (done, undo, reword, '
                          "remove).")


@router.post("/initiativ/{iid}/punkt/{item}", response_class=HTMLResponse)
async def change_point(request: Request, iid: int, item: int) -> Response:
    return await _change(request, iid, lambda w, who, d: _point(w, who, d, iid, item))


@router.post("/initiativ/{iid}/fas", response_class=HTMLResponse)
async def advance(request: Request, iid: int) -> Response:
    return await _change(request, iid, lambda w, who, d: w.advance(
        who, iid, _date(_one(d, "on")), _one(d, "note") or None))


def _score(text: str, what: str) -> int:
    if not re.fullmatch(r"[1-5]", text):
        raise ReviewError(f"Ange {what} som ett heltal 1–5.")
    return int(text)


def _record(w: Initiatives, who: str, d: dict[str, list[str]], iid: int) -> None:
    kind = _one(d, "kind")
    details: dict[str, Any] = {}
    if kind == "learning":
        details = {k: _one(d, k) for k in ("tried", "learned", "change")}
    elif kind == "risk":
        details = {"likelihood": _score(_one(d, "likelihood"), "sannolikheten"),
                   "impact": _score(_one(d, "impact"), "konsekvensen"),
                   "mitigation": _one(d, "mitigation") or None}
    elif kind == "agreement":
        details = {"parties": [p.strip() for p in re.split(r"[;,]", _one(d, "parties"))
                               if p.strip()]}
    elif kind == "decision" and _one(d, "decided_by"):
        details = {"decided_by": _one(d, "decided_by")}
    if _one(d, "notes"):
        details["notes"] = _one(d, "notes")
    w.record(who, iid, kind, _date(_one(d, "on")), _one(d, "title"), **details)


@router.post("/initiativ/{iid}/anteckning", response_class=HTMLResponse)
async def add_record(request: Request, iid: int) -> Response:
    return await _change(request, iid, lambda w, who, d: _record(w, who, d, iid))


# -- the arena ---------------------------------------------------------------------------------
@router.post("/arena/ide", response_class=HTMLResponse)
async def submit_idea(request: Request) -> Response:
    """Anyone may submit an idea (a name or organisation is enough; no sign-in)."""
    data = await form_data(request)
    try:
        iid = _work().submit_idea(_one(data, "submitted_by"), _one(data, "title"),
                                  _one(data, "description"),
                                  _one(data, "sector") or "civilsamhälle")
    except ReviewError as exc:
        return web.arena_view(request, message=str(exc), typed=data, status_code=400)
    return back(request, f"{PREFIX}/arena/ide/{iid}")


def idea_view(request: Request, idea_id: int, message: str = "",
              status_code: int = 200) -> HTMLResponse:
    work = _work()
    idea = work.idea(idea_id)
    who = web.user(request)
    lng = _lang(request)
    decider = bool(who) and bool(_desk().roles(who or "") & {"reviewer", "editor"})
    return web._render(request, "idea.html", lng, title=idea.title, idea=idea, stages=STAGES,
                       decisions=DECISIONS, sectors=SECTORS, message=message,
                       decider=decider, today=date.today().isoformat(),
                       done=idea.stage in ("implementation", "social_investment", "stopped"),
                       status_code=status_code, private=bool(who))


@router.get("/arena/ide/{idea_id}", response_class=HTMLResponse)
def idea_page(request: Request, idea_id: int) -> HTMLResponse:
    return idea_view(request, idea_id)


@router.post("/arena/ide/{idea_id}/beslut", response_class=HTMLResponse)
async def decide(request: Request, idea_id: int) -> Response:
    who = need_user(request)
    d = await form_data(request)
    try:
        _work().decide_step(who, idea_id, owner=_one(d, "owner"), decision=_one(d, "decision"),
                            on=_date(_one(d, "on")), support=_one(d, "support") or None,
                            criteria=_one(d, "criteria") or None, note=_one(d, "note") or None,
                            outcome=_one(d, "outcome") or None,
                            economics_case=_one(d, "economics_case") or None)
    except ReviewError as exc:
        status = 403 if "behörighet" in str(exc) else 400
        return idea_view(request, idea_id, message=str(exc), status_code=status)
    return back(request, f"{PREFIX}/arena/ide/{idea_id}")
