"""The backup archive: one gzipped tar whose members are checked against their SHA-256 before anything is used.

    SHA256SUMS      first: "<sha256>  <name>" for every other member, as ``sha256sum -c`` reads it
    manifest.json   format, versions, engine, Alembic revision, when, rows per table (``Manifest``)
    settings.json   the deployment's settings without secrets (no password, no secret key)
    records.sqlite  the records store: SQLite's online backup, or
    records.sql     pg_dump's plain SQL of the store's schema
    var/…           files of the var folder that are not derived (none yet; the analytics store is rebuilt)

The checksums find a damaged or truncated archive, or a member changed by hand; they do not prove who made the
archive (whoever can rewrite a member can rewrite ``SHA256SUMS`` too): keep archives where only operators write.
"""

import hashlib
import json
import os
import shutil
import tarfile
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from observatory.errors import BadInput, ObservatoryError

FORMAT = "observatory-backup"
FORMAT_VERSION = 1
CHECKSUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
SETTINGS = "settings.json"
#: Members under this prefix are files of the var folder, by their name relative to it.
VAR = "var/"
CHUNK = 1024 * 1024


class DamagedArchive(BadInput):
    """400: the archive is unreadable, truncated, or a member differs from its checksum; nothing was restored."""

    code = "damaged-archive"


class BackupFailed(ObservatoryError):
    """500: the store could not be copied or loaded (a tool failed); the message says why."""

    code = "backup-failed"


@dataclass(frozen=True, slots=True)
class Manifest:
    """What an archive holds, written as ``manifest.json``."""

    observatory_version: str
    #: ``sqlite`` or ``postgresql``: an archive is restored into a store of the same engine.
    engine: str
    #: The Alembic revision of the records store when it was archived.
    alembic_revision: str
    #: When the archive was made, ISO 8601 in UTC.
    created: str
    #: Rows of every table of the records store, as archived.
    tables: dict[str, int]
    #: The member that holds the records store (``records.sqlite`` or ``records.sql``).
    records: str
    #: PostgreSQL: the schema ``records.sql`` was dumped from (restored into the target's own schema).
    schema: str | None = None
    var_files: list[str] = field(default_factory=list)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> "Manifest":
        if document.get("format") != FORMAT or document.get("format_version") != FORMAT_VERSION:
            raise DamagedArchive(
                f"not an archive this version reads: format {document.get('format')!r} "
                f"version {document.get('format_version')!r}, expected {FORMAT!r} version {FORMAT_VERSION}"
            )
        try:
            return cls(**document)
        except TypeError as error:
            raise DamagedArchive(f"{MANIFEST} is not a manifest this version reads: {error}") from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_archive(path: Path, members: dict[str, Path]) -> None:
    """Write ``members`` (name in the archive → file) to ``path``, checksums first; ``path`` appears complete or
    not at all (written beside it, then renamed)."""
    sums = path.with_name(f".{path.name}.{CHECKSUMS}")
    partial = path.with_name(f".{path.name}.partial")
    try:
        sums.write_text("".join(f"{sha256_of(file)}  {name}\n" for name, file in members.items()), "utf-8")
        # Owner only: the archive holds everything the store does (password hashes included).
        with open(partial, "xb", opener=lambda name, flags: os.open(name, flags, 0o600)) as handle:
            with tarfile.open(fileobj=handle, mode="w:gz", compresslevel=6) as archive:
                archive.add(sums, CHECKSUMS, recursive=False)
                for name, file in members.items():
                    archive.add(file, name, recursive=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        sums.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)


def read_archive(path: Path, into: Path) -> tuple[Manifest, dict[str, Path]]:
    """Extract every member of ``path`` into the folder ``into``, checking each against ``SHA256SUMS``.

    Raises ``DamagedArchive`` when the archive cannot be read to its end, a member is missing, unexpected or
    differs from its checksum; the caller then removes ``into``. Nothing outside ``into`` is written."""
    if not path.is_file():
        raise BadInput(f"{path}: no such archive", [{"file": str(path)}])
    try:
        with tarfile.open(path, "r:gz") as archive:
            expected, found = _extract(archive, into)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise DamagedArchive(f"{path} cannot be read to its end ({error}): damaged or truncated") from None
    missing = sorted(set(expected) - set(found))
    if missing:
        raise DamagedArchive(f"{path} lacks {', '.join(missing)}: damaged or truncated", [{"missing": missing}])
    if MANIFEST not in found:
        raise DamagedArchive(f"{path} has no {MANIFEST}: not an observatory backup")
    try:
        manifest = Manifest.from_json(json.loads(found[MANIFEST].read_text("utf-8")))
    except (ValueError, AttributeError) as error:
        raise DamagedArchive(f"{MANIFEST} of {path} is not a manifest: {error}") from None
    absent = sorted({SETTINGS, manifest.records, *(VAR + name for name in manifest.var_files)} - set(found))
    if absent:
        raise DamagedArchive(f"the manifest names members the archive lacks: {', '.join(absent)}")
    return manifest, found


def _extract(archive: tarfile.TarFile, into: Path) -> tuple[dict[str, str], dict[str, Path]]:
    first = archive.next()
    if first is None or first.name != CHECKSUMS or not first.isfile():
        raise DamagedArchive(f"the archive does not start with {CHECKSUMS}: not an observatory backup")
    expected = _checksums(_member(archive, first))
    found: dict[str, Path] = {}
    while (member := archive.next()) is not None:
        name = member.name
        if name not in expected or name in found or not member.isfile():
            raise DamagedArchive(f"the archive holds {name!r}, which {CHECKSUMS} does not list", [{"member": name}])
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with _member(archive, member) as source, target.open("wb") as sink:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                sink.write(chunk)
        if digest.hexdigest() != expected[name]:
            raise DamagedArchive(f"{name} differs from its checksum: the archive was changed or damaged")
        found[name] = target
    return expected, found


def _member(archive: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    handle = archive.extractfile(member)
    if handle is None:
        raise DamagedArchive(f"{member.name} is not a file")
    return handle


def _checksums(handle: IO[bytes]) -> dict[str, str]:
    expected: dict[str, str] = {}
    for line in handle.read().decode("utf-8", errors="replace").splitlines():
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not _safe(name):
            raise DamagedArchive(f"{CHECKSUMS} has a line that is not '<sha256>  <member>': {line[:100]!r}")
        expected[name] = digest
    return expected


def _safe(name: str) -> bool:
    """A relative name inside the folder it is extracted into (no absolute path, no ``..``)."""
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and name != CHECKSUMS


def move_into(source: Path, target: Path) -> None:
    """Move ``source`` to ``target``, which must not exist, atomically when both are on one file system."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.restoring")
    shutil.move(source, staged)
    os.replace(staged, target)
