"""Sightings: each substance an event found, with its date, source, country and classification, as the trend
tables count them. Only substances an early-warning list names (``watched_sources`` of ``alert_rules.toml``: the
new psychoactive substances) or new structures count; drug-checking finds of MDMA or cocaine do not."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Engine, func, select

from observatory.errors import BadInput
from observatory.ewa.chemistry import Family, NpsGroup
from observatory.ewa.chemistry.vocabulary import family_profiles
from observatory.ewa.events import EventKind, Origin
from observatory.store.ewa_schema import EwaEvent, EwaEventSubstance, EwaSubstance

UNCLASSIFIED = "unclassified"
#: The row of every group together.
ALL = "all"
#: Stores whose sightings stay in memory.
KEPT = 8
_RECENT: dict[tuple[str, tuple[int, int | None], frozenset[str]], tuple["Sighting", ...]] = {}


class Axis(StrEnum):
    """How substances are grouped: by chemical family or by UNODC NPS group."""

    FAMILY = "family"
    GROUP = "group"


def axis(value: str) -> Axis:
    try:
        return Axis(value)
    except ValueError:
        raise BadInput(
            f"group substances by 'family' or 'group', not {value!r}", [{"parameter": "by", "value": value}]
        ) from None


@dataclass(frozen=True, slots=True)
class Sighting:
    event_id: int
    day: date
    source: str
    kind: EventKind
    substance: str
    name: str
    family: str | None
    nps_group: str | None
    country: str | None

    def group(self, by: Axis) -> str:
        value = self.family if by is Axis.FAMILY else self.nps_group
        return value or UNCLASSIFIED


def group_label(by: Axis, value: str) -> str:
    """How a page names a family or group."""
    if value in (UNCLASSIFIED, ALL):
        return "Not classified" if value == UNCLASSIFIED else "All groups"
    if by is Axis.FAMILY:
        return family_profiles()[Family(value)].label
    return NpsGroup(value).label


def load_sightings(engine: Engine, watched: frozenset[str]) -> tuple[Sighting, ...]:
    """Every sighting of a watched substance (one an early-warning list in ``watched`` names, or a new
    structure), oldest first. Kept in memory until the store holds other events: the trend pages read them on
    every request."""
    key = (str(engine.url), _fingerprint(engine), watched)
    if key not in _RECENT:
        if len(_RECENT) >= KEPT:
            _RECENT.pop(next(iter(_RECENT)))
        _RECENT[key] = _read(engine, watched)
    return _RECENT[key]


def _fingerprint(engine: Engine) -> tuple[int, int | None]:
    with engine.connect() as connection:
        row = connection.execute(select(func.count(), func.max(EwaEventSubstance.id))).one()
    return int(row[0]), row[1]


def _read(engine: Engine, watched: frozenset[str]) -> tuple[Sighting, ...]:
    query = (
        select(
            EwaEvent.id,
            EwaEvent.occurred_on,
            EwaEvent.source_key,
            EwaEvent.kind,
            EwaSubstance.key,
            EwaSubstance.name,
            EwaSubstance.family,
            EwaSubstance.nps_group,
            EwaEvent.country_iso3,
            EwaSubstance.origin,
            EwaSubstance.sources,
        )
        .join(EwaEventSubstance, EwaEventSubstance.event_id == EwaEvent.id)
        .join(EwaSubstance, EwaSubstance.key == EwaEventSubstance.substance_key)
        .order_by(EwaEvent.occurred_on, EwaEvent.id, EwaSubstance.key)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return tuple(
        Sighting(event_id, day, source, EventKind(kind), key, name, family, group, country)
        for event_id, day, source, kind, key, name, family, group, country, origin, sources in rows
        if origin == Origin.STRUCTURE or watched.intersection(sources or ())
    )
