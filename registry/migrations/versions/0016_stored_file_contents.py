"""stored file contents

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02

Stored files in the database (issue 18, scale-out): the contents of source files, attachments and finished exports, so every API process reaches them when the database is PostgreSQL.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('stored_files',
    sa.Column('name', _text(length=300), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('sha256', _text(length=64), nullable=False),
    sa.Column('chunks', sa.Integer(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('stored_file_chunks',
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['name'], ['stored_files.name'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('name', 'seq')
    )
    if op.get_bind().dialect.name == "postgresql":
        # PDFs, DOCX and images are compressed already: keep the chunks out of line, uncompressed, instead
        # of letting TOAST try (and fail) to compress every mebibyte
        op.execute("ALTER TABLE stored_file_chunks ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.drop_table('stored_file_chunks')
    op.drop_table('stored_files')
