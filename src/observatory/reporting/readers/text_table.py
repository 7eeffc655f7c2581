"""Planning a column reading of delimited text from its first lines, with the code ``CsvReader`` and ``bind`` use.

The first lines are decoded and split by Python's csv module, enough of them for the delimiter sniffer (50 records
whatever the delimiter) and for every layout's header rows; the layout is chosen on them as on the whole file.
A file this cannot settle (a header split over lines, a grouped or filled-down layout) is read row by row.
"""

import codecs
import re
from collections.abc import Sequence
from itertools import islice

from observatory.reporting.readers.base import CellTooLong, Reader, Sheet, Source, SourceRow, UnreadableFile
from observatory.reporting.readers.binding import Choice, choose
from observatory.reporting.readers.csv_columns import ColumnReading, IrregularText, TextTable, comma_decimals
from observatory.reporting.readers.delimited import DELIMITERS, SNIFF_RECORDS, sniff_delimiter, split_rows
from observatory.reporting.readers.layouts import Layout, TableLayout, header_key
from observatory.reporting.readers.records import LayoutIssue
from observatory.reporting.readers.table import Header, column_issues, header_of
from observatory.reporting.readers.text import decode

SAMPLE_BYTES = 64 * 1024
MAX_SAMPLE_BYTES = 16 * 1024 * 1024
CHUNK = 1024 * 1024
_LINE_END = re.compile(rb"\r\n|\r|\n")


def plan_text(
    data: bytes, name: str, layouts: Sequence[Layout], only: str | None, reader: Reader
) -> ColumnReading | None:
    """A column reading of ``data``, or ``None`` where it must be read row by row."""
    payload, base = _utf8(data)
    settled = _first_lines(payload, base, name, layouts)
    if settled is None:
        return None
    delimiter, rows, whole = settled
    for number, row in enumerate(rows, start=1):
        reader.check_shape(name, number, len(row.cells))
    sheet = Sheet("", tuple(rows))
    steps = choose(Source(name, "csv", (sheet,)), layouts, only)
    choices = [step for step in steps if isinstance(step, Choice)]
    layout = choices[0].layout if len(choices) == 1 else None
    if not isinstance(layout, TableLayout) or layout.groups or layout.fill_down or layout.note_column:
        return None
    header = header_of(layout, sheet)
    table = _table(payload, base, name, delimiter, layout, header, rows, whole) if header else None
    if table is None or header is None:
        return None
    earlier = [row for row in rows if row.number <= header.row]
    for number, row in enumerate(earlier, start=1):
        reader.check_shape(name, number, len(row.cells))
    try:
        commas = delimiter != "," and comma_decimals(table, [row.cells for row in earlier])
    except IrregularText:
        return None
    issues = [step for step in steps if isinstance(step, LayoutIssue)]
    issues += column_issues(layout, sheet, header, header.index())
    return ColumnReading(table, reader, tuple(issues), "," if commas else ".", {"": layout.id})


def _table(
    payload: bytes,
    base: int,
    name: str,
    delimiter: str,
    layout: TableLayout,
    header: Header,
    rows: Sequence[SourceRow],
    whole: bool,
) -> TextTable | None:
    """Where the records after a one-line header start, if they do right after it."""
    last = next((row for row in rows if row.number == header.row), None)
    after = next((row for row in rows if row.number > header.row), None)
    if last is None or (after is None and not whole) or (after is not None and after.number != header.row + 1):
        return None
    found = header.index()
    columns = {field: found[key] for heading, field in layout.columns.items() if (key := header_key(heading)) in found}
    if any(column >= len(last.cells) for column in columns.values()):
        return None
    return TextTable(
        name=name,
        payload=payload,
        start=_after_line(payload, base, header.row),
        first_line=header.row + 1,
        width=len(last.cells),
        delimiter=delimiter,
        quoted=payload.find(b'"', base) >= 0,
        headings=header.names,
        columns=columns,
        constants={**layout.constants, **((layout.sheets or {}).get("") or {})},
        decimal=layout.decimal,
        earlier_records=sum(1 for row in rows if row.number <= header.row),
    )


def _first_lines(
    payload: bytes, base: int, name: str, layouts: Sequence[Layout]
) -> tuple[str, list[SourceRow], bool] | None:
    """The delimiter and the complete records of enough first lines: the sniffer's and every header's."""
    size = SAMPLE_BYTES
    while size <= MAX_SAMPLE_BYTES:
        text, whole = _prefix(payload, base, size)
        size *= 4
        if not whole and not all(_records(text, delimiter, name) > SNIFF_RECORDS for delimiter in DELIMITERS):
            continue
        delimiter = sniff_delimiter(text)
        try:
            rows = list(split_rows(text, delimiter, name))
        except (UnreadableFile, CellTooLong):
            return None
        if whole:
            return delimiter, rows, True
        rows = rows[:-1]
        tables = [layout for layout in layouts if isinstance(layout, TableLayout)]
        needed = max((max(layout.header_rows or (0,)) for layout in tables), default=0)
        first = next((row.number for row in rows if not row.is_blank()), None)
        if first is not None and rows[-1].number > max(needed, first):
            return delimiter, rows, False
    return None


def _records(text: str, delimiter: str, name: str) -> int:
    try:
        return sum(1 for _ in islice(split_rows(text, delimiter, name), SNIFF_RECORDS + 1))
    except (UnreadableFile, CellTooLong):
        return 0


def _prefix(payload: bytes, base: int, size: int) -> tuple[str, bool]:
    """The text of about ``size`` first bytes, cut after a line break, and whether it is the whole text."""
    if base + size >= len(payload):
        return payload[base:].decode("utf-8"), True
    chunk = payload[base : base + size]
    cut = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
    return chunk[: cut + 1].decode("utf-8"), False


def _after_line(payload: bytes, base: int, line: int) -> int:
    """The offset of the text after line ``line`` (lines end at CR LF, CR or LF, as for Python's csv module)."""
    for number, end in enumerate(_LINE_END.finditer(payload, base), start=1):
        if number == line:
            return end.end()
    return len(payload)


def _utf8(data: bytes) -> tuple[bytes, int]:
    """The file as UTF-8 and where its text starts (after a byte-order mark), decoded as ``CsvReader`` does."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data).content.encode("utf-8"), 0
    base = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(base, len(data), CHUNK):
            decoder.decode(view[start : start + CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return decode(data).content.encode("utf-8"), 0
    return data, base
