"""An independent reading of the WDR 7.1 demo workbook (openpyxl, not the product's calamine reader)."""

from collections import defaultdict
from functools import cache
from typing import TypeVar

from openpyxl import load_workbook

from observatory.datasets import DEMO_SEIZURES

T = TypeVar("T", int, float)
REGION, DRUG_GROUP, YEAR, KILOGRAMS = 0, 3, 6, 7


@cache
def independent_rows() -> tuple[tuple[object, ...], ...]:
    book = load_workbook(DEMO_SEIZURES, read_only=True, data_only=True)
    try:
        rows = book["Seizures"].iter_rows(min_row=3, values_only=True)
        return tuple(row for row in rows if any(cell is not None for cell in row))
    finally:
        book.close()


def independent_totals(*columns: int) -> dict[tuple[object, ...], float]:
    """Sum of the Kilograms column by the given 0-based columns; blank cells are not added."""
    totals: dict[tuple[object, ...], float] = defaultdict(float)
    for row in independent_rows():
        key = tuple(_number(row[c], int) if c == YEAR else row[c] for c in columns)
        kilograms = row[KILOGRAMS]
        totals[key] += _number(kilograms, float) if kilograms not in (None, "") else 0.0
    return dict(totals)


def _number(cell: object, kind: type[T]) -> T:
    assert isinstance(cell, int | float), cell
    return kind(cell)
