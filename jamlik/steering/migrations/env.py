"""Alembic environment: migrations run programmatically on the connection jamlik passes in."""

from __future__ import annotations

from alembic import context

from jamlik.steering._models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI directly
    raise RuntimeError("kör migreringar via jamlik.steering.open_workflow(), inte alembic-kommandot")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
