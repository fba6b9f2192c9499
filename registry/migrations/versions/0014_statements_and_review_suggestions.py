"""statements and review suggestions

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

Reserved for signed validity statements and 审查建议 (issue 16) while it is built beside the other areas; filled in by that work.
"""
from collections.abc import Sequence

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
