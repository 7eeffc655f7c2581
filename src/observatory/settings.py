"""The one place configuration comes from: environment variables prefixed ``OBSERVATORY_``."""

import secrets
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Deployment settings. Build one explicitly and pass it down; nothing reads it globally."""

    model_config = SettingsConfigDict(env_prefix="OBSERVATORY_", extra="forbid")

    #: Where the embedded records store, the analytics snapshots and benchmark data live.
    var_dir: Path = Path("var")
    #: SQLAlchemy URL of the records store; empty means SQLite at ``<var_dir>/observatory.db``.
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    #: Signs session cookies. Empty: a random key per process, so sessions end when the server restarts.
    secret_key: SecretStr = SecretStr("")
    #: The portal's public address, e.g. ``https://observatory.example.org``; https turns on Secure cookies and HSTS.
    site_url: str = ""
    #: The session cookie's Secure flag; unset: on when ``site_url`` is https.
    secure_cookies: bool | None = None
    #: A session ends after this long without a request, and this long after sign-in whatever happens.
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_absolute_hours: int = Field(default=12, ge=1, le=24 * 30)
    #: How long a new API token lasts unless its creator says otherwise.
    api_token_days: int = Field(default=90, ge=1, le=366)
    #: Sign-in throttling: after this many failures within the window, for one account or from one address, 429.
    login_failures_per_account: int = Field(default=10, ge=1)
    login_failures_per_address: int = Field(default=20, ge=1)
    login_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    #: Largest upload accepted, in bytes.
    max_upload_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    #: Largest file a good practice may carry as an attachment.
    max_attachment_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    #: Embedding model of semantic and hybrid search (``observatory.policy.search.embedder``); ``none``: full text only.
    search_model: str = "multilingual-e5-small"
    #: How often the web app checks that the analytics store matches the records store, and rebuilds it if not.
    analytics_check_seconds: float = Field(default=10.0, gt=0, le=3600)
    #: Uploads one user may make: files within any hour, and bytes within any 24 hours (every kept file counts).
    uploads_per_hour: int = Field(default=60, ge=1)
    upload_bytes_per_day: int = Field(default=1024 * 1024 * 1024, ge=1024)
    #: Days the bytes of a refused file (every submission of it invalid or rejected) are kept before
    #: ``observatory purge-refused`` removes them; the submissions and their reports stay.
    refused_file_days: int = Field(default=30, ge=0, le=3650)
    #: The observatory's own data sets: YAML declarations beside the package's (``reporting.catalogue``); the
    #: administrators' upload page writes here. Unset: the package's data sets only.
    datasets_dir: Path | None = None
    #: Where notification mails go out: ``smtp://host:port``, ``smtp+starttls://user:password@host:587`` or
    #: ``smtps://…``; empty: mails wait in the outbox (``observatory review notify`` shows what would be sent).
    smtp_url: SecretStr = SecretStr("")
    #: The sender of notification mails, e.g. ``Drug Observatory <observatory@example.org>``.
    mail_from: str = "observatory@localhost"

    @field_validator("secret_key")
    @classmethod
    def _not_a_placeholder(cls, value: SecretStr) -> SecretStr:
        if value.get_secret_value() in {"changethis", "secret", "changeme"}:
            raise ValueError("OBSERVATORY_SECRET_KEY is a placeholder; set a long random value")
        return value

    @property
    def session_key(self) -> str:
        return self.secret_key.get_secret_value() or secrets.token_urlsafe(32)

    @property
    def cookies_secure(self) -> bool:
        return self.secure_cookies if self.secure_cookies is not None else self.site_url.startswith("https://")

    @property
    def records_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'observatory.db'}"

    @property
    def analytics_dir(self) -> Path:
        return self.var_dir / "analytics"
