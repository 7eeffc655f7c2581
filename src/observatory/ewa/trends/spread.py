"""Emergence and spread of new psychoactive substances over the events (DOMAIN.md §1.4, §2; issue item 4).

Per year and group: substances seen for the first time (``new``), substances seen (``reported``), substances
seen that year and each of the ``run_years − 1`` years before (``persistent``: a run of at least ``run_years``
consecutive years), and the countries where any substance of the group was seen. Per substance: the countries
that reported it, each with its first date. A substance belongs to one group (its classification), and a year
counts a substance once however many events saw it. The ``all`` rows pool every group.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from observatory.errors import BadInput
from observatory.ewa.trends.sightings import ALL, Axis, Sighting

#: Bands of the number of countries that reported a substance: (fewest, most or None, label).
COUNTRY_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (1, 1, "1"),
    (2, 2, "2"),
    (3, 4, "3–4"),
    (5, 9, "5–9"),
    (10, None, "10 or more"),
)


@dataclass(frozen=True, slots=True)
class YearSpread:
    year: int
    group: str
    new: int
    reported: int
    persistent: int
    countries: int


@dataclass(frozen=True, slots=True)
class CountryBand:
    group: str
    band: str
    substances: int


@dataclass(frozen=True, slots=True)
class SubstanceSpread:
    substance: str
    name: str
    group: str
    first_seen: date
    last_seen: date
    years: tuple[int, ...]
    #: Each reporting country with the date it first reported the substance, earliest first.
    countries: tuple[tuple[str, date], ...] = field(default=())


def substance_spread(sightings: Iterable[Sighting], by: Axis) -> list[SubstanceSpread]:
    """Every substance's timeline: first and last sighting, the years it was seen, where and since when;
    the most widely reported first."""
    seen: dict[str, list[Sighting]] = defaultdict(list)
    for sighting in sightings:
        seen[sighting.substance].append(sighting)
    spreads = []
    for substance, found in seen.items():
        first_in: dict[str, date] = {}
        for sighting in found:
            if sighting.country and sighting.country not in first_in:
                first_in[sighting.country] = sighting.day
        days = [sighting.day for sighting in found]
        spreads.append(
            SubstanceSpread(
                substance,
                found[0].name,
                found[0].group(by),
                min(days),
                max(days),
                tuple(sorted({day.year for day in days})),
                tuple(sorted(first_in.items(), key=lambda item: (item[1], item[0]))),
            )
        )
    return sorted(spreads, key=lambda spread: (-len(spread.countries), spread.first_seen, spread.name))


def spread_by_year(sightings: Iterable[Sighting], by: Axis, run_years: int = 3) -> list[YearSpread]:
    """One row per year (first to last sighting) and group (those seen, then ``all``)."""
    if run_years < 1:
        raise BadInput(f"a run of consecutive years needs at least 1 year, not {run_years}", [{"value": run_years}])
    items = list(sightings)
    if not items:
        return []
    substances = substance_spread(items, by)
    new: Counter[tuple[int, str]] = Counter()
    reported: Counter[tuple[int, str]] = Counter()
    persistent: Counter[tuple[int, str]] = Counter()
    for spread in substances:
        years = set(spread.years)
        for key in _keys(spread.first_seen.year, spread.group):
            new[key] += 1
        for year in years:
            keys = _keys(year, spread.group)
            reported.update(keys)
            if all(year - back in years for back in range(1, run_years)):
                persistent.update(keys)
    countries: defaultdict[tuple[int, str], set[str]] = defaultdict(set)
    for sighting in items:
        if sighting.country:
            for key in _keys(sighting.day.year, sighting.group(by)):
                countries[key].add(sighting.country)
    groups = [*sorted({spread.group for spread in substances}), ALL]
    first, last = min(s.day.year for s in items), max(s.day.year for s in items)
    return [
        YearSpread(year, group, new[key], reported[key], persistent[key], len(countries[key]))
        for year in range(first, last + 1)
        for group in groups
        for key in [(year, group)]
    ]


def substances_by_countries(sightings: Iterable[Sighting], by: Axis) -> list[CountryBand]:
    """Per group (and ``all``) and band of :data:`COUNTRY_BANDS`: the substances that many countries reported.
    Substances seen only in events without a country are left out."""
    counts: Counter[tuple[str, str]] = Counter()
    groups: set[str] = set()
    for spread in substance_spread(sightings, by):
        groups.add(spread.group)
        band = country_band(len(spread.countries))
        if band is not None:
            counts.update([(spread.group, band), (ALL, band)])
    return [
        CountryBand(group, label, counts[(group, label)])
        for group in [*sorted(groups), ALL]
        for _, _, label in COUNTRY_BANDS
    ]


def country_band(countries: int) -> str | None:
    for fewest, most, label in COUNTRY_BANDS:
        if countries >= fewest and (most is None or countries <= most):
            return label
    return None


def _keys(year: int, group: str) -> list[tuple[int, str]]:
    return [(year, group), (year, ALL)]
