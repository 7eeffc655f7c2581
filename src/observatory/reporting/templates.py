"""Excel templates for a country's submission: the rows of last year laid out for this year, values left empty.

The sheet ``Data`` is the data set's own template layout (one column per field id), so a filled template is read
back like any upload. Last year's values sit in ``Last year``, under other headings, for reference only.
"""

from collections import defaultdict
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from sqlalchemy import Engine

from observatory.access.policy import Action, Principal, require
from observatory.reference.geography import place
from observatory.reporting.declaration import Declaration, declaration
from observatory.reporting.submit import approved_history

HEADING = Font(bold=True)
TO_FILL = PatternFill("solid", fgColor="FFF2CC")


def country_template(engine: Engine, principal: Principal, dataset: str, country: str, year: int) -> bytes:
    """An .xlsx template of ``dataset`` for ``country`` and ``year``, pre-filled from year − 1.

    Last year's approved values may not be public yet, so the template is for who may read them.
    """
    plan = declaration(dataset)
    where = place(country)
    require(principal, Action.READ_UNPUBLISHED, where.iso3, dataset)
    last_year = [row for row in approved_history(engine, dataset, where.iso3) if row.get("year") == year - 1]
    book = Workbook()
    data = book.active
    assert data is not None
    data.title = "Data"
    fields = [field.id for field in plan.all_fields()]
    data.append(fields)
    for cell in data[1]:
        cell.font = HEADING
    elements = {field.id for field in plan.elements}
    for row in _rows_for(plan, last_year, where.name, year):
        data.append([row.get(name) for name in fields])
        for column, name in enumerate(fields, start=1):
            if name in elements:
                data.cell(data.max_row, column).fill = TO_FILL
    _reference_sheet(book, plan, last_year)
    _fields_sheet(book, plan)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rows_for(plan: Declaration, last_year: list[dict[str, Any]], country: str, year: int) -> list[dict[str, Any]]:
    """One row per series reported last year (its dimensions, this year, no value); one blank row if none."""
    elements = {field.id for field in plan.elements}
    series: dict[tuple[tuple[str, Any], ...], dict[str, Any]] = {}
    for row in last_year:
        key = tuple(sorted((k, v) for k, v in row.items() if k not in elements and k not in ("year", "country")))
        series.setdefault(key, dict(key))
    rows = list(series.values()) or [{}]
    return [{**row, "country": country, "year": year} for row in rows]


def _reference_sheet(book: Workbook, plan: Declaration, last_year: list[dict[str, Any]]) -> None:
    sheet = book.create_sheet("Last year")
    sheet.append(["Reference only: values approved for last year (not read back)"])
    sheet["A1"].font = HEADING
    merged: dict[tuple[tuple[str, Any], ...], dict[str, Any]] = defaultdict(dict)
    for row in last_year:
        merged[tuple(sorted((k, v) for k, v in row.items() if k not in {f.id for f in plan.elements}))].update(row)
    columns = [f"Reference: {field.title}" for field in plan.all_fields()]
    sheet.append(columns)
    for row in merged.values():
        sheet.append([row.get(field.id) for field in plan.all_fields()])


def _fields_sheet(book: Workbook, plan: Declaration) -> None:
    sheet = book.create_sheet("Fields")
    sheet.append(["Field id", "Title", "Type", "Unit", "Required", "Allowed values", "Description"])
    for cell in sheet[1]:
        cell.font = HEADING
    for field in plan.all_fields():
        sheet.append(
            [
                field.id,
                field.title,
                str(field.type),
                field.unit or "",
                "yes" if field.required else "",
                "; ".join(field.levels),
                field.description,
            ]
        )
