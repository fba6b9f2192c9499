"""append-only guards without gaps: no INSERT OR REPLACE over an event on SQLite, no TRUNCATE on PostgreSQL

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

SQLite's ``INSERT OR REPLACE`` deletes the conflicting row without firing DELETE triggers (unless
recursive triggers are on), so an existing event or audit entry could be rewritten past the guards of
0001 and 0003. A BEFORE INSERT trigger now refuses any insert whose id already exists. PostgreSQL's
``TRUNCATE`` fires no row triggers; the events table now refuses it as the audit log already did.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = (("events", "events are append-only"), ("audit_log", "the audit log is append-only"))


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table, message in _TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
                f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
    else:
        op.execute(
            "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events "
            "FOR EACH STATEMENT EXECUTE FUNCTION normreg_events_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table, _ in _TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
    else:
        op.execute("DROP TRIGGER IF EXISTS events_no_truncate ON events")
