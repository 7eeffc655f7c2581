"""An independent reading of the WDR 7.1 demo workbook (openpyxl, not the product's calamine reader), and an
independent computation of its headline figures under the WDR conventions (stdlib ``csv`` over the conventions
data, not the product's ``reference.seizure_conventions`` nor its snapshot code)."""

import csv
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import TypeVar

from openpyxl import load_workbook

from observatory.datasets import DATASETS, DEMO_SEIZURES

T = TypeVar("T", int, float)
REGION, SUBREGION, DRUG_GROUP, DRUG_SUBGROUP, DRUG, YEAR, KILOGRAMS, ISO3 = 0, 1, 3, 4, 5, 6, 7, 8
CONVENTIONS = DATASETS / "reference" / "seizure_conventions.csv"
QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


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
        totals[_key(row, columns)] += _number(row[KILOGRAMS], float) if row[KILOGRAMS] not in (None, "") else 0.0
    return dict(totals)


@dataclass
class _Scope:
    """A reported total's country × year × what it covers: the totals reported and the components beside them."""

    key: tuple[object, ...]
    totals: list[float] = field(default_factory=list)
    components: list[float] = field(default_factory=list)


def independent_headline_totals(*columns: int) -> dict[tuple[object, ...], float]:
    """Kilograms as the WDR counts them in a headline figure, by the given 0-based columns (region, subregion, drug
    group, year: columns every row of a scope shares): plant material left out; where a country reports a total and
    the components it covers for a year, the larger of the largest total and the components' sum counts, once.

    A key whose rows are all blank or all left out is absent."""
    parts: dict[tuple[object, ...], list[float]] = defaultdict(list)
    marked = [(row, *_marks(row)) for row in independent_rows()]
    scopes: dict[tuple[object, ...], _Scope] = {}
    for row, role, covers in marked:
        if role == "total":
            scope = scopes.setdefault(_scope(row, covers), _Scope(_key(row, columns)))
            if row[KILOGRAMS] not in (None, ""):
                scope.totals.append(_number(row[KILOGRAMS], float))
    for row, role, _ in marked:
        if role is not None or row[KILOGRAMS] in (None, ""):
            continue
        kilograms = _number(row[KILOGRAMS], float)
        covering = scopes.get(_scope(row, "drug_group")) or scopes.get(_scope(row, "drug_subgroup"))
        if covering is None:
            parts[_key(row, columns)].append(kilograms)
        else:
            covering.components.append(kilograms)
    for scope in scopes.values():
        sides = [max(scope.totals)] if scope.totals else []
        sides += [math.fsum(scope.components)] if scope.components else []
        if sides:
            parts[scope.key].append(max(sides))
    return {key: math.fsum(values) for key, values in parts.items()}


@cache
def _conventions() -> tuple[dict[str, str], ...]:
    with CONVENTIONS.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def _name(text: object) -> str:
    return " ".join(str(text or "").translate(QUOTES).split()).casefold()


def _marks(row: tuple[object, ...]) -> tuple[str | None, str | None]:
    """``("plant", None)``, ``("total", covers)`` or ``(None, None)`` for a row, by the conventions data."""
    for entry in _conventions():
        same_level = (_name(entry["drug_group"]), _name(entry["drug_subgroup"])) == (
            _name(row[DRUG_GROUP]),
            _name(row[DRUG_SUBGROUP]),
        )
        if same_level and (not entry["drug"] or _name(entry["drug"]) == _name(row[DRUG])):
            return entry["role"], entry["covers"] or None
    return None, None


def _scope(row: tuple[object, ...], covers: str | None) -> tuple[object, ...]:
    level = (row[DRUG_GROUP],) if covers == "drug_group" else (row[DRUG_GROUP], row[DRUG_SUBGROUP])
    return (row[ISO3], _number(row[YEAR], int), covers, *level)


def _key(row: tuple[object, ...], columns: tuple[int, ...]) -> tuple[object, ...]:
    return tuple(_number(row[c], int) if c == YEAR else row[c] for c in columns)


def _number(cell: object, kind: type[T]) -> T:
    assert isinstance(cell, int | float), cell
    return kind(cell)
