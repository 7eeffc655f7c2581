"""What every reader produces (a ``Source`` of sheets of numbered rows), the limits it enforces, and its errors.

SourceFileError (400 bad-source-file)
├── NoReaderFound   unknown-format   no reader recognised the content; the message lists every reader tried
├── UnreadableFile  unreadable-file  a reader recognised the format but the content is broken
└── RefusedFile     refused-file     the file is readable but too large or unsafe to read (zip bomb, XML entities)
    ├── SheetTooLarge  sheet-too-large  a workbook sheet spans more rows, columns or cells than a reader may lay out
    └── CellTooLong    cell-too-long    a text longer than Excel allows, or a number of too many digits
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from observatory.errors import SourceFileError
from observatory.reporting.workbook import Cell

MIB = 1024 * 1024
#: Characters of one text cell: Excel's own limit, and every reader's.
MAX_TEXT_CHARS = 32_767


class NoReaderFound(SourceFileError):
    code = "unknown-format"


class UnreadableFile(SourceFileError):
    code = "unreadable-file"


class RefusedFile(SourceFileError):
    code = "refused-file"


class SheetTooLarge(RefusedFile):
    code = "sheet-too-large"


class CellTooLong(RefusedFile):
    code = "cell-too-long"


@dataclass(frozen=True, slots=True)
class Limits:
    """How much a reader accepts before it refuses a file; the defaults suit national submissions, WDR tables and
    a bulk load of a million individual seizures (rows count the header too).

    A workbook is laid out as grids from A1 to each sheet's last cell, empty cells included, at about 46 bytes a
    cell (calamine's grid and the rows of Python cells): ``max_sheet_area`` keeps that near 460 MB, under the
    1 GiB a reading may use (``reporting.isolation.Budget``). A cell with a value costs about 160 bytes read and
    350 read and checked (2 million: 685 MB, 14 s), hence ``max_sheet_cells``; a larger table travels better as
    CSV, read in columns (a million rows of individual seizures: 400 MB, 3 s).
    """

    max_bytes: int = 200 * MIB
    max_uncompressed: int = 300 * MIB
    max_archive_entries: int = 10_000
    max_rows: int = 2_000_000
    max_columns: int = 1_000
    max_cells: int = 20_000_000
    #: Rows × columns of every sheet of a workbook together, each from A1 to its last cell with a value.
    max_sheet_area: int = 10_000_000
    #: Cells holding a value, in every sheet of a workbook together.
    max_sheet_cells: int = 2_000_000
    max_text_chars: int = MAX_TEXT_CHARS
    #: Digits of one number (a float has 17 significant digits; 100 leaves room for a written-out integer).
    max_number_digits: int = 100


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One row as a person sees it: ``number`` is the spreadsheet row number or the CSV line it starts on."""

    number: int
    cells: tuple[Cell, ...]

    def is_blank(self) -> bool:
        return all(is_blank(cell) for cell in self.cells)


@dataclass(frozen=True, slots=True)
class Sheet:
    """A sheet of a workbook, or the single table of a text file (whose ``name`` is then ``""``).

    ``header`` is set by readers of formats whose column names are part of the format (JSON keys, SDMX
    concepts); for grids (CSV, XLSX) a layout decides which rows are the header. ``decimal`` is the decimal mark
    the numbers of the sheet use. ``linked`` holds the cells, by (row number, 0-based column), whose value is a
    formula result copied from another workbook, with the formula: the stored value may be stale.
    """

    name: str
    rows: tuple[SourceRow, ...]
    header: tuple[str, ...] | None = None
    decimal: str = "."
    linked: Mapping[tuple[int, int], str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    format: str
    sheets: tuple[Sheet, ...]
    notes: tuple[str, ...] = ()

    def sheet(self, name: str) -> Sheet | None:
        return next((sheet for sheet in self.sheets if sheet.name == name), None)


class Reader(ABC):
    """A file format: whether some bytes are in it (by content, never by file name), and how to read them."""

    format: ClassVar[str]
    title: ClassVar[str]

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()

    @classmethod
    @abstractmethod
    def handles(cls, data: bytes) -> bool: ...

    @abstractmethod
    def read(self, data: bytes, name: str) -> Source: ...

    def check_shape(self, name: str, rows: int, columns: int) -> None:
        if rows * columns > self.limits.max_cells:
            raise RefusedFile(
                f"{name}: {rows:,} rows by {columns:,} columns is over the limit of {self.limits.max_cells:,} cells",
                [{"file": name, "rows": rows, "columns": columns, "limit": self.limits.max_cells}],
            )
        if rows > self.limits.max_rows:
            raise RefusedFile(
                f"{name}: {rows:,} rows; at most {self.limits.max_rows:,} are accepted in one file. Split the file.",
                [{"file": name, "rows": rows, "limit": self.limits.max_rows}],
            )
        if columns > self.limits.max_columns:
            raise RefusedFile(
                f"{name}: {columns:,} columns; at most {self.limits.max_columns:,} are accepted. "
                "Check that the file is a table with one column per field.",
                [{"file": name, "columns": columns, "limit": self.limits.max_columns}],
            )

    def check_texts(self, name: str, where: str, cells: Sequence[Cell]) -> None:
        """Refuse ``cells`` (a row, ``where`` in the file) if one holds a text longer than a cell may hold."""
        limit = self.limits.max_text_chars
        for column, cell in enumerate(cells, start=1):
            if isinstance(cell, str) and len(cell) > limit:
                raise text_too_long(name, f"{where}, field {column}", limit)


def text_too_long(name: str, where: str, limit: int) -> CellTooLong:
    return CellTooLong(
        f"{name}: {where} holds a text of more than {limit:,} characters, the most a cell may hold (Excel's own "
        "limit), so the file is refused.",
        [{"file": name, "cell": where, "limit": limit}],
    )


def is_blank(cell: Cell) -> bool:
    """An empty cell: nothing, or only spaces (the non-breaking space WDR tables use included)."""
    return cell is None or (isinstance(cell, str) and not cell.strip())
