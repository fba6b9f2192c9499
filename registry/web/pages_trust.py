"""Pages for trust: signed validity statements, status badges and 审查建议 (review suggestions)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
