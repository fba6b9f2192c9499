"""Texts of article-level validity on the document page (Chinese first, English with ``?lang=en``)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "art_void": {"zh": "已失效（自{date}起）", "en": "No longer in force (since {date})"},
    "art_void_soon": {"zh": "将失效（自{date}起）", "en": "Ceases to apply on {date}"},
    "art_reason": {"zh": "原因：{reason}", "en": "Reason: {reason}"},
}
