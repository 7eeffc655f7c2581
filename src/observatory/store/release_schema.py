"""The register of data releases (issue 14): one row per built release, which never changes once written."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from observatory.store.schema import Base


class DataRelease(Base):
    """A frozen vintage of the published data: its version (``YYYY.N``), when it was built, and the SHA-256 of its
    ``SHA256SUMS`` file, which names every file of the release folder with its own digest."""

    __tablename__ = "data_release"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    checksum: Mapped[str] = mapped_column(String(64))
    observations: Mapped[int] = mapped_column(BigInteger)
    built_by: Mapped[str] = mapped_column(String(128))
