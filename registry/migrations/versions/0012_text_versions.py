"""text versions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

A document's text versions with the dates each was in force (issue 15). Every document that exists when
this runs gets its version 1 from its current text and articles, in force from its effective date (or its
publication date when none is known), so a registry upgraded with documents in it answers ``text?at=`` at
once. Documents registered later get their first row when their text first changes.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_text = sqlmodel.sql.sqltypes.AutoString
_BATCH = 500


def upgrade() -> None:
    table = op.create_table('text_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', _text(length=64), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('articles', sa.JSON(), nullable=False),
    sa.Column('in_force_from', sa.Date(), nullable=True),
    sa.Column('in_force_to', sa.Date(), nullable=True),
    sa.Column('origin', _text(length=20), nullable=False),
    sa.Column('source', _text(length=1000), nullable=True),
    sa.Column('amended_by', _text(length=64), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actor', _text(length=200), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['amended_by'], ['documents.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'version_no')
    )
    op.create_index(op.f('ix_text_versions_document_id'), 'text_versions', ['document_id'], unique=False)
    _backfill(table)


def _backfill(table: sa.Table) -> None:
    """Version 1 of every existing document, from its current text and articles, a batch at a time."""
    bind = op.get_bind()
    docs = sa.table('documents', sa.column('id'), sa.column('text'), sa.column('effective_date', sa.Date()),
                    sa.column('publication_date', sa.Date()), sa.column('created_at', sa.DateTime(timezone=True)))
    arts = sa.table('articles', sa.column('id'), sa.column('document_id'), sa.column('ordinal'), sa.column('number'),
                    sa.column('chapter'), sa.column('heading'), sa.column('text'))
    ids = [row[0] for row in bind.execute(sa.select(docs.c.id).order_by(docs.c.id))]
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start:start + _BATCH]
        by_doc: dict[str, list[dict[str, object]]] = {}
        for a in bind.execute(sa.select(arts).where(arts.c.document_id.in_(chunk)).order_by(arts.c.id)):
            by_doc.setdefault(a.document_id, []).append(
                {"ordinal": a.ordinal, "number": a.number, "chapter": a.chapter, "heading": a.heading, "text": a.text})
        rows = [{"document_id": d.id, "version_no": 1, "text": d.text or "", "articles": by_doc.get(d.id, []),
                 "in_force_from": d.effective_date or d.publication_date, "in_force_to": None, "origin": "original",
                 "source": None, "amended_by": None, "note": "", "actor": "migration 0012",
                 "recorded_at": d.created_at}
                for d in bind.execute(sa.select(docs).where(docs.c.id.in_(chunk)))]
        if rows:
            bind.execute(table.insert(), rows)


def downgrade() -> None:
    op.drop_index(op.f('ix_text_versions_document_id'), table_name='text_versions')
    op.drop_table('text_versions')
