"""One settings object for the whole application, read from ``NORMREG_*`` environment variables.

Every rule with a number in the SPEC (filing within 30 days, interpretations within 3 working days,
validity periods of 5 and 2 years, reminders 6/2/1 months before the end) is a setting here, so a
jurisdiction with other numbers changes configuration, not code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration of a normreg installation."""

    model_config = SettingsConfigDict(env_prefix="NORMREG_", env_file=None, extra="ignore")

    environment: Literal["development", "production"] = Field(
        "development", description="`production` refuses unsafe defaults (e.g. an open CORS list with writes)."
    )
    data_dir: Path = Field(Path("./data"), description="Database file, embedded search index and stored files.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default SQLite in the data dir. PostgreSQL: postgresql+psycopg://…"
    )
    file_store: Literal["auto", "local", "database"] = Field(
        "auto", description="Where stored files (sources, attachments, exports) live: `local` (the data dir's "
        "`files/`), `database` (PostgreSQL rows every API process reaches) or `auto` (the database when it is "
        "PostgreSQL, the data dir otherwise)."
    )
    search_url: str | None = Field(None, description="Empty: embedded engine. http://host:7700: Meilisearch.")
    search_key: str | None = Field(None, description="Meilisearch API key.")
    index_inline: bool = Field(
        True, description="Apply the search outbox right after each commit (one machine). "
        "Turn off when `normreg worker` does it."
    )
    index_feed_process_from: int = Field(
        2000, ge=0, description="An import of at least this many files feeds the index (inline) from a process "
        "of its own, beside the import instead of under its lock on the interpreter; smaller ones from a thread."
    )

    filing_deadline_days: int = Field(30, description="Days after publication to file with the supervising body.")
    interpretation_working_days: int = Field(3, description="Working days to publish a policy interpretation.")
    max_validity_years: int = Field(5, description="Longest validity period before it is flagged.")
    max_provisional_years: int = Field(2, description="Longest period for 暂行/试行 documents before flagging.")
    reminder_months: tuple[int, ...] = Field((6, 2, 1), description="Reminders before a period ends.")
    disclosure_working_days: int = Field(
        20, description="Working days to disclose a document once made or changed (《政府信息公开条例》 Art. 26)."
    )
    filing_review_days: int = Field(30, description="Days the supervising body has to review a filed document.")
    filing_review_extension_days: int = Field(20, description="Days a filing review may be extended by.")
    basis_review_days: int = Field(30, description="Days to review a document once a law it is based on changed.")

    max_upload_bytes: int = Field(50 * 1024 * 1024, description="Largest accepted upload or ingested file.")
    ingest_timeout_seconds: float = Field(60.0, description="Time allowed to extract one file.")
    staff_session_hours: float = Field(8.0, description="A staff browser session ends this long after sign-in.")
    staff_session_idle_minutes: float = Field(60.0, description="… or after this long without a page.")
    sign_in_account_failures: int = Field(5, description="Failed sign-ins per username within the window before "
                                          "that username is locked until the oldest failure leaves the window.")
    sign_in_client_failures: int = Field(20, description="Failed sign-ins per client address within the window.")
    sign_in_window_minutes: float = Field(15.0, description="The window sign-in failures are counted in.")
    registration_pattern: str = Field(
        "{region}{code}-{year}-{seq:04}", description="统一登记号 pattern, unless an office sets its own."
    )
    rate_limit_per_minute: int = Field(600, description="Public read requests per client per minute; 0 = off.")
    export_rate_limit_per_minute: int = Field(10, description="Whole-list exports per client per minute; 0 = off.")
    max_concurrent_exports: int = Field(2, description="Exports streaming at once; more get 429.")
    export_stream_max_rows: int = Field(10_000, ge=0, description="Exports of more rows than this run as a job "
                                        "whose file is downloaded later (an XLSX of 10,000 rows is about 3 s of "
                                        "CPU: longer belongs in the background, not in a request).")
    export_job_ttl_hours: float = Field(24.0, gt=0, description="Hours a finished export's file is kept.")
    export_jobs_inline: bool = Field(True, description="Run export jobs in a background thread of the server. "
                                     "Turn off when `normreg worker` runs them.")
    export_poll_seconds: float = Field(2.0, ge=0.05, description="Seconds between two looks for export jobs.")
    export_job_lease_seconds: float = Field(120.0, ge=1, description="A running job not heard from this long "
                                            "(its process died) is claimed again.")
    trusted_proxies: list[str] = Field(
        ["127.0.0.1", "::1"], description="Addresses (or networks) of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed; from anyone else those headers are ignored. [] trusts none."
    )
    cors_origins: list[str] = Field(["*"], description="Origins allowed to call search, suggest and validity.")
    public_url: str = Field("http://127.0.0.1:8000", description="Where the public reaches this registry; "
                            "links in mail, feeds and statements start with it.")
    smtp_url: str | None = Field(None, description="Mail server: smtp://[user:password@]host[:port] (STARTTLS when "
                                 "offered), smtps://… for TLS from the start. Empty: no mail is sent.")
    mail_from: str = Field("normreg <noreply@localhost>", description="The From address of mail the registry sends.")
    signing_key_path: Path | None = Field(None, description="Ed25519 private key (PEM) that signs validity "
                                          "statements; default `signing-key.pem` in the data dir, created on "
                                          "first use with mode 0600.")
    statement_rate_limit_per_minute: int = Field(20, description="Statements one client may have issued per "
                                                 "minute (and verified, separately); 0 = off.")
    suggestion_answer_days: int = Field(15, description="Days staff have to answer a 审查建议 (review suggestion).")
    suggestion_min_fill_seconds: float = Field(3.0, description="A 审查建议 form sent back sooner than this after "
                                               "it was shown is refused (robots fill forms at once).")
    suggestions_per_client_per_day: int = Field(5, description="审查建议 one client address may submit per day; "
                                                "0 = off.")
    suggestion_attachment_max_bytes: int = Field(2 * 1024 * 1024, description="Largest attachment to a 审查建议.")
    deliver_inline: bool = Field(True, description="Deliver webhooks and mail digests from a background thread of "
                                 "the server (one machine). Turn off when `normreg worker` delivers.")
    deliver_interval_seconds: float = Field(5.0, ge=0.05, description="Seconds between two delivery passes.")
    webhook_allow_private: bool | None = Field(
        None, description="Allow webhook URLs on loopback, private or link-local addresses (SSRF). "
        "Empty: allowed in development, refused in production.")

    @property
    def webhooks_may_reach_private(self) -> bool:
        if self.webhook_allow_private is not None:
            return self.webhook_allow_private
        return self.environment == "development"

    @model_validator(mode="after")
    def _check_production(self) -> Settings:
        """Production refuses the defaults that are only safe on a developer's machine, all named at once."""
        if self.environment != "production":
            return self
        problems = []
        if self.database_url is None:
            problems.append("NORMREG_DATABASE_URL must be set (SQLite is for one machine)")
        public = urlsplit(self.public_url)
        if public.scheme != "https" or (public.hostname or "") in ("127.0.0.1", "localhost", "::1", ""):
            problems.append("NORMREG_PUBLIC_URL must be the https:// address the public reaches (links in mail "
                            "and statements, Secure cookies)")
        if self.search_url and not self.search_key:
            problems.append("NORMREG_SEARCH_KEY must be set when NORMREG_SEARCH_URL names a Meilisearch server")
        if problems:
            raise ValueError("production settings refused / 生产环境配置不安全: " + "; ".join(problems))
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'normreg.db').resolve()}"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def search_dir(self) -> Path:
        return self.data_dir / "search"
