"""Article-level validity: which articles of a partially invalid document lost effect, from when and why,
and search by article (articles ranked as articles, optionally only those in force)."""

from __future__ import annotations

from typing import Any

from registry.actions.reading import _published
from registry.actions.scope import ScopedRuntime
from registry.models import ArticleValidityList, ArticleValidityPublic
from registry.services import article_search, article_validity, documents
from search.model import SearchQuery


class ArticleActions(ScopedRuntime):
    """Article-level validity actions of :class:`registry.facade.Registry`.

    The rows are written by recording a partial invalidity (``record_event`` / a confirmed proposal with
    ``provisions``); these methods read them.
    """

    def search_articles(self, query: SearchQuery) -> dict[str, Any]:
        """One page of article hits (``GET /api/v1/search?unit=article``): each hit one article, with its
        document's id, title and status, its label, heading, snippet and its own status today.
        ``query.articles == "in_force"`` leaves out articles not in force."""
        with self.read_session() as s:
            return article_search.search_articles(s, self.backend, query, self.today())

    def article_validity(self, document_id: str) -> ArticleValidityList:
        """The articles of a published document that lost (or will lose) effect: label, day, reason."""
        with self.read_session() as s:
            _published(documents.get_document(s, document_id))
            rows = article_validity.list_for(s, document_id)
            return ArticleValidityList(document_id=document_id, items=[
                ArticleValidityPublic(article=r.article, void_from=r.void_from, reason=r.reason, ordinal=r.ordinal,
                                      event_id=r.event_id) for r in rows])

    def article_marks(self, document_id: str) -> dict[int, dict[str, Any]]:
        """For the document page: by article ordinal, ``{"void_from", "reason", "in_force"}`` of every
        article a partial invalidity names (``in_force`` is False once the day has come)."""
        today = self.today()
        with self.read_session() as s:
            rows = article_validity.voids_of(s, [document_id]).get(document_id, {})
            return {o: {"void_from": r.void_from, "reason": r.reason, "in_force": r.void_from > today}
                    for o, r in rows.items()}
