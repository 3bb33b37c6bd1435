"""Submitting and reviewing examples: draft → reviewed → published, with history and roles.

The submissions live in the workflow database (the steering loop's SQLAlchemy database;
tables created by Alembic migration 0006, owner ``jamlik.knowledge``). This module takes an
``Engine`` and plain user names, so it depends on nothing above it.

Roles (``knowledge_roles``, one row per user and role):
- any signed-in user is a **submitter**: submits a draft and edits their own draft;
- a **reviewer** reviews someone else's draft (draft → reviewed) and publishes a reviewed
  example (reviewed → published), or sends it back to draft with a note;
- an **editor** may do all a reviewer may and grants and revokes roles (the bank is the
  region's one bank, so its roles have no organisation; nobody but ``system`` removes the last
  editor);
- **viewer** and the public read published examples only.
Every change is one transaction and one row in ``example_events`` (who, when, from → to,
note), every role granted or revoked one row in ``knowledge_role_events`` (migration 0010); a
refused change raises ``ReviewError`` (Swedish) and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from jamlik.errors import JamlikError
from jamlik.io import CellError
from jamlik.knowledge._bank import _parse_row, _RowParser
from jamlik.knowledge._model import COLUMNS, Example
from jamlik.orm import utcnow as _now

ROLES: dict[str, tuple[str, str]] = {
    "submitter": ("inlämnare", "submitter"),
    "reviewer": ("granskare", "reviewer"),
    "editor": ("redaktör", "editor"),
    "viewer": ("läsare", "viewer"),
}
STATES: dict[str, tuple[str, str]] = {
    "draft": ("utkast", "draft"),
    "reviewed": ("granskat", "reviewed"),
    "published": ("publicerat", "published"),
}
#: "system" (the command line run by whoever installs jamlik) may grant the first roles
SYSTEM_USER = "system"


class ReviewError(JamlikError, ValueError):
    """A refused change to a submission; the message says why, in Swedish."""


class KnowledgeBase(DeclarativeBase):
    pass


class KnowledgeRole(KnowledgeBase):
    __tablename__ = "knowledge_roles"
    __table_args__ = (UniqueConstraint("username", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    role: Mapped[str] = mapped_column(String(20))
    granted_by: Mapped[str] = mapped_column(String(80))
    granted_at: Mapped[datetime] = mapped_column(DateTime, default=_now)


class KnowledgeRoleEvent(KnowledgeBase):
    """The roles' audit log: one row per role granted or revoked (migration 0010)."""

    __tablename__ = "knowledge_role_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=_now)
    by: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))  # grant | revoke
    username: Mapped[str] = mapped_column(String(80), index=True)
    role: Mapped[str] = mapped_column(String(20))


@dataclass(frozen=True)
class RoleEvent:
    at: datetime
    by: str
    action: str
    username: str
    role: str


class Submission(KnowledgeBase):
    __tablename__ = "example_submissions"
    id: Mapped[int] = mapped_column(primary_key=True)
    example_id: Mapped[str] = mapped_column(String(80), unique=True)
    #: the example's cells as in a bank file (COLUMNS -> text)
    cells: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    submitted_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class SubmissionEvent(KnowledgeBase):
    __tablename__ = "example_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("example_submissions.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=_now)
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))  # submit | edit | review | publish | return
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True)
class Event:
    at: datetime
    username: str
    action: str
    from_state: str | None
    to_state: str
    note: str | None


@dataclass(frozen=True)
class Entry:
    """A submission as read: its example, state, who submitted it and its history."""

    id: int
    example: Example
    state: str
    submitted_by: str
    created_at: datetime
    published_at: datetime | None
    history: tuple[Event, ...]


def parse_example(cells: dict[str, str], *, source: str = "formuläret") -> Example:
    """One example from a form's cells, validated as a bank row; ReviewError lists every
    rejected field (unknown municipality code, bad id, …) in Swedish."""
    errors: list[CellError] = []
    row = {c: str(cells.get(c, "") or "").strip() for c in COLUMNS}
    unknown = sorted(set(cells) - set(COLUMNS))
    if unknown:
        raise ReviewError(f"{source}: okända fält {', '.join(unknown)}.")
    example = _parse_row(_RowParser(source, 1, {}, None, errors), row)
    if errors or example is None:
        raise ReviewError("; ".join(e.message for e in errors))
    return example


def _cells(example: Example) -> dict[str, str]:
    d = example.as_json()
    return {c: _cell(d[c]) for c in COLUMNS}


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ";".join(map(str, value))
    return "" if value is None else str(value)


class ReviewDesk:
    """The review workflow on the workflow database ``engine`` beside a shipped ``bank``."""

    def __init__(self, engine: Engine, bank: Iterable[Example]):
        self.engine = engine
        self.bank = tuple(bank)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def _session(self) -> AbstractContextManager[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        return self._sessions.begin()

    # -- roles ---------------------------------------------------------------------------
    def roles(self, username: str) -> frozenset[str]:
        """The user's roles; every signed-in user is a submitter."""
        if not username or username == "anonym":
            return frozenset()
        with self._session() as s:
            held = s.scalars(select(KnowledgeRole.role)
                             .where(KnowledgeRole.username == username)).all()
        return frozenset({"submitter", *held})

    def grant(self, by: str, username: str, role: str) -> None:
        """Give ``username`` ``role``; only an editor (or ``system``) may."""
        if role not in ROLES:
            raise ReviewError(f'okänd roll "{role}" — välj bland {", ".join(ROLES)}.')
        if by != SYSTEM_USER and "editor" not in self.roles(by):
            raise ReviewError("Bara en redaktör för kunskapsbanken kan ge roller.")
        if not username.strip():
            raise ReviewError("Ange användarnamnet.")
        with self._session() as s:
            exists = s.scalar(select(KnowledgeRole).where(KnowledgeRole.username == username,
                                                          KnowledgeRole.role == role))
            if exists is None:
                s.add(KnowledgeRole(username=username, role=role, granted_by=by))
                s.add(KnowledgeRoleEvent(by=by, action="grant", username=username, role=role))

    def revoke(self, by: str, username: str, role: str) -> bool:
        """Take ``role`` from ``username``: True when it was removed, False when the user did
        not hold it (nothing to do, nothing written). Only an editor (or ``system``) may; a
        user cannot remove the last editor (``system`` can, and can grant one again)."""
        if role not in ROLES:
            raise ReviewError(f'okänd roll "{role}" — välj bland {", ".join(ROLES)}.')
        if role == "submitter":
            raise ReviewError("Alla inloggade är inlämnare — den rollen kan inte tas bort.")
        if by != SYSTEM_USER and "editor" not in self.roles(by):
            raise ReviewError("Bara en redaktör för kunskapsbanken kan ta bort roller.")
        with self._session() as s:
            held = s.scalar(select(KnowledgeRole).where(KnowledgeRole.username == username,
                                                        KnowledgeRole.role == role)
                            .with_for_update())
            if held is None:
                return False
            if role == "editor" and by != SYSTEM_USER:
                editors = s.scalars(select(KnowledgeRole.username)
                                    .where(KnowledgeRole.role == "editor")
                                    .with_for_update()).all()
                if len(editors) <= 1:
                    raise ReviewError(f"{username} är den sista redaktören för kunskapsbanken "
                                      "— ge någon annan rollen redaktör först.")
            s.delete(held)
            s.add(KnowledgeRoleEvent(by=by, action="revoke", username=username, role=role))
        return True

    def role_events(self, limit: int = 50) -> list[RoleEvent]:
        """The roles' audit log, newest first."""
        with self._session() as s:
            rows = s.scalars(select(KnowledgeRoleEvent)
                             .order_by(KnowledgeRoleEvent.id.desc()).limit(limit)).all()
        return [RoleEvent(r.at, r.by, r.action, r.username, r.role) for r in rows]

    def holders(self) -> list[tuple[str, str, str, datetime]]:
        """Every granted role as (user, role, granted by, when), by user and role."""
        with self._session() as s:
            rows = s.execute(select(KnowledgeRole.username, KnowledgeRole.role,
                                    KnowledgeRole.granted_by, KnowledgeRole.granted_at)
                             .order_by(KnowledgeRole.username, KnowledgeRole.role)).all()
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    # -- reading -------------------------------------------------------------------------
    def _entry(self, s: Session, sub: Submission) -> Entry:
        events = s.scalars(select(SubmissionEvent).where(SubmissionEvent.submission_id == sub.id)
                           .order_by(SubmissionEvent.id)).all()
        return Entry(sub.id, parse_example(sub.cells), sub.state, sub.submitted_by,
                     sub.created_at, sub.published_at,
                     tuple(Event(e.at, e.username, e.action, e.from_state, e.to_state, e.note)
                           for e in events))

    def get(self, submission_id: int) -> Entry:
        with self._session() as s:
            sub = s.get(Submission, submission_id)
            if sub is None:
                raise ReviewError(f"Det finns inget inskickat exempel med nummer {submission_id}.")
            return self._entry(s, sub)

    def entries(self, state: str | None = None) -> list[Entry]:
        with self._session() as s:
            q = select(Submission).order_by(Submission.id)
            if state:
                q = q.where(Submission.state == state)
            return [self._entry(s, sub) for sub in s.scalars(q).all()]

    def published(self) -> list[Entry]:
        """Published submissions, newest first."""
        return sorted(self.entries("published"), key=lambda e: (e.published_at or e.created_at),
                      reverse=True)

    def examples(self) -> list[Example]:
        """What readers see: the shipped bank, then every published example."""
        return [*self.bank, *(e.example for e in sorted(self.published(), key=lambda e: e.id))]

    # -- changes -------------------------------------------------------------------------
    def submit(self, username: str, cells: dict[str, str]) -> Entry:
        """A new draft from a signed-in user; a duplicate id or a bad field is refused."""
        return self.submit_all(username, [cells])[0]

    def submit_all(self, username: str, rows: Iterable[dict[str, str] | Example]) -> list[Entry]:
        """Several drafts at once, all or nothing: every row is checked (fields, an id in the
        bank, already submitted or twice in ``rows``) before any is written."""
        if "submitter" not in self.roles(username):
            raise ReviewError("Logga in för att skicka in ett exempel.")
        examples = [r if isinstance(r, Example) else parse_example(r) for r in rows]
        seen: set[str] = set()
        for example in examples:
            if any(e.id == example.id for e in self.bank):
                raise ReviewError(f'Exemplet "{example.id}" finns redan i kunskapsbanken — ge '
                                  "det ett eget id.")
            if example.id in seen:
                raise ReviewError(f'Exemplet "{example.id}" finns två gånger — ge varje '
                                  "exempel ett eget id.")
            seen.add(example.id)
        with self._session() as s:
            out = []
            for example in examples:
                if s.scalar(select(Submission.id).where(Submission.example_id == example.id)):
                    raise ReviewError(f'Exemplet "{example.id}" finns redan (inskickat) — ge '
                                      "det ett eget id.")
                sub = Submission(example_id=example.id, cells=_cells(example), state="draft",
                                 submitted_by=username)
                s.add(sub)
                s.flush()
                s.add(SubmissionEvent(submission_id=sub.id, username=username, action="submit",
                                      from_state=None, to_state="draft"))
                s.flush()
                out.append(self._entry(s, sub))
            return out

    def _move(self, username: str, submission_id: int, action: str, allowed_from: str,
              to: str, note: str | None = None, cells: dict[str, str] | None = None) -> Entry:
        with self._session() as s:
            sub = s.get(Submission, submission_id)
            if sub is None:
                raise ReviewError(f"Det finns inget inskickat exempel med nummer {submission_id}.")
            if sub.state != allowed_from:
                raise ReviewError(
                    f'Exemplet "{sub.example_id}" är {STATES[sub.state][0]}; det går bara att '
                    f"{_VERB[action]} ett exempel som är {STATES[allowed_from][0]}.")
            before = sub.state
            if cells is not None:
                example = parse_example(cells)
                if example.id != sub.example_id:
                    raise ReviewError("Ett inskickat exempel behåller sitt id.")
                sub.cells = _cells(example)
            sub.state = to
            sub.version += 1
            if to == "published":
                sub.published_at = _now()
            s.add(SubmissionEvent(submission_id=sub.id, username=username, action=action,
                                  from_state=before, to_state=to, note=note or None))
            s.flush()
            return self._entry(s, sub)

    def _require(self, username: str, action: str) -> None:
        if not self.roles(username) & {"reviewer", "editor"}:
            raise ReviewError(f"Du saknar behörighet att {_VERB[action]} exempel: det kräver "
                              "rollen granskare (eller redaktör) i kunskapsbanken.")

    def edit(self, username: str, submission_id: int, cells: dict[str, str]) -> Entry:
        """The submitter (or a reviewer) changes a draft."""
        entry = self.get(submission_id)
        if entry.submitted_by != username:
            self._require(username, "edit")
        return self._move(username, submission_id, "edit", "draft", "draft", cells=cells)

    def review(self, username: str, submission_id: int, note: str | None = None) -> Entry:
        """A reviewer, not the submitter, marks a draft as reviewed."""
        self._require(username, "review")
        if self.get(submission_id).submitted_by == username:
            raise ReviewError("Någon annan än den som skickade in exemplet ska granska det.")
        return self._move(username, submission_id, "review", "draft", "reviewed", note)

    def publish(self, username: str, submission_id: int, note: str | None = None) -> Entry:
        """A reviewer publishes a reviewed example."""
        self._require(username, "publish")
        return self._move(username, submission_id, "publish", "reviewed", "published", note)

    def send_back(self, username: str, submission_id: int, note: str) -> Entry:
        """A reviewer returns a reviewed example to draft, saying why."""
        self._require(username, "return")
        if not (note or "").strip():
            raise ReviewError("Skriv varför exemplet skickas tillbaka.")
        return self._move(username, submission_id, "return", "reviewed", "draft", note)


_VERB = {"edit": "ändra", "review": "granska", "publish": "publicera",
         "return": "skicka tillbaka"}
