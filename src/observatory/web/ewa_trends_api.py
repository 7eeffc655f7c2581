"""Trends over the early-warning events on the API (``/api/v1/ewa``, included by ``ewa_api``): emergence and spread
per year and group, substances by the number of countries reporting them, each substance's timeline, persistence,
and the improved Farrington algorithm per substance group."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from observatory.ewa.trends import axis, group_signal_report, watched_sightings
from observatory.ewa.trends.views import countries_view, persistence_view, spread_view, substances_view
from observatory.web.deps import Records, reject_unknown_parameters
from observatory.web.params import Count

router = APIRouter(dependencies=[Depends(reject_unknown_parameters)])
By = Annotated[str, Query(description="family (chemical family) or group (UNODC NPS group)")]


@router.get("/spread")
def spread(
    records: Records,
    by: By = "family",
    run_years: Annotated[int, Query(ge=1, le=30, description="consecutive years that make a substance persistent")] = 3,
) -> dict[str, Any]:
    """Per year and group: new substances, substances reported, persistent substances and countries reporting."""
    return spread_view(watched_sightings(records), axis(by), run_years)


@router.get("/spread/countries")
def spread_countries(records: Records, by: By = "family") -> dict[str, Any]:
    """Per group: substances by the number of countries that reported them (1, 2, 3–4, 5–9, 10 or more)."""
    return countries_view(watched_sightings(records), axis(by))


@router.get("/spread/substances")
def spread_substances(
    records: Records,
    by: By = "family",
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Count = 0,
) -> dict[str, Any]:
    """Each substance's timeline, the most widely reported first: years seen, and each country since when."""
    return substances_view(watched_sightings(records), axis(by), limit, offset)


@router.get("/persistence")
def persistence(
    records: Records,
    horizon: Annotated[int, Query(ge=1, le=30)] = 5,
    by_cohort: bool = False,
) -> dict[str, Any]:
    """Of the substances first seen in a year, the share seen again 1 … ``horizon`` years later."""
    return persistence_view(watched_sightings(records), horizon, by_cohort)


@router.get("/signals/groups")
def group_signals(records: Records, by: By = "family", alarms_only: bool = False) -> dict[str, Any]:
    """The improved Farrington algorithm on the monthly count of events per group and source, with its parameters."""
    return group_signal_report(records, by).to_dict(alarms_only)
