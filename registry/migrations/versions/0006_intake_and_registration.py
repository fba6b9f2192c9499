"""intake: uploads waiting for review, registration serials

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Documents ingested by ``normreg ingest`` are public at once; this revision also publishes any that an
earlier ingestion left without a publication time (those inserts did not set it).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('intake_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by', _text(length=200), nullable=False),
    sa.Column('filename', _text(length=200), nullable=False),
    sa.Column('stored_name', _text(length=200), nullable=True),
    sa.Column('sha256', _text(length=64), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('format', _text(length=10), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('state', _text(length=20), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('provenance', sa.JSON(), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('articles', sa.JSON(), nullable=False),
    sa.Column('refs', sa.JSON(), nullable=False),
    sa.Column('document_id', _text(length=64), nullable=True),
    sa.Column('registered_as', _text(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id']),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('intake_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_items_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_items_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_items_state'), ['state'], unique=False)
    op.create_table('registration_serials',
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id']),
    sa.PrimaryKeyConstraint('office_id', 'year')
    )
    op.execute("UPDATE documents SET published_at = created_at WHERE published_at IS NULL AND office_id IS NULL")


def downgrade() -> None:
    op.drop_table('registration_serials')
    with op.batch_alter_table('intake_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_items_state'))
        batch_op.drop_index(batch_op.f('ix_intake_items_office_id'))
        batch_op.drop_index(batch_op.f('ix_intake_items_document_id'))
    op.drop_table('intake_items')
