"""The one place that decides how a file is read: delimited text in columns, streamed, whenever its layout is a
plain table; anything else (workbooks, JSON, SDMX, filled-down or grouped layouts, irregular text) row by row.

Either way the result is a ``Reading``: the layout issues, which layout read which sheet, and the records in
batches, which may be iterated again (a submission is checked in a first pass and stored in a second).
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from observatory.reporting.readers import CsvReader, Limits, Source, reader_for
from observatory.reporting.readers.batches import Batch, RecordBatch
from observatory.reporting.readers.binding import bind
from observatory.reporting.readers.layouts import Layout
from observatory.reporting.readers.records import Bound, LayoutIssue
from observatory.reporting.readers.text_table import plan_text


class Reading(Protocol):
    @property
    def issues(self) -> tuple[LayoutIssue, ...]: ...

    @property
    def layouts(self) -> Mapping[str, str]: ...

    @property
    def several_sheets(self) -> bool: ...

    def batches(self) -> Iterator[Batch]: ...


@dataclass(frozen=True, slots=True)
class RecordReading:
    """A file read whole, row by row: its records in one batch."""

    source: Source
    bound: Bound

    @property
    def issues(self) -> tuple[LayoutIssue, ...]:
        return self.bound.issues

    @property
    def layouts(self) -> Mapping[str, str]:
        return self.bound.layouts

    @property
    def several_sheets(self) -> bool:
        return len({record.sheet for record in self.bound.records}) > 1

    def batches(self) -> Iterator[Batch]:
        if self.bound.records:
            yield RecordBatch(self.bound.records)


def open_reading(
    data: bytes,
    name: str,
    layouts: Sequence[Layout],
    only: str | None = None,
    limits: Limits | None = None,
    columns: bool = True,
) -> Reading:
    """How ``data`` is read: in columns if ``columns`` and the text allows it, else row by row.

    Raises ``NoReaderFound``, and ``UnreadableFile`` or ``RefusedFile`` for a file that cannot or may not be read;
    iterating a column reading raises ``IrregularText`` when a record does not fit the header (read it again with
    ``columns=False``).
    """
    reader = reader_for(data, name, limits)
    if columns and type(reader) is CsvReader:
        reading = plan_text(data, name, layouts, only, reader)
        if reading is not None:
            return reading
    source = reader.read(data, name)
    return RecordReading(source, bind(source, layouts, only))
