"""relations.checked_at, documents.updated_at indexed

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03

When a resolution pass last tried an unresolved reference against every stored document, so that the next
ingest tries it only against documents changed since (registry/services/recheck.py); the index on
documents.updated_at finds those documents without reading the table.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('relations', sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_documents_updated_at', 'documents', ['updated_at'])


def downgrade() -> None:
    op.drop_index('ix_documents_updated_at', table_name='documents')
    with op.batch_alter_table('relations') as batch:
        batch.drop_column('checked_at')
