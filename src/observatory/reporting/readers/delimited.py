"""CSV: delimited text in any of the usual dialects, with the decimal mark the numbers use."""

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from typing import cast

from observatory.reporting.readers.base import (
    MAX_TEXT_CHARS,
    CellTooLong,
    Reader,
    Sheet,
    Source,
    SourceRow,
    UnreadableFile,
    text_too_long,
)
from observatory.reporting.readers.text import decode, looks_like_text

DELIMITERS = (",", ";", "\t", "|")
SNIFF_RECORDS = 50
#: A number with a decimal comma or point, its thousands grouped by the other mark or a space (a French Excel
#: writes "1 234,5" with a no-break space), perhaps with an exponent ("1,5E-05").
DECIMAL_COMMA = re.compile(r"[+-]?(\d+|\d{1,3}([.\s]\d{3})+),\d+([eE][+-]?\d+)?")
DECIMAL_POINT = re.compile(r"[+-]?(\d+|\d{1,3}([,\s]\d{3})+)\.\d+([eE][+-]?\d+)?")
_MARKUP_OR_JSON = ("<", "{", "[")


class CsvReader(Reader):
    format = "csv"
    title = "CSV (text with comma, semicolon, tab or bar between fields)"

    @classmethod
    def handles(cls, data: bytes) -> bool:
        return looks_like_text(data) and not decode(data[:4096]).content.lstrip().startswith(_MARKUP_OR_JSON)

    def read(self, data: bytes, name: str) -> Source:
        text = decode(data)
        delimiter = sniff_delimiter(text.content)
        rows = self.rows(text.content, delimiter, name)
        decimal = "," if delimiter != "," and _comma_decimals(rows) else "."
        notes = (f"decoded as {text.encoding}", f"fields separated by {delimiter!r}", f"decimal mark {decimal!r}")
        return Source(name, self.format, (Sheet("", rows, decimal=decimal),), notes)

    def rows(self, text: str, delimiter: str, name: str) -> tuple[SourceRow, ...]:
        rows: list[SourceRow] = []
        limit = self.limits.max_text_chars
        for row in split_rows(text, delimiter, name):
            self.check_shape(name, len(rows) + 1, len(row.cells))
            if row.cells and max(map(len, cast(tuple[str, ...], row.cells))) > limit:
                self.check_texts(name, f"line {row.number}", row.cells)
            rows.append(row)
        return tuple(rows)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most rows of one same width (more than one field)."""
    best, best_score = DELIMITERS[0], 0
    for delimiter in DELIMITERS:
        try:
            widths = Counter(len(row.cells) for row in islice(split_rows(text, delimiter, ""), SNIFF_RECORDS))
        except (UnreadableFile, CellTooLong):
            continue
        width, score = widths.most_common(1)[0] if widths else (0, 0)
        if width > 1 and score > best_score:
            best, best_score = delimiter, score
    return best


def split_rows(text: str, delimiter: str, name: str) -> Iterator[SourceRow]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            yield SourceRow(line, tuple(cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise text_too_long(name, f"line {reader.line_num}", MAX_TEXT_CHARS) from exc
        raise UnreadableFile(
            f"{name}: line {reader.line_num} cannot be read as CSV ({exc})", [{"file": name, "row": reader.line_num}]
        ) from exc


def _comma_decimals(rows: tuple[SourceRow, ...]) -> bool:
    cells = [cell.strip() for row in rows for cell in row.cells if isinstance(cell, str)]
    commas = sum(1 for cell in cells if DECIMAL_COMMA.fullmatch(cell))
    points = sum(1 for cell in cells if DECIMAL_POINT.fullmatch(cell))
    return commas > points
