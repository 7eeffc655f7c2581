"""Tables of providers' file mappings: each saved version of a mapping, and the mapping a submission was read with."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from observatory.store.schema import Base


class FileMappingVersion(Base):
    """One version of the mapping a country's files of a data set are read with (YAML, as the person confirmed it)."""

    __tablename__ = "file_mapping"
    __table_args__ = (Index("ix_file_mapping_dataset_scope_version", "dataset", "scope", "version", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset: Mapped[str] = mapped_column(String(64))
    #: The country whose files it reads, or ``*`` for files of several countries.
    scope: Mapped[str] = mapped_column(String(3))
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    saved_by: Mapped[str] = mapped_column(String(128))
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SubmissionMapping(Base):
    """The mapping version a submission's file was read through (none: a declared layout read it)."""

    __tablename__ = "submission_mapping"

    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), primary_key=True)
    mapping_id: Mapped[int] = mapped_column(ForeignKey("file_mapping.id"))
