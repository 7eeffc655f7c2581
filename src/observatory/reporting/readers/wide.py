"""Reading a sheet laid out wide: one labelled row per series, one column per year (WDR 6.1.1 and 6.2.1).

A labelled row with values starts a series ("Afghanistan (best estimate)"); the "lower bound" and "upper bound"
rows under it complete it, so that each year gives one record with the best estimate and its bounds side by side.
Footnote letters after a label ("Peru c", "Mexico (best estimate) d,e,f") are kept, and so are the letters in a
column with no year heading, which annotate the value on their left. A label row without values is a region
heading when it is written in capitals, and a note otherwise. Aggregate rows (totals) are skipped with the rows
under them, labelled or not.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from observatory.reporting.readers.base import Sheet, SourceRow, is_blank
from observatory.reporting.readers.layouts import WideLayout
from observatory.reporting.readers.linked_cells import column_index
from observatory.reporting.readers.records import LayoutIssue, Position, Record, linked_fields
from observatory.reporting.workbook import Cell

YEARS = range(1900, 2101)
_NOTES = re.compile(r"^(?P<name>.*?)\s+(?P<notes>[a-z](?:\s*,\s*[a-z])*)$")


@dataclass(slots=True)
class _Series:
    name: str
    notes: str
    region: Cell
    rows: dict[str, SourceRow] = field(default_factory=dict)
    skipped: bool = False


@dataclass(frozen=True, slots=True)
class _Columns:
    years: dict[int, int]
    footnotes: dict[int, list[int]]


def header_year(cell: Cell) -> int | None:
    """The year a heading cell stands for: 2014, 2014.0, "2014", or a date shown as a year (2010-06-30)."""
    if isinstance(cell, date):
        return cell.year
    if isinstance(cell, bool) or not isinstance(cell, int | float | str):
        return None
    text = str(cell).strip()
    number = float(text) if re.fullmatch(r"\d{4}(\.0+)?", text) else None
    return int(number) if number is not None and int(number) in YEARS else None


def split_label(label: str) -> tuple[str, str]:
    """ "Mexico (best estimate) d,e,f" → ("Mexico (best estimate)", "d,e,f")."""
    match = _NOTES.match(label.strip())
    return (match["name"].strip(), match["notes"]) if match else (label.strip(), "")


def bind_wide(layout: WideLayout, sheet: Sheet) -> tuple[list[Record], list[LayoutIssue]]:
    header = next((row for row in sheet.rows if row.number == layout.header_row), None)
    if header is None or not (columns := _columns(header)).years:
        return [], [_issue(layout, sheet, layout.header_row, "missing-column", "no year headings in this row")]
    series, issues = _series(layout, sheet, columns)
    constants = layout.sheets.get(sheet.name) or {}
    records = [record for item in series for record in _records(layout, sheet, item, columns, header, constants)]
    return records, issues


def _columns(header: SourceRow) -> _Columns:
    years: dict[int, int] = {}
    footnotes: dict[int, list[int]] = {}
    last: int | None = None
    for column, cell in enumerate(header.cells):
        year = header_year(cell)
        if year is not None:
            years[column] = year
            last = column
        elif last is not None and is_blank(cell):
            footnotes.setdefault(last, []).append(column)
    return _Columns(years, footnotes)


def _series(layout: WideLayout, sheet: Sheet, columns: _Columns) -> tuple[list[_Series], list[LayoutIssue]]:
    label_at = column_index(layout.label_column)
    found: list[_Series] = []
    issues: list[LayoutIssue] = []
    current: _Series | None = None
    region: Cell = None
    for row in (row for row in sheet.rows if row.number > layout.header_row):
        label = _text(row, label_at)
        if not any(not is_blank(row.cells[c]) for c in columns.years if c < len(row.cells)):
            region = label if label and re.fullmatch(layout.region_pattern, label) else region
            continue
        name, notes = split_label(label)
        bound = next(
            (field for key, field in layout.bounds.items() if name.casefold().startswith(key.casefold())), None
        )
        if current is not None and (bound or not label):
            if bound and not current.skipped:
                current.rows[bound] = row
            elif not bound and not current.skipped:
                issues.append(_issue(layout, sheet, row.number, "unlabelled-row", "values in a row without a label"))
            continue
        if bound or not label:
            issues.append(_issue(layout, sheet, row.number, "unlabelled-row", "values under no series label"))
            continue
        skipped = name.casefold() in {label.casefold() for label in layout.skip_labels}
        current = _Series(_strip(name, layout.label_suffixes), notes, region, {"": row}, skipped)
        if not skipped:
            found.append(current)
    return found, issues


def _text(row: SourceRow, column: int) -> str:
    return str(row.cells[column]).strip() if column < len(row.cells) and not is_blank(row.cells[column]) else ""


def _records(
    layout: WideLayout, sheet: Sheet, series: _Series, columns: _Columns, header: SourceRow, constants: dict[str, str]
) -> Iterator[Record]:
    best = series.rows[""]
    label_at = column_index(layout.label_column)
    for column, year in columns.years.items():
        cells: dict[str, Cell] = {layout.label_field: series.name, layout.year_field: year}
        positions = {
            layout.label_field: Position(sheet.name, best.number, label_at, "label"),
            layout.year_field: Position(sheet.name, header.number, column, str(year)),
        }
        rows = {layout.value_field: best} | {name: row for name, row in series.rows.items() if name}
        for name, row in rows.items():
            cells[name] = row.cells[column] if column < len(row.cells) else None
            positions[name] = Position(sheet.name, row.number, column, str(year))
        letters = [str(best.cells[c]).strip() for c in columns.footnotes.get(column, []) if not is_blank(best.cells[c])]
        cells[layout.notes_field] = ", ".join(filter(None, [series.notes, *letters]))
        cells[layout.series_field] = series.notes
        for name in (layout.notes_field, layout.series_field):
            positions[name] = Position(sheet.name, best.number, label_at, "label")
        if layout.region_field:
            cells[layout.region_field] = series.region
            positions[layout.region_field] = Position(sheet.name, best.number, None, "region heading")
        for name, value in constants.items():
            cells[name], positions[name] = value, Position(sheet.name, best.number, None, f"sheet {sheet.name!r}")
        yield Record(sheet.name, best.number, cells, positions, linked=linked_fields(sheet, positions))


def _strip(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.casefold().endswith(suffix.casefold()):
            return name[: -len(suffix)].strip()
    return name


def _issue(layout: WideLayout, sheet: Sheet, row: int, code: str, what: str) -> LayoutIssue:
    return LayoutIssue(code, sheet.name, row, layout.label_column, None, f"row {row}: {what}")
