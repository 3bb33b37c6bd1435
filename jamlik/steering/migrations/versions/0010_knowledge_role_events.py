"""knowledge bank: the roles' audit log (every grant and revoke: who, when, whose role)

Owner: jamlik.knowledge (jamlik/knowledge/_review.py, ``KnowledgeRoleEvent``). Roles can now be
revoked as well as granted; each change that happens is one row here.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'knowledge_role_events',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('by', sa.String(80), nullable=False),
        sa.Column('action', sa.String(20), nullable=False),  # grant | revoke
        sa.Column('username', sa.String(80), nullable=False, index=True),
        sa.Column('role', sa.String(20), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('knowledge_role_events')
