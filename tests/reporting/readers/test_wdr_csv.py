"""A WDR annex table saved as CSV by a French or Spanish Excel reads like the workbook: layouts are matched by their
header, whatever the file type.

The CSV files are made here from the real table 7.1 shipped in the package, as Excel writes them: ``;`` between
fields, decimal commas, cp1252 (or Latin-1), CR LF line ends, 15 significant digits, the title row kept above the
header, or removed.
"""

import csv
import io
import math
from functools import cache
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from observatory.datasets import DEMO_SEIZURES
from observatory.reporting.declaration import declaration
from observatory.reporting.validation.run import Outcome, check_file
from observatory.reporting.values import value_json

Row = list[Any]
KILOGRAMS = 7


@cache
def wdr_71() -> tuple[Row, ...]:
    return tuple(CalamineWorkbook.from_path(str(DEMO_SEIZURES)).get_sheet_by_name("Seizures").to_python())


def excel_csv(rows: list[Row], encoding: str = "cp1252", grouped: bool = False) -> bytes:
    """``rows`` as a French Excel saves them ("CSV (séparateur : point-virgule)"); ``grouped``: the quantities'
    thousands set apart by a no-break space, as a column formatted "# ##0,00" is saved."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_french(cell, grouped and column == KILOGRAMS) for column, cell in enumerate(row)])
    return out.getvalue().encode(encoding)


def _french(cell: object, grouped: bool = False) -> object:
    if not isinstance(cell, float):
        return cell
    if cell.is_integer() and not grouped:
        return str(int(cell))
    if grouped and 1000 <= abs(cell) < 1e15:
        return format(cell, ",.15g").replace(",", "\xa0").replace(".", ",")
    return format(cell, ".15g").replace(".", ",")


@cache
def xlsx_outcome() -> Outcome:
    return check_file(DEMO_SEIZURES.read_bytes(), DEMO_SEIZURES.name, declaration("annual-seizures"))


def stored(outcome: Outcome) -> list[tuple[int, dict[str, Any], dict[str, str]]]:
    """Each record's row, typed values (as JSON) and vocabulary codes."""
    found = []
    for batch in outcome.checked():
        for record in batch.records():
            values = {name: value_json(value) for name, value in record.values.items()}
            found.append((record.record.row, values, dict(record.codes)))
    return found


def assert_same_values(csv_outcome: Outcome, shift: int = 0) -> None:
    expected, got = stored(xlsx_outcome()), stored(csv_outcome)
    assert len(got) == len(expected) > 11_000
    for (row, values, codes), (xrow, xvalues, xcodes) in zip(got, expected, strict=True):
        assert row + shift == xrow
        assert codes == xcodes
        assert values.keys() == xvalues.keys()
        for name, value in values.items():
            if isinstance(value.get("value"), float):
                assert math.isclose(value["value"], xvalues[name]["value"], rel_tol=1e-12), (row, name)
            else:
                assert value == xvalues[name], (row, name)


def test_the_workbook_reads_with_its_layout() -> None:
    outcome = xlsx_outcome()
    assert outcome.layouts == {"Seizures": "wdr-7.1"}
    assert outcome.report.ok


@pytest.mark.parametrize("columns", [True, False], ids=["in-columns", "row-by-row"])
def test_a_french_excel_csv_reads_like_the_workbook(columns: bool) -> None:
    data = excel_csv(list(wdr_71()))
    assert b";" in data and b"0,0" in data
    outcome = check_file(data, "seizures.csv", declaration("annual-seizures"), columns=columns)
    assert outcome.layouts == {"": "wdr-7.1"}
    assert outcome.report.counts() == xlsx_outcome().report.counts()
    assert outcome.report.rows == xlsx_outcome().report.rows
    assert_same_values(outcome)


def test_thousands_set_apart_by_a_no_break_space_read() -> None:
    data = excel_csv(list(wdr_71()), grouped=True)
    assert "2\xa0263".encode("cp1252") in data
    outcome = check_file(data, "seizures.csv", declaration("annual-seizures"))
    assert outcome.report.counts() == xlsx_outcome().report.counts()
    assert_same_values(outcome)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.sampled_from(["cp1252", "latin-1", "utf-8"]),
)
def test_any_quantity_excel_writes_reads_back(kilograms: float, grouped: bool, encoding: str) -> None:
    rows = [list(row) for row in wdr_71()[:4]]
    rows[2][KILOGRAMS] = kilograms
    outcome = check_file(excel_csv(rows, encoding, grouped), "s.csv", declaration("annual-seizures"))
    assert outcome.layouts == {"": "wdr-7.1"}
    assert not outcome.report.errors, outcome.report.to_json()["summary"]
    [(_, values, _), *_] = stored(outcome)
    read = values["kilograms"].get("value", 0.0)
    written = str(_french(kilograms, grouped))
    assert math.isclose(read, float(written.replace("\xa0", "").replace(",", ".")), rel_tol=1e-15)


def test_without_its_title_row_the_header_is_found() -> None:
    data = excel_csv(list(wdr_71())[1:])
    outcome = check_file(data, "seizures.csv", declaration("annual-seizures"))
    assert outcome.layouts == {"": "wdr-7.1"}
    assert not [p for p in outcome.report.errors if p.code == "missing-column"]
    assert_same_values(outcome, shift=1)


def test_latin_1_text_with_accents_reads() -> None:
    rows = [row for row in wdr_71() if all(not isinstance(c, str) or c.isascii() or _latin(c) for c in row)][:400]
    rows[2] = [*rows[2][:2], "Côte d'Ivoire", *rows[2][3:8], "CIV"]
    data = excel_csv(rows, "latin-1")
    assert "Côte".encode("latin-1") in data
    outcome = check_file(data, "seizures.csv", declaration("annual-seizures"))
    assert outcome.layouts == {"": "wdr-7.1"}
    assert outcome.report.ok, outcome.report.to_json()["summary"]
    first = next(iter(stored(outcome)))
    assert first[1]["country"]["value"] == "Côte d'Ivoire"
    assert first[2]["country"] == "CIV"


def test_a_csv_with_other_columns_still_gets_the_open_layout() -> None:
    """A layout naming sheets is a candidate only where its header fits: another file is still read by the open
    layout and told which columns it lacks, not that layouts tie."""
    data = b"REF_AREA;DRUG;TIME_PERIOD;Kilos\nKEN;Heroin;2023;1,5\n"
    outcome = check_file(data, "other.csv", declaration("annual-seizures"))
    assert outcome.layouts == {"": "sdmx"}
    assert [p.column for p in outcome.report.errors if p.code == "missing-column"] == ["OBS_VALUE"]


def _latin(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def test_a_workbook_whose_sheet_was_renamed_reads_by_its_header() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Feuil1"
    for row in wdr_71()[:300]:
        sheet.append([None if cell == "" else cell for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    outcome = check_file(out.getvalue(), "saisies.xlsx", declaration("annual-seizures"))
    assert outcome.layouts == {"Feuil1": "wdr-7.1"}
    assert outcome.report.ok
    assert outcome.report.rows == 298
