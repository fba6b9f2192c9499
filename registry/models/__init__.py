"""All tables and their model families; importing this registers every table on ``SQLModel.metadata``."""

from registry.models.accounts import Office, SignInFailure, StaffSession, User
from registry.models.articles import ArticleValidity, ArticleValidityList, ArticleValidityPublic
from registry.models.audit import AuditEntry
from registry.models.clearing import ClearingCampaign, ClearingRow
from registry.models.document import (
    Article,
    ArticlePublic,
    Document,
    DocumentCreate,
    DocumentPublic,
    DocumentsPublic,
    DocumentUpdate,
    Relation,
    RelationPublic,
    SourceFile,
)
from registry.models.event import Event, EventCreate, EventPublic, EventsPublic
from registry.models.intake import IntakeItem, RegistrationSerial
from registry.models.ops import ApiToken, OutboxEntry, StatusChange
from registry.models.proposal import Proposal

__all__ = [
    "ApiToken",
    "Article",
    "ArticlePublic",
    "ArticleValidity",
    "ArticleValidityList",
    "ArticleValidityPublic",
    "AuditEntry",
    "ClearingCampaign",
    "ClearingRow",
    "Document",
    "DocumentCreate",
    "DocumentPublic",
    "DocumentUpdate",
    "DocumentsPublic",
    "Event",
    "EventCreate",
    "EventPublic",
    "EventsPublic",
    "IntakeItem",
    "Office",
    "OutboxEntry",
    "Proposal",
    "RegistrationSerial",
    "Relation",
    "RelationPublic",
    "SignInFailure",
    "SourceFile",
    "StaffSession",
    "StatusChange",
    "User",
]
