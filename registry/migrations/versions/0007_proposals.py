"""workspace: proposals a reviewer confirms

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

A clerk's proposal to repeal, amend or declare a document (partly) invalid waits in ``proposals`` until
its author withdraws it or a reviewer confirms or rejects it; confirming appends the event.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', _text(length=64), nullable=False),
    sa.Column('kind', _text(length=40), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('legal_basis', _text(length=1000), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('proposed_by', _text(length=200), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', _text(length=20), nullable=False),
    sa.Column('decided_by', _text(length=200), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', _text(length=2000), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_proposals_document_id'), 'proposals', ['document_id'], unique=False)
    op.create_index(op.f('ix_proposals_state'), 'proposals', ['state'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_proposals_state'), table_name='proposals')
    op.drop_index(op.f('ix_proposals_document_id'), table_name='proposals')
    op.drop_table('proposals')
