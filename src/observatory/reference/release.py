"""Reference releases in the records store: loading the packaged vocabularies, and reading them back."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import Engine, func, insert, select

from observatory.datasets import DATASETS
from observatory.errors import NotFound
from observatory.reference.vocabularies import VOCABULARIES
from observatory.store.engine import transaction
from observatory.store.schema import ReferenceEntry, ReferenceRelease

REFERENCE_FILES = ("reference", "substances")


@dataclass(frozen=True, slots=True)
class ReleaseSummary:
    id: int
    version: str
    released_on: date
    entries: int
    loaded_now: bool


def packaged_content_sha256() -> str:
    """A digest of every packaged reference file: a new digest means a new release."""
    digest = hashlib.sha256()
    for folder in REFERENCE_FILES:
        for path in sorted((DATASETS / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(DATASETS).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def load_packaged_release(engine: Engine, today: date | None = None) -> ReleaseSummary:
    """Record the packaged vocabularies as a release, unless a release with the same content exists."""
    content = packaged_content_sha256()
    with transaction(engine) as session:
        existing = session.scalars(select(ReferenceRelease).where(ReferenceRelease.content_sha256 == content)).first()
        if existing is not None:
            return _summary(existing, loaded_now=False)
        rows = list(_entries())
        released_on = today or date.today()
        release = ReferenceRelease(
            version=f"{released_on.isoformat()}.{content[:8]}",
            released_on=released_on,
            content_sha256=content,
            entries=len(rows),
        )
        session.add(release)
        session.flush()
        session.execute(insert(ReferenceEntry), [{"release_id": release.id, **row} for row in rows])
        return _summary(release, loaded_now=True)


def latest_release(engine: Engine) -> ReleaseSummary | None:
    with engine.connect() as connection:
        row = connection.execute(select(ReferenceRelease).order_by(ReferenceRelease.id.desc()).limit(1)).first()
    return ReleaseSummary(row.id, row.version, row.released_on, row.entries, False) if row else None


def releases(engine: Engine) -> list[ReleaseSummary]:
    with engine.connect() as connection:
        rows = connection.execute(select(ReferenceRelease).order_by(ReferenceRelease.id)).all()
    return [ReleaseSummary(row.id, row.version, row.released_on, row.entries, False) for row in rows]


def vocabulary_counts(engine: Engine, release_id: int) -> dict[str, int]:
    query = (
        select(ReferenceEntry.vocabulary, func.count())
        .where(ReferenceEntry.release_id == release_id)
        .group_by(ReferenceEntry.vocabulary)
    )
    with engine.connect() as connection:
        return {name: int(count) for name, count in connection.execute(query).all()}


def entries(
    engine: Engine, vocabulary: str, release_id: int, code: str | None = None, limit: int = 1000, offset: int = 0
) -> list[dict[str, Any]]:
    """Entries of ``vocabulary`` in a release (one entry if ``code`` is given), ordered by code."""
    if vocabulary not in VOCABULARIES:
        raise NotFound(
            f"no vocabulary {vocabulary!r}; available: {', '.join(VOCABULARIES)}",
            [{"value": vocabulary, "accepted": list(VOCABULARIES)}],
        )
    query = select(ReferenceEntry.code, ReferenceEntry.label, ReferenceEntry.record).where(
        ReferenceEntry.release_id == release_id, ReferenceEntry.vocabulary == vocabulary
    )
    if code is not None:
        query = query.where(ReferenceEntry.code == code)
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(ReferenceEntry.code).limit(limit).offset(offset)).all()
    if code is not None and not rows:
        raise NotFound(f"no {vocabulary} entry {code!r} in reference release {release_id}", [{"value": code}])
    return [{"code": row.code, "label": row.label, "record": row.record} for row in rows]


def _entries() -> Iterable[dict[str, Any]]:
    for name, vocabulary in VOCABULARIES.items():
        for code, label, record in vocabulary.entries():
            yield {"vocabulary": name, "code": code, "label": label[:1024], "record": to_jsonable_python(record)}


def _summary(release: ReferenceRelease, loaded_now: bool) -> ReleaseSummary:
    return ReleaseSummary(release.id, release.version, release.released_on, release.entries, loaded_now)
