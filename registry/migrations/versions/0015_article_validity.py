"""article validity

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

Article status over time (issue 15, item 5): one row per article a live partial invalidity names, with
the day it lost effect and why; a projection of the event log (registry/models/articles.py).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('article_validity',
    sa.Column('article', _text(length=40), nullable=False),
    sa.Column('void_from', sa.Date(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', _text(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_article_validity_document_id'), 'article_validity', ['document_id'], unique=False)
    op.create_index(op.f('ix_article_validity_event_id'), 'article_validity', ['event_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_article_validity_event_id'), table_name='article_validity')
    op.drop_index(op.f('ix_article_validity_document_id'), table_name='article_validity')
    op.drop_table('article_validity')
