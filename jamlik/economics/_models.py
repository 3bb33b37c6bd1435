"""Saved cases and social investment funds on the workflow database (owner ``jamlik.economics``).

The tables live in the same database as the steering loop's (``JAMLIK_DATABASE_URL``) and are
created by the Alembic migration ``0009_economics`` in ``jamlik/steering/migrations/`` (the one
migration chain of that database); this package has its own declarative base and never imports
the steering package. Every table name starts with ``econ_``.

A case is owned by one organisation (``area``: a municipality code or ``"region"``) and keeps
every saved version (``econ_case_versions``: the case's TOML-shaped data as JSON, so a version
reads exactly like a case file); a copy remembers the case and version it came from. A fund
holds applications with their decision, expected and actual flows per year and payer, and the
repayment plan (planned and made).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
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


class SavedCase(Base):
    """An intervention case of one organisation; its numbers are in its versions."""

    __tablename__ = "econ_cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(String(10), index=True)
    title: Mapped[str] = mapped_column(String(300))
    #: where it started: "exempel:foraldrastod", "tomt" or "fall:12 v3" (a copy)
    origin: Mapped[str] = mapped_column(String(80))
    copied_from: Mapped[int | None] = mapped_column(
        ForeignKey("econ_cases.id", ondelete="SET NULL"))
    copied_from_version: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    versions: Mapped[list[CaseVersion]] = relationship(
        back_populates="case", order_by="CaseVersion.version", cascade="all, delete-orphan")


class CaseVersion(Base):
    """One saved version of a case: the case data (as a case file reads) and who saved it."""

    __tablename__ = "econ_case_versions"
    __table_args__ = (UniqueConstraint("case_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("econ_cases.id", ondelete="CASCADE"),
                                         index=True)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    saved_by: Mapped[str] = mapped_column(String(80))
    saved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    case: Mapped[SavedCase] = relationship(back_populates="versions")


class FundRow(Base):
    """A social investment fund of one organisation."""

    __tablename__ = "econ_funds"
    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(String(10), index=True)
    name: Mapped[str] = mapped_column(String(300))
    capital: Mapped[float] = mapped_column(Float)
    start_year: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    applications: Mapped[list[ApplicationRow]] = relationship(
        back_populates="fund", order_by="ApplicationRow.id", cascade="all, delete-orphan")


class ApplicationRow(Base):
    """An application to the fund and its decision (status None: not decided yet)."""

    __tablename__ = "econ_applications"
    __table_args__ = (UniqueConstraint("fund_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("econ_funds.id", ondelete="CASCADE"),
                                         index=True)
    key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    committees: Mapped[list[Any]] = mapped_column(JSON, default=list)
    target_group: Mapped[str] = mapped_column(Text, default="")
    evaluation_plan: Mapped[str] = mapped_column(Text, default="")
    #: the economics case it rests on: "fall:12" (a saved case) or a case file's name
    case_ref: Mapped[str | None] = mapped_column(String(300))
    indicators: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str | None] = mapped_column(String(20))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(300))
    granted: Mapped[float] = mapped_column(Float, default=0.0)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    fund: Mapped[FundRow] = relationship(back_populates="applications")
    flows: Mapped[list[FlowRow]] = relationship(
        order_by="FlowRow.id", cascade="all, delete-orphan")
    repayments: Mapped[list[RepaymentRow]] = relationship(
        order_by="RepaymentRow.id", cascade="all, delete-orphan")


class FlowRow(Base):
    """Expected or actual cost and saving of one payer in one year."""

    __tablename__ = "econ_flows"
    __table_args__ = (UniqueConstraint("application_id", "kind", "year", "payer"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("econ_applications.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # expected | actual
    year: Mapped[int] = mapped_column(Integer)
    payer: Mapped[str] = mapped_column(String(20))
    cost: Mapped[float] = mapped_column(Float, default=0.0)
    saving: Mapped[float] = mapped_column(Float, default=0.0)


class RepaymentRow(Base):
    """A committee's planned repayment (its frame reduced) in a year, and what was made."""

    __tablename__ = "econ_repayments"
    __table_args__ = (UniqueConstraint("application_id", "committee", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("econ_applications.id", ondelete="CASCADE"), index=True)
    committee: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[float] = mapped_column(Float)
    made: Mapped[float | None] = mapped_column(Float)


class EconAudit(Base):
    """Every change to cases and funds: who, what, when."""

    __tablename__ = "econ_audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    who: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
