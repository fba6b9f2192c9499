"""offices, staff accounts and browser sessions; documents belong to an office and are published

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Documents that exist before this revision were ingested for the public and are published as of their
creation; only documents registered through the workbench start unpublished. Tokens made before it
belong to no user (machine tokens made on the command line).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('offices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', _text(length=200), nullable=False),
    sa.Column('code', _text(length=20), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('region', _text(length=100), nullable=True),
    sa.Column('number_pattern', _text(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['offices.id']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code'),
    sa.UniqueConstraint('name')
    )
    op.create_index(op.f('ix_offices_parent_id'), 'offices', ['parent_id'], unique=False)
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', _text(length=64), nullable=False),
    sa.Column('display_name', _text(length=100), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('role', _text(length=20), nullable=False),
    sa.Column('password_hash', _text(length=200), nullable=False),
    sa.Column('totp_secret', _text(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_index(op.f('ix_users_office_id'), 'users', ['office_id'], unique=False)
    op.create_table('staff_sessions',
    sa.Column('id', _text(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('client', _text(length=100), nullable=True),
    sa.Column('user_agent', _text(length=300), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_staff_sessions_user_id'), 'staff_sessions', ['user_id'], unique=False)
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_documents_office_id'), ['office_id'], unique=False)
        batch_op.create_foreign_key('fk_documents_office_id', 'offices', ['office_id'], ['id'])
    op.execute("UPDATE documents SET published_at = created_at")
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)
        batch_op.create_foreign_key('fk_api_tokens_user_id', 'users', ['user_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint('fk_api_tokens_user_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))
        batch_op.drop_column('user_id')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint('fk_documents_office_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_documents_office_id'))
        batch_op.drop_column('published_at')
        batch_op.drop_column('office_id')
    op.drop_index(op.f('ix_staff_sessions_user_id'), table_name='staff_sessions')
    op.drop_table('staff_sessions')
    op.drop_index(op.f('ix_users_office_id'), table_name='users')
    op.drop_table('users')
    op.drop_index(op.f('ix_offices_parent_id'), table_name='offices')
    op.drop_table('offices')
