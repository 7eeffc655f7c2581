"""The JSON API, version 1."""

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from observatory import __version__
from observatory.analytics.seizures import (
    DIMENSIONS,
    SeizureQuery,
    check_filter_values,
    dimension_values,
    seizure_totals,
    year_range,
)
from observatory.web.deps import Analytics, reject_unknown_parameters

router = APIRouter(prefix="/api/v1", dependencies=[Depends(reject_unknown_parameters)])

MEASURES = {
    "kilograms": "sum of the reported quantities seized, in kilograms; null when no record of the group reports one",
    "records": "records (country × drug × year) in the group",
    "missing_records": "records in the group whose quantity was not reported (missing, not zero)",
}


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@router.get("/seizures")
def seizures(
    analytics: Analytics,
    group_by: Annotated[
        str, Query(description=f"comma-separated, any of: {', '.join(DIMENSIONS)}")
    ] = "drug_group,year",
    region: Annotated[list[str] | None, Query()] = None,
    subregion: Annotated[list[str] | None, Query()] = None,
    country: Annotated[list[str] | None, Query(description="ISO 3166 alpha-3 code")] = None,
    drug_group: Annotated[list[str] | None, Query()] = None,
    drug: Annotated[list[str] | None, Query()] = None,
    year: Annotated[list[int] | None, Query()] = None,
) -> dict[str, Any]:
    """Quantities seized (kg) from approved annual seizure data, grouped by the dimensions asked for."""
    candidates: dict[str, Sequence[str | int] | None] = {
        "region": region,
        "subregion": subregion,
        "country": country,
        "drug_group": drug_group,
        "drug": drug,
        "year": year,
    }
    filters = {name: tuple(values) for name, values in candidates.items() if values}
    query = SeizureQuery(group_by=tuple(part.strip() for part in group_by.split(",") if part.strip()), filters=filters)
    check_filter_values(analytics, query.filters)
    table = seizure_totals(analytics, query)
    return {
        "data": table.to_pylist(),
        "meta": {
            "dataset": "annual-seizures",
            "group_by": list(query.group_by),
            "filters": {name: list(values) for name, values in filters.items()},
            "unit": "kg",
            "measures": MEASURES,
            "rows": table.num_rows,
            "snapshot": [path.name for path in analytics.files("annual_seizures")],
        },
    }


@router.get("/seizures/dimensions")
def seizure_dimensions(analytics: Analytics) -> dict[str, Any]:
    """The values each seizure filter accepts, and the years with data."""
    names = [name for name in DIMENSIONS if name != "year"]
    years = year_range(analytics)
    return {
        "data": {name: dimension_values(analytics, name) for name in names},
        "meta": {"years": list(years) if years else None},
    }
