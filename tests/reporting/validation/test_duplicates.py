"""Duplicates are judged on the fields that are stored: a row repeats another only if every stored field is equal,
and a row that stores no value repeats nothing."""

import pytest

from observatory.reporting.declaration import declaration
from observatory.reporting.validation.run import check_file
from tests.reporting.validation.wide_national import parana_wide

HEADER = "Region,SubRegion,Country,DrugGroup,DrugSubGroup,DrugName,Reference year,Kilograms,msCode"
ROW = "Africa,East Africa,{country},Opioids,Heroin,Heroin,{year},{kg},{code}"


def row(country: str = "Kenya", year: int = 2023, kg: object = 5, code: str = "KEN") -> str:
    return ROW.format(country=country, year=year, kg=kg, code=code)


CASES = {
    "identical rows": (HEADER, [row(), row()], [[3, "duplicate-row"]]),
    "another quantity": (HEADER, [row(), row(kg=6)], []),
    "another year": (HEADER, [row(), row(year=2022)], []),
    "another attribute (sub-region)": (HEADER, [row(), row().replace("East Africa", "Eastern Africa")], []),
    "one code, two spellings": (HEADER, [row(), row(code="KE")], [[3, "duplicate-row"]]),
    "one country, two names": (
        HEADER,
        [row("Türkiye", code="TUR"), row("Turkey", code="TUR")],
        [[3, "duplicate-row"]],
    ),
    "differing only in a column not stored": (
        HEADER + ",Province",
        [row() + ",Nairobi", row() + ",Mombasa"],
        [[3, "duplicate-row"]],
    ),
    "blank quantities, identical rows": (HEADER, [row(kg=""), row(kg="")], [[3, "duplicate-row"]]),
    "no column for the quantity": (
        HEADER.replace(",Kilograms", ""),
        [row().replace(",5,", ","), row().replace(",5,", ",")],
        [],
    ),
}


@pytest.mark.parametrize(("header", "rows", "expected"), CASES.values(), ids=CASES.keys())
def test_rows_repeat_only_in_every_stored_field(header: str, rows: list[str], expected: list[list[object]]) -> None:
    data = "\n".join([header, *rows, ""]).encode()
    report = check_file(data, "s.csv", declaration("annual-seizures")).report
    found = [[p.row, p.code] for p in report.problems if p.code.startswith("duplicate")]
    assert found == expected


@pytest.mark.parametrize("columns", [True, False], ids=["in-columns", "row-by-row"])
def test_a_wide_national_file_has_no_false_repeats(columns: bool) -> None:
    """Every row of the 38-column national file has the same year and no column read for its values: none is a
    repeat of row 2 (the issue's 238 false warnings)."""
    outcome = check_file(parana_wide(), "parana.csv", declaration("annual-seizures"), columns=columns)
    assert outcome.report.rows > 50
    assert "duplicate-row" not in outcome.report.counts()
