"""Follows and deliveries: ``/api/v1/follows``, Atom feeds per follow and per saved search, mail
subscriptions, and ``/api/v1/webhooks`` (an admin's) with their delivery log and replays."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from registry.api.auth import AdminDep
from registry.api.schemas import ERRORS, RATE_LIMITED, WRITE_ERRORS
from registry.http.deps import RegistryDep
from registry.http.ratelimit import rate_limit
from registry.models import FollowCreate, FollowPublic
from registry.services.notices import NOTICE_KINDS

router = APIRouter(tags=["follows"])
ATOM: dict[int | str, dict[str, Any]] = {200: {"content": {"application/atom+xml": {}}, "description": "Atom 1.0"}}


class NoticeOut(BaseModel):
    notice_id: int
    kind: str
    document_id: str | None
    title: str
    doc_number: str | None
    data: dict[str, Any]
    created_at: str
    summary: str


class SubscribeIn(BaseModel):
    email: str = Field(max_length=254)
    frequency: Literal["immediate", "daily"] = "immediate"


class SubscriptionOut(BaseModel):
    id: str
    follow_id: str
    email: str
    frequency: str
    confirmed: bool
    unsubscribed: bool


class WebhookIn(BaseModel):
    url: str = Field(max_length=2000, description="http(s) URL that receives JSON POSTs")
    events: list[str] = Field(min_length=1, max_length=len(NOTICE_KINDS), description=", ".join(NOTICE_KINDS))


class WebhookOut(BaseModel):
    id: int
    url: str
    events: list[str]
    created_by: str
    created_at: str
    active: bool


class WebhookCreated(WebhookOut):
    secret: str = Field(description="HMAC-SHA256 key of X-Normreg-Signature; shown once")


class DeliveryOut(BaseModel):
    id: str = Field(description="The delivery id (X-Normreg-Delivery and the body's delivery_id)")
    webhook_id: int
    notice_id: int
    event: str
    state: Literal["pending", "delivered", "failed"]
    attempts: int
    created_at: str
    next_attempt_at: str | None
    last_attempt_at: str | None
    delivered_at: str | None
    last_status: int | None
    last_error: str | None


class DeliveriesOut(BaseModel):
    total: int
    items: list[DeliveryOut]


@router.post("/api/v1/follows", summary="Follow a document or a saved search (no account needed)", status_code=201,
             response_model=FollowPublic, responses={**ERRORS, **RATE_LIMITED}, dependencies=[Depends(rate_limit)])
def post_follow(data: FollowCreate, registry: RegistryDep) -> dict[str, Any]:
    return registry.follow(document=data.document, query=data.query, filters=dict(data.filters))


@router.get("/api/v1/follows/{follow_id}", summary="A follow", response_model=FollowPublic, responses=ERRORS)
def get_follow(follow_id: str, registry: RegistryDep) -> dict[str, Any]:
    return registry.get_follow(follow_id)


@router.get("/api/v1/follows/{follow_id}/notices", summary="What a follow has heard of, newest first",
            response_model=list[NoticeOut], responses=ERRORS)
def get_follow_notices(follow_id: str, registry: RegistryDep,
                       limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[dict[str, Any]]:
    return registry.follow_notices(follow_id, limit=limit)


@router.get("/feeds/follows/{follow_id}.atom", summary="Atom feed of a follow", response_class=Response,
            responses={**ATOM, **ERRORS})
def follow_atom(follow_id: str, registry: RegistryDep) -> Response:
    return Response(registry.follow_feed(follow_id), media_type="application/atom+xml; charset=utf-8")


@router.get("/feeds/search.atom", summary="Atom feed of new documents answering a saved search",
            response_class=Response, responses={**ATOM, **ERRORS}, dependencies=[Depends(rate_limit)])
def search_atom(
    registry: RegistryDep,
    q: Annotated[str, Query(max_length=500)] = "",
    status: Annotated[list[str] | None, Query(max_length=40)] = None,
    issuer: Annotated[list[str] | None, Query(max_length=200)] = None,
    category: Annotated[list[str] | None, Query(max_length=200)] = None,
    year: Annotated[list[str] | None, Query(max_length=4)] = None,
) -> Response:
    filters = {k: v for k, v in (("status", status), ("issuer", issuer), ("category", category),
                                 ("year", year)) if v}
    return Response(registry.search_feed(q, filters), media_type="application/atom+xml; charset=utf-8")


@router.post("/api/v1/follows/{follow_id}/subscriptions", status_code=201, response_model=SubscriptionOut,
             summary="Mail me this follow's changes (a confirmation link is mailed first)",
             responses={**ERRORS, **RATE_LIMITED, 502: {"description": "The mail server refused"}},
             dependencies=[Depends(rate_limit)])
def post_subscription(follow_id: str, data: SubscribeIn, registry: RegistryDep) -> dict[str, Any]:
    return registry.subscribe(follow_id, email=data.email, frequency=data.frequency)


@router.post("/api/v1/subscriptions/{subscription_id}/confirm", summary="Confirm with the mailed token",
             response_model=SubscriptionOut, responses={**ERRORS, 403: {"description": "Wrong token"}})
def confirm_subscription(subscription_id: str, registry: RegistryDep,
                         t: Annotated[str, Query(max_length=128)]) -> dict[str, Any]:
    return registry.confirm_subscription(subscription_id, t)


@router.post("/api/v1/subscriptions/{subscription_id}/unsubscribe", summary="Unsubscribe with the mailed token",
             response_model=SubscriptionOut, responses={**ERRORS, 403: {"description": "Wrong token"}})
def unsubscribe(subscription_id: str, registry: RegistryDep,
                t: Annotated[str, Query(max_length=128)]) -> dict[str, Any]:
    return registry.unsubscribe(subscription_id, t)


@router.post("/api/v1/webhooks", summary="Register a webhook (admin); the signing secret is shown once",
             status_code=201, response_model=WebhookCreated, responses=WRITE_ERRORS)
def post_webhook(data: WebhookIn, actor: AdminDep, registry: RegistryDep) -> dict[str, Any]:
    return registry.register_webhook(data.url, data.events, actor=actor)


@router.get("/api/v1/webhooks", summary="Every webhook (admin)", response_model=list[WebhookOut],
            responses=WRITE_ERRORS)
def get_webhooks(actor: AdminDep, registry: RegistryDep) -> list[dict[str, Any]]:
    return registry.list_webhooks(actor=actor)


@router.delete("/api/v1/webhooks/{webhook_id}", summary="Disable a webhook (admin); its log is kept",
               response_model=WebhookOut, responses=WRITE_ERRORS)
def delete_webhook(webhook_id: int, actor: AdminDep, registry: RegistryDep) -> dict[str, Any]:
    return registry.disable_webhook(webhook_id, actor=actor)


@router.get("/api/v1/webhooks/{webhook_id}/deliveries", summary="A webhook's delivery log, newest first (admin)",
            response_model=DeliveriesOut, responses=WRITE_ERRORS)
def get_deliveries(
    webhook_id: int, actor: AdminDep, registry: RegistryDep,
    state: Annotated[Literal["pending", "delivered", "failed"] | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    total, items = registry.webhook_deliveries(webhook_id, state=state, offset=(page - 1) * per_page,
                                               limit=per_page, actor=actor)
    return {"total": total, "items": items}


@router.post("/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/replay", response_model=DeliveryOut,
             summary="Send a delivery again, same id and body, at the next pass (admin)", responses=WRITE_ERRORS)
def replay_delivery(webhook_id: int, delivery_id: str, actor: AdminDep, registry: RegistryDep) -> dict[str, Any]:
    return registry.replay_delivery(webhook_id, delivery_id, actor=actor)
