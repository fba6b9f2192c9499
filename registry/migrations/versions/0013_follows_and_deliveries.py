"""follows and deliveries

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

Reserved for follows, webhooks, mail subscriptions and the delivery queue (issue 16) while it is built beside the other areas; filled in by that work.
"""
from collections.abc import Sequence

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
