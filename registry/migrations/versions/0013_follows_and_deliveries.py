"""follows and deliveries

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

Notices (what writers announce, in their transaction), follows of a document or a saved search, webhooks
with their delivery queue, and mail subscriptions (issue 16). No secret is stored: signing secrets and
mail tokens are HMACs of the server key in the data dir.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_text = sqlmodel.sql.sqltypes.AutoString


def _ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', _text(length=40), nullable=False),
    sa.Column('document_id', _text(length=64), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    _ts('created_at'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_notices_document_id'), 'notices', ['document_id'], unique=False)
    op.create_table('follows',
    sa.Column('query', _text(length=500), nullable=False),
    sa.Column('id', _text(length=43), nullable=False),
    sa.Column('kind', _text(length=20), nullable=False),
    sa.Column('document_id', _text(length=64), nullable=True),
    sa.Column('filters', sa.JSON(), nullable=False),
    _ts('created_at'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_follows_document_id'), 'follows', ['document_id'], unique=False)
    op.create_table('webhooks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', _text(length=2000), nullable=False),
    sa.Column('events', sa.JSON(), nullable=False),
    sa.Column('created_by', _text(length=200), nullable=False),
    _ts('created_at'),
    sa.Column('cursor', sa.Integer(), nullable=False),
    _ts('disabled_at', True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('mail_subscriptions',
    sa.Column('id', _text(length=43), nullable=False),
    sa.Column('follow_id', _text(length=43), nullable=False),
    sa.Column('email', _text(length=320), nullable=False),
    sa.Column('frequency', _text(length=20), nullable=False),
    _ts('created_at'),
    _ts('confirmed_at', True),
    _ts('unsubscribed_at', True),
    sa.Column('cursor', sa.Integer(), nullable=False),
    _ts('last_sent_at', True),
    sa.Column('last_error', _text(length=500), nullable=True),
    sa.ForeignKeyConstraint(['follow_id'], ['follows.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_mail_subscriptions_follow_id'), 'mail_subscriptions', ['follow_id'], unique=False)
    op.create_table('webhook_deliveries',
    sa.Column('id', _text(length=32), nullable=False),
    sa.Column('webhook_id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('event', _text(length=40), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', _text(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    _ts('created_at'),
    _ts('next_attempt_at'),
    _ts('last_attempt_at', True),
    _ts('delivered_at', True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', _text(length=500), nullable=True),
    sa.ForeignKeyConstraint(['webhook_id'], ['webhooks.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('webhook_id', 'notice_id', name='uq_webhook_deliveries_notice')
    )
    op.create_index(op.f('ix_webhook_deliveries_next_attempt_at'), 'webhook_deliveries', ['next_attempt_at'],
                    unique=False)
    op.create_index(op.f('ix_webhook_deliveries_webhook_id'), 'webhook_deliveries', ['webhook_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_webhook_deliveries_webhook_id'), table_name='webhook_deliveries')
    op.drop_index(op.f('ix_webhook_deliveries_next_attempt_at'), table_name='webhook_deliveries')
    op.drop_table('webhook_deliveries')
    op.drop_index(op.f('ix_mail_subscriptions_follow_id'), table_name='mail_subscriptions')
    op.drop_table('mail_subscriptions')
    op.drop_table('webhooks')
    op.drop_index(op.f('ix_follows_document_id'), table_name='follows')
    op.drop_table('follows')
    op.drop_index(op.f('ix_notices_document_id'), table_name='notices')
    op.drop_table('notices')
