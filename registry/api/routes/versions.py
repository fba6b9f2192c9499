"""Law over time: a document's text versions, the text in force on a date, and diffs between versions."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
