"""basis and review tasks

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

Reserved for the basis watch (issue 15: citations with articles, review tasks) while it is built beside the other areas; filled in by that work.
"""
from collections.abc import Sequence

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
