"""Recognising common binary formats by their first bytes, to say what a refused file is."""

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (Excel 97-2003 .xls or Word .doc); save it as .xlsx"),
    (b"PK\x03\x04", "a ZIP archive that is not an Excel .xlsx workbook"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip-compressed file; uncompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", "a Windows program"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"PAR1", "a Parquet file"),
)


def binary_kind(data: bytes) -> str | None:
    """What ``data`` is if it starts like a known binary format, e.g. "a PDF document"; ``None`` otherwise."""
    return next((kind for signature, kind in SIGNATURES if data.startswith(signature)), None)
