"""Decoding text files: UTF-8 with or without a byte-order mark, UTF-16 with one, else Windows-1252, else Latin-1."""

import codecs
from dataclasses import dataclass

from observatory.reporting.readers.sniff import binary_kind

SAMPLE = 64 * 1024
#: Bytes that never occur in a text file; a few are tolerated (a stray control character in a cell is reported
#: by validation, at its cell).
_CONTROL = frozenset(range(0x00, 0x20)) - {0x09, 0x0A, 0x0D, 0x0C}
MAX_CONTROLS, MAX_CONTROL_SHARE = 8, 0.01
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True, slots=True)
class Text:
    content: str
    encoding: str


def looks_like_text(data: bytes) -> bool:
    """Whether ``data`` can be a text file: not a known binary format, and (almost) free of control bytes."""
    if not data or data.isspace() or binary_kind(data) is not None:
        return False
    if any(data.startswith(bom) for bom, encoding in _BOMS if encoding == "utf-16"):
        return True
    sample = data[:SAMPLE]
    controls = sum(1 for byte in sample if byte in _CONTROL)
    return b"\x00" not in sample and controls <= max(MAX_CONTROLS, MAX_CONTROL_SHARE * len(sample))


def decode(data: bytes) -> Text:
    """The text of ``data``: a byte-order mark decides, else UTF-8, else Windows-1252, else Latin-1 (never fails)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Text(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                break
    for encoding in ("utf-8", "cp1252"):
        try:
            return Text(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    return Text(data.decode("latin-1"), "latin-1")
