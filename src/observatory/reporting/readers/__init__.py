"""Readers of submitted files, picked by what the bytes are, never by the file name.

``READERS`` is tried in order; the first whose ``handles`` accepts the content reads it. Formats that are
special cases of others come first (SDMX-CSV before CSV). When none accepts the file, ``NoReaderFound`` names
every reader tried and, where the bytes are a known other format (a PDF, an image), says which.
"""

from observatory.reporting.readers.base import (
    Limits,
    NoReaderFound,
    Reader,
    RefusedFile,
    Sheet,
    Source,
    SourceRow,
    UnreadableFile,
)
from observatory.reporting.readers.delimited import CsvReader
from observatory.reporting.readers.json_records import JsonReader
from observatory.reporting.readers.sdmx_csv import SdmxCsvReader
from observatory.reporting.readers.sdmx_ml import SdmxMlReader
from observatory.reporting.readers.sniff import binary_kind
from observatory.reporting.readers.xlsx import XlsxReader

READERS: tuple[type[Reader], ...] = (XlsxReader, SdmxMlReader, JsonReader, SdmxCsvReader, CsvReader)

__all__ = [
    "READERS",
    "CsvReader",
    "JsonReader",
    "Limits",
    "NoReaderFound",
    "Reader",
    "RefusedFile",
    "SdmxCsvReader",
    "SdmxMlReader",
    "Sheet",
    "Source",
    "SourceRow",
    "UnreadableFile",
    "XlsxReader",
    "read_source",
    "reader_for",
]


def reader_for(data: bytes, name: str = "", limits: Limits | None = None) -> Reader:
    """The reader for ``data``, or ``NoReaderFound`` listing every reader tried."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise RefusedFile(
            f"{name or 'the file'}: {len(data):,} bytes, over the limit of {limits.max_bytes:,}",
            [{"file": name, "bytes": len(data), "limit": limits.max_bytes}],
        )
    for reader in READERS:
        if reader.handles(data):
            return reader(limits)
    tried = [reader.title for reader in READERS]
    kind = binary_kind(data)
    what = "is empty" if not data.strip() else f"is {kind}" if kind else "is in none of the accepted formats"
    raise NoReaderFound(
        f"{name or 'the file'} {what}. Accepted: {'; '.join(tried)}.",
        [{"file": name, "tried": tried, "detected": kind}],
    )


def read_source(data: bytes, name: str = "", limits: Limits | None = None) -> Source:
    """Read ``data`` with the reader its content calls for."""
    return reader_for(data, name, limits).read(data, name)
