"""Export jobs: exports too large for one request are prepared in the background (issue 18).

``export_or_job`` is what the public export link calls: an export of at most
``NORMREG_EXPORT_STREAM_MAX_ROWS`` rows streams as before; a larger one (or one already being prepared)
answers with its job. Jobs are run by whichever process claims them: the server's background thread
(``NORMREG_EXPORT_JOBS_INLINE``, one machine) or ``normreg worker``; a job whose process died is claimed
again once its lease has passed. Finished files live in the stored files (:attr:`Runtime.files`), so any
API process serves them, and are deleted after ``NORMREG_EXPORT_JOB_TTL_HOURS``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from registry.actions.background import PassThread
from registry.errors import Conflict, Gone, NotFound
from registry.models import ExportJob, ExportJobPublic
from registry.services import export_jobs, exports
from registry.storage.runtime import Runtime

StreamedExport = tuple[Iterator[bytes], str]


def public_job(job: ExportJob) -> ExportJobPublic:
    """A job as the API and the page show it, with its links."""
    url = f"/api/v1/exports/{job.id}"
    return ExportJobPublic(
        id=job.id, format=job.format, filters=job.filters, state=job.state, rows_done=job.rows_done,
        rows_total=job.rows_total, error=job.error, created_at=job.created_at, finished_at=job.finished_at,
        expires_at=job.expires_at, url=url, file_url=f"{url}/file" if job.state == "done" else None,
        page_url=f"/exports/{job.id}")


class ExportJobActions(Runtime):
    """Export job actions of :class:`registry.facade.Registry`."""

    _export_thread: PassThread | None = None

    def export_or_job(self, *, fmt: str, requested_by: str = "anonymous", client: str = "",
                      **filters: Any) -> StreamedExport | ExportJobPublic:
        """A small export as a stream with its media type (as :meth:`export_documents`), or the job that
        prepares a large one: an identical job that is queued, running or fresh, else a new one when the
        filtered rows exceed ``export_stream_max_rows``. Filters are checked first (InvalidInput)."""
        exports.check_filters(fmt, **filters)
        backend = self.backend if str(filters.get("q") or "").strip() else None
        with self.read_session() as s:
            shared = export_jobs.find_fresh(s, export_jobs.job_key(fmt, filters), self.now())
            if shared is not None:
                return public_job(shared)
            total = exports.count_rows(s, backend=backend, **filters)
        if total <= self.settings.export_stream_max_rows:
            return self.export_documents(fmt=fmt, **filters)
        return self.request_export(fmt=fmt, requested_by=requested_by, client=client, rows_total=total, **filters)

    def export_documents(self, *, fmt: str, **filters: Any) -> StreamedExport:
        """A filtered document list (or search results, with ``q``) as CSV, XLSX or JSON, streamed, with its
        media type. The filters are checked now (InvalidInput); the rows are read while the stream is."""
        exports.check_filters(fmt, **filters)
        backend = self.backend if str(filters.get("q") or "").strip() else None

        def body() -> Iterator[bytes]:
            with self.read_session() as s:
                yield from exports.stream(exports.iter_rows(s, backend=backend, **filters), fmt,
                                          columns=exports.columns_of(text=bool(filters.get("text"))))

        return body(), exports.MEDIA_TYPES[fmt]

    def request_export(self, *, fmt: str, requested_by: str = "anonymous", client: str = "", rows_total: int = 0,
                       **filters: Any) -> ExportJobPublic:
        """The job preparing this export: an identical queued, running or fresh one, else a new queued job
        (the background runner is woken at once)."""
        exports.check_filters(fmt, **filters)
        with self.session() as s:
            job, created = export_jobs.request(s, fmt, filters, requested_by=requested_by, client=client,
                                               now=self.now(), rows_total=rows_total)
        if created and self._export_thread is not None:
            self._export_thread.wake()
        return public_job(job)

    def export_job(self, job_id: str) -> ExportJobPublic:
        """One job with its progress; NotFound for an id never issued."""
        return public_job(self._job(job_id))

    def _job(self, job_id: str) -> ExportJob:
        with self.read_session() as s:
            job = s.get(ExportJob, job_id[:43])
        if job is None:
            raise NotFound(f"no export job {job_id!r} / 没有这个导出任务")
        return job

    def export_job_file(self, job_id: str) -> tuple[Iterator[bytes], str, str]:
        """A finished job's file as chunks, its media type and a file name. Conflict (409) while it is being
        prepared or when it failed; Gone (410) once it expired and its file was deleted."""
        job = self._job(job_id)
        if job.state == "expired":
            raise Gone("this export expired and its file was deleted; ask for the export again / "
                       "导出文件已过期删除，请重新导出", details={"state": job.state, "expires_at": str(job.expires_at)})
        if job.state != "done":
            raise Conflict("the export is not ready / 导出尚未完成" if job.state != "failed"
                           else "the export failed / 导出失败", details={"state": job.state, "error": job.error,
                                                                     "rows_done": job.rows_done,
                                                                     "rows_total": job.rows_total})
        name = job.file_name
        if not name or not self.files.exists(name):
            raise Gone("this export's file is gone; ask for the export again / 导出文件已不存在，请重新导出",
                       details={"state": job.state})
        return self.files.iter_bytes(name), exports.MEDIA_TYPES[job.format], f"documents.{job.format}"

    def run_export_jobs(self, *, max_jobs: int = 20, stop: threading.Event | None = None) -> dict[str, int]:
        """One pass: expire old files, then claim and run queued jobs (and ones whose process died) until
        none is left or ``max_jobs`` ran. Returns how many ended done, failed, lost, and expired."""
        settings = self.settings
        lease = timedelta(seconds=settings.export_job_lease_seconds)
        counts = {"done": 0, "failed": 0, "lost": 0, "expired": 0}
        counts["expired"] = export_jobs.expire(self.session, self.files, self.now())
        for _ in range(max_jobs):
            if stop is not None and stop.is_set():
                break
            claimed = export_jobs.claim(self.session, self.now(), lease)
            if claimed is None:
                break
            job, held = claimed
            backend = self.backend if str(job.filters.get("q") or "").strip() else None
            state = export_jobs.run(self.session, self.read_session, self.files, backend, job, held,
                                    now=self.now, lease=lease,
                                    ttl=timedelta(hours=settings.export_job_ttl_hours))
            counts[state] += 1
        return counts

    def start_exporting(self, interval: float | None = None) -> PassThread:
        """Run :meth:`run_export_jobs` every ``interval`` seconds, and at once when a job is queued here, in
        a daemon thread (the server)."""
        thread = PassThread("normreg-exports", lambda stop: self.run_export_jobs(stop=stop),
                            interval or self.settings.export_poll_seconds)
        self._export_thread = thread
        thread.start()
        return thread
