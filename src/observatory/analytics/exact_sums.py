"""Sums of a DOUBLE column worked out by DuckDB and rounded once, to the number ``math.fsum`` gives.

DuckDB's ``sum`` over DOUBLE rounds after every addition, in an order that depends on its threads, so a total could
differ in its last digits from one run to the next and from the same total recomputed from the listed rows. Here
every value x is split exactly into two integers, x = coarse × 2^-10 + fine × 2^-66: coarse is x × 2^10 rounded,
fine the rest in units of 2^-66, which is whole for any double of magnitude 2^-14 or more (its last bit is worth at
least 2^-66) and below 2^56. DuckDB sums both as integers, exactly; ``ExactSum.value`` rounds the total once,
correctly (half to even, as ``math.fsum``), whatever the order or the grouping of the values. A group holding a
value it cannot split so (non-zero under 2^-14, a fifteenth of a gram in kilograms; negative; 2^53 or more) is summed
from its listed values instead, by ``math.fsum``.
"""

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb
import pyarrow as pa

UNIT_BITS = 66
COARSE_BITS = 10
#: The smallest magnitude whose double is a whole number of units: its last bit is worth 2^(-14 - 52).
SMALLEST = 2.0**-14


def exact_aggregates(column: str) -> str:
    """SQL aggregates of ``column``: ``coarse`` and ``fine``, its sum split as above, and ``smallest``, its smallest
    non-zero value, which tells whether the split was exact."""
    coarse = f"({column} * {2.0**COARSE_BITS!r}::DOUBLE)::BIGINT"
    fine = f"(({column} - {coarse} * {2.0**-COARSE_BITS!r}::DOUBLE) * {2.0**UNIT_BITS!r}::DOUBLE)::BIGINT"
    return f"sum({coarse}) AS coarse, sum({fine}) AS fine, min({column}) FILTER (WHERE {column} <> 0) AS smallest"


def split_columns(column: str) -> str:
    """Columns a subquery selects beside ``column`` for ``split_aggregates``: ``{column}_scaled``, the value in units
    of 2^-10 (exact: a power of two), and ``{column}_coarse``, that rounded to a whole number, worked out once per
    row instead of once per aggregate."""
    scaled = f"{column} * {2.0**COARSE_BITS!r}::DOUBLE"
    return f"{scaled} AS {column}_scaled, ({scaled})::BIGINT AS {column}_coarse"


def split_aggregates(column: str) -> str:
    """``exact_aggregates`` over the columns of ``split_columns``: the same ``coarse``, ``fine`` and ``smallest``,
    for less work per row. ``scaled - coarse`` is exact (the two are within a half of each other, Sterbenz), and
    times 2^56 it is the same whole number ``exact_aggregates`` works out as (x − coarse × 2^-10) × 2^66."""
    fine = f"(({column}_scaled - {column}_coarse) * {2.0 ** (UNIT_BITS - COARSE_BITS)!r}::DOUBLE)::BIGINT"
    return f"sum({column}_coarse) AS coarse, sum({fine}) AS fine, min(nullif({column}, 0)) AS smallest"


def listed_aggregates(column: str) -> str:
    """SQL aggregate of ``column``: ``listed``, its non-null values."""
    return f"list({column}) FILTER (WHERE {column} IS NOT NULL) AS listed"


class ExactSum:
    """A sum kept exact (whole units of 2^-66, and values finer than that as they are) until ``value`` rounds it."""

    __slots__ = ("units", "values")

    def __init__(self, units: int = 0, values: Sequence[float] = ()) -> None:
        self.units = units
        self.values = list(values)

    def add(self, other: "ExactSum") -> None:
        self.units += other.units
        self.values.extend(other.values)

    @property
    def value(self) -> float:
        if not self.values:
            # An integer divides by an integer correctly rounded.
            return self.units / (1 << UNIT_BITS)
        if not self.units:
            return math.fsum(self.values)
        return float(Fraction(self.units, 1 << UNIT_BITS) + sum(map(Fraction, self.values)))


def summed(run: Callable[[str], pa.Table], column: str) -> tuple[dict[str, list[Any]], list[ExactSum]]:
    """The columns of the query ``run`` makes of its aggregates' SQL, and the exact sum of ``column`` in each row.

    The query is first run with ``exact_aggregates``; when a group holds a value they cannot split exactly, again
    with ``listed_aggregates``."""
    try:
        table = run(exact_aggregates(column)).to_pydict()
        sums = _exact(table)
        if sums is not None:
            return table, sums
    except (duckdb.ConversionException, duckdb.OutOfRangeException):
        pass
    return _listed(run(listed_aggregates(column)))


def summed_split(run: Callable[[str, str], pa.Table], column: str) -> tuple[dict[str, list[Any]], list[ExactSum]]:
    """``summed``, for a query that reads ``column`` through a subquery: ``run(columns, aggregates)`` makes the query
    with ``columns`` (empty, or ``split_columns`` after a comma) added to its subquery's select list and
    ``aggregates`` to its own."""
    try:
        table = run(f", {split_columns(column)}", split_aggregates(column)).to_pydict()
        sums = _exact(table)
        if sums is not None:
            return table, sums
    except (duckdb.ConversionException, duckdb.OutOfRangeException):
        pass
    return _listed(run("", listed_aggregates(column)))


def _exact(table: dict[str, list[Any]]) -> list[ExactSum] | None:
    """The exact sums of a table of ``coarse``, ``fine`` and ``smallest`` (taken out of it), or None when a group
    holds a value the parts cannot hold exactly."""
    smallest = table.pop("smallest")
    if not all(size is None or size >= SMALLEST for size in smallest):
        return None
    parts = zip(table.pop("coarse"), table.pop("fine"), strict=True)
    return [ExactSum((_whole(coarse) << (UNIT_BITS - COARSE_BITS)) + _whole(fine)) for coarse, fine in parts]


def _listed(result: pa.Table) -> tuple[dict[str, list[Any]], list[ExactSum]]:
    table = result.to_pydict()
    return table, [ExactSum(values=values or ()) for values in table.pop("listed")]


def _whole(units: Decimal | int | None) -> int:
    return 0 if units is None else int(units)
