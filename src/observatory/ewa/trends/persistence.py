"""Persistence: are substances still reported N years after they were first seen? (DOMAIN.md §2: the EU EWS and
UNODC EWA report how long new substances stay on the market.)

A cohort is the substances first seen in one year. For each later year up to ``horizon`` years after, the share
of the cohort seen again that year. A first identification is by nature reported once: only the other kinds of
event (drug checking, seizures, samples, cases) can see a substance again, so a year is observed up to the last
event of those kinds, and a later year gets no row, since an absence there says nothing.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from observatory.errors import BadInput
from observatory.ewa.events import EventKind
from observatory.ewa.trends.sightings import Sighting


@dataclass(frozen=True, slots=True)
class Persistence:
    """Of ``substances`` first seen in ``cohort`` (every cohort when it is ``None``), ``still_reported`` were seen
    again ``years_after`` years later."""

    cohort: int | None
    years_after: int
    substances: int
    still_reported: int

    @property
    def share(self) -> float | None:
        return self.still_reported / self.substances if self.substances else None


def persistence_by_cohort(sightings: Iterable[Sighting], horizon: int = 5) -> list[Persistence]:
    """One row per cohort and observed year after it, 1 … ``horizon``."""
    cohorts, last = _cohorts(sightings, horizon)
    return [
        Persistence(cohort, after, len(members), sum(1 for years in members if cohort + after in years))
        for cohort, members in sorted(cohorts.items())
        for after in range(1, horizon + 1)
        if cohort + after <= last
    ]


def persistence_pooled(sightings: Iterable[Sighting], horizon: int = 5) -> list[Persistence]:
    """Every cohort pooled: per year after, the substances whose year is observed and how many were seen then."""
    rows = persistence_by_cohort(sightings, horizon)
    return [
        Persistence(
            None,
            after,
            sum(row.substances for row in rows if row.years_after == after),
            sum(row.still_reported for row in rows if row.years_after == after),
        )
        for after in range(1, horizon + 1)
    ]


def observed_until(sightings: Iterable[Sighting]) -> int | None:
    """The last year an event that can see a substance again (not a first identification) happened."""
    years = [s.day.year for s in sightings if s.kind is not EventKind.FIRST_IDENTIFICATION]
    return max(years, default=None)


def _cohorts(sightings: Iterable[Sighting], horizon: int) -> tuple[dict[int, list[set[int]]], int]:
    if horizon < 1:
        raise BadInput(f"persistence needs a horizon of at least 1 year, not {horizon}", [{"value": horizon}])
    items = list(sightings)
    years: defaultdict[str, set[int]] = defaultdict(set)
    for sighting in items:
        years[sighting.substance].add(sighting.day.year)
    cohorts: defaultdict[int, list[set[int]]] = defaultdict(list)
    for seen in years.values():
        cohorts[min(seen)].append(seen)
    return dict(cohorts), observed_until(items) or 0
