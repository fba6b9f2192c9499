"""article validity

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

Reserved for article-level validity (issue 15, item 5) while it is built beside the other areas; filled in by that work.
"""
from collections.abc import Sequence

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
