"""The trend tables in the shapes the API, pages and command line share: rows of plain values with the
definitions that say what each column counts."""

from dataclasses import asdict
from typing import Any

from observatory.ewa.alerts.wording import country_name
from observatory.ewa.trends.persistence import Persistence, observed_until, persistence_by_cohort, persistence_pooled
from observatory.ewa.trends.sightings import Axis, Sighting, group_label
from observatory.ewa.trends.spread import spread_by_year, substance_spread, substances_by_countries

SOURCE = (
    "Early-warning events in the store: first identifications (Slovenian National Forensic Laboratory, CFSRE NPS "
    "Discovery) and drug-checking results; substances an early-warning list names or new structures only"
)


def spread_view(sightings: tuple[Sighting, ...], by: Axis, run_years: int) -> dict[str, Any]:
    rows = [{**asdict(row), "label": group_label(by, row.group)} for row in spread_by_year(sightings, by, run_years)]
    return {
        "by": str(by),
        "run_years": run_years,
        "results": rows,
        "meta": {
            "source": SOURCE,
            "columns": {
                "new": "substances seen for the first time in any event that year",
                "reported": "substances seen in at least one event that year",
                "persistent": f"substances seen that year and in each of the {run_years - 1} years before",
                "countries": "countries where an event saw a substance of the group that year",
            },
        },
    }


def countries_view(sightings: tuple[Sighting, ...], by: Axis) -> dict[str, Any]:
    rows = [{**asdict(row), "label": group_label(by, row.group)} for row in substances_by_countries(sightings, by)]
    note = "substances by the number of countries whose events saw them; events without a country are left out"
    return {"by": str(by), "results": rows, "meta": {"source": SOURCE, "note": note}}


def persistence_view(sightings: tuple[Sighting, ...], horizon: int, by_cohort: bool) -> dict[str, Any]:
    rows = persistence_by_cohort(sightings, horizon) if by_cohort else persistence_pooled(sightings, horizon)
    note = (
        "of the substances first seen in a year (the cohort), the share seen again N years later; a year counts "
        "only up to the last event that can see a substance again (not a first identification)"
    )
    meta = {"note": note, "observed_until": observed_until(sightings)}
    return {"horizon": horizon, "results": [_persistence_row(row) for row in rows], "meta": meta}


def substances_view(sightings: tuple[Sighting, ...], by: Axis, limit: int, offset: int = 0) -> dict[str, Any]:
    spreads = substance_spread(sightings, by)
    rows = [
        {
            "substance": spread.substance,
            "name": spread.name,
            "group": spread.group,
            "label": group_label(by, spread.group),
            "first_seen": spread.first_seen.isoformat(),
            "last_seen": spread.last_seen.isoformat(),
            "years": list(spread.years),
            "countries": [
                {"country": country, "name": country_name(country), "first_seen": day.isoformat()}
                for country, day in spread.countries
            ],
        }
        for spread in spreads[offset : offset + limit]
    ]
    return {"by": str(by), "results": rows, "meta": {"total": len(spreads), "limit": limit, "source": SOURCE}}


def _persistence_row(row: Persistence) -> dict[str, Any]:
    return {**asdict(row), "share": row.share}
