"""text versions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

Reserved for text versions and their dates in force (issue 15) while it is built beside the other areas; filled in by that work.
"""
from collections.abc import Sequence

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
