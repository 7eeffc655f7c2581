"""Records: the cells of one observation by field, each with the place in the file a person can find it."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from observatory.reporting.readers.base import Sheet
from observatory.reporting.readers.linked_cells import column_letters
from observatory.reporting.workbook import Cell


@dataclass(frozen=True, slots=True)
class Position:
    """Where a cell is: its sheet, row number and column (0-based; ``None`` for a value the sheet itself gives)."""

    sheet: str
    row: int
    column: int | None
    heading: str

    @property
    def reference(self) -> str:
        """The cell as a spreadsheet names it ("O6"), or the heading when there is no column."""
        return f"{column_letters(self.column)}{self.row}" if self.column is not None else self.heading


@dataclass(frozen=True, slots=True)
class Record:
    sheet: str
    row: int
    cells: Mapping[str, Cell]
    positions: Mapping[str, Position]
    decimal: str = "."
    linked: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LayoutIssue:
    """A problem with the shape of the file rather than a value: a missing column, an unlabelled row."""

    code: str
    sheet: str
    row: int | None
    column: str | None
    value: Cell
    message: str
    suggestions: tuple[str, ...] = ()
    #: Said once rather than in every message: e.g. ``{"columns_found": [...]}``, the header the file has.
    details: Mapping[str, object] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Bound:
    """The records a layout found in a source, the problems of shape it met, and which layout read which sheet."""

    records: tuple[Record, ...]
    issues: tuple[LayoutIssue, ...]
    layouts: Mapping[str, str]


def linked_fields(sheet: Sheet, positions: Mapping[str, Position]) -> dict[str, str]:
    """The fields whose cell holds a formula linked to another workbook, with the formula."""
    return {
        name: sheet.linked[(position.row, position.column)]
        for name, position in positions.items()
        if position.column is not None and (position.row, position.column) in sheet.linked
    }
