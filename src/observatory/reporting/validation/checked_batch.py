"""A batch after the schema check: each field's typed column, the vocabulary codes, and which values were kept."""

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from observatory.reporting.readers.batches import Batch
from observatory.reporting.validation.cells import Invalid
from observatory.reporting.validation.typed_columns import State, TypedColumn
from observatory.reporting.validation.typed_records import Checked
from observatory.reporting.values import Value

Mask = npt.NDArray[np.bool_]


def given(codes: npt.NDArray[np.object_]) -> Mask:
    """Where ``codes`` holds a code (an empty one included), not ``None``."""
    return np.fromiter((code is not None for code in codes.tolist()), dtype=np.bool_, count=len(codes))


@dataclass(frozen=True, slots=True)
class Coded:
    """A vocabulary field's codes as a dictionary: ``values`` (``None`` where the vocabulary knew no code; a code
    may repeat) and, for each record, the index of its code among them, or -1 where it has none."""

    values: list[str | None]
    index: npt.NDArray[np.int64]

    def per_record(self) -> npt.NDArray[np.object_]:
        """Each record's code, or ``None``."""
        table = np.array([*self.values, None], dtype=object)
        codes: npt.NDArray[np.object_] = table[self.index]
        return codes


@dataclass(slots=True)
class CheckedBatch:
    """``columns`` holds every declared field; ``codes`` the vocabulary code of each record's country, unit or drug
    name (``None`` where there is none), and ``coded`` the same codes as a dictionary (``Coded``). A value is kept
    unless its cell is invalid or its vocabulary refused it."""

    batch: Batch
    columns: dict[str, TypedColumn]
    codes: dict[str, npt.NDArray[np.object_]] = field(default_factory=dict)
    coded: dict[str, Coded] = field(default_factory=dict)
    refused: dict[str, Mask] = field(default_factory=dict)
    _numbers: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)

    def refuse(self, name: str, index: int) -> None:
        self.refused.setdefault(name, np.zeros(self.batch.size, dtype=bool))[index] = True
        self._numbers.pop(name, None)

    def kept(self, name: str) -> Mask:
        kept: Mask = self.columns[name].row_states() != State.INVALID
        return kept & ~self.refused[name] if name in self.refused else kept

    def numbers(self, name: str) -> npt.NDArray[np.float64]:
        """Each record's value of ``name`` as a number; NaN where it is not one or was not kept."""
        if name not in self._numbers:
            self._numbers[name] = np.where(self.kept(name), self.columns[name].row_numbers(), np.nan)
        return self._numbers[name]

    def reported(self, name: str) -> Mask:
        states = self.columns[name].row_states()
        reported: Mask = self.kept(name) & ((states == State.VALUE) | (states == State.ZERO))
        return reported

    def code(self, name: str, index: int) -> str | None:
        codes = self.codes.get(name)
        return None if codes is None else codes[index]

    def value(self, name: str, index: int) -> Value | None:
        if name in self.refused and self.refused[name][index]:
            return None
        result = self.columns[name].value(index)
        return None if isinstance(result, Invalid) else result

    def checked(self, index: int) -> Checked:
        """The record ``index`` as record-by-record validation sees it."""
        values = {name: value for name in self.columns if (value := self.value(name, index)) is not None}
        codes = {name: code for name in self.codes if (code := self.code(name, index)) is not None}
        return Checked(self.batch.record(index), values, codes)

    def records(self) -> list[Checked]:
        return [self.checked(index) for index in range(self.batch.size)]
