"""First-level areas of a national file checked against ISO 3166-2: a name the country does not have is reported
once, with the closest areas, and stored as written (the national figure still adds it in)."""

from collections.abc import Iterator, Sequence

from observatory.errors import ObservatoryError
from observatory.reference.admin_areas import closest_admin_areas, find_admin_area
from observatory.reporting.mapping.model import FileMapping
from observatory.reporting.readers.base import is_blank
from observatory.reporting.readers.records import LayoutIssue, Record

FIELD = "admin1"


def unknown_areas(mapping: FileMapping, records: Sequence[Record], sheet: str) -> Iterator[LayoutIssue]:
    country = mapping.constants.get("country")
    if country is None or FIELD not in mapping.columns.values():
        return
    seen: set[str] = set()
    for record in records:
        cell = record.cells.get(FIELD)
        if is_blank(cell) or str(cell) in seen:
            continue
        seen.add(str(cell))
        try:
            known = find_admin_area(country, str(cell))
        except ObservatoryError:
            return
        if known is not None:
            continue
        close = [area.name for area in closest_admin_areas(country, str(cell))]
        hint = f"; did you mean {', '.join(close)}? Map it under values.admin1" if close else ""
        position = record.positions.get(FIELD)
        message = f"{str(cell)!r} is not a first-level area of {country} (ISO 3166-2){hint}"
        yield LayoutIssue(
            "unknown-admin-area", sheet, record.row, position.heading if position else FIELD, str(cell), message
        )
