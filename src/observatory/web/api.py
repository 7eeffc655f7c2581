"""The JSON API, version 1."""

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from observatory import __version__
from observatory.analytics.seizures import (
    DIMENSIONS,
    MARKS,
    SeizureQuery,
    check_filter_values,
    dimension_values,
    seizure_totals,
    year_range,
)
from observatory.analytics.snapshot import DATASET as SEIZURES
from observatory.analytics.store import AnalyticsStore
from observatory.analytics.upkeep import currency
from observatory.web.answer_cache import cached_answer
from observatory.web.audience import Analytics
from observatory.web.deps import Records, SettingsDep, reject_unknown_parameters
from observatory.web.params import Year

router = APIRouter(prefix="/api/v1", dependencies=[Depends(reject_unknown_parameters)])

MEASURES = {
    "kilograms": "sum of the reported quantities seized, in kilograms; null when no record of the group reports one",
    "records": "records (country × drug × year) in the group",
    "missing_records": "records in the group whose quantity was not reported (missing, not zero)",
}
BASES = {
    False: "every record as reported: reported totals and plant material included (filter or group by "
    "reported_total and plant_material to rebuild a headline figure)",
    True: "headline figures under the WDR conventions: no plant material, a reported total never added to its "
    "own components (the larger of the two per country, year and what the total covers)",
}


@router.get("/health")
def health(records: Records, settings: SettingsDep) -> dict[str, Any]:
    """Whether the service answers, and whether its analytics store matches the records store (``stale`` while a
    rebuild is due: the watchdog repairs it within ``analytics_check_seconds``)."""
    analytics = currency(records, settings.analytics_dir)
    return {"status": "ok" if analytics.current else "stale", "version": __version__, "analytics": analytics.to_json()}


@router.get("/seizures")
def seizures(
    request: Request,
    analytics: Analytics,
    group_by: Annotated[
        str, Query(description=f"comma-separated, any of: {', '.join(DIMENSIONS)}")
    ] = "drug_group,year",
    region: Annotated[list[str] | None, Query()] = None,
    subregion: Annotated[list[str] | None, Query()] = None,
    country: Annotated[list[str] | None, Query(description="ISO 3166 alpha-3 code")] = None,
    drug_group: Annotated[list[str] | None, Query()] = None,
    drug_subgroup: Annotated[list[str] | None, Query()] = None,
    drug: Annotated[list[str] | None, Query()] = None,
    year: Annotated[list[Year] | None, Query()] = None,
    reported_total: Annotated[
        bool | None, Query(description="only reported totals (true) or no totals (false)")
    ] = None,
    plant_material: Annotated[bool | None, Query(description="only plant material (true) or none (false)")] = None,
    headline: Annotated[bool, Query(description=BASES[True])] = False,
) -> Response:
    """Quantities seized (kg) from served annual seizure data, grouped by the dimensions asked for.

    The public is served published submissions; analysts also approved ones. Answers to the public are cached
    per state of the snapshot, with an ETag (``web.answer_cache``)."""
    candidates: dict[str, Sequence[str | int | bool] | None] = {
        "region": region,
        "subregion": subregion,
        "country": country,
        "drug_group": drug_group,
        "drug_subgroup": drug_subgroup,
        "drug": drug,
        "year": year,
        "reported_total": None if reported_total is None else [reported_total],
        "plant_material": None if plant_material is None else [plant_material],
    }
    filters = {name: tuple(values) for name, values in candidates.items() if values}
    parts = tuple(part.strip() for part in group_by.split(",") if part.strip())
    query = SeizureQuery(group_by=parts, filters=filters, headline=headline)
    return cached_answer(request, analytics, lambda: _seizures_answer(analytics, query, filters))


def _seizures_answer(
    analytics: AnalyticsStore, query: SeizureQuery, filters: dict[str, tuple[str | int | bool, ...]]
) -> dict[str, Any]:
    check_filter_values(analytics, query.filters)
    table = seizure_totals(analytics, query)
    return {
        "data": table.to_pylist(),
        "meta": {
            "dataset": SEIZURES,
            "audience": str(analytics.audience),
            "basis": BASES[query.headline],
            "group_by": list(query.group_by),
            "filters": {name: list(values) for name, values in filters.items()},
            "unit": "kg",
            "measures": MEASURES,
            "rows": table.num_rows,
            "snapshot": [path.name for path in analytics.files(SEIZURES)],
        },
    }


@router.get("/seizures/dimensions")
def seizure_dimensions(request: Request, analytics: Analytics) -> Response:
    """The values each seizure filter accepts, and the years with data."""

    def answer() -> dict[str, Any]:
        names = [name for name in DIMENSIONS if name != "year" and name not in MARKS]
        years = year_range(analytics)
        return {
            "data": {name: dimension_values(analytics, name) for name in names},
            "meta": {"years": list(years) if years else None},
        }

    return cached_answer(request, analytics, answer)
