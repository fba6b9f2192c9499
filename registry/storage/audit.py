"""The tamper-evident audit log: who wrote what, in a hash chain that ``normreg doctor`` verifies.

Every write service calls :func:`record` inside its own transaction. The entry is held on the session
and appended when that transaction commits (and dropped if it rolls back), so an audit row exists
exactly when the write it describes does.

Each row's ``hash`` is sha256(``prev_hash`` + canonical JSON of its id, time, actor, action, target and
details), ``prev_hash`` being the previous row's hash (64 zeros for the first). Ids are assigned here, one
after the other, so a removed row leaves a gap as well as a broken link. Appending is serialised: SQLite
writers already hold the write lock (``BEGIN IMMEDIATE``); on PostgreSQL a transaction-scoped advisory
lock is taken before the head is read. The lock is taken at commit, after the session's own changes are
flushed, so a writer never waits for the chain while holding row locks another writer needs (no
deadlock between, say, an edit and an event on the same document).
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, event, insert, select, text
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, col

from registry.models import AuditEntry
from registry.models._types import utcnow

GENESIS = "0" * 64
# pg_advisory_xact_lock key guarding the chain head; any constant no other lock in the database uses.
CHAIN_LOCK_KEY = 0x6E72_6175_6469_7401  # "nraudit" + 1
_PENDING = "normreg_audit_pending"

Executor = Session | Connection


def cli_actor() -> str:
    """The actor of a write made from the command line: the operating-system user running it."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        user = "unknown"
    return f"cli:{user}"


def _plain(details: dict[str, Any]) -> dict[str, Any]:
    """``details`` as it reads back from the JSON column, so the hash computed now verifies later."""
    value: dict[str, Any] = json.loads(json.dumps(details, ensure_ascii=False, default=str))
    return value


def _timestamp(value: datetime) -> str:
    # SQLite gives back naive UTC, PostgreSQL an aware time in the session's zone: hash the same instant.
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat()


def entry_hash(entry: dict[str, Any]) -> str:
    """The hash of one entry given its fields and ``prev_hash``."""
    body = {"id": entry["id"], "recorded_at": _timestamp(entry["recorded_at"]), "actor": entry["actor"],
            "action": entry["action"], "target": entry["target"], "details": entry["details"]}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((entry["prev_hash"] + canonical).encode("utf-8")).hexdigest()


EVENT_FIELDS = ("id", "document_id", "type", "date", "legal_basis", "payload", "evidence", "text", "actor",
                "recorded_at")


def event_digest(event_row: Mapping[str, Any]) -> str:
    """sha256 of one event's whole content (canonical JSON of :data:`EVENT_FIELDS`).

    The audit entry of an event carries it, so an event edited in the database (past its triggers) no
    longer matches the chain that ``normreg doctor`` verifies, and the chain's head is anchored outside."""
    body = {k: event_row[k] for k in EVENT_FIELDS}
    body["recorded_at"] = _timestamp(body["recorded_at"])
    body["date"] = body["date"].isoformat() if hasattr(body["date"], "isoformat") else body["date"]
    canonical = json.dumps(_plain(body), ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def events_digest(digests: Iterable[str]) -> str:
    """One digest for many events (in id order): what a bulk import's single audit entry carries."""
    return hashlib.sha256("".join(digests).encode("ascii")).hexdigest()


def id_ranges(ids: Iterable[int]) -> list[list[int]]:
    """Sorted ids as ``[first, last]`` runs: a chunk of 1,000 events inserted together is one pair."""
    out: list[list[int]] = []
    for i in sorted(ids):
        if out and i == out[-1][1] + 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return out


def entry(*, actor: str, action: str, target: str | None, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """An entry not yet chained (no id or hashes)."""
    return {"recorded_at": utcnow(), "actor": actor[:200], "action": action[:60],
            "target": target[:200] if target else target, "details": _plain(details or {})}


def record(session: Session, *, actor: str, action: str, target: str | None,
           details: dict[str, Any] | None = None) -> None:
    """Audit one write; the row is appended when the caller's transaction commits, never without it."""
    session.info.setdefault(_PENDING, []).append(entry(actor=actor, action=action, target=target, details=details))


def append(executor: Executor, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chain and insert ``entries`` now, in ``executor``'s transaction (for callers outside the ORM session
    hook, such as restore). Returns the rows written."""
    if not entries:
        return []
    dialect = executor.get_bind().dialect.name if isinstance(executor, OrmSession) else executor.dialect.name
    if dialect == "postgresql":
        executor.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    table = AuditEntry.__table__  # type: ignore[attr-defined]
    head = executor.execute(select(table.c.id, table.c.hash).order_by(table.c.id.desc()).limit(1)).first()
    last_id, prev = (int(head[0]), str(head[1])) if head else (0, GENESIS)
    rows = []
    for e in entries:
        last_id += 1
        row = {**e, "id": last_id, "prev_hash": prev}
        row["hash"] = prev = entry_hash(row)
        rows.append(row)
    executor.execute(insert(AuditEntry), rows)
    return rows


@event.listens_for(OrmSession, "before_commit")
def _append_pending(session: OrmSession) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.flush()  # take this transaction's row locks first, the chain lock last
        append(session, pending)  # type: ignore[arg-type]


@event.listens_for(OrmSession, "after_transaction_end")
def _drop_pending(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # rolled back or closed without committing: the writes are gone too
        session.info.pop(_PENDING, None)


def _rows(conn: Connection) -> Iterator[Any]:
    result = conn.execution_options(yield_per=2000).execute(select(AuditEntry.__table__).order_by(  # type: ignore[attr-defined]
        col(AuditEntry.id)))
    yield from result.mappings()


def verify(conn: Connection) -> dict[str, Any]:
    """Walk the chain; ``broken`` is the first row that does not verify (with why), or None.

    Truncating the newest rows cannot be seen from inside the chain: keep ``head`` somewhere else (a
    monitoring system, a printed report) and compare.
    """
    prev, expected_id, n = GENESIS, 1, 0
    for row in _rows(conn):
        n += 1
        reason = None
        if row["id"] != expected_id:
            reason = f"entries {expected_id}–{row['id'] - 1} are missing"
        elif row["prev_hash"] != prev:
            reason = "prev_hash does not match the previous entry"
        elif entry_hash(dict(row)) != row["hash"]:
            reason = "the entry does not match its hash (edited)"
        if reason:
            return {"entries": n, "head": None,
                    "broken": {"kind": "audit_chain_broken", "id": row["id"], "reason": reason}}
        prev, expected_id = row["hash"], row["id"] + 1
    return {"entries": n, "head": prev if n else None, "broken": None}


def verify_events(conn: Connection) -> list[dict[str, Any]]:
    """Every event whose digest the chain carries, checked against the events table as it is now.

    An event edited after it was written (triggers dropped, the file edited) is ``event_altered``; one the
    chain names but the table lacks is ``event_missing``. Entries written before digests were recorded
    carry none and are not checked. Returns the problems, at most 100 of them.
    """
    from registry.models import Event

    single: dict[int, str] = {}
    batches: list[tuple[int, list[list[int]], str]] = []
    for row in _rows(conn):
        details = row["details"] or {}
        if row["action"] == "event.append" and details.get("event_sha256"):
            single[int(details["event_id"])] = str(details["event_sha256"])
        elif row["action"] == "event.batch" and details.get("events_sha256"):
            batches.append((int(row["id"]), details["event_ids"], str(details["events_sha256"])))
    wanted = set(single) | {i for _, ranges, _ in batches for a, b in ranges for i in range(a, b + 1)}
    found: dict[int, str] = {}
    table = Event.__table__  # type: ignore[attr-defined]
    for ev in conn.execution_options(yield_per=2000).execute(select(table).order_by(table.c.id)).mappings():
        if ev["id"] in wanted:
            found[int(ev["id"])] = event_digest(dict(ev))
    problems: list[dict[str, Any]] = []
    for event_id, digest in sorted(single.items()):
        if event_id not in found:
            problems.append({"kind": "event_missing", "id": event_id})
        elif found[event_id] != digest:
            problems.append({"kind": "event_altered", "id": event_id,
                             "reason": "the event no longer matches the digest in the audit chain"})
    for entry_id, ranges, digest in batches:
        ids = [i for a, b in ranges for i in range(a, b + 1)]
        missing = [i for i in ids if i not in found]
        if missing:
            problems.append({"kind": "event_missing", "id": missing[0], "audit_entry": entry_id})
        elif events_digest(found[i] for i in ids) != digest:
            problems.append({"kind": "event_altered", "audit_entry": entry_id, "ids": ranges,
                             "reason": "an event of this batch no longer matches the audit chain"})
    return problems[:100]


def head(conn: Connection) -> dict[str, Any] | None:
    """The newest entry's id and hash: the value to keep outside the database (the Atom feed publishes it,
    backups record it) so that a rewritten and recomputed chain no longer matches it."""
    table = AuditEntry.__table__  # type: ignore[attr-defined]
    row = conn.execute(select(table.c.id, table.c.hash).order_by(table.c.id.desc()).limit(1)).first()
    return {"id": int(row[0]), "hash": str(row[1])} if row else None


def check_anchor(conn: Connection, entry_id: int, expected: str) -> dict[str, Any] | None:
    """None when entry ``entry_id`` still has the hash seen outside; the problem otherwise. Rewriting any
    entry up to it changes its hash however carefully the chain is recomputed."""
    table = AuditEntry.__table__  # type: ignore[attr-defined]
    found = conn.execute(select(table.c.hash).where(table.c.id == entry_id)).scalar()
    if found == expected:
        return None
    return {"kind": "audit_anchor_mismatch", "id": entry_id, "expected": expected, "found": found,
            "reason": "the entry is missing" if found is None else "the chain was rewritten before this entry"}
