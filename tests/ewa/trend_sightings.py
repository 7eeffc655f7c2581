"""Hand-made sightings for the trend tests: a substance, its group and where and when events saw it."""

from datetime import date
from itertools import count

from observatory.ewa.events import EventKind
from observatory.ewa.trends import Sighting

NUMBERS = count(1)
FIRST = EventKind.FIRST_IDENTIFICATION
CHECK = EventKind.DRUG_CHECKING


def sighting(
    day: str,
    substance: str,
    family: str | None = "cathinones",
    country: str | None = "SVN",
    kind: EventKind = CHECK,
    source: str = "checks",
    event: int | None = None,
) -> Sighting:
    when = date.fromisoformat(day)
    number = event if event is not None else next(NUMBERS)
    group = {"cathinones": "synthetic_cathinones", "opioids": "other_nps"}.get(family or "")
    return Sighting(number, when, source, kind, substance, substance.title(), family, group, country)
