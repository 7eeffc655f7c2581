"""Rows that repeat: identical in every field (``duplicate-row``), or the same key with other values
(``duplicate-key``). Country and unit fields compare by code, so "Türkiye" and "Turkey" are one key.

Rows are judged on the fields that are stored, never on columns the reading leaves aside, and a record without a
cell for any element (the file has no column for its values) stores nothing and repeats nothing: the missing column
is the one problem to report. Without this, every row of a file whose columns were not read looked
like a repeat of the first.

Each record's comparable value of each field is kept as one integer: the bits of its number, or the index of its
other comparable value (text, state, code) among those met so far. Records whose row or key hashes collide are then
compared exactly, in file order, so a file of a million records keeps a few integers per record and no more.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from observatory.reporting.declaration import Declaration, Severity
from observatory.reporting.readers.records import Position
from observatory.reporting.validation.cells import Invalid
from observatory.reporting.validation.checked_batch import CheckedBatch
from observatory.reporting.validation.problems import Problem, problem
from observatory.reporting.validation.typed_columns import State, TypedColumn
from observatory.reporting.values import Value, value_json

Keys = npt.NDArray[np.int64]
#: Other comparable values are numbered inside the NaN range of float bits, which no number takes.
OTHER = np.int64(0x7FF8_0000_0000_0001)
MIX = np.uint64(0x9E37_79B9_7F4A_7C15)
#: Buckets of at most 2**BUCKET_BITS are counted to find colliding hashes; up to SORTED records are then sorted.
BUCKET_BITS = 22
SORTED = 4096


@dataclass(slots=True)
class Duplicates:
    """Collects each batch's comparable values; ``problems`` then lists the repeated rows and keys. ``hash_bits``
    below 64 keeps fewer bits of each hash (tests make hashes collide with it; the result is the same)."""

    declaration: Declaration
    hash_bits: int = 64
    _known: dict[str, dict[object, int]] = field(default_factory=dict)
    _results: dict[str, dict[int, tuple[object, np.int64]]] = field(default_factory=dict)
    #: Per field, the comparable values of the cells of one origin (``TypedColumn.origin``) found so far.
    _entries: dict[str, tuple[object, Keys]] = field(default_factory=dict)
    #: Per field, the codes numbered so far and their numbers (0 where there is no code).
    _codes: dict[str, tuple[list[str | None], Keys, npt.NDArray[np.bool_]]] = field(default_factory=dict)
    _keys: list[Keys] = field(default_factory=list)
    _hashes: list[npt.NDArray[np.uint64]] = field(default_factory=list)
    _rows: list[npt.NDArray[np.int64]] = field(default_factory=list)
    _sheets: list[npt.NDArray[np.object_]] = field(default_factory=list)
    _stored: list[npt.NDArray[np.bool_]] = field(default_factory=list)

    @property
    def _key(self) -> list[int]:
        every = [f.id for f in self.declaration.all_fields()]
        return [every.index(name) for name in self.declaration.uniqueness.key] if self.declaration.uniqueness else []

    def add(self, checked: CheckedBatch) -> None:
        names = [f.id for f in self.declaration.all_fields()]
        # Column by column into a Fortran-ordered array: each column is contiguous, as ``_hashed`` reads them.
        keys = np.empty((checked.batch.size, len(names)), dtype=np.int64, order="F")
        for column, name in enumerate(names):
            keys[:, column] = self._comparable(checked, name)
        self._keys.append(keys)
        mask = np.uint64((1 << self.hash_bits) - 1)
        self._hashes.append(np.stack([_hashed(keys), _hashed(keys[:, self._key])], axis=1) & mask)
        self._rows.append(checked.batch.rows)
        self._sheets.append(np.array(checked.batch.sheets(), dtype=object))
        self._stored.append(_stored(self.declaration, checked))

    def problems(self) -> Iterator[Problem]:
        if not self._keys:
            return
        hashes, rows, sheets = np.concatenate(self._hashes), np.concatenate(self._rows), np.concatenate(self._sheets)
        starts = np.cumsum([0, *(len(keys) for keys in self._keys)])
        uniqueness = self.declaration.uniqueness
        key = self._key
        exact = uniqueness.duplicates if uniqueness else Severity.WARNING
        conflict = uniqueness.severity if uniqueness else Severity.ERROR
        candidates = _colliding(hashes[:, 0]) | (_colliding(hashes[:, 1]) if key else False)
        candidates &= np.concatenate(self._stored)
        first_row: dict[bytes, int] = {}
        first_key: dict[bytes, int] = {}
        titles = ", ".join(self.declaration.all_fields()[column].title for column in key)
        for index in np.flatnonzero(candidates).tolist():
            batch = int(np.searchsorted(starts, index, side="right")) - 1
            keys = self._keys[batch][index - starts[batch]]
            earlier = first_row.setdefault(keys.tobytes(), index)
            if earlier != index:
                yield _problem("duplicate-row", rows, sheets, index, earlier, "repeats exactly", exact)
                continue
            if not key:
                continue
            earlier = first_key.setdefault(keys[key].tobytes(), index)
            if earlier != index:
                what = f"has the same {titles} as, but other values than,"
                yield _problem("duplicate-key", rows, sheets, index, earlier, what, conflict)

    def _comparable(self, checked: CheckedBatch, name: str) -> Keys:
        known = self._known.setdefault(name, {})
        column = checked.columns[name]
        keys = self._entry_keys(column, known)[column.entry]
        kept = checked.kept(name)
        for index in np.flatnonzero(~kept).tolist():
            keys[index] = _number_of(known, ("invalid", repr(checked.batch.cell(name, index))))
        coded = checked.coded.get(name)
        if coded is not None and coded.values:
            numbers, valid = self._code_numbers(name, coded.values, known)
            keys = np.where(valid[coded.index], numbers[coded.index], keys)
        return keys

    def _entry_keys(self, column: TypedColumn, known: dict[object, int]) -> Keys:
        """The comparable value of each distinct cell of ``column``; those of cells of the same origin met in
        earlier batches are kept, so each distinct cell is numbered once per file."""
        name, count = column.field.id, len(column.results)
        earlier = self._entries.get(name)
        start = 0
        if earlier is not None and column.origin is not None and earlier[0] is column.origin:
            start = min(len(earlier[1]), count - 1)
        numbers, states = column.numbers[start:], column.states[start:]
        numeric = ((states == State.VALUE) | (states == State.ZERO)) & ~np.isnan(numbers)
        bits = np.where(numeric, numbers + 0.0, 0.0).view(np.int64)
        results = self._results.setdefault(name, {})
        others = np.flatnonzero(~numeric)
        found: list[np.int64] = []
        for entry in (others + start).tolist():
            result = column.result(entry)
            # By identity first: the typed cells of earlier batches come back as the same objects.
            seen = results.get(id(result))
            if seen is not None and seen[0] is result:
                found.append(seen[1])
                continue
            if isinstance(result, Invalid):
                found.append(_number_of(known, ("invalid", repr(column.cell(entry)))))
                continue
            number = _number_of(known, _shown(result))
            results[id(result)] = (result, number)
            found.append(number)
        if found:
            bits[others] = found
        if start:
            assert earlier is not None
            bits = np.concatenate([earlier[1][:start], bits])
        # The last entry (records without the cell) is not kept: its comparable value is worked out each time.
        self._entries[name] = (column.origin, bits[:-1])
        return bits

    def _code_numbers(
        self, name: str, codes: list[str | None], known: dict[object, int]
    ) -> tuple[Keys, npt.NDArray[np.bool_]]:
        """The number of each code (0 if none, then not valid), and one more for records without a code."""
        earlier = self._codes.get(name)
        done = 0
        if earlier is not None and len(earlier[0]) <= len(codes) and codes[: len(earlier[0])] == earlier[0]:
            done = len(earlier[0])
        new = codes[done:]
        numbers = np.array([_number_of(known, code) if code else 0 for code in new], dtype=np.int64)
        valid = np.array([bool(code) for code in new], dtype=bool)
        if done:
            assert earlier is not None
            numbers, valid = np.concatenate([earlier[1][:done], numbers]), np.concatenate([earlier[2][:done], valid])
        self._codes[name] = (list(codes), numbers, valid)
        return np.append(numbers, 0), np.append(valid, False)


def _stored(declaration: Declaration, checked: CheckedBatch) -> npt.NDArray[np.bool_]:
    """Which records store a value: those with a cell for at least one element. (A required dimension may lack its
    column where the layout lets the platform fill it, as the drug group from the drug in SDMX files.)"""
    elements = [f.id for f in declaration.elements]
    if not elements:
        return np.ones(checked.batch.size, dtype=bool)
    stored: npt.NDArray[np.bool_] = np.logical_or.reduce([~_absent(checked, name) for name in elements])
    return stored


def _absent(checked: CheckedBatch, name: str) -> npt.NDArray[np.bool_]:
    """The records without a cell for ``name``: ``type_column`` points them at its last result, not collected."""
    column = checked.columns[name]
    absent: npt.NDArray[np.bool_] = column.entry == len(column.results) - 1
    return absent


def _number_of(known: dict[object, int], value: object) -> np.int64:
    return OTHER + known.setdefault(value, len(known))


def _shown(result: Value) -> object:
    shown = value_json(result)
    text = shown.get("value")
    return (shown["state"], " ".join(text.split()).casefold() if isinstance(text, str) else text)


def _hashed(keys: Keys) -> npt.NDArray[np.uint64]:
    hashed = np.zeros(len(keys), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in keys.T:
            hashed = (hashed ^ column.view(np.uint64)) * MIX
            hashed ^= hashed >> np.uint64(29)
    return hashed


def _colliding(hashed: npt.NDArray[np.uint64]) -> npt.NDArray[np.bool_]:
    """The records whose hash another record shares. Records are counted into buckets by a slice of their hash's
    bits, a few times over other slices: a record alone in its bucket shares its hash with no one. The few left
    are then compared by sorting."""
    colliding = np.zeros(len(hashed), dtype=bool)
    candidates = np.arange(len(hashed))
    bits = max(1, min(BUCKET_BITS, len(hashed).bit_length() + 2))
    for shift in range(0, 64 - bits + 1, bits):
        if len(candidates) <= SORTED:
            break
        bucket = ((hashed[candidates] >> np.uint64(shift)) & np.uint64((1 << bits) - 1)).astype(np.intp)
        candidates = candidates[np.bincount(bucket, minlength=1 << bits)[bucket] > 1]
    if len(candidates):
        _, inverse, counts = np.unique(hashed[candidates], return_inverse=True, return_counts=True)
        colliding[candidates[counts[inverse.ravel()] > 1]] = True
    return colliding


def _problem(
    code: str,
    rows: npt.NDArray[np.int64],
    sheets: npt.NDArray[np.object_],
    index: int,
    earlier: int,
    what: str,
    severity: Severity,
) -> Problem:
    row, earlier_row = int(rows[index]), int(rows[earlier])
    place = f"row {earlier_row}" if sheets[earlier] == sheets[index] else f"{sheets[earlier]!r} row {earlier_row}"
    position = Position(sheets[index], row, None, "")
    message = f"this row {what} {place}. Remove one, or correct the values that differ."
    return problem(code, position, None, message, severity=severity)
