"""What every reader produces (a ``Source`` of sheets of numbered rows), the limits it enforces, and its errors.

SourceFileError (400 bad-source-file)
├── NoReaderFound   unknown-format   no reader recognised the content; the message lists every reader tried
├── UnreadableFile  unreadable-file  a reader recognised the format but the content is broken
└── RefusedFile     refused-file     the file is readable but too large or unsafe to read (zip bomb, XML entities)
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from observatory.errors import SourceFileError
from observatory.reporting.workbook import Cell

MIB = 1024 * 1024


class NoReaderFound(SourceFileError):
    code = "unknown-format"


class UnreadableFile(SourceFileError):
    code = "unreadable-file"


class RefusedFile(SourceFileError):
    code = "refused-file"


@dataclass(frozen=True, slots=True)
class Limits:
    """How much a reader accepts before it refuses a file; the defaults suit national submissions, WDR tables and
    a bulk load of a million individual seizures (rows count the header too)."""

    max_bytes: int = 200 * MIB
    max_uncompressed: int = 300 * MIB
    max_archive_entries: int = 10_000
    max_rows: int = 2_000_000
    max_columns: int = 1_000
    max_cells: int = 20_000_000


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


def is_blank(cell: Cell) -> bool:
    """An empty cell: nothing, or only spaces (the non-breaking space WDR tables use included)."""
    return cell is None or (isinstance(cell, str) and not cell.strip())
