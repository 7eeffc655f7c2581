"""Delimited text streamed in columns: Arrow parses blocks of the file, which validation checks as they come.

The text is read as ``CsvReader`` reads it (the same decoding, delimiter, decimal mark, layout and header, found
by the same code on the first lines), and each record keeps the line it starts on, quoted line breaks counted. A
record of another width than the header, which Arrow cannot place, raises ``IrregularText``: the file is then read
row by row instead (see ``readers.reading``).
"""

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from observatory.reporting.readers.base import Limits, Reader, text_too_long
from observatory.reporting.readers.batches import ABSENT, Batch, Distinct
from observatory.reporting.readers.delimited import DECIMAL_COMMA, DECIMAL_POINT
from observatory.reporting.readers.linked_cells import column_letters
from observatory.reporting.readers.records import LayoutIssue, Position, Record
from observatory.reporting.workbook import Cell

BLOCK_BYTES = 4 * 1024 * 1024
#: A column's cells are kept across blocks while there are at most this many, or twice a block's distinct cells.
SMALL_DICTIONARY = 1024
#: Every character Python's ``str.strip`` removes: a cell of these only is blank (``readers.base.is_blank``).
PYTHON_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
BLANK = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in PYTHON_SPACE) + "]*$"
#: The bytes a space character's UTF-8 starts with, by byte value.
SPACE_LEADS = np.zeros(256, dtype=bool)
SPACE_LEADS[[c.encode()[0] for c in PYTHON_SPACE]] = True
LF, CR = np.uint8(10), np.uint8(13)


class IrregularText(Exception):
    """A record has another number of fields than the header: the file is read row by row instead."""


@dataclass(frozen=True, slots=True)
class TextTable:
    """Where the records of a delimited text start, and how to parse and bind them."""

    name: str
    payload: bytes
    start: int
    first_line: int
    width: int
    delimiter: str
    quoted: bool
    headings: tuple[str, ...]
    columns: Mapping[str, int]
    constants: Mapping[str, str]
    decimal: str | None
    earlier_records: int


@dataclass(frozen=True, slots=True)
class ColumnReading:
    """A delimited text read in columns; ``batches`` may be iterated again (each time from the bytes)."""

    table: TextTable
    reader: Reader
    issues: tuple[LayoutIssue, ...]
    decimal: str
    layouts: Mapping[str, str]
    several_sheets: bool = False

    def batches(self) -> Iterator[Batch]:
        table = self.table
        decimal = table.decimal or self.decimal
        refused_at = _first_refused(self.reader.limits, table.width, table.earlier_records + 1)
        line, counted = table.first_line, table.earlier_records
        dictionaries = Dictionaries()
        for block in blocks(table):
            if counted + block.num_rows >= refused_at:
                self.reader.check_shape(table.name, refused_at, table.width)
            counted += block.num_rows
            lines = line + np.arange(block.num_rows, dtype=np.int64)
            if table.quoted:
                breaks = np.cumsum(_line_breaks(block))
                lines[1:] += breaks[:-1]
                line += int(breaks[-1]) if len(breaks) else 0
            line += block.num_rows
            _refuse_long_texts(table, block, lines, self.reader.limits.max_text_chars)
            kept = np.flatnonzero(~_blank_rows(block))
            if len(kept) == block.num_rows:
                yield ColumnBatch(table, block, lines, decimal, dictionaries)
            elif len(kept):
                yield ColumnBatch(table, block.take(pa.array(kept)), lines[kept], decimal, dictionaries)


def blocks(table: TextTable) -> Iterator[pa.RecordBatch]:
    """The records after the header, every cell as text, in blocks of a few megabytes; a record of another width
    than the header is an error of Arrow's, raised as ``IrregularText``."""
    names = [f"c{column}" for column in range(table.width)]
    try:
        yield from pacsv.open_csv(
            pa.BufferReader(memoryview(table.payload)[table.start :]),
            read_options=pacsv.ReadOptions(column_names=names, block_size=BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(
                delimiter=table.delimiter,
                newlines_in_values=table.quoted,
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise IrregularText(f"{table.name}: {exc}") from exc


def comma_decimals(table: TextTable, earlier: Sequence[Sequence[Cell]]) -> bool:
    """Whether more cells of the whole text are numbers with a decimal comma than with a decimal point."""
    commas = points = 0
    texts = [cell.strip() for row in earlier for cell in row if isinstance(cell, str)]
    commas += sum(1 for text in texts if DECIMAL_COMMA.fullmatch(text))
    points += sum(1 for text in texts if DECIMAL_POINT.fullmatch(text))
    for block in blocks(table):
        for column in block.columns:
            commas += _matching(column, ",", DECIMAL_COMMA)
            points += _matching(column, ".", DECIMAL_POINT)
    return commas > points


def _matching(column: pa.Array, mark: str, pattern: re.Pattern[str]) -> int:
    candidates = pc.value_counts(column.filter(pc.match_substring(column, mark)))
    values, counts = candidates.field("values").to_pylist(), candidates.field("counts").to_pylist()
    return sum(count for text, count in zip(values, counts, strict=True) if pattern.fullmatch(text.strip()))


def _first_refused(limits: Limits, width: int, first: int) -> int:
    """The first record ``Reader.check_shape`` refuses, for records ``width`` fields wide from record ``first``."""
    candidates = [limits.max_rows + 1]
    if width > limits.max_columns:
        candidates.append(first)
    if width:
        candidates.append(limits.max_cells // width + 1)
    return max(first, min(candidates))


def _refuse_long_texts(table: TextTable, block: pa.RecordBatch, lines: np.ndarray, limit: int) -> None:
    """Refuse the file at the first cell of ``block`` longer than a cell may hold, as ``CsvReader`` does. A cell
    has no more characters than bytes, so characters are counted only in a column with a cell of more bytes."""
    for column, values in enumerate(block.columns):
        offsets, _ = _text_bytes(values)
        if not len(values) or int(np.diff(offsets).max()) <= limit:
            continue
        lengths = pc.utf8_length(values)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > limit:
            index = pc.index(lengths, longest).as_py()
            raise text_too_long(table.name, f"line {int(lines[index])}, field {column + 1}", limit)


def _line_breaks(block: pa.RecordBatch) -> np.ndarray:
    """How many line breaks (CR LF, CR or LF) each record's quoted cells hold; a column is searched only if its
    bytes hold a CR or LF at all."""
    breaks = np.zeros(block.num_rows, dtype=np.int64)
    for column in block.columns:
        _, data = _text_bytes(column)
        if (data == LF).any() or (data == CR).any():
            breaks += pc.count_substring_regex(column, "\r\n|\r|\n").to_numpy(zero_copy_only=False)
    return breaks


def _blank_rows(block: pa.RecordBatch) -> np.ndarray:
    """Whether each record's cells are all blank; a column is looked at only where the earlier ones were blank.
    A blank cell is empty or starts with a byte that starts a space character: only those go through the regex."""
    candidates = np.arange(block.num_rows)
    for column in block.columns:
        if not len(candidates):
            break
        offsets, data = _text_bytes(column)
        starts, lengths = offsets[candidates], np.diff(offsets)[candidates]
        first = data[np.minimum(starts, max(len(data) - 1, 0))] if len(data) else np.zeros(len(starts), np.uint8)
        candidates = candidates[(lengths == 0) | SPACE_LEADS[first]]
        if not len(candidates):
            break
        blank = pc.match_substring_regex(column.take(pa.array(candidates)), BLANK).to_numpy(zero_copy_only=False)
        candidates = candidates[blank]
    blank_rows = np.zeros(block.num_rows, dtype=bool)
    blank_rows[candidates] = True
    return blank_rows


def _text_bytes(column: pa.Array) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
    """The offsets of a string column's cells in its data buffer (one more than the cells), and that buffer."""
    _, offsets, data = column.buffers()
    starts = np.frombuffer(offsets, dtype=np.int32)[column.offset : column.offset + len(column) + 1]
    return starts.astype(np.int64), np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)


class Dictionaries:
    """The distinct cells of each column met so far in a reading, kept across its blocks: a block's cells are
    found among them (``pc.index_in``) and only the new ones appended, so validation works on each distinct cell
    once per file rather than once per block. Where most of a block's cells are new (a column of amounts), the
    column starts again from the block's own cells: the cells kept stay under about twice a block's."""

    def __init__(self) -> None:
        self.cells: dict[int, pa.Array] = {}
        self.origins: dict[int, object] = {}

    def add(self, column: int, block: pa.Array) -> tuple[pa.Array, object, npt.NDArray[np.int64] | None]:
        """The column's cells with ``block``'s (distinct) cells among them, their origin (the same for as long as
        cells are only appended), and where each of ``block``'s cells is among them (``None``: in order)."""
        known = self.cells.get(column)
        if known is not None:
            found = pc.fill_null(pc.index_in(block, value_set=known), -1).to_numpy().astype(np.int64)
            new = np.flatnonzero(found < 0)
            if len(known) + len(new) <= max(2 * len(block), SMALL_DICTIONARY):
                found[new] = len(known) + np.arange(len(new))
                if len(new):
                    self.cells[column] = known = pa.concat_arrays([known, block.take(pa.array(new))])
                return known, self.origins[column], found
        self.cells[column], self.origins[column] = block, object()
        return block, self.origins[column], None


class ColumnBatch(Batch):
    """A block of records parsed by Arrow: every cell is text, every record has the header's width. Its cells are
    numbered in the reading's ``Dictionaries``, shared by the blocks of one reading."""

    def __init__(
        self,
        table: TextTable,
        block: pa.RecordBatch,
        rows: np.ndarray,
        decimal: str,
        dictionaries: Dictionaries | None = None,
    ) -> None:
        self.table, self.block, self.rows, self.decimal = table, block, rows, decimal
        self.dictionaries = Dictionaries() if dictionaries is None else dictionaries
        self._distinct: dict[str, Distinct] = {}

    def distinct(self, field: str) -> Distinct:
        if field in self.table.columns:
            if field not in self._distinct:
                self._distinct[field] = self._encoded(self.table.columns[field])
            return self._distinct[field]
        if field in self.table.constants:
            return Distinct([self.table.constants[field]], [self.decimal], np.zeros(self.size, dtype=np.int64))
        return Distinct([], [], np.full(self.size, ABSENT))

    def _encoded(self, column: int) -> Distinct:
        encoded = self.block.column(column).dictionary_encode()
        cells, origin, found = self.dictionaries.add(column, encoded.dictionary)
        indices = encoded.indices.to_numpy()
        entry = indices.astype(np.int64) if found is None else found[indices]
        return Distinct(cells, [self.decimal] * len(cells), entry, origin)

    def position(self, field: str, index: int) -> Position | None:
        row = int(self.rows[index])
        if field in self.table.columns:
            column = self.table.columns[field]
            return Position("", row, column, self.table.headings[column])
        return Position("", row, None, "sheet ''") if field in self.table.constants else None

    def cell(self, field: str, index: int) -> Cell:
        if field in self.table.columns:
            text: str = self.block.column(self.table.columns[field])[index].as_py()
            return text
        return self.table.constants.get(field)

    def record(self, index: int) -> Record:
        names = [*self.table.columns, *self.table.constants]
        cells = {name: self.cell(name, index) for name in names}
        positions = {name: position for name in names if (position := self.position(name, index))}
        return Record("", int(self.rows[index]), cells, positions, self.decimal)

    def sheets(self) -> Sequence[str]:
        return [""] * self.size

    def references(self, field: str) -> pa.Array:
        if field in self.table.columns:
            rows = pc.cast(pa.array(self.rows), pa.string())
            return pc.binary_join_element_wise(column_letters(self.table.columns[field]), rows, "")
        return pa.array(["sheet ''" if field in self.table.constants else None] * self.size, pa.string())
