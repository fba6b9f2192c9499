"""Pages for follows and deliveries: followed documents and saved searches, webhooks and mail subscriptions."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
