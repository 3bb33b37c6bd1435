"""knowledge bank review workflow: roles, submissions (draft → reviewed → published), history

Owner: jamlik.knowledge (jamlik/knowledge/_review.py). The tables live in the workflow
database beside the steering loop's; only jamlik.knowledge reads and writes them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 11:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('knowledge_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('granted_by', sa.String(length=80), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username', 'role')
    )
    op.create_index('ix_knowledge_roles_username', 'knowledge_roles', ['username'])
    op.create_table('example_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('example_id', sa.String(length=80), nullable=False),
    sa.Column('cells', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('submitted_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('example_id')
    )
    op.create_table('example_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['example_submissions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_example_events_submission_id', 'example_events', ['submission_id'])


def downgrade() -> None:
    op.drop_index('ix_example_events_submission_id', table_name='example_events')
    op.drop_table('example_events')
    op.drop_table('example_submissions')
    op.drop_index('ix_knowledge_roles_username', table_name='knowledge_roles')
    op.drop_table('knowledge_roles')
