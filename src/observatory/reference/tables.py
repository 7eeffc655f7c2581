"""Reading the reference tables shipped as CSV: every row with the line number a person sees, and errors that name
the file, row, column and value.

The standard library's ``csv`` does the parsing; what it lacks, and this adds, is the located error.
"""

import csv
from pathlib import Path

from observatory.errors import SourceFileError

Row = dict[str, str]


def read_table(path: Path, columns: tuple[str, ...], exact: bool = False) -> list[tuple[int, Row]]:
    """The rows of ``path`` with their line numbers (the header is line 1); ``columns`` must all be there, and
    nothing else when ``exact``."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, restval="")
            _check_header(path, list(reader.fieldnames or []), columns, exact)
            rows = [(number, _cells(path, number, row)) for number, row in enumerate(reader, start=2)]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise SourceFileError(f"{path}: cannot read the file ({error})", [{"file": str(path)}]) from None
    return rows


def _check_header(path: Path, found: list[str], columns: tuple[str, ...], exact: bool) -> None:
    missing = [column for column in columns if column not in found]
    extra = [column for column in found if column not in columns] if exact else []
    if missing or extra:
        reason = f"expected the columns {list(columns)}; missing {missing}" + (f", unexpected {extra}" if extra else "")
        raise cell_error(path, 1, (missing or extra)[0], found, reason)


def cell_error(path: Path, row: int, column: str, value: object, reason: str) -> SourceFileError:
    return SourceFileError(
        f"{path}: row {row}, column {column!r}, value {value!r}: {reason}",
        [{"file": str(path), "row": row, "column": column, "value": value, "reason": reason}],
    )


def _cells(path: Path, number: int, row: dict[str | None, str | list[str]]) -> Row:
    if None in row:
        raise cell_error(path, number, "(extra cells)", row[None], "the row has more cells than the header has columns")
    return {str(name): str(value) for name, value in row.items()}
