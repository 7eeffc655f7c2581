"""Which text a spreadsheet could run as a formula, and ``inert``, the one neutraliser every writer calls."""

import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.reference.formula_text import TRIGGERS, inert, is_formula_like

#: Each of OWASP's first characters, with a payload behind it.
HOSTILE = [
    "=cmd|' /C calc'!A0",
    "=1+1",
    '+HYPERLINK("https://example.org","x")',
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\tplain words after a tab",
    "   =1+1",
    "\n@SUM(A1)",
    "--1",
    "-",
    "=",
]
HARMLESS = [
    "Cocaine",
    "",
    "-5",
    "+5",
    "-0.5",
    "-1,234.5",
    "+1.5e3",
    "-12%",
    " -5 ",
    "a=b",
    "5-10",
    "cmd|' /C calc'!A0",
    "'=1+1",
    "Stable situation (+-5%)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_quoted(text: str) -> None:
    assert is_formula_like(text)
    assert inert(text) == "'" + text.replace("\r", "\n")


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_and_plain_numbers_are_left_alone(text: str) -> None:
    assert not is_formula_like(text)
    assert inert(text) == text


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Heroin\r=cmd|' /C calc'!A0", "Heroin\n=cmd|' /C calc'!A0"),
        ("two\r\nlines", "two\nlines"),
        ("two\nlines", "two\nlines"),
        ("\r=1+1", "'\n=1+1"),
    ],
)
def test_a_carriage_return_is_written_as_a_line_feed_which_a_csv_writer_quotes(text: str, written: str) -> None:
    assert inert(text) == written
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["a", inert(text)])
    assert list(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) == [["a", written]]


@pytest.mark.parametrize("value", [None, -5, -0.25, 0, True, date(2024, 1, 1)])
def test_values_that_are_not_text_are_left_alone(value: object) -> None:
    assert inert(value) is value


def live(cell: str) -> bool:
    """Whether a spreadsheet could start a formula at ``cell``, judged without ``is_formula_like``: a tab, a CR or a
    sign first (after blanks), unless the whole is a number as Python reads one."""
    if not cell.startswith(("\t", "\r")) and not cell.lstrip().startswith(("=", "+", "-", "@")):
        return False
    try:
        float(cell.strip().replace(",", "").removesuffix("%"))
    except ValueError:
        return True
    return False


#: Text that starts, or nearly starts, with a character a spreadsheet treats specially.
risky = st.builds(lambda head, tail: head + tail, st.sampled_from(["", " ", *TRIGGERS]), st.text())


@given(risky)
def test_inert_text_never_starts_a_formula_and_keeps_the_text(text: str) -> None:
    written = inert(text)
    assert not live(written) and not is_formula_like(written) and "\r" not in written
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    assert written in (lines, "'" + lines)
