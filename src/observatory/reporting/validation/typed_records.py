"""A record whose cells have been typed under the declaration: values by field, vocabulary codes by field."""

from collections.abc import Mapping
from dataclasses import dataclass

from observatory.reporting.readers.records import Position, Record
from observatory.reporting.values import Value


@dataclass(frozen=True, slots=True)
class Checked:
    """A record as validated.

    ``values`` holds every declared field whose cell is valid (``Missing(not-collected)`` where the layout has no
    column for the field); a field whose cell is invalid is absent, and the report says why. ``codes`` holds the
    vocabulary code of country, unit and drug fields (ISO3, unit code, WDR 7.1 spelling; a drug field's value is
    that spelling too).
    """

    record: Record
    values: Mapping[str, Value]
    codes: Mapping[str, str]

    @property
    def row(self) -> int:
        return self.record.row

    def position(self, field: str) -> Position | None:
        return self.record.positions.get(field)
