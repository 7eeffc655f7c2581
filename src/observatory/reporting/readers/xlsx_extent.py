"""Measuring a workbook's sheets from their XML before any reader lays them out as grids.

Calamine builds a sheet as a dense grid from its first to its last cell with a value, and ``XlsxReader`` as one
from A1: a 1.5 KB file with values in A1 and XFD1048576 asks for 17 billion cells and aborts the process
("memory allocation of 549755813888 bytes failed"); calamine also reserves room for as many shared strings as
``<sst uniqueCount>`` claims. So every XML part is streamed once through expat, keeping nothing but counts, and
each cell is placed as calamine places it: at its ``r`` attribute, else right of the cell before, in the row
``<row r>`` names or the one after the row before. A cell counts when it holds a value (``<v>`` or ``<is>``).

The file is refused (``SheetTooLarge``, ``CellTooLong``), naming sheet and cell, when a sheet's real extent is over
``Limits`` or its declared ``<dimension ref>`` beyond Excel's grid, when the sheets together span or hold too many
cells, when a text is longer than Excel allows or a number has too many digits. Expat expands no entity here: a
document type declaration stops the parse (``archive.check_archive`` refused those already; this is a second lock).
"""

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.parsers import expat

from observatory.reporting.readers.archive import CHUNK, XML_SUFFIXES, ZIP_ERRORS
from observatory.reporting.readers.base import (
    CellTooLong,
    Limits,
    RefusedFile,
    SheetTooLarge,
    UnreadableFile,
    text_too_long,
)
from observatory.reporting.readers.linked_cells import column_index, column_letters, sheet_parts

_ADDRESS = re.compile(r"([A-Za-z]{1,7})([0-9]{1,10})")
_LETTERS = re.compile(r"[A-Za-z]{1,7}")
_DIGITS = re.compile(r"[0-9]+")
_DIGIT_CHARACTERS = "0123456789"
#: What the character data of the element being read is counted as.
TEXT, NUMBER = "text", "number"
#: Tag → local name, and column letters → index, remembered (for one part) up to this many entries.
MAX_CACHED = 4096
#: Excel's grid: 1,048,576 rows by 16,384 columns (A to XFD).
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
#: Cell types whose ``<v>`` is text (a formula's string, an ISO date); the others hold a number or an index.
_TEXT_TYPES = frozenset({"str", "inlineStr", "d", "e"})


@dataclass(slots=True)
class Extent:
    """What the sheets read so far hold: the grids they span from A1, and their cells with a value."""

    area: int = 0
    cells: int = 0
    long_strings: set[int] = field(default_factory=set)


def check_extent(archive: zipfile.ZipFile, name: str, limits: Limits) -> Extent:
    """Stream every XML part of ``archive`` (shared strings first) and refuse the file if it is over ``limits``."""
    sheets = {part: sheet for sheet, part in sheet_parts(archive).items()}
    names = archive.namelist()
    parts = [part for part in names if part.lower().endswith(XML_SUFFIXES) or part in sheets]
    parts.sort(key=lambda part: "sharedstrings" not in part.lower())
    extent = Extent()
    for part in parts:
        _PartScan(extent, name, sheets.get(part), part, limits).run(archive)
    if extent.long_strings:
        raise _too_long(name, f"shared string {min(extent.long_strings)} (used by no cell)", limits)
    return extent


class _PartScan:
    """One part of the archive, streamed: expat calls the handlers, which keep only positions and counts."""

    def __init__(self, extent: Extent, name: str, sheet: str | None, part: str, limits: Limits) -> None:
        self.extent, self.name, self.part, self.limits = extent, name, part, limits
        self.where = f"sheet {sheet!r}" if sheet is not None else f"part {part}"
        self.area = 0
        self.row, self.column = 0, 0
        self.last_row, self.last_column = -1, -1
        self.in_data = False
        self.cell: tuple[int, int] | None = None
        self.cell_type = ""
        self.valued = False
        self.text: str | None = None
        self.strings = -1
        self.length = 0
        self.index = ""
        self.columns: dict[str, int] = {}
        self.locals: dict[str, str] = {}
        self.most = limits.max_sheet_cells
        self.other_starts: dict[str, Callable[[dict[str, str]], None]] = {
            "is": self._inline_string,
            "si": self._shared_string,
            "sheetData": self._sheet_data,
            "dimension": self._declared,
            "sst": self._declared_strings,
        }

    def run(self, archive: zipfile.ZipFile) -> None:
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._data
        read = 0
        try:
            with archive.open(self.part) as stream:
                while read <= self.limits.max_uncompressed and (chunk := stream.read(CHUNK)):
                    read += len(chunk)
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise UnreadableFile(
                f"{self.name}: not a readable .xlsx workbook (the part {self.part} is not well-formed XML: {exc})",
                [{"file": self.name, "part": self.part}],
            ) from exc
        except ZIP_ERRORS as exc:
            raise UnreadableFile(
                f"{self.name}: the part {self.part} cannot be unpacked ({exc})", [{"file": self.name}]
            ) from exc

    def _doctype(self, *_: object) -> None:
        raise RefusedFile(
            f"{self.name}: the part {self.part} declares a document type or entities. Excel never writes these; "
            "they are used to read files from the server or to exhaust its memory, so the file is refused.",
            [{"file": self.name, "part": self.part, "reason": "DTDForbidden"}],
        )

    def _start(self, tag: str, attributes: dict[str, str]) -> None:
        local = self.locals.get(tag) or self._local(tag)
        if local == "c":
            if self.in_data:
                self._open_cell(attributes.get("r"), attributes.get("t", "n"))
        elif local == "v":
            if self.cell is not None:
                self.valued, self.length, self.index = True, 0, ""
                self.text = TEXT if self.cell_type in _TEXT_TYPES else NUMBER
        elif local == "row":
            if self.in_data and "r" in attributes:
                self.row = self._row(attributes["r"])
        elif local in self.other_starts:
            self.other_starts[local](attributes)

    def _end(self, tag: str) -> None:
        local = self.locals.get(tag) or self._local(tag)
        if local == "c":
            cell = self.cell
            if cell is not None:
                if self.valued:
                    self.extent.cells += 1
                    if cell[0] > self.last_row or cell[1] > self.last_column or self.extent.cells > self.most:
                        self._place(cell)
                self.cell = None
                self.column += 1
        elif local == "v":
            self._close_value()
        elif local == "row":
            if self.in_data:
                self.row += 1
                self.column = 0
        elif local in ("is", "si"):
            self.text = None
        elif local == "sheetData":
            self.in_data = False

    def _close_value(self) -> None:
        """The end of a ``<v>``: a shared string's index is looked up among the ones too long."""
        self.text = None
        if _DIGITS.fullmatch(self.index) and int(self.index) in self.extent.long_strings:
            raise _too_long(self.name, self._address(self.cell), self.limits)

    def _inline_string(self, _: dict[str, str]) -> None:
        if self.cell is not None:
            self.valued, self.length, self.text = True, 0, TEXT

    def _shared_string(self, _: dict[str, str]) -> None:
        self.strings += 1
        self.length, self.text = 0, TEXT

    def _sheet_data(self, _: dict[str, str]) -> None:
        self.in_data = True

    def _data(self, text: str) -> None:
        if self.text is None:
            return
        self.length += len(text)
        if self.text == NUMBER:
            if self.extent.long_strings and self.cell_type == "s":
                self.index += text
            if self.length > self.limits.max_number_digits:
                raise _too_many_digits(self.name, self._address(self.cell), self.limits)
        elif self.length > self.limits.max_text_chars:
            if self.cell is not None:
                raise _too_long(self.name, self._address(self.cell), self.limits)
            self.extent.long_strings.add(self.strings)
            self.text = None

    def _open_cell(self, address: str | None, cell_type: str) -> None:
        if address is None:
            self.cell = (self.row, self.column)
        else:
            letters = address.rstrip(_DIGIT_CHARACTERS)
            column = self.columns.get(letters)
            if column is None:
                column = self._column(letters, address)
            self.column = column
            digits = address[len(letters) :]
            if not (0 < len(digits) <= 10 and digits.isascii() and digits.isdigit()):
                raise self._not_an_address(address)
            self.cell = (int(digits) - 1, column)
        self.cell_type = cell_type
        self.valued = False

    def _place(self, cell: tuple[int, int]) -> None:
        """Count a cell with a value; refuse the file at the first one that takes it over a limit."""
        row, column = cell
        if row > self.last_row or column > self.last_column:
            self.last_row, self.last_column = max(row, self.last_row), max(column, self.last_column)
            rows, columns = self.last_row + 1, self.last_column + 1
            self.extent.area += rows * columns - self.area
            self.area = rows * columns
            if self._over(rows, columns):
                raise self._too_large(f"has a value in cell {_reference(cell)}, so it spans", rows, columns)
            if self.extent.area > self.limits.max_sheet_area:
                raise self._too_large(
                    f"has a value in cell {_reference(cell)}; with the sheets before it, the workbook spans",
                    rows,
                    columns,
                    self.extent.area,
                )
        if self.extent.cells > self.limits.max_sheet_cells:
            raise SheetTooLarge(
                f"{self.name}: {self.where} reaches cell {_reference(cell)} after {self.extent.cells - 1:,} "
                f"cells with a value in the workbook; at most {self.limits.max_sheet_cells:,} are read from a "
                "workbook. Split it, or send the table as CSV, which is read in columns.",
                [self._details(cell, cells=self.extent.cells, limit=self.limits.max_sheet_cells)],
            )

    def _declared(self, attributes: dict[str, str]) -> None:
        """Refuse a ``<dimension ref>`` beyond Excel's own grid, which no workbook can have.

        A range within it is only a claim, and not refused: WDR table 8.1 declares A1:L1048576 (whole columns
        formatted) for a table of a few thousand rows. Calamine reserves room from it only below 100,000 cells;
        what a reader lays out is the real extent, counted cell by cell.
        """
        found = _ADDRESS.fullmatch(attributes.get("ref", "").rpartition(":")[2])
        if found is None:
            return
        rows, columns = int(found.group(2)), column_index(found.group(1).upper()) + 1
        if rows > EXCEL_ROWS or columns > EXCEL_COLUMNS:
            what = f"declares its used range as {attributes['ref']!r}, beyond Excel's grid:"
            raise self._too_large(what, rows, columns)

    def _declared_strings(self, attributes: dict[str, str]) -> None:
        """Calamine reserves room for as many shared strings as ``uniqueCount`` claims, before reading one."""
        count = attributes.get("uniqueCount", "")
        if not _DIGITS.fullmatch(count) or (len(count) < 12 and int(count) <= self.limits.max_sheet_cells):
            return
        raise SheetTooLarge(
            f"{self.name}: the shared strings part {self.part} claims {count[:20]!r} distinct texts; a workbook "
            f"may hold at most {self.limits.max_sheet_cells:,} cells with a value. Save the workbook again from Excel.",
            [{"file": self.name, "part": self.part, "value": count[:20], "limit": self.limits.max_sheet_cells}],
        )

    def _over(self, rows: int, columns: int) -> bool:
        limits = self.limits
        return rows > limits.max_rows or columns > limits.max_columns or rows * columns > limits.max_sheet_area

    def _column(self, letters: str, address: str) -> int:
        if not _LETTERS.fullmatch(letters):
            raise self._not_an_address(address)
        column = column_index(letters.upper())
        if len(self.columns) < MAX_CACHED:
            self.columns[letters] = column
        return column

    def _row(self, digits: str) -> int:
        """The 0-based row of ``<row r>``, which counts from 1."""
        if not (0 < len(digits) <= 10 and digits.isascii() and digits.isdigit()):
            raise self._not_an_address(digits)
        return int(digits) - 1

    def _local(self, tag: str) -> str:
        """``"x:c"`` → ``"c"``: elements are known by local name whatever their prefix, as calamine knows them."""
        local = tag.rpartition(":")[2]
        if len(self.locals) < MAX_CACHED:
            self.locals[tag] = local
        return local

    def _not_an_address(self, address: str) -> UnreadableFile:
        return UnreadableFile(
            f"{self.name}: not a readable .xlsx workbook ({self.where} names a cell or row {address[:20]!r}, which "
            "is not an address such as B7 or 7)",
            [{"file": self.name, "part": self.part, "value": address[:20]}],
        )

    def _address(self, cell: tuple[int, int] | None) -> str:
        return self.where if cell is None else f"{self.where}, cell {_reference(cell)}"

    def _too_large(self, what: str, rows: int, columns: int, area: int | None = None) -> SheetTooLarge:
        area = rows * columns if area is None else area
        limits = self.limits
        return SheetTooLarge(
            f"{self.name}: {self.where} {what} {rows:,} rows × {columns:,} columns ({area:,} cells, empty ones "
            f"included: a reader lays the sheet out from A1). At most {limits.max_rows:,} rows, "
            f"{limits.max_columns:,} columns and {limits.max_sheet_area:,} cells in all are read. Delete what lies "
            "beyond the table (select the empty rows and columns, Delete, save), or copy the table to a new sheet.",
            [self._details(self.cell, rows=rows, columns=columns, cells=area, limit=limits.max_sheet_area)],
        )

    def _details(self, cell: tuple[int, int] | None, **values: int) -> dict[str, object]:
        return {"file": self.name, "sheet": self.where, "cell": _reference(cell) if cell else None, **values}


def _reference(cell: tuple[int, int]) -> str:
    """(row, column), both from 0 → ``"B7"``."""
    return f"{column_letters(cell[1])}{cell[0] + 1}"


def _too_long(name: str, where: str, limits: Limits) -> CellTooLong:
    return text_too_long(name, where, limits.max_text_chars)


def _too_many_digits(name: str, where: str, limits: Limits) -> CellTooLong:
    return CellTooLong(
        f"{name}: {where} holds a number written with more than {limits.max_number_digits} digits (or other "
        "characters), the most a number may have, so the file is refused.",
        [{"file": name, "cell": where, "limit": limits.max_number_digits}],
    )
