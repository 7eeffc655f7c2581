"""Choosing the layout for each sheet of a source and reading its records.

A layout that names sheets reads those sheets (WDR annex workbooks); of several naming the same sheet ("Sheet1"),
the one whose header the sheet has. Otherwise layouts are matched by their header, whatever the file type: each
sheet is read with the layout whose columns it has most of. An open layout (naming no sheet) is always a candidate,
so that a single-table file (CSV, JSON, SDMX) always gets the best one and a missing column is reported as such; a
layout naming sheets is a candidate where its header fits at least half (a WDR table saved as CSV, or a sheet
renamed). A sheet of a workbook needs at least half of a layout's columns.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from observatory.reporting.readers.base import Sheet, Source
from observatory.reporting.readers.layouts import Layout, TableLayout, header_key
from observatory.reporting.readers.records import Bound, LayoutIssue, Record
from observatory.reporting.readers.table import bind_table, fit, header_of
from observatory.reporting.readers.wide import bind_wide, header_year

MIN_FIT = 0.5


@dataclass(frozen=True, slots=True)
class Choice:
    """A sheet and the layout that reads it."""

    layout: Layout
    sheet: Sheet


def bind(source: Source, layouts: Sequence[Layout], only: str | None = None) -> Bound:
    """The records of ``source`` under ``layouts`` (or only the layout with id ``only``)."""
    records: list[Record] = []
    issues: list[LayoutIssue] = []
    used: dict[str, str] = {}
    for step in choose(source, layouts, only):
        if isinstance(step, LayoutIssue):
            issues.append(step)
            continue
        used[step.sheet.name] = step.layout.id
        found, problems = read_choice(step)
        records.extend(found)
        issues.extend(problems)
    return Bound(tuple(records), tuple(issues), used)


def choose(source: Source, layouts: Sequence[Layout], only: str | None = None) -> list[Choice | LayoutIssue]:
    """Which layout reads which sheet, in reading order, and the sheets no layout can read."""
    chosen = [layout for layout in layouts if only is None or layout.id == only]
    if not chosen:
        known = [layout.id for layout in layouts]
        return [_issue("unknown-layout", "", f"no layout {only!r}; this data set has {known}")]
    steps: list[Choice | LayoutIssue] = []
    for sheet in source.sheets:
        named = [layout for layout in chosen if layout.sheets and sheet.name in layout.sheets]
        if named:
            steps.append(Choice(max(named, key=lambda layout: _fit(layout, sheet)), sheet))
    if not steps:
        steps = _open(source, [layout for layout in chosen if isinstance(layout, TableLayout)])
    if not steps:
        names = [sheet.name for sheet in source.sheets]
        expected = {layout.id: sorted(layout.sheets) if layout.sheets else "any" for layout in chosen}
        steps.append(_issue("no-matching-layout", "", f"no sheet of the file ({names}) matches a layout: {expected}"))
    return steps


def _open(source: Source, layouts: list[TableLayout]) -> list[Choice | LayoutIssue]:
    steps: list[Choice | LayoutIssue] = []
    for sheet in source.sheets:
        scored = ((_rank(layout, sheet), layout) for layout in layouts)
        candidates = [(score, layout) for score, layout in scored if not layout.sheets or score[0] >= MIN_FIT]
        ranked = sorted(candidates, key=lambda p: p[0], reverse=True)
        if not ranked or (ranked[0][0][0] < MIN_FIT and len(source.sheets) > 1):
            continue
        best, layout = ranked[0]
        tied = [other.id for score, other in ranked if score == best]
        if len(tied) > 1:
            steps.append(_issue("ambiguous-layout", sheet.name, f"the sheet fits layouts {tied} equally; name one"))
            continue
        steps.append(Choice(layout, sheet))
    return steps


def _rank(layout: TableLayout, sheet: Sheet) -> tuple[float, int]:
    """The layout's fit, then how many of the sheet's columns it reads: a declared layout reading every column
    of a file beats the template reading two of them."""
    header = header_of(layout, sheet)
    known = {header_key(name) for name in layout.all_columns()}
    return fit(layout, header), sum(1 for name in header.names if header_key(name) in known) if header else 0


def _fit(layout: Layout, sheet: Sheet) -> float:
    if isinstance(layout, TableLayout):
        return fit(layout, header_of(layout, sheet))
    header = next((row for row in sheet.rows if row.number == layout.header_row), None)
    return 1.0 if header is not None and sum(header_year(cell) is not None for cell in header.cells) > 1 else 0.0


def read_choice(choice: Choice) -> tuple[list[Record], list[LayoutIssue]]:
    layout, sheet = choice.layout, choice.sheet
    if isinstance(layout, TableLayout):
        header = header_of(layout, sheet)
        if header is None:
            return [], [_issue("missing-column", sheet.name, f"the header rows {layout.header_rows} are missing")]
        return bind_table(layout, sheet, header)
    return bind_wide(layout, sheet)


def _issue(code: str, sheet: str, message: str) -> LayoutIssue:
    return LayoutIssue(code, sheet, None, None, None, message)
