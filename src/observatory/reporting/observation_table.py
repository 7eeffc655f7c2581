"""The values of a checked batch as rows of the ``observation`` table, built column by column.

One row per data element of each record, in record order, with the record's dimensions (as JSON text, exactly as
the store's JSON type writes a dict), the state of the value and the cell it came from. What depends on a cell's
value alone (its state, its text, its JSON) is worked out once per distinct cell.
"""

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from observatory.reporting.declaration import Declaration, Field
from observatory.reporting.validation.cells import Invalid
from observatory.reporting.validation.checked_batch import CheckedBatch
from observatory.reporting.validation.typed_columns import State, TypedColumn
from observatory.reporting.values import Missing, NotApplicable, Observed, Period, Value, Zero

COLUMNS = (
    "submission_id",
    "dataset",
    "element",
    "country_iso3",
    "year",
    "dimensions",
    "value",
    "value_text",
    "value_state",
    "missing_reason",
    "unit",
    "source_row",
    "source_column",
)
STATES = {State.VALUE: "value", State.ZERO: "zero"}


@dataclass(frozen=True, slots=True)
class ObservationRows:
    """The rows of a batch: what each record's rows share, once per record, and each element's own columns."""

    size: int
    shared: Mapping[str, pa.Array]
    elements: Sequence[Mapping[str, pa.Array]]

    def table(self) -> pa.Table:
        """The rows as one table, record by record and element by element within a record."""
        count = len(self.elements)
        parts = [pa.table({**self.shared, **own}).select(list(COLUMNS)) for own in self.elements]
        order = (np.arange(self.size)[:, None] + np.arange(count)[None, :] * self.size).ravel()
        return pa.concat_tables(parts).take(pa.array(order))

    def tuples(self) -> Iterator[tuple[object, ...]]:
        """The rows as tuples in the same order, each record's shared values converted to Python once."""
        shared = {name: column.to_pylist() for name, column in self.shared.items()}
        per_element = [
            zip(*(shared[name] if name in shared else own[name].to_pylist() for name in COLUMNS), strict=True)
            for own in self.elements
        ]
        return chain.from_iterable(zip(*per_element, strict=True))


def observation_rows(plan: Declaration, checked: CheckedBatch, submission_id: int) -> ObservationRows:
    """The ``observation`` rows of ``checked`` (every value of a batch with no error), columns as in ``COLUMNS``."""
    shared = {
        "country_iso3": _codes(checked, "country"),
        "year": _years(checked),
        "dimensions": _dimensions(plan, checked),
        "source_row": pa.array(checked.batch.rows, pa.int64()),
    }
    own = [_element(plan, checked, element, submission_id) for element in plan.elements]
    return ObservationRows(checked.batch.size, shared, own)


def _element(plan: Declaration, checked: CheckedBatch, element: Field, submission_id: int) -> dict[str, pa.Array]:
    column = checked.columns[element.id]
    size = checked.batch.size
    entries = pa.array(column.entry)
    texts, states, reasons = _shown(column)
    unit = pa.array([element.unit] * size, pa.string())
    if f"{element.id}_unit" in checked.codes:
        codes = _codes(checked, f"{element.id}_unit")
        unit = pc.if_else(pc.and_(pc.is_valid(codes), pc.not_equal(codes, "")), codes, unit)
    return {
        "submission_id": pa.array(np.full(size, submission_id), pa.int64()),
        "dataset": pa.array([plan.id] * size, pa.string()),
        "element": pa.array([element.id] * size, pa.string()),
        "value": pa.array(column.numbers, pa.float64(), from_pandas=True).take(entries),
        "value_text": texts.take(entries),
        "value_state": states.take(entries),
        "missing_reason": reasons.take(entries),
        "unit": unit,
        "source_column": checked.batch.references(element.id),
    }


def _shown(column: TypedColumn) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Text, state and reason missing of each distinct value; a plain number has no text and no reason."""
    count = len(column.results)
    texts: list[str | None] = [None] * count
    states = np.where(column.states == State.ZERO, "zero", "value").astype(object)
    reasons: list[str | None] = [None] * count
    for entry, result in enumerate(column.results):
        if result is None:
            continue
        if isinstance(result, Invalid):
            states[entry] = "invalid"
            continue
        texts[entry], states[entry] = _text(result), result.state
        reasons[entry] = result.reason.value if isinstance(result, Missing) else None
    return pa.array(texts, pa.string()), pa.array(states, pa.string()), pa.array(reasons, pa.string())


def _text(value: Value) -> str | None:
    if isinstance(value, Observed) and not isinstance(value.value, int | float):
        return value.value.label if isinstance(value.value, Period) else str(value.value)
    return None


def _codes(checked: CheckedBatch, name: str) -> pa.Array:
    codes = checked.codes.get(name)
    return pa.array(codes if codes is not None else [None] * checked.batch.size, pa.string(), from_pandas=True)


def _years(checked: CheckedBatch) -> pa.Array:
    column = checked.columns.get("year")
    if column is None:
        return pa.nulls(checked.batch.size, pa.int64())
    years = [_year(column.result(entry)) for entry in range(len(column.results))]
    return pa.array(years, pa.int64()).take(pa.array(column.entry))


def _year(value: Value | Invalid) -> int | None:
    if isinstance(value, Observed):
        if isinstance(value.value, Period):
            return value.value.start
        if isinstance(value.value, int | float):
            return int(value.value)
    return None


def _dimensions(plan: Declaration, checked: CheckedBatch) -> pa.Array:
    """Each record's dimensions and attributes (country and year apart) as the JSON text of a dict."""
    names = [f.id for f in (*plan.dimensions, *plan.attributes) if f.id not in ("country", "year")]
    if not names:
        return pa.array(["{}"] * checked.batch.size, pa.string())
    parts = [_fragments(name, checked.columns[name]) for name in names]
    joined = pc.binary_join_element_wise(*parts, ", ")
    return pc.binary_join_element_wise("{", joined, "}", "")


def _fragments(name: str, column: TypedColumn) -> pa.Array:
    key = json.dumps(name)
    shown = [f"{key}: {json.dumps(_plain(column.result(entry)))}" for entry in range(len(column.results))]
    return pa.array(shown, pa.string()).take(pa.array(column.entry))


def _plain(value: Value | Invalid) -> object:
    if isinstance(value, Observed | Zero):
        inner = value.value
        return (
            inner.label if isinstance(inner, Period) else inner if isinstance(inner, int | float | str) else str(inner)
        )
    return None if isinstance(value, NotApplicable | Missing | Invalid) else str(value)
