"""prioritisation workflow tables (owner package: jamlik.prioritisation, issue 16)

Catalogues of proposals, rounds with criteria, pseudonymous participants, answers, comments,
forced-choice answers, facilitator/viewer members, hand-overs to the action plan and the
prioritisation audit log. Every table starts with ``prio_``; the models are
``jamlik/prioritisation/_models.py`` (its own declarative base — steering does not import it).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 11:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'prio_catalogues',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('key', sa.String(80), nullable=False, unique=True),
        sa.Column('title', sa.String(300), nullable=False),
        sa.Column('owner', sa.String(20), nullable=False),
        sa.Column('source', sa.Text()),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'prio_proposals',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('catalogue_id', sa.Integer(),
                  sa.ForeignKey('prio_catalogues.id', ondelete='CASCADE'), nullable=False,
                  index=True),
        sa.Column('key', sa.String(40), nullable=False),
        sa.Column('theme_number', sa.Integer(), nullable=False),
        sa.Column('theme', sa.String(300), nullable=False),
        sa.Column('title', sa.String(400), nullable=False),
        sa.Column('description', sa.Text()),
        sa.Column('source_report', sa.Text()),
        sa.Column('source_page', sa.String(40)),
        sa.Column('evidence_links', sa.JSON(), nullable=False),
        sa.Column('malomraden', sa.JSON(), nullable=False),
        sa.Column('sdg_targets', sa.JSON(), nullable=False),
        sa.Column('indicators', sa.JSON(), nullable=False),
        sa.Column('outcome', sa.String(60)),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.UniqueConstraint('catalogue_id', 'key'),
    )
    op.create_table(
        'prio_rounds',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('catalogue_id', sa.Integer(),
                  sa.ForeignKey('prio_catalogues.id', ondelete='CASCADE'), nullable=False,
                  index=True),
        sa.Column('title', sa.String(300), nullable=False),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('state', sa.String(10), nullable=False),
        sa.Column('scale_max', sa.Integer(), nullable=False),
        sa.Column('themes', sa.JSON(), nullable=False),
        sa.Column('proposal_keys', sa.JSON(), nullable=False),
        sa.Column('weighting', sa.String(10), nullable=False),
        sa.Column('ahp_matrix', sa.JSON()),
        sa.Column('ahp_cr', sa.Float()),
        sa.Column('choice_format', sa.String(20)),
        sa.Column('opens_at', sa.DateTime()),
        sa.Column('closes_at', sa.DateTime()),
        sa.Column('previous_id', sa.Integer(),
                  sa.ForeignKey('prio_rounds.id', ondelete='SET NULL')),
        sa.Column('merged_into_id', sa.Integer(),
                  sa.ForeignKey('prio_rounds.id', ondelete='SET NULL')),
        sa.Column('organisation', sa.String(200)),
        sa.Column('created_by', sa.String(80), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'prio_criteria',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('round_id', sa.Integer(), sa.ForeignKey('prio_rounds.id', ondelete='CASCADE'),
                  nullable=False, index=True),
        sa.Column('key', sa.String(40), nullable=False),
        sa.Column('title', sa.String(300), nullable=False),
        sa.Column('weight', sa.Float(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.UniqueConstraint('round_id', 'key'),
    )
    op.create_table(
        'prio_participants',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('round_id', sa.Integer(), sa.ForeignKey('prio_rounds.id', ondelete='CASCADE'),
                  nullable=False, index=True),
        sa.Column('pseudonym', sa.String(20), nullable=False),
        sa.Column('organisation', sa.String(200), nullable=False),
        sa.Column('stakeholder_group', sa.String(80), nullable=False),
        sa.Column('role', sa.String(200)),
        sa.Column('token_hash', sa.String(64), nullable=False, index=True),
        sa.Column('invited_at', sa.DateTime(), nullable=False),
        sa.Column('saved_at', sa.DateTime()),
        sa.Column('submitted_at', sa.DateTime()),
        sa.UniqueConstraint('round_id', 'token_hash'),
        sa.UniqueConstraint('round_id', 'pseudonym'),
    )
    op.create_table(
        'prio_answers',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('participant_id', sa.Integer(),
                  sa.ForeignKey('prio_participants.id', ondelete='CASCADE'), nullable=False,
                  index=True),
        sa.Column('proposal_id', sa.Integer(),
                  sa.ForeignKey('prio_proposals.id', ondelete='CASCADE'), nullable=False),
        sa.Column('criterion_id', sa.Integer(),
                  sa.ForeignKey('prio_criteria.id', ondelete='CASCADE'), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.UniqueConstraint('participant_id', 'proposal_id', 'criterion_id'),
    )
    op.create_table(
        'prio_comments',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('participant_id', sa.Integer(),
                  sa.ForeignKey('prio_participants.id', ondelete='CASCADE'), nullable=False,
                  index=True),
        sa.Column('proposal_id', sa.Integer(),
                  sa.ForeignKey('prio_proposals.id', ondelete='CASCADE'), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.UniqueConstraint('participant_id', 'proposal_id'),
    )
    op.create_table(
        'prio_choices',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('participant_id', sa.Integer(),
                  sa.ForeignKey('prio_participants.id', ondelete='CASCADE'), nullable=False,
                  index=True),
        sa.Column('theme_number', sa.Integer(), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.UniqueConstraint('participant_id', 'theme_number'),
    )
    op.create_table(
        'prio_members',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('username', sa.String(80), nullable=False, unique=True),
        sa.Column('role', sa.String(20), nullable=False),
    )
    op.create_table(
        'prio_handovers',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('round_id', sa.Integer(), sa.ForeignKey('prio_rounds.id', ondelete='CASCADE'),
                  nullable=False, index=True),
        sa.Column('proposal_id', sa.Integer(),
                  sa.ForeignKey('prio_proposals.id', ondelete='CASCADE'), nullable=False),
        sa.Column('area', sa.String(10), nullable=False),
        sa.Column('activity_id', sa.Integer()),
        sa.Column('scores', sa.JSON(), nullable=False),
        sa.Column('sent_by', sa.String(80), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'prio_audit',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('at', sa.DateTime(), nullable=False, index=True),
        sa.Column('who', sa.String(80), nullable=False),
        sa.Column('action', sa.String(40), nullable=False),
        sa.Column('entity', sa.String(40), nullable=False),
        sa.Column('entity_id', sa.String(40), nullable=False),
        sa.Column('detail', sa.JSON()),
    )


def downgrade() -> None:
    for name in ('prio_audit', 'prio_handovers', 'prio_members', 'prio_choices',
                 'prio_comments', 'prio_answers', 'prio_participants', 'prio_criteria',
                 'prio_rounds', 'prio_proposals', 'prio_catalogues'):
        op.drop_table(name)
