"""Article-level validity: which articles of a partially invalid document lost effect, from when and why."""

from __future__ import annotations

from fastapi import APIRouter

from registry.api.schemas import ERRORS
from registry.http.deps import RegistryDep
from registry.models import ArticleValidityList

router = APIRouter(tags=["articles"])


@router.get("/api/v1/documents/{document_id}/articles/validity",
            summary="Articles that lost effect (部分失效): which, from when and why",
            response_model=ArticleValidityList, responses=ERRORS)
def article_validity(document_id: str, registry: RegistryDep) -> ArticleValidityList:
    return registry.article_validity(document_id)
