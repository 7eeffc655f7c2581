"""The one place configuration comes from: environment variables prefixed ``OBSERVATORY_``."""

from pathlib import Path

from pydantic import Field
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

    @property
    def records_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'observatory.db'}"

    @property
    def analytics_dir(self) -> Path:
        return self.var_dir / "analytics"
