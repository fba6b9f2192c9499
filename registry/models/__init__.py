"""All tables and their model families; importing this registers every table on ``SQLModel.metadata``."""

from registry.models.accounts import Office, SignInFailure, StaffSession, User
from registry.models.articles import ArticleValidity, ArticleValidityList, ArticleValidityPublic
from registry.models.audit import AuditEntry
from registry.models.basis import ReviewTask, ReviewTaskPublic, ReviewTasksPublic
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
from registry.models.exports import ExportJob, ExportJobPublic
from registry.models.files import StoredFile, StoredFileChunk
from registry.models.follows import (
    Follow,
    FollowCreate,
    FollowPublic,
    MailSubscription,
    Notice,
    Webhook,
    WebhookDelivery,
)
from registry.models.intake import IntakeItem, RegistrationSerial
from registry.models.ops import ApiToken, OutboxEntry, StatusChange
from registry.models.proposal import Proposal
from registry.models.trust import Statement, Suggestion, SuggestionCreate
from registry.models.versions import TextVersion

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
    "ExportJob",
    "ExportJobPublic",
    "Follow",
    "FollowCreate",
    "FollowPublic",
    "IntakeItem",
    "MailSubscription",
    "Notice",
    "Office",
    "OutboxEntry",
    "Proposal",
    "RegistrationSerial",
    "Relation",
    "RelationPublic",
    "ReviewTask",
    "ReviewTaskPublic",
    "ReviewTasksPublic",
    "SignInFailure",
    "SourceFile",
    "StaffSession",
    "Statement",
    "StatusChange",
    "StoredFile",
    "StoredFileChunk",
    "Suggestion",
    "SuggestionCreate",
    "TextVersion",
    "User",
    "Webhook",
    "WebhookDelivery",
]
