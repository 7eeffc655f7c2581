"""Reading a sheet laid out as a table: header rows, then one record per row (or per column group of a row)."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from observatory.reporting.readers.base import Sheet, SourceRow, is_blank
from observatory.reporting.readers.layouts import TableLayout, header_key, join_header
from observatory.reporting.readers.records import LayoutIssue, Position, Record, linked_fields
from observatory.reporting.workbook import Cell


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
    """The column headings of ``sheet`` under ``layout``, composed "Group / Column" over two header rows."""
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
    for name in layout.all_columns():
        if header_key(name) not in found and name not in layout.optional_columns:
            yield LayoutIssue(
                "missing-column",
                sheet.name,
                header.row or None,
                name,
                None,
                f"the column {name!r} is missing from the header{f' (row {header.row})' if header.row else ''}; "
                f"the columns found are {[n for n in header.names if n]}",
            )
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
