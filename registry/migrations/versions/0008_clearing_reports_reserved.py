"""clearing and reports

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Reserved while the workbench areas were built side by side; clearing and reports needed no new table,
so it changes nothing (kept so that databases already at 0008 or later stay on the chain).
"""
from collections.abc import Sequence

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
