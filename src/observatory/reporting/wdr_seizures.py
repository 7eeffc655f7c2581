"""Reader for the World Drug Report annex table 7.1 (drug seizures by country, drug and year).

The sheet ``Seizures`` has a title on row 1, the header on row 2 and one record per row after it.
A blank ``Kilograms`` cell is a value the country did not report: missing, not zero.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from observatory.errors import SourceFileError
from observatory.reporting.workbook import Cell, Row, read_sheet

SHEET = "Seizures"
HEADER_ROW = 2
COLUMNS = (
    "Region",
    "SubRegion",
    "Country",
    "DrugGroup",
    "DrugSubGroup",
    "DrugName",
    "Reference year",
    "Kilograms",
    "msCode",
)
YEARS = range(1900, 2101)
MAX_REPORTED_PROBLEMS = 50


@dataclass(frozen=True, slots=True)
class SeizureRecord:
    source_row: int
    region: str
    subregion: str
    country: str
    country_iso3: str
    drug_group: str
    drug_subgroup: str
    drug: str
    year: int
    kilograms: float | None

    @property
    def value_state(self) -> str:
        return "missing" if self.kilograms is None else "value"


def read_wdr_seizures(path: Path) -> list[SeizureRecord]:
    """Every record of the file, or a ``SourceFileError`` listing every problem (file, row, column, value)."""
    rows = read_sheet(path, SHEET)
    _check_header(path, rows)
    records: list[SeizureRecord] = []
    problems: list[dict[str, Any]] = []
    for number, row in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        if all(cell in ("", None) for cell in row):
            continue
        record = _parse_row(number, row, problems)
        if record is not None:
            records.append(record)
    if problems:
        shown = problems[:MAX_REPORTED_PROBLEMS]
        first = shown[0]
        raise SourceFileError(
            f"{path}: {len(problems)} invalid cell(s); first at row {first['row']}, column {first['column']!r}: "
            f"{first['reason']}",
            [{"file": str(path), **problem} for problem in shown],
        )
    if not records:
        raise SourceFileError(f"{path}: sheet {SHEET!r} has a header but no records", [{"file": str(path)}])
    return records


def _check_header(path: Path, rows: Sequence[Row]) -> None:
    found = tuple(str(cell).strip() for cell in rows[HEADER_ROW - 1]) if len(rows) >= HEADER_ROW else ()
    if found[: len(COLUMNS)] != COLUMNS:
        raise SourceFileError(
            f"{path}: row {HEADER_ROW} of sheet {SHEET!r} is not the WDR 7.1 header; expected {list(COLUMNS)}, "
            f"found {list(found)}",
            [{"file": str(path), "row": HEADER_ROW, "expected": list(COLUMNS), "value": list(found)}],
        )


def _parse_row(number: int, row: Row, problems: list[dict[str, Any]]) -> SeizureRecord | None:
    cells = dict(zip(COLUMNS, [*row, *[None] * len(COLUMNS)], strict=False))
    before = len(problems)

    def problem(column: str, reason: str) -> None:
        problems.append({"row": number, "column": column, "value": cells[column], "reason": reason})

    texts = {column: _text(cells[column]) for column in COLUMNS[:6]}
    for column, text in texts.items():
        if not text:
            problem(column, "is empty; a name is required")
    iso3 = _text(cells["msCode"])
    if not (len(iso3) == 3 and iso3.isascii() and iso3.isalpha() and iso3.isupper()):
        problem("msCode", "expected an ISO 3166 alpha-3 code such as 'BOL'")
    year = parse_year(cells["Reference year"])
    if year is None:
        problem("Reference year", f"expected a whole year between {YEARS.start} and {YEARS.stop - 1}")
    kilograms = parse_kilograms(cells["Kilograms"])
    if isinstance(kilograms, Invalid):
        problem("Kilograms", "expected a non-negative number of kilograms, or an empty cell for 'not reported'")
    if len(problems) > before or year is None or isinstance(kilograms, Invalid):
        return None
    return SeizureRecord(
        source_row=number,
        region=texts["Region"],
        subregion=texts["SubRegion"],
        country=texts["Country"],
        country_iso3=iso3,
        drug_group=texts["DrugGroup"],
        drug_subgroup=texts["DrugSubGroup"],
        drug=texts["DrugName"],
        year=year,
        kilograms=kilograms,
    )


class Invalid:
    pass


INVALID = Invalid()


def _text(cell: Cell) -> str:
    return str(cell).strip() if cell is not None else ""


def parse_year(cell: Cell) -> int | None:
    if isinstance(cell, bool) or not isinstance(cell, int | float | str):
        return None
    try:
        value = float(cell)
    except ValueError:
        return None
    return int(value) if value.is_integer() and int(value) in YEARS else None


def parse_kilograms(cell: Cell) -> float | Invalid | None:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, bool) or not isinstance(cell, int | float | str):
        return INVALID
    try:
        value = float(cell)
    except ValueError:
        return INVALID
    return value if value >= 0 and value == value and value != float("inf") else INVALID
