"""statements and review suggestions

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

Signed validity statements (核验凭证), kept as signed, and citizens' review suggestions (审查建议) with
their 15-day deadline, reply and mail delivery (issue 16).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('review_suggestions',
    sa.Column('name', _text(length=100), nullable=True),
    sa.Column('contact', _text(length=200), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', _text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('client_hash', _text(length=64), nullable=False),
    sa.Column('attachment_name', _text(length=200), nullable=True),
    sa.Column('attachment_stored', _text(length=200), nullable=True),
    sa.Column('attachment_type', _text(length=100), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_by', _text(length=200), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('mail_error', _text(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_review_suggestions_client_hash'), 'review_suggestions', ['client_hash'], unique=False)
    op.create_index(op.f('ix_review_suggestions_document_id'), 'review_suggestions', ['document_id'], unique=False)
    op.create_index(op.f('ix_review_suggestions_submitted_at'), 'review_suggestions', ['submitted_at'], unique=False)
    op.create_table('statements',
    sa.Column('id', _text(length=40), nullable=False),
    sa.Column('document_id', _text(), nullable=False),
    sa.Column('key_id', _text(length=64), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_statements_document_id'), 'statements', ['document_id'], unique=False)
    op.create_index(op.f('ix_statements_issued_at'), 'statements', ['issued_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_statements_issued_at'), table_name='statements')
    op.drop_index(op.f('ix_statements_document_id'), table_name='statements')
    op.drop_table('statements')
    op.drop_index(op.f('ix_review_suggestions_submitted_at'), table_name='review_suggestions')
    op.drop_index(op.f('ix_review_suggestions_document_id'), table_name='review_suggestions')
    op.drop_index(op.f('ix_review_suggestions_client_hash'), table_name='review_suggestions')
    op.drop_table('review_suggestions')
