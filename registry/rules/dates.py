"""One parser for the dates and instants people type into forms, query strings and the command line.

A bad value raises :class:`~registry.errors.InvalidInput` naming the field, so every adapter reports it
the same way (422 over HTTP, a usage error on the command line).
"""

from __future__ import annotations

from datetime import date, datetime

from registry.errors import InvalidInput


def parse_date(value: str | None, name: str) -> date | None:
    """``YYYY-MM-DD`` as a date; None for an absent or empty value."""
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(f"{name} must be a date (YYYY-MM-DD)", details={name: value}) from exc


def parse_instant(value: str | None, name: str) -> datetime | None:
    """An ISO 8601 date or time (``Z`` allowed) as a datetime; None for an absent or empty value."""
    if value is None or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput(f"{name} must be an ISO 8601 date or time", details={name: value}) from exc
