"""saved social-investment cases (versioned) and funds (owner package: jamlik.economics, issue 17)

Cases per organisation with every saved version (the case data as JSON, read like a case file)
and where a copy came from; funds with applications, decisions, expected and actual flows per
year and payer, repayment plans (planned and made) and the economics audit log. Every table
starts with ``econ_``; the models are ``jamlik/economics/_models.py`` (its own declarative base —
steering does not import it).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'econ_cases',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('area', sa.String(10), nullable=False, index=True),
        sa.Column('title', sa.String(300), nullable=False),
        sa.Column('origin', sa.String(80), nullable=False),
        sa.Column('copied_from', sa.Integer(),
                  sa.ForeignKey('econ_cases.id', ondelete='SET NULL')),
        sa.Column('copied_from_version', sa.Integer()),
        sa.Column('created_by', sa.String(80), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'econ_case_versions',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('econ_cases.id', ondelete='CASCADE'),
                  nullable=False, index=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('note', sa.Text()),
        sa.Column('saved_by', sa.String(80), nullable=False),
        sa.Column('saved_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('case_id', 'version'),
    )
    op.create_table(
        'econ_funds',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('area', sa.String(10), nullable=False, index=True),
        sa.Column('name', sa.String(300), nullable=False),
        sa.Column('capital', sa.Float(), nullable=False),
        sa.Column('start_year', sa.Integer(), nullable=False),
        sa.Column('created_by', sa.String(80), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'econ_applications',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('fund_id', sa.Integer(), sa.ForeignKey('econ_funds.id', ondelete='CASCADE'),
                  nullable=False, index=True),
        sa.Column('key', sa.String(80), nullable=False),
        sa.Column('title', sa.String(300), nullable=False),
        sa.Column('committees', sa.JSON(), nullable=False),
        sa.Column('target_group', sa.Text(), nullable=False),
        sa.Column('evaluation_plan', sa.Text(), nullable=False),
        sa.Column('case_ref', sa.String(300)),
        sa.Column('indicators', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(20)),
        sa.Column('decided_on', sa.Date()),
        sa.Column('decided_by', sa.String(300)),
        sa.Column('granted', sa.Float(), nullable=False),
        sa.Column('created_by', sa.String(80), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('fund_id', 'key'),
    )
    op.create_table(
        'econ_flows',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('application_id', sa.Integer(),
                  sa.ForeignKey('econ_applications.id', ondelete='CASCADE'), nullable=False,
                  index=True),
        sa.Column('kind', sa.String(10), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('payer', sa.String(20), nullable=False),
        sa.Column('cost', sa.Float(), nullable=False),
        sa.Column('saving', sa.Float(), nullable=False),
        sa.UniqueConstraint('application_id', 'kind', 'year', 'payer'),
    )
    op.create_table(
        'econ_repayments',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('application_id', sa.Integer(),
                  sa.ForeignKey('econ_applications.id', ondelete='CASCADE'), nullable=False,
                  index=True),
        sa.Column('committee', sa.String(300), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Float(), nullable=False),
        sa.Column('made', sa.Float()),
        sa.UniqueConstraint('application_id', 'committee', 'year'),
    )
    op.create_table(
        'econ_audit',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('at', sa.DateTime(), nullable=False, index=True),
        sa.Column('who', sa.String(80), nullable=False),
        sa.Column('action', sa.String(40), nullable=False),
        sa.Column('entity', sa.String(40), nullable=False),
        sa.Column('entity_id', sa.String(40), nullable=False),
        sa.Column('detail', sa.JSON()),
    )


def downgrade() -> None:
    for name in ('econ_audit', 'econ_repayments', 'econ_flows', 'econ_applications',
                 'econ_funds', 'econ_case_versions', 'econ_cases'):
        op.drop_table(name)
