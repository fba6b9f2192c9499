"""accounts: sign-in throttling

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

Failed sign-ins are kept in the database (not in a process's memory) so a limit holds across several
API processes and restarts; rows older than the window are deleted as new failures arrive.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('sign_in_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', _text(length=64), nullable=False),
    sa.Column('client', _text(length=100), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_sign_in_failures_username'), 'sign_in_failures', ['username'], unique=False)
    op.create_index(op.f('ix_sign_in_failures_client'), 'sign_in_failures', ['client'], unique=False)
    op.create_index(op.f('ix_sign_in_failures_failed_at'), 'sign_in_failures', ['failed_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sign_in_failures_failed_at'), table_name='sign_in_failures')
    op.drop_index(op.f('ix_sign_in_failures_client'), table_name='sign_in_failures')
    op.drop_index(op.f('ix_sign_in_failures_username'), table_name='sign_in_failures')
    op.drop_table('sign_in_failures')
