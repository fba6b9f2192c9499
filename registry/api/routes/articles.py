"""Article-level validity: which articles of a partially invalid document lost effect, from when and why."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
