"""Opening Excel workbooks as plain rows of cells, with errors that name the file."""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from observatory.errors import SourceFileError

Cell = str | float | int | bool | date | datetime | time | timedelta | None
Row = Sequence[Cell]


def read_sheet(path: Path, sheet: str) -> Sequence[Row]:
    """All rows of ``sheet``. Calamine, not openpyxl: it also reads WDR sheets whose autofilter openpyxl rejects."""
    if not path.is_file():
        raise SourceFileError(f"{path}: file not found", [{"file": str(path)}])
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise SourceFileError(
            f"{path}: not a readable Excel workbook ({exc})", [{"file": str(path), "expected": "an .xlsx workbook"}]
        ) from exc
    if sheet not in workbook.sheet_names:
        raise SourceFileError(
            f"{path}: no sheet named {sheet!r}; the workbook has {workbook.sheet_names}",
            [{"file": str(path), "expected": sheet, "value": workbook.sheet_names}],
        )
    rows: Sequence[Row] = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return rows
