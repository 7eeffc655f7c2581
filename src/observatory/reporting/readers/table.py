"""Reading a sheet laid out as a table: header rows, then one record per row (or per column group of a row)."""

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from observatory.reporting.readers.base import Sheet, SourceRow, is_blank
from observatory.reporting.readers.layouts import TableLayout, header_key, join_header
from observatory.reporting.readers.records import LayoutIssue, Position, Record, linked_fields
from observatory.reporting.workbook import Cell

#: How many first non-blank rows a header is looked for in, when it is not on the row the layout says.
SEARCH_ROWS = 20


@dataclass(frozen=True, slots=True)
class Header:
    names: tuple[str, ...]
    row: int

    def index(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for column, name in enumerate(self.names):
            found.setdefault(header_key(name), column)
        return found


def header_of(layout: TableLayout, sheet: Sheet) -> Header | None:
    """The column headings of ``sheet`` under ``layout``, composed "Group / Column" over two header rows.

    A one-row header not where the layout says (title lines added or removed, as when a table is saved as CSV) is
    looked for in the first ``SEARCH_ROWS`` rows: the first row with more of the layout's columns is the header.
    """
    declared = _declared_header(layout, sheet)
    if sheet.header is not None or layout.groups or len(layout.header_rows or ()) > 1:
        return declared
    best, best_fit = declared, fit(layout, declared)
    if best_fit == 1.0:
        return declared
    for row in islice((row for row in sheet.rows if not row.is_blank()), SEARCH_ROWS):
        candidate = Header(tuple(_text(cell) for cell in row.cells), row.number)
        if (candidate_fit := fit(layout, candidate)) > best_fit:
            best, best_fit = candidate, candidate_fit
    return best


def _declared_header(layout: TableLayout, sheet: Sheet) -> Header | None:
    if sheet.header is not None:
        return Header(sheet.header, 0)
    numbers = layout.header_rows or next(((row.number,) for row in sheet.rows if not row.is_blank()), ())
    rows = [row for row in sheet.rows if row.number in numbers]
    if len(rows) != len(numbers) or not rows:
        return None
    width = max(len(row.cells) for row in rows)
    groups = set(layout.groups.groups) if layout.groups else set()
    uppers = [_filled_right(row.cells, width, groups) for row in rows[:-1]]
    lower = [_text(cell) for cell in rows[-1].cells] + [""] * (width - len(rows[-1].cells))
    return Header(tuple(join_header(*(upper[c] for upper in uppers), lower[c]) for c in range(width)), rows[-1].number)


def fit(layout: TableLayout, header: Header | None) -> float:
    """The share of the layout's required columns the header has: 1.0 reads fully, 0.0 not at all."""
    if header is None:
        return 0.0
    required = [name for name in layout.all_columns() if name not in layout.optional_columns]
    found = header.index()
    return sum(1 for name in required if header_key(name) in found) / len(required) if required else 1.0


def bind_table(layout: TableLayout, sheet: Sheet, header: Header) -> tuple[list[Record], list[LayoutIssue]]:
    found = header.index()
    columns = {field: found[key] for name, field in layout.columns.items() if (key := header_key(name)) in found}
    groups = list(_groups(layout, found))
    constants = {**layout.constants, **((layout.sheets or {}).get(sheet.name) or {})}
    note_column = found.get(header_key(layout.note_column)) if layout.note_column else None
    records: list[Record] = []
    carried: dict[str, tuple[Cell, Position]] = {}
    for row in sheet.rows:
        if row.number <= header.row or row.is_blank() or _is_note(row, note_column):
            continue
        cells = {field: _cell(row, column) for field, column in columns.items()}
        positions = {field: _position(sheet, row, column, header) for field, column in columns.items()}
        _fill_down(layout.fill_down, cells, positions, carried)
        for name, value in constants.items():
            cells[name], positions[name] = value, Position(sheet.name, row.number, None, f"sheet {sheet.name!r}")
        for group in _present(groups, row) if groups else [None]:
            own_cells, own_positions = dict(cells), dict(positions)
            if group is not None:
                _add_group(group, row, sheet, header, own_cells, own_positions)
            decimal = layout.decimal or sheet.decimal
            records.append(
                Record(sheet.name, row.number, own_cells, own_positions, decimal, linked_fields(sheet, own_positions))
            )
    return records, list(column_issues(layout, sheet, header, found))


@dataclass(frozen=True, slots=True)
class _Group:
    dimension: str
    level: str
    heading: str
    columns: dict[str, int]


def _groups(layout: TableLayout, found: dict[str, int]) -> Iterator[_Group]:
    if layout.groups is None:
        return
    for heading, level in layout.groups.groups.items():
        columns = {
            field: found[key]
            for column, field in layout.groups.columns.items()
            if (key := header_key(join_header(heading, column))) in found
        }
        if columns:
            yield _Group(layout.groups.dimension, level, heading, columns)


def _present(groups: list[_Group], row: SourceRow) -> list[_Group]:
    """The groups with a value in ``row``; the first group if none has one, so the row is still checked."""
    present = [group for group in groups if any(not is_blank(_cell(row, c)) for c in group.columns.values())]
    return present or groups[:1]


def _add_group(
    group: _Group, row: SourceRow, sheet: Sheet, header: Header, cells: dict[str, Cell], positions: dict[str, Position]
) -> None:
    for field, column in group.columns.items():
        cells[field], positions[field] = _cell(row, column), _position(sheet, row, column, header)
    cells[group.dimension] = group.level
    positions[group.dimension] = Position(sheet.name, row.number, None, group.heading)


def _position(sheet: Sheet, row: SourceRow, column: int, header: Header) -> Position:
    return Position(sheet.name, row.number, column, header.names[column])


def column_issues(layout: TableLayout, sheet: Sheet, header: Header, found: dict[str, int]) -> Iterator[LayoutIssue]:
    """Missing and unread columns. A message names the column and the closest headings the file has; the whole
    header is said once, in the details of the first missing column (``columns_found``)."""
    names = [name for name in header.names if name]
    at = f" (row {header.row})" if header.row else ""
    details: dict[str, object] = {"columns_found": names, "header_row": header.row or None}
    for name in layout.all_columns():
        if header_key(name) not in found and name not in layout.optional_columns:
            close = closest_headings(name, names)
            hint = f"; the closest found: {', '.join(map(repr, close))}" if close else "; no heading found is close"
            yield LayoutIssue(
                "missing-column",
                sheet.name,
                header.row or None,
                name,
                None,
                f"the column {name!r} is missing from the header{at}{hint}",
                tuple(close),
                details,
            )
            details = {}
    known = {header_key(name) for name in layout.all_columns()} | {header_key(layout.note_column or "")}
    for name in header.names:
        if name and header_key(name) not in known:
            yield LayoutIssue(
                "unknown-column",
                sheet.name,
                header.row or None,
                name,
                None,
                f"the column {name!r} is not part of this data set and was not read",
            )


def closest_headings(name: str, headings: Sequence[str], count: int = 3) -> list[str]:
    """The headings most like ``name`` (compared as ``header_key``s), best first: "Drug" for "DrugName"."""
    keys: dict[str, str] = {}
    for heading in headings:
        keys.setdefault(header_key(heading), heading)
    wanted = header_key(name)
    close = difflib.get_close_matches(wanted, list(keys), n=count, cutoff=0.6)
    inside = [key for key in keys if key not in close and (key in wanted or wanted in key) and len(key) > 1]
    return [keys[key] for key in [*close, *inside][:count]]


def _fill_down(
    fields: Sequence[str],
    cells: dict[str, Cell],
    positions: dict[str, Position],
    carried: dict[str, tuple[Cell, Position]],
) -> None:
    for field in fields:
        if field not in cells:
            continue
        if is_blank(cells[field]) and field in carried:
            cells[field], positions[field] = carried[field]
        elif not is_blank(cells[field]):
            carried[field] = (cells[field], positions[field])


def _is_note(row: SourceRow, note_column: int | None) -> bool:
    if note_column is None:
        return False
    filled = [column for column, cell in enumerate(row.cells) if not is_blank(cell)]
    return filled == [note_column]


def _filled_right(cells: Sequence[Cell], width: int, groups: set[str]) -> list[str]:
    """Upper header cells, a group heading repeated over the blank cells to its right (a merged heading)."""
    texts = [_text(cell) for cell in cells] + [""] * (width - len(cells))
    current = ""
    for column, text in enumerate(texts):
        if text:
            current = text if text in groups else ""
        elif current:
            texts[column] = current
    return texts


def _cell(row: SourceRow, column: int) -> Cell:
    return row.cells[column] if column < len(row.cells) else None


def _text(cell: Cell) -> str:
    return " ".join(str(cell).split()) if not is_blank(cell) else ""
