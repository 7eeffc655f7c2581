"""Every WDR annex file and dataUNODC extract in shared/data reads through the registry and the declarations with
no error, its warnings are the ones listed here, and every value equals its source cell (read again with
openpyxl where openpyxl can open the file, and with Python's csv module for CSV files)."""

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pytest
from openpyxl import load_workbook

from observatory.reporting.declaration import declaration
from observatory.reporting.readers import Source
from observatory.reporting.readers.base import is_blank
from observatory.reporting.readers.layouts import WideLayout
from observatory.reporting.validation import Outcome, check_file
from observatory.reporting.validation.cells import parse_number
from observatory.reporting.values import Missing, NotApplicable, Observed, Period, Value, Zero
from observatory.reporting.workbook import Cell

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
PUBLISHED_AGGREGATE = "wdr2025_1.1_prevalence_global_regional_2023.xlsx"


class Case(NamedTuple):
    path: str
    dataset: str
    layout: str | None
    records: int
    warnings: dict[str, int]


CASES = [
    Case(
        "unodc_seizures/wdr2025_7.1_drug_seizures_2019_2023.xlsx",
        "annual-seizures",
        None,
        11_274,
        {"duplicate-row": 244},
    ),
    Case(
        "unodc_prevalence/wdr2025_1.2_prevalence_general_population_national.xlsx",
        "prevalence",
        None,
        2_898,
        {"area-not-national": 219, "best-outside-range": 6, "incomplete-range": 2, "total-outside-sexes": 14},
    ),
    Case(
        "unodc_prevalence/wdr2025_2.1_expert_perception_trend_changes_drug_use.xlsx",
        "expert-trends",
        None,
        2_944,
        {},
    ),
    Case(
        "unodc_prices/wdr2025_8.1_prices_and_purities.xlsx",
        "drug-prices",
        None,
        4_693,
        {
            "duplicate-key": 19,
            "duplicate-row": 11,
            "incomplete-range": 131,
            "missing-recommended": 94,
            "typical-outside-range": 54,
        },
    ),
    Case(
        "unodc_prices/wdr2025_8.1_prices_and_purities.xlsx",
        "drug-purity",
        None,
        1_751,
        {"duplicate-key": 3, "missing-recommended": 73, "typical-outside-range": 23},
    ),
    Case("unodc_cultivation/wdr2025_6.1.1_coca_bush_cultivation.xlsx", "cultivation", None, 56, {}),
    Case(
        "unodc_cultivation/wdr2025_6.2.1_opium_poppy_cultivation.xlsx",
        "cultivation",
        None,
        75,
        {"best-outside-range": 3, "external-link-value": 4},
    ),
    Case("unodc_health/cdpe_unodc_drug_deaths.csv", "drug-deaths", None, 71, {}),
    Case("unodc_health/cdpe_unodc_pp_inject_drugs.csv", "pwid", "cdpe-pwid", 78, {}),
    Case(
        "unodc_health/cdpe_unodc_hiv_inject_drugs.csv",
        "pwid",
        "cdpe-hiv",
        33,
        {"area-not-national": 1, "imprecise-year": 1},
    ),
    Case(
        "unodc_health/cdpe_unodc_hcv_inject_drugs.csv",
        "pwid",
        "cdpe-hcv",
        84,
        {"area-not-national": 2, "imprecise-year": 1},
    ),
]
IDS = [f"{Path(case.path).stem}-{case.dataset}" for case in CASES]

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"the shared test data is not at {DATA}")


def outcome(case: Case) -> Outcome:
    return _outcome(case.path, case.dataset, case.layout)


@cache
def _outcome(name: str, dataset: str, layout: str | None) -> Outcome:
    path = DATA / name
    return check_file(path.read_bytes(), path.name, declaration(dataset), layout)


def test_every_annex_file_and_extract_has_a_case() -> None:
    files = {p.relative_to(DATA).as_posix() for p in DATA.glob("unodc_*/*") if p.name != PUBLISHED_AGGREGATE}
    assert files == {case.path for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_reads_with_no_error_and_the_listed_warnings(case: Case) -> None:
    report = outcome(case).report
    assert [p.message for p in report.errors] == []
    assert report.ok and report.to_json()["ok"] is True
    assert report.rows == case.records
    assert report.counts() == case.warnings


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_value_equals_its_source_cell(case: Case) -> None:
    result = outcome(case)
    # Delimited text is read in columns, with no grid of rows; Python's csv module reads it again instead.
    grid = _grid(result.source) if result.source is not None else _csv(DATA / case.path)
    assert result.source is not None or case.path.endswith(".csv")
    compared = 0
    for field, value, cell in _cells(result, grid, _composed(case)):
        assert _matches(value, cell, field in _labels(case)), (field, value, cell)
        compared += 1
    assert compared >= case.records


@pytest.mark.parametrize("case", [c for c in CASES if c.dataset != "drug-purity"], ids=lambda c: Path(c.path).stem)
def test_every_value_equals_the_cell_openpyxl_or_csv_reads(case: Case) -> None:
    """An independent reading: openpyxl for workbooks (it cannot open the Purities sheet), csv for text."""
    result = outcome(case)
    lookup = _openpyxl(DATA / case.path) if case.path.endswith(".xlsx") else _csv(DATA / case.path)
    for field, value, cell in _cells(result, lookup, _composed(case)):
        assert _matches(value, cell, field in _labels(case)), (field, value, cell)


def test_true_zeros_and_blanks_stay_apart() -> None:
    seizures = outcome(CASES[0])
    states = [record.values["kilograms"] for record in seizures.records]
    assert sum(isinstance(v, Missing) for v in states) == 76
    assert sum(isinstance(v, Zero) for v in states) > 0
    assert all(isinstance(v, Observed | Zero | Missing) for v in states)


def test_stale_external_link_is_named_with_its_cell() -> None:
    opium = outcome(CASES[6])
    (afghanistan,) = [
        p for p in opium.report.warnings if p.code == "best-outside-range" and "O6" in p.message and p.row == 6
    ]
    assert "'[1]OVERALL CALCULATION'!O6" in afghanistan.message and afghanistan.column == "2019"


Lookup = Callable[[str, int, int], Cell]


def _cells(result: Outcome, lookup: Lookup, skipped: set[str]) -> Iterator[tuple[str, Value, Cell]]:
    for checked in result.records:
        for field, position in checked.record.positions.items():
            if position.column is not None and field in checked.values and field not in skipped:
                yield field, checked.values[field], lookup(position.sheet, position.row, position.column)


def _wide(case: Case) -> list[WideLayout]:
    return [layout for layout in declaration(case.dataset).layouts if isinstance(layout, WideLayout)]


def _labels(case: Case) -> set[str]:
    """Fields a wide layout reads from a label: "  Colombia a" holds the country "Colombia"."""
    return {layout.label_field for layout in _wide(case)}


def _composed(case: Case) -> set[str]:
    """Fields a wide layout composes from footnote letters of the label and of footnote columns."""
    return {name for layout in _wide(case) for name in (layout.notes_field, layout.series_field)}


def _grid(source: Source) -> Lookup:
    rows = {(sheet.name, row.number): row.cells for sheet in source.sheets for row in sheet.rows}
    return lambda sheet, row, column: rows[(sheet, row)][column]


def _openpyxl(path: Path) -> Lookup:
    book = load_workbook(path, read_only=True, data_only=True)
    grids = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames if name != "Purities"}
    book.close()

    def cell(sheet: str, row: int, column: int) -> Cell:
        values = grids[sheet][row - 1]
        found: Cell = values[column] if column < len(values) else None
        return found

    return cell


def _csv(path: Path) -> Lookup:
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    lines = dict(enumerate(reader, start=1))
    return lambda _sheet, row, column: lines[row][column]


def _matches(value: Value, cell: Cell, derived: bool) -> bool:
    text = " ".join(str(cell).split()) if cell is not None else ""
    match value:
        case Missing() | NotApplicable():
            return value.marker.strip() == text.strip() or (is_blank(cell) and is_blank(value.marker))
        case Zero():
            return _number(cell) == 0
        case Observed(value=Period() as period):
            return (
                (isinstance(cell, date) and cell.year == period.start)
                or _number(cell) == period.start
                or (text == period.label)
            )
        case Observed(value=datetime() | date() as day):
            return cell == day or (isinstance(cell, datetime) and cell.date() == day)
        case Observed(value=str() as written):
            return (
                " ".join(written.split()) in text
                if derived
                else _number(cell) == _number(written) or (" ".join(written.split()) == text)
            )
        case Observed(value=float() | int() as amount):
            return _number(cell) == amount
    return False


def _number(cell: Cell) -> float | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    return parse_number(cell) if isinstance(cell, str) else None
