"""The prioritisation workflow's tables on the workflow database (owner ``jamlik.prioritisation``).

The tables live in the same database as the steering loop's (``JAMLIK_DATABASE_URL``) and are
created by the Alembic migration ``0007_prioritisation`` in ``jamlik/steering/migrations/``
(the one migration chain of that database); this package has its own declarative base and never
imports the steering package. Every table name starts with ``prio_``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from jamlik.orm import TYPE_ANNOTATION_MAP, utcnow


class Base(DeclarativeBase):
    type_annotation_map = TYPE_ANNOTATION_MAP


class Catalogue(Base):
    """A catalogue of proposals / action areas (the Samling's 30, or a municipality's own)."""

    __tablename__ = "prio_catalogues"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(20), default="region")  # area code or "region"
    source: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    proposals: Mapped[list[Proposal]] = relationship(
        back_populates="catalogue", order_by="Proposal.position", cascade="all, delete-orphan")


class Proposal(Base):
    """One proposal or action area: theme, source report, description, evidence, links."""

    __tablename__ = "prio_proposals"
    __table_args__ = (UniqueConstraint("catalogue_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_id: Mapped[int] = mapped_column(
        ForeignKey("prio_catalogues.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    theme_number: Mapped[int] = mapped_column(Integer)
    theme: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(400))
    description: Mapped[str | None] = mapped_column(Text)
    source_report: Mapped[str | None] = mapped_column(Text)
    source_page: Mapped[str | None] = mapped_column(String(40))
    evidence_links: Mapped[list[Any]] = mapped_column(JSON, default=list)
    malomraden: Mapped[list[Any]] = mapped_column(JSON, default=list)
    sdg_targets: Mapped[list[Any]] = mapped_column(JSON, default=list)
    indicators: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: what the source reports as the outcome (the Samling's: top_list, no_clear_top_list_…)
    outcome: Mapped[str | None] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)
    catalogue: Mapped[Catalogue] = relationship(back_populates="proposals")


class Round(Base):
    """A round of scoring (or a forced-choice round) over a catalogue's proposals.

    kind: rating | home (a home consultation, ``merged_into`` the merged round) | merged |
    forced_choice. state: draft → open → closed; answers are taken only while the state is open
    and the time is within [opens_at, closes_at). previous_id: the round whose distribution each
    participant sees beside their own answer (Delphi feedback).
    """

    __tablename__ = "prio_rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_id: Mapped[int] = mapped_column(
        ForeignKey("prio_catalogues.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="rating")
    state: Mapped[str] = mapped_column(String(10), default="draft")
    scale_max: Mapped[int] = mapped_column(Integer, default=9)  # 1–9 (RAND/UCLA) or 1–5
    themes: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [] = every theme
    proposal_keys: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [] = every proposal
    weighting: Mapped[str] = mapped_column(String(10), default="equal")  # equal | fixed | ahp
    ahp_matrix: Mapped[list[Any] | None] = mapped_column(JSON)
    ahp_cr: Mapped[float | None] = mapped_column(Float)
    choice_format: Mapped[str | None] = mapped_column(String(20))  # top5 | points
    opens_at: Mapped[datetime | None] = mapped_column(DateTime)
    closes_at: Mapped[datetime | None] = mapped_column(DateTime)
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("prio_rounds.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("prio_rounds.id", ondelete="SET NULL"))
    organisation: Mapped[str | None] = mapped_column(String(200))  # a home consultation's
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    criteria: Mapped[list[Criterion]] = relationship(
        order_by="Criterion.position", cascade="all, delete-orphan")


class Criterion(Base):
    __tablename__ = "prio_criteria"
    __table_args__ = (UniqueConstraint("round_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("prio_rounds.id", ondelete="CASCADE"),
                                          index=True)
    key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    weight: Mapped[float] = mapped_column(Float)  # normalised, sums to 1 over the round
    position: Mapped[int] = mapped_column(Integer, default=0)


class Participant(Base):
    """An invited participant: pseudonymous (``pseudonym``) in every result; organisation and
    stakeholder group for clustering and the consensus rule. Only the token's SHA-256 is kept."""

    __tablename__ = "prio_participants"
    __table_args__ = (UniqueConstraint("round_id", "token_hash"),
                      UniqueConstraint("round_id", "pseudonym"))
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("prio_rounds.id", ondelete="CASCADE"),
                                          index=True)
    pseudonym: Mapped[str] = mapped_column(String(20))
    organisation: Mapped[str] = mapped_column(String(200))
    stakeholder_group: Mapped[str] = mapped_column(String(80))
    role: Mapped[str | None] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), index=True)
    invited_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    saved_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)


class Answer(Base):
    """One rating: one per participant × proposal × criterion (the unique key enforces it)."""

    __tablename__ = "prio_answers"
    __table_args__ = (UniqueConstraint("participant_id", "proposal_id", "criterion_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("prio_participants.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("prio_proposals.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("prio_criteria.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(Integer)


class Comment(Base):
    __tablename__ = "prio_comments"
    __table_args__ = (UniqueConstraint("participant_id", "proposal_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("prio_participants.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("prio_proposals.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)


class Choice(Base):
    """A forced-choice answer: ``payload`` = ordered proposal keys (top5) or key → points."""

    __tablename__ = "prio_choices"
    __table_args__ = (UniqueConstraint("participant_id", "theme_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("prio_participants.id", ondelete="CASCADE"), index=True)
    theme_number: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class Member(Base):
    """A user's role in prioritisation: facilitator or viewer (participants come by invitation)."""

    __tablename__ = "prio_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(20))


class Handover(Base):
    """A proposal sent to a municipality's action plan: the trace from decision to scores."""

    __tablename__ = "prio_handovers"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("prio_rounds.id", ondelete="CASCADE"),
                                          index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("prio_proposals.id", ondelete="CASCADE"))
    area: Mapped[str] = mapped_column(String(10))
    #: where it arrived: the steering activity's id
    activity_id: Mapped[int | None] = mapped_column(Integer)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    sent_by: Mapped[str] = mapped_column(String(80))
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AuditEntry(Base):
    """Every change in prioritisation: who (user name or participant pseudonym), what, when."""

    __tablename__ = "prio_audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    who: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
