"""Files attached to a good practice (an evaluation report, a manual, a poster), kept in the records store.

An attachment is judged by its content, never by its name: the first bytes say what it is (``filetype`` reads the
signatures of binary formats; text is recognised here, as UTF-8 with no control characters, because ``filetype``
does not look at text). Only the kinds a practice's documentation comes in are taken, up to a size limit. The
submitter may attach while the practice is under review; everyone who may see the practice may download them.
"""

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import filetype  # type: ignore[import-untyped]
from sqlalchemy import Engine, select

from observatory.access.policy import Principal
from observatory.errors import BadInput, Conflict, Forbidden, NotFound
from observatory.policy.practices import PracticeStatus, visible_practice
from observatory.store.engine import transaction
from observatory.store.policy_schema import PracticeAttachment

ALLOWED = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document (.docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel workbook (.xlsx)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint (.pptx)",
    "application/vnd.oasis.opendocument.text": "OpenDocument text (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet (.ods)",
    "text/plain": "plain text (UTF-8)",
}
OPEN_UNTIL_PUBLISHED = (PracticeStatus.SUBMITTED, PracticeStatus.CHANGES_REQUESTED)
MAX_PER_PRACTICE = 10
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NAME = re.compile(r"[^\w.\- ]+")


@dataclass(frozen=True, slots=True)
class AttachmentContent:
    name: str
    media_type: str
    content: bytes


def media_type_of(data: bytes, name: str) -> str:
    """What ``data`` is, by its content; a ``BadInput`` naming the file when it is none of the allowed kinds."""
    if not data:
        raise BadInput(f"{name}: the file is empty", [{"file": name}])
    kind = filetype.guess(data)
    if kind is not None:
        if kind.mime in ALLOWED:
            return str(kind.mime)
        found = f"a {kind.extension} file ({kind.mime})"
    elif _is_text(data):
        return "text/plain"
    else:
        found = "content of no recognised kind"
    raise BadInput(
        f"{name}: the content is {found}, whatever its name says; accepted: {', '.join(ALLOWED.values())}",
        [{"file": name, "expected": list(ALLOWED)}],
    )


def attach(
    engine: Engine, principal: Principal, practice_id: int, name: str, data: bytes, max_bytes: int
) -> dict[str, Any]:
    """Keep ``data`` as an attachment of the practice; its submitter may attach while it is under review."""
    clean_name = _file_name(name)
    if len(data) > max_bytes:
        raise BadInput(
            f"{clean_name}: {len(data):,} bytes is over the attachment limit of {max_bytes:,} bytes",
            [{"file": clean_name, "size": len(data), "limit": max_bytes}],
        )
    media_type = media_type_of(data, clean_name)
    with transaction(engine) as session:
        practice = visible_practice(session, principal, practice_id)
        if practice.submitted_by != principal.username:
            raise Forbidden("only the practice's submitter may attach files to it", [{"practice": practice_id}])
        if PracticeStatus(practice.status) not in OPEN_UNTIL_PUBLISHED:
            raise Conflict(f"practice {practice_id} is {practice.status}: files can be attached while it is reviewed")
        count = len(
            session.scalars(select(PracticeAttachment.id).where(PracticeAttachment.practice_id == practice_id)).all()
        )
        if count >= MAX_PER_PRACTICE:
            raise Conflict(f"practice {practice_id} already has {MAX_PER_PRACTICE} attachments, the most it may have")
        row = PracticeAttachment(
            practice_id=practice_id,
            name=clean_name,
            media_type=media_type,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content=data,
            uploaded_by=principal.username,
        )
        session.add(row)
        session.flush()
        return _summary(row)


def attachments(engine: Engine, principal: Principal, practice_id: int) -> list[dict[str, Any]]:
    """The practice's attachments (name, kind, size, SHA-256), without their content."""
    with transaction(engine) as session:
        visible_practice(session, principal, practice_id)
        rows = session.scalars(
            select(PracticeAttachment)
            .where(PracticeAttachment.practice_id == practice_id)
            .order_by(PracticeAttachment.id)
        )
        return [_summary(row) for row in rows]


def attachment_content(engine: Engine, principal: Principal, practice_id: int, attachment_id: int) -> AttachmentContent:
    with transaction(engine) as session:
        visible_practice(session, principal, practice_id)
        row = session.get(PracticeAttachment, attachment_id)
        if row is None or row.practice_id != practice_id:
            raise NotFound(f"practice {practice_id} has no attachment {attachment_id}", [{"value": attachment_id}])
        return AttachmentContent(row.name, row.media_type, row.content)


def _summary(row: PracticeAttachment) -> dict[str, Any]:
    return {
        "id": row.id,
        "practice_id": row.practice_id,
        "name": row.name,
        "media_type": row.media_type,
        "kind": ALLOWED[row.media_type],
        "size_bytes": row.size_bytes,
        "sha256": row.sha256,
        "uploaded_by": row.uploaded_by,
    }


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return _CONTROL.search(text) is None


def _file_name(name: str) -> str:
    """The name as shown and offered for download: no folders, no characters a header or a page would trip on."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _NAME.sub("_", base).strip(" .")[:120]
    return cleaned or "attachment"
