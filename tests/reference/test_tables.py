"""Reference tables read as rows with the line a person sees; every problem names the file, row, column and value."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.errors import SourceFileError
from observatory.reference.tables import read_table

COLUMNS = ("code", "name")


def write(folder: Path, text: str, encoding: str = "utf-8") -> Path:
    path = folder / "table.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("text", "exact", "expected"),
    [
        (
            "code,name\nA,Alpha\nB,Beta\n",
            False,
            [(2, {"code": "A", "name": "Alpha"}), (3, {"code": "B", "name": "Beta"})],
        ),
        ("\ufeffcode,name\nA,Alpha\n", True, [(2, {"code": "A", "name": "Alpha"})]),
        ("code,name,note\nA,Alpha,x\n", False, [(2, {"code": "A", "name": "Alpha", "note": "x"})]),
        ("code,name\nA\n", False, [(2, {"code": "A", "name": ""})]),
        ("code,name\n", False, []),
    ],
)
def test_rows_come_with_their_line_numbers(tmp_path: Path, text: str, exact: bool, expected: list[object]) -> None:
    assert read_table(write(tmp_path, text), COLUMNS, exact) == expected


@pytest.mark.parametrize(
    ("text", "exact", "row", "column"),
    [
        ("code\nA\n", False, 1, "name"),
        ("code,name,note\nA,Alpha,x\n", True, 1, "note"),
        ("", False, 1, "code"),
        ("code,name\nA,Alpha,surplus\n", False, 2, "(extra cells)"),
    ],
)
def test_a_bad_table_names_row_and_column(tmp_path: Path, text: str, exact: bool, row: int, column: str) -> None:
    with pytest.raises(SourceFileError) as raised:
        read_table(write(tmp_path, text), COLUMNS, exact)
    assert raised.value.details[0]["row"] == row and raised.value.details[0]["column"] == column
    assert str(tmp_path / "table.csv") in raised.value.message


def test_a_file_that_is_not_utf8_or_absent_is_named(tmp_path: Path) -> None:
    for path in (write(tmp_path, "code,name\nA,Café\n", "latin-1"), tmp_path / "absent.csv"):
        with pytest.raises(SourceFileError, match="cannot read the file"):
            read_table(path, COLUMNS)


@given(st.binary(max_size=300))
def test_any_bytes_read_or_fail_with_a_source_file_error(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(data)
        try:
            rows = read_table(path, COLUMNS)
        except SourceFileError as error:
            assert error.details and error.details[0]["file"] == str(path)
        else:
            assert all(number >= 2 and set(COLUMNS) <= set(row) for number, row in rows)
