"""Typing a column once per distinct cell: every cell goes through ``cells.typed``, except plain decimal numbers in
text (``12``, ``-0.5``), which Arrow converts in one pass to the same floats (a test holds the two to each other).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from observatory.reporting.declaration import Field, ValueType
from observatory.reporting.readers.batches import ABSENT, Distinct
from observatory.reporting.validation.cells import Invalid, typed
from observatory.reporting.values import (
    Meaning,
    Missing,
    MissingReason,
    NotApplicable,
    Observed,
    Value,
    Zero,
    number,
)
from observatory.reporting.workbook import Cell

Numbers = npt.NDArray[np.float64]
#: Text that Arrow turns into exactly the float ``cells.parse_number`` reads: no sign of thousands, at most 15 digits
#: on each side of the point, so that a number never overflows and Arrow and Python round alike.
PLAIN_NUMBER = r"^[+-]?[0-9]{1,15}(\.[0-9]{1,15})?$"
NOT_COLLECTED = Missing(MissingReason.NOT_COLLECTED)
#: A cell typed: its result, state and number (NaN if none).
Typed = tuple["Value | Invalid", int, float]
#: Cells typed by earlier batches, by (decimal mark, type, cell); at most ``MAX_KNOWN`` are kept per field.
TypedCells = dict[tuple[str, type, Cell], Typed]
MAX_KNOWN = 100_000


class State(IntEnum):
    VALUE = 0
    ZERO = 1
    MISSING = 2
    NOT_APPLICABLE = 3
    INVALID = 4


@dataclass(frozen=True, slots=True)
class TypedColumn:
    """A field's cells typed: ``entry`` maps each record to one of the distinct results, whose state and number
    are in arrays. ``results`` holds each result, or ``None`` where ``numbers`` says it all (a plain number)."""

    field: Field
    entry: npt.NDArray[np.int64]
    states: npt.NDArray[np.int8]
    numbers: Numbers
    results: Sequence[Value | Invalid | None]
    cells: Sequence[Cell] | pa.Array
    #: The ``Distinct.origin`` of the cells: columns of the same origin share their first entries.
    origin: object | None = None

    def cell(self, entry: int) -> Cell:
        """The distinct cell ``entry`` as the source gave it."""
        if entry >= len(self.cells):
            return None
        found: Cell = self.cells[entry].as_py() if isinstance(self.cells, pa.Array) else self.cells[entry]
        return found

    def result(self, entry: int) -> Value | Invalid:
        found = self.results[entry]
        if found is not None:
            return found
        amount = float(self.numbers[entry])
        if self.field.type is ValueType.INTEGER:
            return Zero(0) if amount == 0 else Observed(int(amount))
        return Zero(amount) if amount == 0 else Observed(amount)

    def value(self, index: int) -> Value | Invalid:
        return self.result(int(self.entry[index]))

    def row_states(self) -> npt.NDArray[np.int8]:
        return self.states[self.entry]

    def row_numbers(self) -> Numbers:
        return self.numbers[self.entry]


def type_column(
    field: Field,
    distinct: Distinct,
    markers: Mapping[str, Meaning],
    known: TypedCells | None = None,
    previous: "TypedColumn | None" = None,
) -> TypedColumn:
    """Every distinct cell of ``distinct`` typed as ``field`` declares (or as found in ``known``, which this adds
    to); records without the cell are not collected. The cells ``previous`` (the field's column in an earlier
    batch) typed already, if its cells have the same origin, are taken from it."""
    known = {} if known is None else known
    count = len(distinct.cells)
    start = _reusable(distinct, previous)
    results: list[Value | Invalid | None] = [None] * count
    numbers = np.full(count + 1, np.nan)
    states = np.full(count + 1, State.MISSING, dtype=np.int8)
    if previous is not None and start:
        results[:start] = previous.results[:start]
        numbers[:start], states[:start] = previous.numbers[:start], previous.states[:start]
    cells: Sequence[Cell] | pa.Array = distinct.cells
    cells = cells.slice(start) if isinstance(cells, pa.Array) else list(cells)[start:]
    decimals = distinct.decimals[start:]
    plain = _plain_numbers(field, cells, decimals, markers)
    if plain is not None:
        fast, values = plain
        numbers[start:count][fast] = values[fast]
        states[start:count][fast] = np.where(values[fast] == 0, State.ZERO, State.VALUE)
        slow = np.flatnonzero(~fast)
        assert isinstance(cells, pa.Array)
        texts = cells.take(pa.array(slow)).to_pylist()
    else:
        slow = np.arange(count - start)
        texts = cells.to_pylist() if isinstance(cells, pa.Array) else cells
    found: list[Typed] = []
    for entry, cell in zip(slow.tolist(), texts, strict=True):
        key = (decimals[entry], type(cell), cell)
        typed_cell = known.get(key)
        if typed_cell is None:
            result = typed(field, cell, markers, decimals[entry])
            typed_cell = (result, state_of(result), np.nan if isinstance(result, Invalid) else _number(result))
            if len(known) < MAX_KNOWN:
                known[key] = typed_cell
        results[start + entry] = typed_cell[0]
        found.append(typed_cell)
    if found:
        states[start + slow] = [item[1] for item in found]
        numbers[start + slow] = [item[2] for item in found]
    results.append(NOT_COLLECTED)
    rows = np.where(distinct.entry == ABSENT, count, distinct.entry)
    return TypedColumn(field, rows, states, numbers, results, distinct.cells, distinct.origin)


def _reusable(distinct: Distinct, previous: "TypedColumn | None") -> int:
    """How many first cells of ``distinct`` ``previous`` typed already: all it typed, if the cells are the same."""
    if previous is None or distinct.origin is None or previous.origin is not distinct.origin:
        return 0
    return min(len(previous.results) - 1, len(distinct.cells))


def state_of(result: Value | Invalid) -> State:
    match result:
        case Invalid():
            return State.INVALID
        case Observed():
            return State.VALUE
        case Zero():
            return State.ZERO
        case NotApplicable():
            return State.NOT_APPLICABLE
        case _:
            return State.MISSING


def _number(value: Value) -> float:
    amount = number(value)
    return np.nan if amount is None else amount


def _plain_numbers(
    field: Field, cells: Sequence[Cell] | pa.Array, decimals: Sequence[str], markers: Mapping[str, Meaning]
) -> tuple[npt.NDArray[np.bool_], Numbers] | None:
    """Which cells are plain numbers, and their values; ``None`` when the fast path does not apply."""
    numeric = field.type in (ValueType.NUMBER, ValueType.INTEGER)
    if not numeric or not isinstance(cells, pa.Array) or set(decimals) - {"."} or len(cells) == 0:
        return None
    fast = pc.and_(
        pc.match_substring_regex(cells, PLAIN_NUMBER), pc.invert(pc.is_in(cells, pa.array(list(markers), pa.string())))
    )
    values = pc.cast(pc.if_else(fast, cells, "0"), pa.float64()).to_numpy(zero_copy_only=False)
    mask = fast.to_numpy(zero_copy_only=False)
    if field.type is ValueType.INTEGER:
        mask &= np.floor(values) == values
    return mask, values
