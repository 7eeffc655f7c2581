"""Records in columns: for each field, the distinct cells of a run of records and which one each record holds.

Validation types each distinct cell once and checks whole columns, whatever the reader: a ``RecordBatch`` wraps
records read row by row (workbooks, JSON, SDMX, irregular text), ``readers.csv_columns.ColumnBatch`` a block of
delimited text parsed by Arrow.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from observatory.reporting.readers.records import Position, Record
from observatory.reporting.workbook import Cell

Indices = npt.NDArray[np.int64]
#: ``Distinct.entry`` of a record that has no cell for the field (the layout has no column for it).
ABSENT = -1


@dataclass(frozen=True, slots=True)
class Distinct:
    """A field's distinct cells (an Arrow string array or a list), the decimal mark each is read with, and for
    each record the index of its cell, or ``ABSENT``.

    Cells may outlive a batch: the ``Distinct`` of later batches with the same ``origin`` (not ``None``) hold the
    same cells at the same indices, then more after them, so what was worked out for a cell of an earlier batch
    holds for it in later ones. Some of the cells may then occur in no record of this batch."""

    cells: Any
    decimals: Sequence[str]
    entry: Indices
    origin: object | None = None


class Batch(ABC):
    """A run of records; ``rows`` holds the row number of each (the line or spreadsheet row a person sees)."""

    rows: Indices

    @property
    def size(self) -> int:
        return len(self.rows)

    @abstractmethod
    def distinct(self, field: str) -> Distinct: ...

    @abstractmethod
    def position(self, field: str, index: int) -> Position | None: ...

    @abstractmethod
    def cell(self, field: str, index: int) -> Cell: ...

    @abstractmethod
    def record(self, index: int) -> Record: ...

    @abstractmethod
    def sheets(self) -> Sequence[str]:
        """The sheet of each record."""

    @abstractmethod
    def references(self, field: str) -> pa.Array:
        """Where each record's cell of ``field`` is, as a spreadsheet names it ("E12"); null if nowhere."""

    def linked(self) -> Mapping[int, Mapping[str, str]]:
        """The records (by index) with cells copied by formula from another workbook: field → formula."""
        return {}


class RecordBatch(Batch):
    """Records read row by row, as columns."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.records = records
        self.rows = np.fromiter((record.row for record in records), dtype=np.int64, count=len(records))

    def distinct(self, field: str) -> Distinct:
        return self._distinct[field] if field in self._distinct else Distinct([], [], np.full(self.size, ABSENT))

    @cached_property
    def _distinct(self) -> dict[str, Distinct]:
        found: dict[str, tuple[dict[tuple[str, type, Cell], int], list[Cell], list[str], Indices]] = {}
        for index, record in enumerate(self.records):
            for field, cell in record.cells.items():
                if field not in found:
                    found[field] = ({}, [], [], np.full(self.size, ABSENT))
                known, cells, decimals, entry = found[field]
                # The type is part of the key: 1, 1.0 and True are equal as dictionary keys but not as cells.
                key = (record.decimal, type(cell), cell)
                if key not in known:
                    known[key] = len(cells)
                    cells.append(cell)
                    decimals.append(record.decimal)
                entry[index] = known[key]
        return {field: Distinct(cells, decimals, entry) for field, (_, cells, decimals, entry) in found.items()}

    def position(self, field: str, index: int) -> Position | None:
        return self.records[index].positions.get(field)

    def cell(self, field: str, index: int) -> Cell:
        return self.records[index].cells.get(field)

    def record(self, index: int) -> Record:
        return self.records[index]

    def sheets(self) -> Sequence[str]:
        return [record.sheet for record in self.records]

    def references(self, field: str) -> pa.Array:
        positions = (record.positions.get(field) for record in self.records)
        return pa.array([position.reference if position else None for position in positions], pa.string())

    def linked(self) -> Mapping[int, Mapping[str, str]]:
        return {index: record.linked for index, record in enumerate(self.records) if record.linked}
