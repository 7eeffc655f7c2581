"""Excel templates for a country's submission: the rows of last year laid out for this year, values left empty.

The sheet ``Data`` is the data set's own template layout (one column per field id), so a filled template is read
back like any upload. Last year's values sit in ``Last year``, under other headings, for reference only.

A dimension checked against a vocabulary that has a list of names (countries, the drug groups, sub-groups and
drugs of WDR table 7.1) gets a drop-down list. The names sit in the hidden sheet ``Lists``: a list written into
the rule itself may not exceed 255 characters. Another entry brings a warning, not a refusal, since the platform
also reads aliases and national names ("Ganja"), and the upload report says whether it knew the name.

Every value is written through ``reference.formula_text.inert`` and every text as a string cell, so that stored
text a spreadsheet would run as a formula reaches a focal point as text.
"""

from collections import defaultdict
from collections.abc import Iterable
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine

from observatory.access.policy import Action, Principal, require
from observatory.reference.formula_text import inert
from observatory.reference.geography import place, places
from observatory.reference.seizure_drug_names import seizure_names
from observatory.reporting.declaration import Declaration, Field, Vocabulary, declaration
from observatory.reporting.submit import approved_history
from observatory.reporting.validation.vocabularies import DRUG_LEVELS

HEADING = Font(bold=True)
TO_FILL = PatternFill("solid", fgColor="FFF2CC")
LISTS = "Lists"
#: The last row of a worksheet: drop-down lists cover every row a focal point may fill.
LAST_ROW = 1_048_576


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
    _append(data, fields)
    for cell in data[1]:
        cell.font = HEADING
    elements = {field.id for field in plan.elements}
    for row in _rows_for(plan, last_year, where.name, year):
        _append(data, [row.get(name) for name in fields])
        for column, name in enumerate(fields, start=1):
            if name in elements:
                data.cell(data.max_row, column).fill = TO_FILL
    _reference_sheet(book, plan, last_year)
    _fields_sheet(book, plan)
    _drop_downs(data, _lists_sheet(book, plan), fields)
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
    _append(sheet, ["Reference only: values approved for last year (not read back)"])
    sheet["A1"].font = HEADING
    merged: dict[tuple[tuple[str, Any], ...], dict[str, Any]] = defaultdict(dict)
    for row in last_year:
        merged[tuple(sorted((k, v) for k, v in row.items() if k not in {f.id for f in plan.elements}))].update(row)
    columns = [f"Reference: {field.title}" for field in plan.all_fields()]
    _append(sheet, columns)
    for row in merged.values():
        _append(sheet, [row.get(field.id) for field in plan.all_fields()])


def _fields_sheet(book: Workbook, plan: Declaration) -> None:
    sheet = book.create_sheet("Fields")
    _append(sheet, ["Field id", "Title", "Type", "Unit", "Required", "Allowed values", "Description"])
    for cell in sheet[1]:
        cell.font = HEADING
    for field in plan.all_fields():
        _append(
            sheet,
            [
                field.id,
                field.title,
                str(field.type),
                field.unit or "",
                "yes" if field.required else "",
                "; ".join(field.levels) or _allowed(field),
                field.description,
            ],
        )


def _append(sheet: Worksheet, values: Iterable[object]) -> None:
    """A row written as ``Worksheet.append`` does, each value made inert and each text a string cell: openpyxl
    would store text that starts with ``=`` as a formula."""
    sheet.append([inert(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def choices(field: Field) -> tuple[str, ...]:
    """The names a drop-down list offers for ``field``: countries and territories of today, or the names WDR
    table 7.1 gives the field's level of the drug hierarchy; none for other fields."""
    if field.vocabulary is Vocabulary.COUNTRY:
        return _country_names()
    if field.vocabulary in DRUG_LEVELS:
        return seizure_names(DRUG_LEVELS[field.vocabulary])
    return ()


def _country_names() -> tuple[str, ...]:
    current = (known.name for known in places() if known.valid_from is None and known.valid_to is None)
    return tuple(sorted(current, key=str.casefold))


def _allowed(field: Field) -> str:
    if field.vocabulary is Vocabulary.COUNTRY:
        return "a country or territory: pick it from the list, or write its ISO 3166 code"
    if field.vocabulary in DRUG_LEVELS:
        return "a name of WDR table 7.1 (the list); other WDR spellings, common and national names are read too"
    return ""


def _lists_sheet(book: Workbook, plan: Declaration) -> dict[str, str]:
    """The hidden sheet of names, one column per dimension with a list; the range of each column, by field id."""
    sheet = book.create_sheet(LISTS)
    sheet.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    for field in plan.dimensions:
        names = choices(field)
        if not names:
            continue
        column = len(ranges) + 1
        _put(sheet, 1, column, f"Choices: {field.title}").font = HEADING
        for row, name in enumerate(names, start=2):
            _put(sheet, row, column, name)
        letter = get_column_letter(column)
        ranges[field.id] = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(names) + 1}"
    return ranges


def _put(sheet: Worksheet, row: int, column: int, value: object) -> Any:
    """The cell at ``row``, ``column`` holding ``value`` made inert, a string cell if it is text."""
    cell = sheet.cell(row, column, inert(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def _drop_downs(data: Worksheet, ranges: dict[str, str], fields: list[str]) -> None:
    for column, name in enumerate(fields, start=1):
        if name not in ranges:
            continue
        rule = DataValidation(
            type="list",
            formula1=ranges[name],
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="Not in the list",
            error="This name is not in the list. Keep it only if it is another name for one of them (an alias or "
            "a national name); the upload report says whether it was recognised.",
        )
        letter = get_column_letter(column)
        rule.add(f"{letter}2:{letter}{LAST_ROW}")
        data.add_data_validation(rule)
