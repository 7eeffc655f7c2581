"""The country of a place as drug-checking services write it: "Zurich, Switzerland", "Oakland, CA", "Online".

The last comma-separated part names the country, unless ``places.csv`` lists it: US state and Canadian province
codes (which would otherwise read as the ISO codes of Canada or Laos), spellings the country look-up cannot
know, and places that are no country at all ("Online", "Europe"), which give none.
"""

import csv
from functools import cache
from pathlib import Path

from observatory.errors import BadInput
from observatory.ewa.events.sources import PLACES
from observatory.reference.geography import resolve_country


@cache
def place_aliases(path: Path = PLACES) -> dict[str, str | None]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["name"].casefold(): row["iso3"] or None for row in csv.DictReader(handle)}


def country_of(location: str) -> str | None:
    """The ISO 3166 alpha-3 code of the country ``location`` is in, or ``None`` when it names none."""
    parts = [part.strip() for part in location.split(",") if part.strip()]
    return _country(parts[-1]) if parts else None


def place_within(location: str) -> str | None:
    """The location when it says more than the country ("Zurich, Switzerland"), else ``None``."""
    text = " ".join(location.split())
    return text if "," in text else None


@cache
def _country(name: str) -> str | None:
    aliases = place_aliases()
    if name.casefold() in aliases:
        return aliases[name.casefold()]
    try:
        return resolve_country(name).iso3
    except BadInput:
        return None
