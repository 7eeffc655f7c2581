"""Checking an Office Open XML archive before any parser opens it: its size once uncompressed, and its XML.

A zip bomb is refused from the sizes the archive declares, then again from the bytes it actually yields (a
forged header cannot hide the size). An XML part with a document type declaration is refused: Excel never writes
one, and it is how external-entity and entity-expansion attacks are carried (defusedxml parses the prolog).
"""

import io
import zipfile
import zlib
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from observatory.reporting.readers.base import MIB, Limits, RefusedFile, UnreadableFile

CHUNK = 64 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")
#: Everything that ``zipfile`` and ``zlib`` raise on a damaged archive.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
)


class _RootReached(Exception):
    pass


class _PrologTarget:
    """Stops the parser at the first element: a document type declaration can only come before it."""

    def start(self, _tag: str, _attributes: dict[str, str]) -> None:
        raise _RootReached

    def close(self) -> None:
        return None


def open_archive(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (*ZIP_ERRORS, ValueError) as exc:
        raise UnreadableFile(f"{name}: not a readable .xlsx workbook ({exc})", [{"file": name}]) from exc


def check_archive(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Refuse ``archive`` if it expands past the limits or an XML part has a document type declaration."""
    entries = archive.infolist()
    if len(entries) > limits.max_archive_entries:
        raise RefusedFile(
            f"{name}: the workbook holds {len(entries):,} files; a workbook has a few dozen",
            [{"file": name, "entries": len(entries), "limit": limits.max_archive_entries}],
        )
    declared = sum(entry.file_size for entry in entries)
    if declared > limits.max_uncompressed:
        raise _too_large(name, declared, limits)
    expanded = 0
    for entry in entries:
        expanded += _check_part(archive, entry, name, limits.max_uncompressed - expanded)
        if expanded > limits.max_uncompressed:
            raise _too_large(name, expanded, limits)


def _check_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str, budget: int) -> int:
    """The uncompressed size of ``entry`` (counting stops past ``budget``); XML parts have their prolog checked."""
    parser: Any = DefusedXMLParser(target=_PrologTarget(), forbid_dtd=True) if _is_xml(entry) else None
    size = 0
    try:
        with archive.open(entry) as part:
            while size <= budget and (chunk := part.read(CHUNK)):
                size += len(chunk)
                parser = _feed(parser, chunk)
    except DefusedXmlException as exc:
        raise RefusedFile(
            f"{name}: the part {entry.filename} declares a document type or entities ({type(exc).__name__}). "
            "Excel never writes these; they are used to read files from the server or to exhaust its memory, "
            "so the file is refused. Save the workbook again from Excel.",
            [{"file": name, "part": entry.filename, "reason": type(exc).__name__}],
        ) from exc
    except (ParseError, LookupError, ValueError) as exc:
        raise UnreadableFile(
            f"{name}: the part {entry.filename} is not well-formed XML ({exc})", [{"file": name}]
        ) from exc
    except ZIP_ERRORS as exc:
        raise UnreadableFile(f"{name}: the part {entry.filename} cannot be unpacked ({exc})", [{"file": name}]) from exc
    return size


def _feed(parser: Any, chunk: bytes) -> Any:
    if parser is None:
        return None
    try:
        parser.feed(chunk)
    except _RootReached:
        return None
    return parser


def _is_xml(entry: zipfile.ZipInfo) -> bool:
    return entry.filename.lower().endswith(XML_SUFFIXES)


def _too_large(name: str, size: int, limits: Limits) -> RefusedFile:
    return RefusedFile(
        f"{name}: the workbook expands to more than {size / MIB:,.0f} MiB once uncompressed, over the limit of "
        f"{limits.max_uncompressed / MIB:,.0f} MiB; this is what a zip bomb does, so the file is refused",
        [{"file": name, "uncompressed_bytes": size, "limit": limits.max_uncompressed}],
    )
