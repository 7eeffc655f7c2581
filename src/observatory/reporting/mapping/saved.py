"""Mappings kept in the records store, one line of versions per data set and country: confirmed once, reused next
year. Saving the same text again keeps the version it is; a changed text is the next version. Saving is audited."""

from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from observatory.access.audit import audit, utc_now
from observatory.access.policy import Action, Principal, allowed, require
from observatory.errors import NotFound
from observatory.reporting.mapping.model import FileMapping, parse_mapping
from observatory.store.engine import transaction
from observatory.store.mapping_schema import FileMappingVersion, SubmissionMapping


@dataclass(frozen=True, slots=True)
class SavedMapping:
    id: int
    dataset: str
    country: str | None
    version: int
    mapping: FileMapping
    saved_by: str


def save_mapping(engine: Engine, principal: Principal, mapping: FileMapping, country: str | None) -> SavedMapping:
    """Keep ``mapping`` for ``country``'s files of its data set (the uploader's permission), as a new version if
    its text differs from the latest."""
    require(principal, Action.UPLOAD, country, mapping.dataset)
    with transaction(engine) as session:
        return _saved(keep_mapping(session, principal.username, mapping, country))


def keep_mapping(session: Session, actor: str, mapping: FileMapping, country: str | None) -> FileMappingVersion:
    """The stored version of ``mapping`` in ``session``: the latest if its text is the same, else a new one."""
    scope = country or "*"
    latest = _latest(session, mapping.dataset, scope)
    text = mapping.model_copy(update={"version": 1}).to_yaml()
    if latest is not None and latest.text == text:
        return latest
    version = (latest.version if latest else 0) + 1
    row = FileMappingVersion(dataset=mapping.dataset, scope=scope, version=version, text=text, saved_by=actor)
    session.add(row)
    session.flush()
    audit(session, actor, "mapping-saved", "file_mapping", row.id, utc_now(), version=version)
    return row


def latest_mapping(engine: Engine, dataset: str, country: str | None) -> SavedMapping | None:
    with Session(engine) as session:
        row = _latest(session, dataset, country or "*")
        return _saved(row) if row is not None else None


def mapping_versions(engine: Engine, principal: Principal, dataset: str, country: str | None) -> list[SavedMapping]:
    """The saved versions for ``country``'s files of ``dataset``, oldest first; for those who may upload them."""
    require(principal, Action.UPLOAD, country, dataset)
    with Session(engine) as session:
        rows = session.scalars(
            select(FileMappingVersion)
            .where(FileMappingVersion.dataset == dataset, FileMappingVersion.scope == (country or "*"))
            .order_by(FileMappingVersion.version)
        )
        return [_saved(row) for row in rows]


def saved_mapping(engine: Engine, principal: Principal, mapping_id: int) -> SavedMapping:
    """One saved version; one answer for a version that is missing and one the principal may not see."""
    with Session(engine) as session:
        row = session.get(FileMappingVersion, mapping_id)
        scope = None if row is None or row.scope == "*" else row.scope
        if row is None or not allowed(principal, Action.UPLOAD, scope, row.dataset):
            raise NotFound(f"no mapping {mapping_id}", [{"value": mapping_id}])
        return _saved(row)


def record_use(session: Session, actor: str, submission_id: int, mapping: FileMapping, country: str | None) -> int:
    """Keep ``mapping`` (a new version if it changed) and record that the submission was read through it."""
    row = keep_mapping(session, actor, mapping, country)
    session.add(SubmissionMapping(submission_id=submission_id, mapping_id=row.id))
    return row.id


def used_by(engine: Engine, submission_id: int) -> SavedMapping | None:
    with Session(engine) as session:
        link = session.get(SubmissionMapping, submission_id)
        row = session.get(FileMappingVersion, link.mapping_id) if link else None
        return _saved(row) if row is not None else None


def _latest(session: Session, dataset: str, scope: str) -> FileMappingVersion | None:
    newest = (
        select(func.max(FileMappingVersion.version))
        .where(FileMappingVersion.dataset == dataset, FileMappingVersion.scope == scope)
        .scalar_subquery()
    )
    return session.scalars(
        select(FileMappingVersion).where(
            FileMappingVersion.dataset == dataset,
            FileMappingVersion.scope == scope,
            FileMappingVersion.version == newest,
        )
    ).one_or_none()


def _saved(row: FileMappingVersion) -> SavedMapping:
    mapping = parse_mapping(row.text, f"mapping {row.id}").model_copy(update={"version": row.version})
    country = None if row.scope == "*" else row.scope
    return SavedMapping(row.id, row.dataset, country, row.version, mapping, row.saved_by)
