"""Rows of an event file grouped into samples, each one event with every substance found in it.

Rows with one ``record`` are one sample; without a record column, rows with one ``url`` are; else each row is a
sample of its own. A sample without a readable date is left out and reported; a name no resolver knows is kept
as reported and counted as unresolved.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from observatory.ewa.events.model import EventKind, Found, NewEvent
from observatory.ewa.events.places import country_of, place_within
from observatory.ewa.events.substances import SubstanceEntry
from observatory.ewa.intake.dates import read_date
from observatory.ewa.intake.mapping import Mapping
from observatory.ewa.intake.names import NameResolver

SOLD_AS_ECSTASY = "MDMA"


@dataclass(slots=True)
class Samples:
    events: list[NewEvent] = field(default_factory=list)
    substances: dict[str, SubstanceEntry] = field(default_factory=dict)
    unresolved_rows: list[int] = field(default_factory=list)
    bad_dates: list[dict[str, Any]] = field(default_factory=list)
    without_substance: int = 0
    resolved_by: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def read_samples(
    rows: list[dict[str, str]], mapping: Mapping, source: str, kind: EventKind, names: NameResolver
) -> Samples:
    groups: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for number, row in enumerate(rows, start=2):
        groups[_record(mapping, row, number)].append((number, row))
    samples = Samples()
    for record, members in groups.items():
        first_number, first = members[0]
        when = read_date(mapping.value("date", first))
        if when is None:
            samples.bad_dates.append({"row": first_number, "value": mapping.value("date", first)})
            continue
        found, notes = _found(members, mapping, names, samples)
        if not found:
            samples.without_substance += 1
            continue
        event = _event(record, source, kind, when, found, notes, mapping, first)
        expected = names.resolve(event.sold_as).entry if event.sold_as else None
        if expected is not None:
            event = replace(event, misrepresented={item.key for item in found} != {expected.key})
        samples.events.append(event)
    return samples


def _record(mapping: Mapping, row: dict[str, str], number: int) -> str:
    if mapping.has("record"):
        return mapping.value("record", row) or f"row-{number}"
    if mapping.has("url") and mapping.value("url", row):
        return "url-" + hashlib.sha256(normal_url(mapping.value("url", row)).encode()).hexdigest()[:24]
    return f"row-{number}"


def normal_url(url: str) -> str:
    """A URL without scheme, ``www.``, trailing slash or case: two publications of one page compare equal."""
    text = url.strip().casefold()
    for prefix in ("https://", "http://", "www."):
        text = text.removeprefix(prefix)
    return text.rstrip("/")


def _found(
    members: list[tuple[int, dict[str, str]]], mapping: Mapping, names: NameResolver, samples: Samples
) -> tuple[tuple[Found, ...], list[str]]:
    shares: dict[str, float | None] = {}
    reported: dict[str, str] = {}
    notes: list[str] = []
    for number, row in members:
        name = mapping.value("substance", row)
        if not name:
            continue
        resolution = names.resolve(name)
        samples.resolved_by[resolution.how] += 1
        if resolution.entry is None:
            notes.append(name)
            continue
        if resolution.how == "unresolved":
            samples.unresolved_rows.append(number)
        key = resolution.entry.key
        samples.substances.setdefault(key, resolution.entry)
        share = _number(mapping.value("share", row))
        shares[key] = share if shares.get(key) is None else (shares[key] or 0.0) + (share or 0.0)
        reported.setdefault(key, name)
    return tuple(Found(key, reported[key], shares[key]) for key in shares), notes


def _event(
    record: str,
    source: str,
    kind: EventKind,
    when: tuple[Any, Any],
    found: tuple[Found, ...],
    notes: list[str],
    mapping: Mapping,
    row: dict[str, str],
) -> NewEvent:
    location = mapping.value("location", row)
    sold_as = mapping.value("sold_as", row) or (SOLD_AS_ECSTASY if mapping.value("sold_as_ecstasy", row) == "1" else "")
    country = mapping.value("country", row).upper() or None
    name = mapping.value("sample_name", row)
    note = "; ".join(
        ([f"sold under the name {name!r}"] if name else []) + ([f"also reported: {', '.join(notes)}"] if notes else [])
    )
    return NewEvent(
        source=source,
        record=record,
        kind=kind,
        occurred_on=when[0],
        date_precision=when[1],
        found=found,
        country=country if country and len(country) == 3 else country_of(location) if location else None,
        place=place_within(location) if location else None,
        latitude=_number(mapping.value("latitude", row)),
        longitude=_number(mapping.value("longitude", row)),
        sold_as=sold_as or None,
        reporter=mapping.value("reporter", row) or None,
        note=note or None,
        url=mapping.value("url", row) or None,
    )


def _number(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None
