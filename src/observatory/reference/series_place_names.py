"""Place names that published statistical series use outside the years the place existed, as those series' own
convention (``datasets/reference/series_place_names.csv``, each with its source). A name read through one is
accepted with a warning naming the convention, never silently."""

import csv
from dataclasses import dataclass
from functools import cache

from observatory.datasets import DATASETS

SERIES_NAMES = DATASETS / "reference" / "series_place_names.csv"

__all__ = ["SeriesName", "series_name"]


@dataclass(frozen=True, slots=True)
class SeriesName:
    name: str
    code: str
    from_year: int
    to_year: int
    source: str
    note: str


@cache
def _names() -> dict[str, tuple[SeriesName, ...]]:
    found: dict[str, list[SeriesName]] = {}
    with SERIES_NAMES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            entry = SeriesName(
                row["name"], row["code"], int(row["from_year"]), int(row["to_year"]), row["source"], row["note"]
            )
            found.setdefault(row["name"].casefold(), []).append(entry)
    return {name: tuple(entries) for name, entries in found.items()}


def series_name(name: str, year: int) -> SeriesName | None:
    """The series convention that reads ``name`` in ``year``, if one does."""
    for entry in _names().get(name.strip().casefold(), ()):
        if entry.from_year <= year <= entry.to_year:
            return entry
    return None
