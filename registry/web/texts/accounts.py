"""Texts of the staff accounts pages (Chinese first, English with ``?lang=en``)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {}
