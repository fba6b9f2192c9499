"""export jobs

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02

Large exports run as jobs (issue 18): who asked, the filters, progress, and the stored name of the finished file.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_text = sqlmodel.sql.sqltypes.AutoString


def _ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table('export_jobs',
    sa.Column('id', _text(length=43), nullable=False),
    sa.Column('key', _text(length=64), nullable=False),
    sa.Column('format', _text(length=10), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('requested_by', _text(length=200), nullable=False),
    sa.Column('client', _text(length=100), nullable=False),
    sa.Column('state', _text(length=20), nullable=False),
    sa.Column('rows_done', sa.Integer(), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('error', _text(length=500), nullable=True),
    sa.Column('file_name', _text(length=200), nullable=True),
    _ts('lease_until', True),
    _ts('created_at'),
    _ts('finished_at', True),
    _ts('expires_at', True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_export_jobs_key'), 'export_jobs', ['key'], unique=False)
    op.create_index(op.f('ix_export_jobs_state'), 'export_jobs', ['state'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_export_jobs_state'), table_name='export_jobs')
    op.drop_index(op.f('ix_export_jobs_key'), table_name='export_jobs')
    op.drop_table('export_jobs')
