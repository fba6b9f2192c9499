"""Metadata stages shared by every format's pipeline.

Each stage is a function ``stage(ctx: Context) -> None`` whose docstring says what it reads and
writes. Order matters and is fixed in :data:`STAGES`: what a file states in labelled form
(gov.cn table, front matter) is applied first and never overwritten by a guess; layout rules (red
header, title size) come before text rules (signature, clauses).
"""

from __future__ import annotations

from collections.abc import Callable

from ingest.metadata.category import attachments, category, registration_number, structure
from ingest.metadata.context import Context
from ingest.metadata.dating import effective_and_validity, publication
from ingest.metadata.header import doc_number_line, doubted_doc_number, labelled_fields, red_header
from ingest.metadata.references import references
from ingest.metadata.signature import adoption_note, issuer_from_title, signature
from ingest.metadata.title import title

Stage = Callable[[Context], None]

STAGES: tuple[Stage, ...] = (
    labelled_fields,
    red_header,
    doc_number_line,
    title,
    doubted_doc_number,
    issuer_from_title,
    signature,
    adoption_note,
    publication,
    effective_and_validity,
    registration_number,
    structure,
    attachments,
    references,
    category,
)


def run_stages(ctx: Context, stages: tuple[Stage, ...] = STAGES) -> None:
    """Run ``stages`` in order on one document."""
    for stage in stages:
        stage(ctx)


__all__ = ["STAGES", "Context", "Stage", "run_stages"]
