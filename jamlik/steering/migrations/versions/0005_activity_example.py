"""activities.example_id: the good example an activity was taken from

Owner: jamlik.steering (the activities table), for the link to jamlik.knowledge's examples
(issue 18: "an example that becomes an action in a plan keeps that link").

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 11:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('example_id', sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f('ix_activities_example_id'), ['example_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_example_id'))
        batch_op.drop_column('example_id')
