from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from observatory.datasets import DEMO_SEIZURES
from observatory.errors import SourceFileError
from observatory.reporting.wdr_seizures import COLUMNS, INVALID, parse_kilograms, parse_year, read_wdr_seizures
from tests.wdr_table import independent_rows

GOOD = [
    "Americas",
    "South America",
    "Bolivia (Plurinational State of)",
    "Cocaine-type",
    "Cocaine",
    "Cocaine",
    2023,
    12.5,
    "BOL",
]


def workbook(path: Path, *rows: list[object], header: tuple[str, ...] = COLUMNS, sheet: str = "Seizures") -> Path:
    book = Workbook()
    worksheet = book.active
    assert worksheet is not None
    worksheet.title = sheet
    worksheet.append(["Drug seizures, 2019-2023"])
    worksheet.append(list(header))
    for row in rows:
        worksheet.append(row)
    book.save(path)
    return path


def test_reads_every_record_of_the_real_table() -> None:
    records = read_wdr_seizures(DEMO_SEIZURES)
    assert len(records) == len(independent_rows()) == 11_274
    assert {record.year for record in records} == {2019, 2020, 2021, 2022, 2023}
    missing = [record for record in records if record.kilograms is None]
    assert len(missing) == 76
    assert all(record.value_state == "missing" for record in missing)
    assert sum(1 for record in records if record.kilograms == 0) > 0, "true zeros are kept as zeros"


def test_a_valid_row_becomes_a_record(tmp_path: Path) -> None:
    (record,) = read_wdr_seizures(workbook(tmp_path / "ok.xlsx", GOOD))
    assert (record.country_iso3, record.drug_group, record.year, record.kilograms, record.source_row) == (
        "BOL",
        "Cocaine-type",
        2023,
        12.5,
        3,
    )


def test_a_blank_quantity_is_missing_not_zero(tmp_path: Path) -> None:
    (record,) = read_wdr_seizures(workbook(tmp_path / "blank.xlsx", [*GOOD[:7], None, "BOL"]))
    assert record.kilograms is None and record.value_state == "missing"


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("Kilograms", -1, "non-negative number"),
        ("Kilograms", "about 3 tons", "non-negative number"),
        ("Reference year", "20x3", "whole year"),
        ("Reference year", 2023.5, "whole year"),
        ("Reference year", 1850, "whole year"),
        ("msCode", "Bolivia", "ISO 3166 alpha-3"),
        ("msCode", None, "ISO 3166 alpha-3"),
        ("Country", None, "is empty"),
        ("DrugGroup", "  ", "is empty"),
    ],
)
def test_bad_cells_are_named_by_row_column_and_value(tmp_path: Path, column: str, value: object, reason: str) -> None:
    row = list(GOOD)
    row[COLUMNS.index(column)] = value
    path = workbook(tmp_path / "bad.xlsx", GOOD, row)
    with pytest.raises(SourceFileError) as caught:
        read_wdr_seizures(path)
    (problem,) = caught.value.details
    assert (problem["file"], problem["row"], problem["column"]) == (str(path), 4, column)
    assert reason in problem["reason"]
    assert str(path) in caught.value.message and "row 4" in caught.value.message


def test_all_problems_are_reported_not_just_the_first(tmp_path: Path) -> None:
    bad = [*GOOD[:6], "year", -5, "x"]
    with pytest.raises(SourceFileError) as caught:
        read_wdr_seizures(workbook(tmp_path / "bad.xlsx", bad, bad))
    assert [(p["row"], p["column"]) for p in caught.value.details] == [
        (3, "msCode"),
        (3, "Reference year"),
        (3, "Kilograms"),
        (4, "msCode"),
        (4, "Reference year"),
        (4, "Kilograms"),
    ]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p, "file not found"),
        (lambda p: (p.write_text("Region,Country\nAfrica,Comoros\n"), p)[1], "not a readable Excel workbook"),
        (lambda p: (p.write_bytes(DEMO_SEIZURES.read_bytes()[:20000]), p)[1], "not a readable Excel workbook"),
        (lambda p: workbook(p, GOOD, sheet="Data"), "no sheet named 'Seizures'"),
        (lambda p: workbook(p, GOOD, header=("Region", "Country")), "not the WDR 7.1 header"),
        (lambda p: workbook(p), "no records"),
    ],
    ids=["missing", "csv-renamed", "truncated", "wrong-sheet", "wrong-header", "empty"],
)
def test_unreadable_files_are_rejected_with_the_file_named(tmp_path: Path, make: object, message: str) -> None:
    path = make(tmp_path / "seizures.xlsx")  # type: ignore[operator]
    with pytest.raises(SourceFileError, match=message) as caught:
        read_wdr_seizures(path)
    assert str(path) in caught.value.message


@given(kilograms=st.floats(min_value=0, allow_nan=False, allow_infinity=False))
def test_any_non_negative_quantity_is_read_exactly(kilograms: float) -> None:
    assert parse_kilograms(kilograms) == kilograms
    assert parse_kilograms(repr(kilograms)) == kilograms


@given(cell=st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text()))
def test_any_cell_is_a_quantity_missing_or_invalid(cell: str | float | int | bool | None) -> None:
    parsed = parse_kilograms(cell)
    assert parsed is None or parsed is INVALID or (isinstance(parsed, float) and 0 <= parsed < float("inf"))
    if parsed is None:
        assert cell is None or (isinstance(cell, str) and not cell.strip())


@given(cell=st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text()))
def test_any_cell_is_a_plausible_year_or_rejected(cell: str | float | int | bool | None) -> None:
    year = parse_year(cell)
    assert year is None or (1900 <= year <= 2100 and float(cell) == year)  # type: ignore[arg-type]
