"""Cross-sector initiatives through their four phases, and the arena for social innovations.

**Initiatives** (like the Samling, FOKUS 20-25, En dörr in): partner organisations and their
roles, the phase — förberedelse, engagera, genomförande, institutionalisering, the Samling
för social hållbarhet i Dalarna's four phases — each with an editable checklist, and a dated
record of meetings, decisions, agreements (överenskommelser), risks and the learning log
("learning history": what we tried, what we learned, what we change). An initiative moves
to the next phase when every point of its current phase's checklist is done. The timeline is
every record and phase change by date; ``initiative_report`` writes the story as HTML.

**Arena** ideas (anyone may submit one, civil society first) pass idea → assessment →
development → test → new test → evaluation → implementation in ordinary operations, or a
social investment (an economics case, linked by its id). Every step records its owner, the
support offered, the criteria and the decision (go on, test again, stop).

Tables (workflow database, Alembic migration 0008, owner ``jamlik.knowledge``):
``initiatives``, ``initiative_partners``, ``initiative_checklist``, ``initiative_records``,
``arena_ideas``, ``arena_steps``. A refused change raises ``ReviewError`` (Swedish) and
writes nothing.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Text,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from jamlik.knowledge._model import SECTORS
from jamlik.knowledge._review import KnowledgeBase, ReviewError, _now

#: The four phases in order: code -> (Swedish, English).
PHASES: dict[str, tuple[str, str]] = {
    "forberedelse": ("Förberedelse", "Preparation"),
    "engagera": ("Engagera", "Engage"),
    "genomforande": ("Genomförande", "Implementation"),
    "institutionalisering": ("Institutionalisering", "Institutionalisation"),
}
#: Each phase's starting checklist (from the Samling's process description); editable.
CHECKLISTS: dict[str, tuple[str, ...]] = {
    "forberedelse": ("Samla gruppen", "Analysera sammanhanget", "Identifiera behov",
                     "Skapa en gemensam bild", "Enas om mål"),
    "engagera": ("Bygg tillit och kunskapsallianser", "Håll breda dialoger",
                 "Hitta varje aktörs väg in"),
    "genomforande": ("Samskapa kunskap", "Genomför gemensamma aktiviteter",
                     "Ta fram förslag för framtiden"),
    "institutionalisering": ("Utvärdera processen", "Förbered beslut",
                             "Planera genomförande och förvaltning",
                             "Planera uppföljande processer"),
}
#: Kinds of dated record: code -> (Swedish, English).
RECORD_KINDS: dict[str, tuple[str, str]] = {
    "meeting": ("möte", "meeting"),
    "decision": ("beslut", "decision"),
    "agreement": ("överenskommelse", "agreement"),
    "risk": ("risk", "risk"),
    "learning": ("lärande", "learning"),
    "phase": ("fas", "phase"),
}
#: Arena stages in order: code -> (Swedish, English).
STAGES: dict[str, tuple[str, str]] = {
    "idea": ("Idé", "Idea"),
    "assessment": ("Bedömning", "Assessment"),
    "development": ("Utveckling", "Development"),
    "test": ("Test", "Test"),
    "new_test": ("Nytt test", "New test"),
    "evaluation": ("Utvärdering", "Evaluation"),
    "implementation": ("Ordinarie verksamhet", "Ordinary operations"),
    "social_investment": ("Social investering", "Social investment"),
    "stopped": ("Avslutad", "Stopped"),
}
DECISIONS: dict[str, tuple[str, str]] = {
    "go": ("gå vidare", "go on"),
    "repeat": ("testa igen", "test again"),
    "stop": ("avsluta", "stop"),
}
_NEXT = {"idea": "assessment", "assessment": "development", "development": "test",
         "test": "new_test", "new_test": "evaluation"}
_ENDS = ("implementation", "social_investment", "stopped")


# -- tables ------------------------------------------------------------------------------------
class Initiative(KnowledgeBase):
    __tablename__ = "initiatives"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str | None] = mapped_column(Text)
    phase: Mapped[str] = mapped_column(String(30), default="forberedelse")
    created_by: Mapped[str] = mapped_column(String(80))
    #: user names who may edit it besides its creator and the bank's editors
    members: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)


class Partner(KnowledgeBase):
    __tablename__ = "initiative_partners"
    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"),
                                               index=True)
    organisation: Mapped[str] = mapped_column(String(300))
    sector: Mapped[str] = mapped_column(String(30))
    role: Mapped[str | None] = mapped_column(String(300))


class ChecklistItem(KnowledgeBase):
    __tablename__ = "initiative_checklist"
    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"),
                                               index=True)
    phase: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_by: Mapped[str | None] = mapped_column(String(80))
    done_on: Mapped[date | None] = mapped_column(Date)


class Record(KnowledgeBase):
    __tablename__ = "initiative_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"),
                                               index=True)
    kind: Mapped[str] = mapped_column(String(20))
    on: Mapped[date] = mapped_column("on_date", Date)
    phase: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    #: kind-specific fields: learning {tried, learned, change}; risk {likelihood, impact,
    #: mitigation}; agreement {parties}; decision {decided_by}
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_by: Mapped[str] = mapped_column(String(80))


class Idea(KnowledgeBase):
    __tablename__ = "arena_ideas"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    submitted_by: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(30))
    stage: Mapped[str] = mapped_column(String(30), default="idea")
    #: the economics case it became (jamlik.economics case id), when a social investment
    economics_case: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)


class Step(KnowledgeBase):
    __tablename__ = "arena_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("arena_ideas.id", ondelete="CASCADE"),
                                         index=True)
    stage: Mapped[str] = mapped_column(String(30))
    owner: Mapped[str] = mapped_column(String(200))
    support: Mapped[str | None] = mapped_column(Text)
    criteria: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(80))
    decided_on: Mapped[date] = mapped_column(Date)


# -- read models -------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineEntry:
    on: date
    kind: str
    phase: str
    title: str
    details: dict[str, Any]
    recorded_by: str


@dataclass(frozen=True)
class InitiativeView:
    id: int
    title: str
    purpose: str | None
    phase: str
    partners: tuple[tuple[str, str, str | None], ...]
    checklist: dict[str, tuple[tuple[int, str, bool], ...]]
    timeline: tuple[TimelineEntry, ...]
    #: user names who may edit it besides its creator and the bank's editors
    members: tuple[str, ...] = ()

    def records(self, kind: str) -> list[TimelineEntry]:
        return [t for t in self.timeline if t.kind == kind]


@dataclass(frozen=True)
class IdeaView:
    id: int
    title: str
    description: str
    submitted_by: str
    sector: str
    stage: str
    economics_case: str | None
    steps: tuple[dict[str, Any], ...]


def _text(value: str | None, what: str, limit: int = 300) -> str:
    value = (value or "").strip()
    if not value:
        raise ReviewError(f"Ange {what}.")
    if len(value) > limit:
        raise ReviewError(f"{what[0].upper() + what[1:]} är för lång (högst {limit} tecken).")
    return value


class Initiatives:
    """Initiatives and arena ideas on the workflow database ``engine``.

    roles: user name -> the knowledge bank's roles (``ReviewDesk.roles``); editors may edit
    every initiative, others the ones they created or are members of.
    """

    def __init__(self, engine: Engine,
                 roles: Callable[[str], frozenset[str]] | None = None):
        self.engine = engine
        self._roles: Callable[[str], frozenset[str]] = roles or (lambda user: frozenset())
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def _session(self) -> AbstractContextManager[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        return self._sessions.begin()

    # -- initiatives ---------------------------------------------------------------------
    def create(self, user: str, title: str, purpose: str | None = None,
               members: list[str] | None = None) -> int:
        if not user or user == "anonym":
            raise ReviewError("Logga in för att starta ett initiativ.")
        with self._session() as s:
            ini = Initiative(title=_text(title, "en titel"), purpose=purpose, created_by=user,
                             members=list(members or []))
            s.add(ini)
            s.flush()
            for phase, points in CHECKLISTS.items():
                for i, text in enumerate(points):
                    s.add(ChecklistItem(initiative_id=ini.id, phase=phase, position=i,
                                        text=text))
            return ini.id

    def all(self) -> list[tuple[int, str, str]]:
        """Every initiative as (id, title, phase), newest first."""
        with self._session() as s:
            rows = s.execute(select(Initiative.id, Initiative.title, Initiative.phase)
                             .order_by(Initiative.id.desc())).all()
        return [(r[0], r[1], r[2]) for r in rows]

    def can_edit(self, user: str, initiative_id: int) -> bool:
        """May ``user`` change the initiative (its creator, members and the bank's editors)."""
        try:
            with self._session() as s:
                self._editable(s, user, initiative_id)
        except ReviewError:
            return False
        return True

    def update(self, user: str, initiative_id: int, *, title: str, purpose: str | None = None,
               members: list[str] | None = None) -> None:
        """Change the title, purpose and members (who may edit besides creator and editors)."""
        with self._session() as s:
            ini = self._editable(s, user, initiative_id)
            ini.title = _text(title, "en titel")
            ini.purpose = (purpose or "").strip() or None
            if members is not None:
                ini.members = [m.strip() for m in members if m.strip()]

    def _editable(self, s: Session, user: str, initiative_id: int) -> Initiative:
        ini = s.get(Initiative, initiative_id)
        if ini is None:
            raise ReviewError(f"Det finns inget initiativ med nummer {initiative_id}.")
        if user != ini.created_by and user not in (ini.members or []) and \
                "editor" not in self._roles(user):
            raise ReviewError(f"Du saknar behörighet att ändra initiativet \"{ini.title}\": "
                              "det kan den som startade det, dess medlemmar och redaktörer.")
        return ini

    def add_partner(self, user: str, initiative_id: int, organisation: str, sector: str,
                    role: str | None = None) -> None:
        if sector not in SECTORS:
            raise ReviewError(f'"{sector}" är ingen känd sektor — välj bland '
                              f'{", ".join(SECTORS)}.')
        with self._session() as s:
            self._editable(s, user, initiative_id)
            s.add(Partner(initiative_id=initiative_id,
                          organisation=_text(organisation, "organisationen"), sector=sector,
                          role=role))

    def add_checklist_item(self, user: str, initiative_id: int, phase: str, text: str) -> int:
        if phase not in PHASES:
            raise ReviewError(f'"{phase}" är ingen fas — välj bland {", ".join(PHASES)}.')
        with self._session() as s:
            self._editable(s, user, initiative_id)
            last = s.scalars(select(ChecklistItem.position).where(
                ChecklistItem.initiative_id == initiative_id,
                ChecklistItem.phase == phase)).all()
            item = ChecklistItem(initiative_id=initiative_id, phase=phase,
                                 position=max(last, default=-1) + 1,
                                 text=_text(text, "punkten", 500))
            s.add(item)
            s.flush()
            return item.id

    def _item(self, s: Session, user: str, initiative_id: int, item_id: int) -> ChecklistItem:
        self._editable(s, user, initiative_id)
        item = s.get(ChecklistItem, item_id)
        if item is None or item.initiative_id != initiative_id:
            raise ReviewError(f"Punkt {item_id} finns inte i initiativets checklista.")
        return item

    def edit_checklist_item(self, user: str, initiative_id: int, item_id: int, *,
                            text: str | None = None, done: bool | None = None,
                            on: date | None = None) -> None:
        with self._session() as s:
            item = self._item(s, user, initiative_id, item_id)
            if text is not None:
                item.text = _text(text, "punkten", 500)
            if done is not None:
                item.done = done
                item.done_by = user if done else None
                item.done_on = (on or date.today()) if done else None

    def remove_checklist_item(self, user: str, initiative_id: int, item_id: int) -> None:
        with self._session() as s:
            s.delete(self._item(s, user, initiative_id, item_id))

    def record(self, user: str, initiative_id: int, kind: str, on: date, title: str,
               **details: Any) -> None:  # noqa: ANN401
        """A dated meeting, decision, agreement, risk or learning-log entry.

        learning needs ``tried``, ``learned`` and ``change``; a risk ``likelihood`` and
        ``impact`` (1–5) and ``mitigation``; an agreement ``parties``.
        """
        if kind not in RECORD_KINDS or kind == "phase":
            raise ReviewError(f'"{kind}" är inget slags anteckning — välj bland '
                              f'{", ".join(k for k in RECORD_KINDS if k != "phase")}.')
        if kind == "learning":
            for key, what in (("tried", "vad ni prövade"), ("learned", "vad ni lärde er"),
                              ("change", "vad ni ändrar")):
                details[key] = _text(details.get(key), what, 2000)
        if kind == "risk":
            for key, what in (("likelihood", "sannolikheten"), ("impact", "konsekvensen")):
                v = details.get(key)
                if not isinstance(v, int) or not 1 <= v <= 5:
                    raise ReviewError(f"Ange {what} som ett heltal 1–5.")
        if kind == "agreement" and not details.get("parties"):
            raise ReviewError("Ange vilka parter som står bakom överenskommelsen.")
        if not isinstance(on, date):
            raise ReviewError("Ange ett datum (ÅÅÅÅ-MM-DD).")
        with self._session() as s:
            ini = self._editable(s, user, initiative_id)
            s.add(Record(initiative_id=initiative_id, kind=kind, on=on, phase=ini.phase,
                         title=_text(title, "en rubrik"), details=details, recorded_by=user))

    def advance(self, user: str, initiative_id: int, on: date, note: str | None = None) -> str:
        """Move to the next phase once every point of the current phase is done."""
        with self._session() as s:
            ini = self._editable(s, user, initiative_id)
            order = list(PHASES)
            if ini.phase == order[-1]:
                raise ReviewError("Initiativet är redan i den sista fasen "
                                  "(institutionalisering).")
            open_points = s.scalars(select(ChecklistItem.text).where(
                ChecklistItem.initiative_id == initiative_id, ChecklistItem.phase == ini.phase,
                ChecklistItem.done.is_(False)).order_by(ChecklistItem.position)).all()
            if open_points:
                raise ReviewError(
                    f"Fasen {PHASES[ini.phase][0].lower()} har punkter kvar: "
                    f"{'; '.join(open_points)}. Bocka av dem (eller ta bort dem ur "
                    "checklistan) innan initiativet går vidare.")
            new = order[order.index(ini.phase) + 1]
            s.add(Record(initiative_id=initiative_id, kind="phase", on=on, phase=new,
                         title=f"{PHASES[ini.phase][0]} → {PHASES[new][0]}",
                         details={"note": note} if note else {}, recorded_by=user))
            ini.phase = new
            return new

    def get(self, initiative_id: int) -> InitiativeView:
        with self._session() as s:
            ini = s.get(Initiative, initiative_id)
            if ini is None:
                raise ReviewError(f"Det finns inget initiativ med nummer {initiative_id}.")
            partners = s.scalars(select(Partner).where(Partner.initiative_id == ini.id)
                                 .order_by(Partner.id)).all()
            items = s.scalars(select(ChecklistItem).where(ChecklistItem.initiative_id == ini.id)
                              .order_by(ChecklistItem.position, ChecklistItem.id)).all()
            records = s.scalars(select(Record).where(Record.initiative_id == ini.id)
                                .order_by(Record.on, Record.id)).all()
            return InitiativeView(
                ini.id, ini.title, ini.purpose, ini.phase,
                tuple((p.organisation, p.sector, p.role) for p in partners),
                {ph: tuple((i.id, i.text, i.done) for i in items if i.phase == ph)
                 for ph in PHASES},
                tuple(TimelineEntry(r.on, r.kind, r.phase, r.title, dict(r.details or {}),
                                    r.recorded_by) for r in records),
                tuple(ini.members or ()))

    # -- arena ---------------------------------------------------------------------------
    def submit_idea(self, submitted_by: str, title: str, description: str,
                    sector: str = "civilsamhälle") -> int:
        """An idea from anyone (a name or organisation is enough; no sign-in needed)."""
        if sector not in SECTORS:
            raise ReviewError(f'"{sector}" är ingen känd sektor — välj bland '
                              f'{", ".join(SECTORS)}.')
        with self._session() as s:
            idea = Idea(title=_text(title, "en titel"),
                        description=_text(description, "en beskrivning", 5000),
                        submitted_by=_text(submitted_by, "vem som lämnar idén", 200),
                        sector=sector)
            s.add(idea)
            s.flush()
            return idea.id

    def decide_step(self, user: str, idea_id: int, *, owner: str, decision: str, on: date,
                    support: str | None = None, criteria: str | None = None,
                    note: str | None = None, outcome: str | None = None,
                    economics_case: str | None = None) -> str:
        """Record the current stage's step and move the idea on; returns the new stage.

        go: to the next stage; after the evaluation ``outcome`` is ``implementation``
        (ordinary operations) or ``social_investment``, which needs ``economics_case`` (the
        id of the economics case the idea becomes). repeat: a test is run again (only from
        test or new test). stop: the idea ends here. Deciding needs the reviewer or editor
        role in the knowledge bank.
        """
        if not self._roles(user) & {"reviewer", "editor"}:
            raise ReviewError("Du saknar behörighet att fatta beslut i arenan: det kräver "
                              "rollen granskare eller redaktör.")
        if decision not in DECISIONS:
            raise ReviewError(f'"{decision}" är inget beslut — välj bland '
                              f'{", ".join(DECISIONS)}.')
        with self._session() as s:
            idea = s.get(Idea, idea_id)
            if idea is None:
                raise ReviewError(f"Det finns ingen idé med nummer {idea_id} i arenan.")
            if idea.stage in _ENDS:
                raise ReviewError(f'Idén "{idea.title}" är redan klar '
                                  f"({STAGES[idea.stage][0].lower()}).")
            if decision == "go":
                if idea.stage == "evaluation":
                    if outcome not in ("implementation", "social_investment"):
                        raise ReviewError("Efter utvärderingen: välj ordinarie verksamhet "
                                          "(implementation) eller social investering "
                                          "(social_investment).")
                    if outcome == "social_investment":
                        idea.economics_case = _text(economics_case,
                                                    "det samhällsekonomiska underlaget (case)",
                                                    80)
                    new = outcome
                else:
                    new = _NEXT[idea.stage]
            elif decision == "repeat":
                if idea.stage not in ("test", "new_test"):
                    raise ReviewError("Att testa igen går bara efter ett test.")
                new = "new_test"
            else:
                new = "stopped"
            s.add(Step(idea_id=idea.id, stage=idea.stage, owner=_text(owner, "en ansvarig", 200),
                       support=support, criteria=criteria, decision=decision, note=note,
                       decided_by=user, decided_on=on))
            idea.stage = new
            return new

    def idea(self, idea_id: int) -> IdeaView:
        with self._session() as s:
            idea = s.get(Idea, idea_id)
            if idea is None:
                raise ReviewError(f"Det finns ingen idé med nummer {idea_id} i arenan.")
            steps = s.scalars(select(Step).where(Step.idea_id == idea.id)
                              .order_by(Step.id)).all()
            return IdeaView(idea.id, idea.title, idea.description, idea.submitted_by,
                            idea.sector, idea.stage, idea.economics_case, tuple(
                                {"stage": st.stage, "owner": st.owner, "support": st.support,
                                 "criteria": st.criteria, "decision": st.decision,
                                 "note": st.note, "decided_on": st.decided_on}
                                for st in steps))

    def pipeline(self) -> dict[str, list[IdeaView]]:
        """The public view: every idea by its stage (stages in order)."""
        with self._session() as s:
            ids = s.scalars(select(Idea.id).order_by(Idea.id)).all()
        out: dict[str, list[IdeaView]] = {st: [] for st in STAGES}
        for i in ids:
            v = self.idea(i)
            out[v.stage].append(v)
        return out


_REPORT_CSS = ("@page { size: A4; margin: 18mm 16mm; } body { font-family: 'DejaVu Sans', "
               "sans-serif; font-size: 10pt; line-height: 1.4; color: #1a1a1a; max-width: "
               "48rem; margin: 1rem auto; padding: 0 .8rem; } table { border-collapse: "
               "collapse; width: 100%; } th, td { border: 1px solid #999; padding: 3px 5px; "
               "text-align: left; vertical-align: top; } h1 { font-size: 18pt; } "
               "h2 { font-size: 13pt; margin-top: 1.2em; }")


def initiative_report(view: InitiativeView) -> str:
    """The initiative's story as a self-contained Swedish HTML page: partners, phases with
    their checklists, the learning log, agreements, risks and the whole timeline."""
    e = html.escape
    out = [f"<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'>"
           f"<title>{e(view.title)} – initiativets berättelse</title><style>{_REPORT_CSS}"
           "</style></head><body>",
           f"<h1>{e(view.title)}</h1>"]
    if view.purpose:
        out.append(f"<p>{e(view.purpose)}</p>")
    out.append(f"<p>Nuvarande fas: <strong>{e(PHASES[view.phase][0])}</strong></p>")
    out.append("<h2>Parter och roller</h2><ul>")
    out += [f"<li>{e(o)} ({e(SECTORS[sec][0])}){' – ' + e(r) if r else ''}</li>"
            for o, sec, r in view.partners]
    out.append("</ul><h2>Faserna</h2>")
    for ph, items in view.checklist.items():
        out.append(f"<h3>{e(PHASES[ph][0])}</h3><ul>")
        out += [f"<li>{'☑' if done else '☐'} {e(text)}</li>" for _, text, done in items]
        out.append("</ul>")
    learning = view.records("learning")
    out.append("<h2>Lärandelogg</h2>")
    if learning:
        out.append("<table><thead><tr><th>Datum</th><th>Fas</th><th>Vad vi prövade</th>"
                   "<th>Vad vi lärde oss</th><th>Vad vi ändrar</th></tr></thead><tbody>")
        out += [f"<tr><td>{t.on.isoformat()}</td><td>{e(PHASES[t.phase][0])}</td>"
                f"<td>{e(t.details['tried'])}</td><td>{e(t.details['learned'])}</td>"
                f"<td>{e(t.details['change'])}</td></tr>" for t in learning]
        out.append("</tbody></table>")
    else:
        out.append("<p>Inga anteckningar ännu.</p>")
    for kind, heading in (("meeting", "Möten"), ("decision", "Beslut"),
                          ("agreement", "Överenskommelser"), ("risk", "Risker")):
        rows = view.records(kind)
        if rows:
            out.append(f"<h2>{heading}</h2><ul>")
            for t in rows:
                extra = ""
                if kind == "risk":
                    extra = (f" (sannolikhet {t.details['likelihood']}/5, konsekvens "
                             f"{t.details['impact']}/5){': ' + e(t.details.get('mitigation') or '') if t.details.get('mitigation') else ''}")
                elif kind == "agreement":
                    extra = f" – parter: {e(', '.join(t.details['parties']))}"
                if t.details.get("notes"):
                    extra += f" – {e(t.details['notes'])}"
                out.append(f"<li>{t.on.isoformat()} {e(t.title)}{extra}</li>")
            out.append("</ul>")
    out.append("<h2>Tidslinje</h2><ol class='timeline'>")
    out += [f"<li><time datetime='{t.on.isoformat()}'>{t.on.isoformat()}</time> "
            f"{e(RECORD_KINDS[t.kind][0])}: {e(t.title)}</li>" for t in view.timeline]
    out.append("</ol></body></html>")
    return "\n".join(out)
