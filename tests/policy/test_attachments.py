"""Attachments of good practices: judged by content, limited in size and number, kept byte for byte."""

import hashlib
import io
import zipfile

import pytest
from sqlalchemy import Engine

from observatory.access.policy import ANONYMOUS
from observatory.errors import BadInput, Conflict, Forbidden, NotFound
from observatory.policy import practices
from observatory.policy.attachments import MAX_PER_PRACTICE, attach, attachment_content, attachments, media_type_of
from tests.policy.conftest import ANALYST, PERU_FOCAL_POINT, PROVIDER
from tests.policy.test_practices import PRACTICE

LIMIT = 100_000


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(16)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf"),
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(16), "image/jpeg"),
        (office("word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (office("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("Évaluation du programme, résultats à 12 mois.\n".encode(), "text/plain"),
    ],
)
def test_the_kind_comes_from_the_content(data: bytes, expected: str) -> None:
    assert media_type_of(data, "whatever.bin") == expected


@pytest.mark.parametrize(
    ("data", "name", "found"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + bytes(64), "report.pdf", "exe"),
        (b"PK\x03\x04" + bytes(30), "report.docx", "zip"),
        (b"GIF89a" + bytes(16), "poster.png", "gif"),
        (b"\x00\x01\x02binary", "notes.txt", "no recognised kind"),
        (b"", "empty.pdf", "empty"),
    ],
)
def test_other_content_is_refused_whatever_its_name(data: bytes, name: str, found: str) -> None:
    with pytest.raises(BadInput) as raised:
        media_type_of(data, name)
    assert name in raised.value.message and found in raised.value.message


def test_the_submitter_attaches_and_readers_download_the_same_bytes(migrated: Engine) -> None:
    practice = practices.submit(migrated, PROVIDER, PRACTICE)["id"]
    pdf = b"%PDF-1.7\n evaluation report"
    added = attach(migrated, PROVIDER, practice, "../../Evaluation <2024>.pdf", pdf, LIMIT)
    assert added["name"] == "Evaluation _2024_.pdf" and added["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert [a["kind"] for a in attachments(migrated, ANALYST, practice)] == ["PDF"]
    assert attachment_content(migrated, ANALYST, practice, added["id"]).content == pdf
    with pytest.raises(NotFound):
        attachments(migrated, ANONYMOUS, practice)
    with pytest.raises(NotFound):
        attachment_content(migrated, ANALYST, practice + 1, added["id"])


@pytest.mark.parametrize(
    ("who", "size", "error"),
    [(ANALYST, 10, Forbidden), (PERU_FOCAL_POINT, 10, NotFound), (PROVIDER, LIMIT + 1, BadInput)],
)
def test_only_the_submitter_attaches_within_the_limit(
    migrated: Engine, who: object, size: int, error: type[Exception]
) -> None:
    practice = practices.submit(migrated, PROVIDER, PRACTICE)["id"]
    with pytest.raises(error):
        attach(migrated, who, practice, "a.txt", b"x" * size, LIMIT)  # type: ignore[arg-type]
    assert attachments(migrated, PROVIDER, practice) == []


def test_attachments_close_with_the_review_and_are_counted(migrated: Engine) -> None:
    practice = practices.submit(migrated, PROVIDER, PRACTICE)["id"]
    for number in range(MAX_PER_PRACTICE):
        attach(migrated, PROVIDER, practice, f"note-{number}.txt", b"notes", LIMIT)
    with pytest.raises(Conflict, match="already has"):
        attach(migrated, PROVIDER, practice, "one-more.txt", b"notes", LIMIT)
    practices.review(migrated, ANALYST, practice, "publish")
    with pytest.raises(Conflict, match="is published"):
        attach(migrated, PROVIDER, practice, "late.txt", b"notes", LIMIT)
    assert len(attachments(migrated, ANONYMOUS, practice)) == MAX_PER_PRACTICE
