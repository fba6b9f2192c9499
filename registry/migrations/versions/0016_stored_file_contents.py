"""stored file contents

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02

Stored files in the database (issue 18, scale-out): the contents of source files, attachments and finished exports, so every API process reaches them when the database is PostgreSQL.
"""
from collections.abc import Sequence

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
