"""Export jobs: large exports prepared in the background, their files downloaded later (issue 18).

The life of a job:

1. :func:`request` finds a job for the same format and filters that is queued, running, or done and not
   yet expired, and returns it; only otherwise does it queue a new one. A crawler repeating an export link
   thus costs one indexed lookup, never a second export.
2. :func:`claim` takes a lease on the oldest queued job, or on a running one whose lease passed (its
   process died): one UPDATE guarded by the state and lease it read, so two processes never run one job
   at once. Only the row carrying our lease instant is ours.
3. :func:`run` writes the rows to a temporary file with :func:`registry.services.exports.stream` (the
   same serialiser as the streamed export, so the same cells are neutralised), renewing the lease and
   recording progress every ``PROGRESS_ROWS`` rows; a renewal that finds the lease taken stops the run
   (another process owns the job now). The finished file goes into the stored files under
   ``exports/<job id>.<format>`` and the job is ``done`` until ``expires_at``.
4. :func:`expire` deletes the files of jobs past ``expires_at`` and marks them ``expired``.

Times come from the caller's clock (the registry's ``now``), so tests move time without waiting.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from registry.models import ExportJob
from registry.services import exports
from registry.storage.files import FileStore
from search.model import SearchBackend

PROGRESS_ROWS = 2000
LIVE_STATES = ("queued", "running")


class LeaseLost(Exception):
    """Another process claimed the job while this one ran it (our lease had passed)."""


def job_key(fmt: str, filters: dict[str, Any]) -> str:
    """One digest per distinct export: the format and the filters, lists sorted, empty ones dropped."""
    canonical = {k: sorted(str(x) for x in v) if isinstance(v, list) else v
                 for k, v in sorted(clean_filters(filters).items())}
    return hashlib.sha256(json.dumps([fmt, canonical], ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def clean_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters as a job stores them (JSON values, nothing empty)."""
    return {k: v for k, v in filters.items() if v not in (None, "", [], False)}


def find_fresh(session: Session, key: str, now: datetime) -> ExportJob | None:
    """The newest job for ``key`` still worth sharing: queued, running, or done and not expired."""
    return session.exec(select(ExportJob).where(
        ExportJob.key == key,
        or_(col(ExportJob.state).in_(LIVE_STATES),
            (col(ExportJob.state) == "done") & (col(ExportJob.expires_at) > now)))
        .order_by(col(ExportJob.created_at).desc()).limit(1)).first()


def request(session: Session, fmt: str, filters: dict[str, Any], *, requested_by: str, client: str,
            now: datetime, rows_total: int = 0) -> tuple[ExportJob, bool]:
    """The job for this export, and whether it was created now (False: an identical job was shared)."""
    key = job_key(fmt, filters)
    found = find_fresh(session, key, now)
    if found is not None:
        return found, False
    job = ExportJob(id=secrets.token_urlsafe(32), key=key, format=fmt, filters=clean_filters(filters),
                    requested_by=requested_by[:200], client=client[:100], rows_total=rows_total, created_at=now)
    session.add(job)
    session.commit()
    session.refresh(job)
    return job, True


def claim(open_session: Callable[[], Session], now: datetime, lease: timedelta) -> tuple[ExportJob, datetime] | None:
    """A lease on the oldest runnable job (queued, or running with its lease passed) and the lease instant;
    None when there is nothing to run or another process won the race."""
    until = now + lease + timedelta(microseconds=secrets.randbelow(999) + 1)  # distinct per claimant
    runnable = or_(col(ExportJob.state) == "queued",
                   (col(ExportJob.state) == "running") & (col(ExportJob.lease_until) < now))
    with open_session() as session:
        for job_id in session.exec(select(ExportJob.id).where(runnable).order_by(col(ExportJob.created_at))
                                   .limit(5)).all():
            taken = session.execute(update(ExportJob).where(col(ExportJob.id) == job_id, runnable)
                                    .values(state="running", lease_until=until, rows_done=0))
            session.commit()
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                job = session.get(ExportJob, job_id)
                if job is not None and job.lease_until == until:
                    session.expunge(job)
                    return job, until
    return None


def _renew(open_session: Callable[[], Session], job_id: str, held: datetime, until: datetime,
           values: dict[str, Any]) -> None:
    """Record progress and move our lease to ``until``; LeaseLost when the lease is no longer ours."""
    with open_session() as session:
        moved = session.execute(update(ExportJob).where(col(ExportJob.id) == job_id,
                                                        col(ExportJob.lease_until) == held,
                                                        col(ExportJob.state) == "running")
                                .values(lease_until=until, **values))
        session.commit()
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseLost(job_id)


def run(open_session: Callable[[], Session], read_session: Callable[[], Session], files: FileStore,
        backend: SearchBackend | None, job: ExportJob, held: datetime, *, now: Callable[[], datetime],
        lease: timedelta, ttl: timedelta) -> str:
    """Run a claimed job to its stored file; returns the state it ended in (done, failed, or ``lost``)."""
    filters = dict(job.filters)
    lease_at = [held]  # the lease instant we hold now (moved by every renewal)
    done_rows = [0]

    def progress(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for n, row in enumerate(rows, 1):
            if n % PROGRESS_ROWS == 0:
                until = now() + lease
                _renew(open_session, job.id, lease_at[0], until, {"rows_done": n})
                lease_at[0] = until
            done_rows[0] = n
            yield row

    name = f"exports/{job.id}.{job.format}"
    try:
        with read_session() as s, tempfile.TemporaryDirectory(prefix="normreg-export-") as tmp:
            total = exports.count_rows(s, backend=backend, **filters)
            until = now() + lease
            _renew(open_session, job.id, lease_at[0], until, {"rows_total": total})
            lease_at[0] = until
            path = Path(tmp) / f"export.{job.format}"
            columns = exports.columns_of(text=bool(filters.get("text")))
            rows = exports.iter_rows(s, backend=backend, **filters)
            with path.open("wb") as out:
                for piece in exports.stream(progress(rows), job.format, columns=columns):
                    out.write(piece)
            files.put(name, path)
        finished = now()
        _renew(open_session, job.id, lease_at[0], finished, {
            "state": "done", "rows_done": done_rows[0], "rows_total": max(total, done_rows[0]), "file_name": name,
            "finished_at": finished, "expires_at": finished + ttl})
        return "done"
    except LeaseLost:
        return "lost"
    except Exception as exc:  # recorded on the job (the caller's loop goes on with the next one)
        with open_session() as session:
            session.execute(update(ExportJob).where(col(ExportJob.id) == job.id,
                                                    col(ExportJob.lease_until) == lease_at[0])
                            .values(state="failed", error=f"{type(exc).__name__}: {exc}"[:500], finished_at=now(),
                                    expires_at=now() + ttl))
            session.commit()
        files.delete(name)
        return "failed"


def expire(open_session: Callable[[], Session], files: FileStore, now: datetime) -> int:
    """Delete the files of finished jobs past their expiry and mark those jobs expired; returns how many."""
    with open_session() as session:
        due = list(session.exec(select(ExportJob).where(col(ExportJob.state).in_(("done", "failed")),
                                                        col(ExportJob.expires_at) <= now)))
        for job in due:
            if job.file_name:
                files.delete(job.file_name)
            job.state = "expired"
            session.add(job)
        session.commit()
    return len(due)
