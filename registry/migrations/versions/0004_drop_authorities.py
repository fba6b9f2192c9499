"""drop the unread authorities table

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Ingestion filled ``authorities`` with every issuer name, but nothing ever read it: issuers live on the
documents (``issuer``, ``co_issuers``). Offices as accounts belong to the staff workbench, with their own
table. Downgrading recreates the empty table.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table('authorities')


def downgrade() -> None:
    op.create_table('authorities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
