"""Pages for the basis watch: what each document is based on (上位法), and the review tasks opened when a basis changes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
