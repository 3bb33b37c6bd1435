"""The workflow store's tables: plan, follow-up analysis, actions, decisions, users, audit.

Every editable row carries a ``version`` column: an edit names the version it started from and
is refused with a conflict when someone else saved in between (optimistic concurrency).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from jamlik.orm import TYPE_ANNOTATION_MAP, utcnow


class Base(DeclarativeBase):
    type_annotation_map = TYPE_ANNOTATION_MAP


class Versioned:
    """Mixin: optimistic-concurrency version and who/when of the last change."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(80))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # the ORM adds "AND version = :old" to every UPDATE, so a concurrent save fails loudly
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


# -- users ------------------------------------------------------------------------------------
class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Membership(Base):
    """A user's role in one organisation (``scope`` = its area code) or region-wide
    (``scope`` = ``"region"``). Permissions come from these rows alone."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "scope"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(10))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    #: sha256 of the token; the token itself is shown once and never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginFailure(Base):
    """A failed sign-in, kept to refuse guessing (rate limit); never holds the password."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    #: the name as typed (lower-cased), whether or not such a user exists
    username: Mapped[str] = mapped_column(String(80), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)


class WebSession(Base):
    """A signed-in browser session, so it can be revoked (sign-out, password change, admin).

    The cookie carries a random token; only its SHA-256 is stored, like API tokens.
    """

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class Setting(Base):
    """Installation settings such as the generated session-signing key."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))  # create | update | delete
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


# -- plan -------------------------------------------------------------------------------------
class Organisation(Versioned, Base):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    vision: Mapped[str | None] = mapped_column(Text)
    perspectives: Mapped[list[Any]] = mapped_column(JSON, default=list)
    goals: Mapped[list[Goal]] = relationship(
        back_populates="organisation", order_by="Goal.position", cascade="all, delete-orphan"
    )
    action_plans: Mapped[list[ActionPlan]] = relationship(
        back_populates="organisation", order_by="ActionPlan.id", cascade="all, delete-orphan"
    )


class Goal(Versioned, Base):
    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    perspective: Mapped[str | None] = mapped_column(String(120))
    sdg_targets: Mapped[list[Any]] = mapped_column(JSON, default=list)
    target_areas: Mapped[list[Any]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    organisation: Mapped[Organisation] = relationship(back_populates="goals")
    indicators: Mapped[list[GoalIndicator]] = relationship(
        back_populates="goal", order_by="GoalIndicator.position", cascade="all, delete-orphan"
    )


class GoalIndicator(Versioned, Base):
    """An indicator from the store that measures a goal, with its target."""

    __tablename__ = "goal_indicators"
    __table_args__ = (UniqueConstraint("goal_id", "indicator", "sex"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(String(40))
    sex: Mapped[str] = mapped_column(String(1), default="T")
    target_value: Mapped[float | None] = mapped_column(Float)
    #: "higher" or "lower": which side of the target counts as reached
    direction: Mapped[str | None] = mapped_column(String(10))
    target_year: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    goal: Mapped[Goal] = relationship(back_populates="indicators")


class ActionPlan(Versioned, Base):
    __tablename__ = "action_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    year_from: Mapped[int | None] = mapped_column(Integer)
    year_to: Mapped[int | None] = mapped_column(Integer)
    organisation: Mapped[Organisation] = relationship(back_populates="action_plans")
    activities: Mapped[list[Activity]] = relationship(
        back_populates="action_plan", order_by="Activity.id", cascade="all, delete-orphan"
    )


class Activity(Versioned, Base):
    __tablename__ = "activities"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"))
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id", ondelete="SET NULL"))
    what: Mapped[str] = mapped_column(Text)
    how: Mapped[str | None] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(String(200))
    timing: Mapped[str | None] = mapped_column(String(120))  # when
    follow_up_method: Mapped[str | None] = mapped_column(Text)
    budget: Mapped[float | None] = mapped_column(Float)
    #: the knowledge bank's example the activity was taken from (jamlik.knowledge id), so its
    #: results can be followed from both sides
    example_id: Mapped[str | None] = mapped_column(String(80), index=True)
    action_plan: Mapped[ActionPlan] = relationship(back_populates="activities")


# -- analyse ----------------------------------------------------------------------------------
class Analysis(Versioned, Base):
    """The analysis of one deviation (a goal indicator in one follow-up period)."""

    __tablename__ = "analyses"
    __table_args__ = (UniqueConstraint("goal_indicator_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    goal_indicator_id: Mapped[int] = mapped_column(
        ForeignKey("goal_indicators.id", ondelete="CASCADE"))
    period: Mapped[int] = mapped_column(Integer)
    deviation: Mapped[str | None] = mapped_column(Text)
    #: [{"text": ..., "evidence": [{"kind": "indicator"|"document", "ref": ..., "label": ...}]}]
    causes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    conclusions: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | final
    revisions: Mapped[list[AnalysisRevision]] = relationship(
        order_by="AnalysisRevision.revision", cascade="all, delete-orphan")
    proposals: Mapped[list[ProposedAction]] = relationship(
        back_populates="analysis", order_by="ProposedAction.id", cascade="all, delete-orphan")


class AnalysisRevision(Base):
    """Every saved draft of an analysis, attributed (the analysis row holds the latest)."""

    __tablename__ = "analysis_revisions"
    __table_args__ = (UniqueConstraint("analysis_id", "revision"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analyses.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    causes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    conclusions: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# -- act --------------------------------------------------------------------------------------
class ProposedAction(Versioned, Base):
    __tablename__ = "proposed_actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analyses.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    consequence_if_done: Mapped[str | None] = mapped_column(Text)
    consequence_if_not_done: Mapped[str | None] = mapped_column(Text)
    #: estimated effect and resource need, 1 (small) .. 5 (large)
    effect: Mapped[int | None] = mapped_column(Integer)
    resources: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(80))
    analysis: Mapped[Analysis] = relationship(back_populates="proposals")


class Decision(Base):
    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    proposed_action_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposed_actions.id", ondelete="SET NULL"))
    #: the follow-up period the decision answers
    period: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))  # e.g. "Kommunstyrelsen"
    decided_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    assignment: Mapped[Assignment | None] = relationship(
        back_populates="decision", cascade="all, delete-orphan", uselist=False)


class Assignment(Versioned, Base):
    """A decision handed to the organisation (uppdrag); shown in later follow-ups until done."""

    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    period: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    follow_up_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | done
    report: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[Decision] = relationship(back_populates="assignment")
