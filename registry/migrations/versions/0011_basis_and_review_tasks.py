"""basis and review tasks

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

The basis watch (issue 15): a review task is opened for every document based on a law whose status
changed (kind ``basis_changed``), and closed by a reviewer's decision recorded as an event.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('review_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', _text(length=30), nullable=False),
    sa.Column('document_id', _text(), nullable=False),
    sa.Column('basis_id', _text(), nullable=True),
    sa.Column('basis_title', _text(length=500), nullable=False),
    sa.Column('articles', sa.JSON(), nullable=False),
    sa.Column('old_status', _text(length=32), nullable=True),
    sa.Column('new_status', _text(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('state', _text(length=20), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', _text(length=200), nullable=True),
    sa.Column('decision', _text(length=20), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['basis_id'], ['documents.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_review_tasks_kind'), 'review_tasks', ['kind'], unique=False)
    op.create_index(op.f('ix_review_tasks_document_id'), 'review_tasks', ['document_id'], unique=False)
    op.create_index(op.f('ix_review_tasks_basis_id'), 'review_tasks', ['basis_id'], unique=False)
    op.create_index(op.f('ix_review_tasks_state'), 'review_tasks', ['state'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_review_tasks_state'), table_name='review_tasks')
    op.drop_index(op.f('ix_review_tasks_basis_id'), table_name='review_tasks')
    op.drop_index(op.f('ix_review_tasks_document_id'), table_name='review_tasks')
    op.drop_index(op.f('ix_review_tasks_kind'), table_name='review_tasks')
    op.drop_table('review_tasks')
