"""Article status over time: which articles of a document lost effect, from when, and why.

A row is a projection of one live partial-invalidity event (``events.type = partially_invalid``): one
row per article its ``payload.provisions`` names. The rows of a document are rewritten whenever one of
its partial invalidities is recorded or revoked (:mod:`registry.services.article_validity`), so they
never disagree with the event log, which stays the record.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class ArticleValidityBase(SQLModel):
    article: str = Field(max_length=40, description="The article label as the document numbers it, e.g. 第十二条.")
    void_from: dt.date = Field(description="The day from which the article no longer applies.")
    reason: str | None = Field(default=None, description="Why, as recorded with the partial invalidity.")


class ArticleValidity(ArticleValidityBase, table=True):
    __tablename__ = "article_validity"

    id: int | None = Field(default=None, primary_key=True)
    document_id: str = Field(foreign_key="documents.id", index=True, ondelete="CASCADE")
    event_id: int = Field(foreign_key="events.id", index=True)
    ordinal: int | None = None  # the article's position in the document; None when no article has that label
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ArticleValidityPublic(ArticleValidityBase):
    ordinal: int | None = Field(description="Position of the article in the document; null when the document "
                                            "has no article with that label.")
    event_id: int = Field(description="The partial-invalidity event this comes from.")


class ArticleValidityList(SQLModel):
    document_id: str
    items: list[ArticleValidityPublic]
