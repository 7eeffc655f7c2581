"""The schema check: each cell typed under its field, within its bounds, in its vocabulary, present if required.

A batch is checked column by column: each distinct cell is typed and bounded once, each distinct (text, year) is
looked up once, and a problem is written for each record whose cell has one. A drug name is stored as its
vocabulary code (table 7.1's spelling), and a sub-group or drug is checked against its group once per distinct pair.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as default

import numpy as np
import numpy.typing as npt

from observatory.reporting.declaration import Declaration, Field, ValueType
from observatory.reporting.readers.batches import Batch
from observatory.reporting.validation.cells import Invalid, is_plain_period
from observatory.reporting.validation.checked_batch import CheckedBatch, Coded
from observatory.reporting.validation.drug_hierarchy import check_drug_hierarchy
from observatory.reporting.validation.problems import Problem, problem
from observatory.reporting.validation.typed_columns import State, TypedCells, TypedColumn, type_column
from observatory.reporting.validation.vocabularies import AREA_NOT_NATIONAL, DATED, STORED_AS_CODE, Known, lookup
from observatory.reporting.values import Meaning, Observed, Period, Value, is_reported, number

#: A problem as found in a cell: code, message, suggestions.
Finding = tuple[str, str, tuple[str, ...]]
#: No year: the place is looked up as it is today.
NO_YEAR = -1
MAX_LOOKED_UP = 100_000
#: Up to this span of keys, the distinct (cell, year) keys are found by marking a table, not by sorting.
MAX_TABLE = 4_000_000
Indices = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Schema:
    """A declaration's fields with their spellings of "no value" (compared without case), built once per check,
    and the cells typed so far by field, which later batches of the same file reuse."""

    fields: tuple[Field, ...]
    markers: Mapping[str, Mapping[str, Meaning]]
    years: tuple[str, ...]
    typed: dict[str, TypedCells] = default(default_factory=dict)
    looked_up: dict[tuple[str, str, int], Known | Invalid] = default(default_factory=dict)
    #: Each field's column in the last batch, and its vocabulary entries by dictionary entry and year.
    columns: dict[str, TypedColumn] = default(default_factory=dict)
    entries: dict[str, "Entries"] = default(default_factory=dict)

    @classmethod
    def of(cls, declaration: Declaration) -> "Schema":
        markers = {
            field.id: {
                marker.strip().casefold(): meaning
                for marker, meaning in (field.missing_values or declaration.missing_values).items()
            }
            for field in declaration.all_fields()
        }
        years = tuple(field.id for field in declaration.dimensions if field.type is ValueType.YEAR)
        return cls(declaration.all_fields(), markers, years)


def check_batch(schema: Schema, batch: Batch) -> tuple[CheckedBatch, list[Problem]]:
    """``batch`` typed under ``schema``, and its problems in the order a record-by-record reading finds them."""
    found: list[tuple[int, int, int, Problem]] = []
    columns: dict[str, TypedColumn] = {}
    for order, field in enumerate(schema.fields):
        known = schema.typed.setdefault(field.id, {})
        previous = schema.columns.get(field.id)
        column = type_column(field, batch.distinct(field.id), schema.markers[field.id], known, previous)
        columns[field.id] = schema.columns[field.id] = column
        found.extend((index, 0, order, item) for index, item in _cell_problems(batch, column))
    checked = CheckedBatch(batch, columns)
    years = _years(checked, schema.years)
    for order, field in enumerate(schema.fields):
        if field.vocabulary is not None:
            found.extend((index, 1, order, item) for index, item in _vocabulary(schema, checked, field, years))
    last = len(schema.fields)
    found.extend((index, 1, last, item) for index, item in check_drug_hierarchy(schema.fields, checked))
    for index, links in batch.linked().items():
        found.extend((index, 2, 0, item) for item in _linked(batch, index, links))
    found.sort(key=lambda item: item[:3])
    return checked, [item[3] for item in found]


def _cell_problems(batch: Batch, column: TypedColumn) -> Iterator[tuple[int, Problem]]:
    field, states, numbers = column.field, column.states[:-1], column.numbers[:-1]
    flagged = states == State.INVALID
    if field.required or field.recommended:
        flagged |= states >= State.MISSING
    if field.type is ValueType.YEAR:
        flagged |= states == State.VALUE
    with np.errstate(invalid="ignore"):
        if field.min is not None:
            flagged |= numbers < field.min
        if field.max is not None:
            flagged |= numbers > field.max
    if flagged.any():
        # Cells kept from earlier batches may occur in no record of this one.
        flagged &= np.bincount(column.entry, minlength=len(flagged) + 1)[:-1] > 0
    findings = {entry: found for entry in np.flatnonzero(flagged).tolist() if (found := _findings(column, entry))}
    if not findings:
        return
    for index in np.flatnonzero(np.isin(column.entry, list(findings))).tolist():
        position, cell = batch.position(field.id, index), batch.cell(field.id, index)
        for code, message, suggestions in findings[int(column.entry[index])]:
            yield index, problem(code, position, cell, message, suggestions)


def _findings(column: TypedColumn, entry: int) -> list[Finding]:
    result = column.result(entry)
    if isinstance(result, Invalid):
        return [(result.code, result.message, result.suggestions)]
    return list(_bounds(column.field, result))


def _bounds(field: Field, value: Value) -> Iterator[Finding]:
    if not is_reported(value):
        if field.required:
            yield "missing-value", f"{field.title} is required. Write 0 if there was none.", ()
        elif field.recommended:
            yield "missing-recommended", f"{field.title} should be given; please add it", ()
        return
    if isinstance(value, Observed) and isinstance(value.value, Period) and not is_plain_period(value.value):
        period = value.value
        read = f"{period.start}" if period.start == period.end else f"{period.start}–{period.end}"
        yield "imprecise-year", f"{period.label!r} names several years; it is read as {read}", ()
    amount = number(value)
    if amount is None:
        return
    if field.min is not None and amount < field.min:
        code = "negative-quantity" if field.min == 0 else "out-of-range"
        yield code, f"{field.title} cannot be below {field.min:g}, but is {amount:,.10g}", ()
    if field.max is not None and amount > field.max:
        yield "out-of-range", f"{field.title} cannot be above {field.max:g}, but is {amount:,.10g}", ()


def _years(checked: CheckedBatch, names: tuple[str, ...]) -> np.ndarray:
    """The first year dimension's start in each record, or ``NO_YEAR``."""
    years = np.full(checked.batch.size, NO_YEAR, dtype=np.int64)
    for name in reversed(names):
        column = checked.columns[name]
        starts = np.array([_start(column, entry) for entry in range(len(column.results))], dtype=np.int64)
        row_starts = starts[column.entry]
        years = np.where(row_starts != NO_YEAR, row_starts, years)
    return years


def _start(column: TypedColumn, entry: int) -> int:
    result = column.results[entry]
    return result.value.start if isinstance(result, Observed) and isinstance(result.value, Period) else NO_YEAR


def _vocabulary(
    schema: Schema, checked: CheckedBatch, field: Field, years: np.ndarray
) -> Iterator[tuple[int, Problem]]:
    column = checked.columns[field.id]
    rows = np.flatnonzero(column.row_states() == State.VALUE)
    index = np.full(checked.batch.size, -1, dtype=np.int64)
    if not len(rows):
        checked.coded[field.id] = Coded([], index)
        checked.codes[field.id] = np.full(checked.batch.size, None, dtype=object)
        return
    # One key per (cell, year): the years met (or NO_YEAR) numbered from the first, ``span`` of them per cell.
    dated = years[rows] if field.vocabulary in DATED else np.full(len(rows), NO_YEAR)
    entries = Entries.of(schema.entries.get(field.id), column, int(dated.min()), int(dated.max()))
    schema.entries[field.id] = entries
    keys, inverse = _distinct(column.entry[rows] * entries.span + (dated - entries.first))
    items = entries.items(schema, field, column, keys)
    index[rows] = items[inverse]
    coded = Coded(entries.codes, index)
    checked.coded[field.id] = coded
    checked.codes[field.id] = coded.per_record()
    known = [entries.known[item] for item in items.tolist()] if field.vocabulary in STORED_AS_CODE else []
    if field.vocabulary in STORED_AS_CODE:
        checked.columns[field.id] = _stored_as_code(column, (keys // entries.span).tolist(), known)
    if not entries.flagged[items].any():
        return
    batch = checked.batch
    for row, pair in zip(rows.tolist(), index[rows].tolist(), strict=True):
        item = entries.known[pair]
        if not (isinstance(item, Invalid) or item.caveat):
            continue
        position, cell = batch.position(field.id, row), batch.cell(field.id, row)
        if isinstance(item, Known):
            yield row, problem(item.caveat_code, position, cell, _caveat_message(item))
            continue
        checked.refuse(field.id, row)
        yield row, problem(item.code, position, cell, item.message, item.suggestions)


@dataclass(slots=True)
class Entries:
    """A vocabulary field's entries for the cells of one origin (``Distinct.origin``) and the years
    ``first`` … ``first + span - 1``: ``table[cell * span + year - first]`` is the index of the cell's entry in
    ``known`` (-1 until looked up), ``codes`` and ``flagged`` (an unknown value or a caveat) go with ``known``.
    ``codes`` is only appended to, so ``Coded`` values of earlier batches stay right."""

    origin: object | None
    first: int
    span: int
    table: npt.NDArray[np.int64]
    known: list[Known | Invalid] = default(default_factory=list)
    codes: list[str | None] = default(default_factory=list)
    flagged: npt.NDArray[np.bool_] = default(default_factory=lambda: np.zeros(0, dtype=bool))
    by_key: dict[int, int] = default(default_factory=dict)

    @classmethod
    def of(cls, earlier: "Entries | None", column: TypedColumn, first: int, last: int) -> "Entries":
        """``earlier`` if it holds the cells of ``column`` in years ``first`` … ``last``, else new entries."""
        if earlier is None or column.origin is None or earlier.origin is not column.origin:
            return cls(column.origin, first, last - first + 1, np.full(0, -1, dtype=np.int64))
        if first < earlier.first or last >= earlier.first + earlier.span:
            first, last = min(first, earlier.first), max(last, earlier.first + earlier.span - 1)
            return cls(column.origin, first, last - first + 1, np.full(0, -1, dtype=np.int64))
        return earlier

    def items(self, schema: Schema, field: Field, column: TypedColumn, keys: Indices) -> Indices:
        """The index in ``known`` of each key, looking up the keys met for the first time. Keys are marked in a
        table up to ``MAX_TABLE`` of them, else found in a dict."""
        needed = int(keys.max()) + 1
        if needed > MAX_TABLE:
            found = [self.by_key.get(key, -1) for key in keys.tolist()]
            items = np.array(found, dtype=np.int64)
        else:
            if needed > len(self.table):
                grown = np.full(max(needed, 2 * len(self.table)), -1, dtype=np.int64)
                grown[: len(self.table)] = self.table
                self.table = grown
            items = self.table[keys]
        new = keys[items < 0].tolist()
        if not new:
            return items
        for key in new:
            item = _lookup(schema, field, column, key // self.span, key % self.span + self.first)
            self.by_key[key] = len(self.known)
            self.known.append(item)
            self.codes.append(item.code if isinstance(item, Known) else None)
        flags = [isinstance(item, Invalid) or bool(item.caveat) for item in self.known[len(self.flagged) :]]
        self.flagged = np.concatenate([self.flagged, np.array(flags, dtype=bool)])
        if needed > MAX_TABLE:
            return np.array([self.by_key[key] for key in keys.tolist()], dtype=np.int64)
        self.table[new] = [self.by_key[key] for key in new]
        return self.table[keys]


def _distinct(keys: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The distinct ``keys`` in order, and the index of each key among them: marked in a table of the keys' span
    when it is small, else sorted (as ``np.unique`` does)."""
    low = int(keys.min())
    span = int(keys.max()) - low + 1
    if span > MAX_TABLE:
        distinct, inverse = np.unique(keys, return_inverse=True)
        return distinct, inverse.ravel().astype(np.int64)
    occurring = np.zeros(span, dtype=bool)
    occurring[keys - low] = True
    rank = np.cumsum(occurring, dtype=np.int64) - 1
    return np.flatnonzero(occurring).astype(np.int64) + low, rank[keys - low]


def _caveat_message(item: Known) -> str:
    if item.caveat_code == AREA_NOT_NATIONAL:
        return f"{item.caveat}; it is kept apart from national totals"
    return item.caveat


def _stored_as_code(column: TypedColumn, entries: list[int], known: list[Known | Invalid]) -> TypedColumn:
    """``column`` with each value the vocabulary knows replaced by its code (the cells stay as the source gave
    them); the vocabularies in ``STORED_AS_CODE`` depend on no year, so each entry has one code."""
    results = list(column.results)
    for entry, item in zip(entries, known, strict=True):
        if isinstance(item, Known) and item.code != _text_of(column.result(entry)):
            results[entry] = Observed(item.code)
    return replace(column, results=results)


def _text_of(value: Value | Invalid) -> str:
    return str(value.value) if isinstance(value, Observed) else ""


def _lookup(schema: Schema, field: Field, column: TypedColumn, entry: int, year: int) -> Known | Invalid:
    """The vocabulary's entry for a cell in a year, looked up once per check (at most ``MAX_LOOKED_UP`` kept)."""
    key = (field.id, _text_of(column.result(entry)), year)
    found = schema.looked_up.get(key)
    if found is None:
        found = lookup(field, key[1], None if year == NO_YEAR else year)
        if len(schema.looked_up) < MAX_LOOKED_UP:
            schema.looked_up[key] = found
    return found


def _linked(batch: Batch, index: int, links: Mapping[str, str]) -> Iterator[Problem]:
    for field, formula in links.items():
        yield problem(
            "external-link-value",
            batch.position(field, index),
            batch.cell(field, index),
            f"the cell is a formula copying {formula} from another workbook; the value stored with the file may "
            "be out of date. Replace the formula by the value.",
        )
