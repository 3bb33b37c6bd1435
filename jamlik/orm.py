"""What every SQLAlchemy model of the workflow database shares, defined once.

The workflow database (steering, knowledge, prioritisation, economics; SQLite or PostgreSQL,
one Alembic migration chain in ``jamlik/steering/migrations``) stores times as naive UTC and
maps ``dict[str, Any]`` / ``list[Any]`` annotations to JSON. Each owner keeps its own
declarative base (its own metadata: steering never imports the others' tables) and takes these
from here::

    class Base(DeclarativeBase):
        type_annotation_map = TYPE_ANNOTATION_MAP

This module owns no tables and sits low in the layers (beside ``jamlik.store``), so every
owner may import it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON

#: Python annotations → column types for every workflow-database base
TYPE_ANNOTATION_MAP: dict[Any, Any] = {dict[str, Any]: JSON, list[Any]: JSON}


def utcnow() -> datetime:
    """Now in UTC, without a time zone: how the workflow database stores every time."""
    return datetime.now(UTC).replace(tzinfo=None)


__all__ = ["TYPE_ANNOTATION_MAP", "utcnow"]
