"""SDMX REST 2.1 under ``/api/v1/sdmx/rest/``: structure queries and data queries over what is published.

    GET /api/v1/sdmx/rest/{dataflow|datastructure|codelist|conceptscheme}/{agency}/{id}/{version}?references=...
    GET /api/v1/sdmx/rest/data/{flow}/{key}?startPeriod&endPeriod&updatedAfter&firstNObservations
        &lastNObservations&dimensionAtObservation&detail&format&vintage

Formats by ``format=`` or ``Accept`` (``publication.sdmx_data``). Errors: a syntax error 400, nothing found 404, too
large 413; as an SDMX-ML error message when the client asked for XML, in the project's JSON error shape otherwise.
Only the public's data are served; ``vintage=`` answers from a release instead of what is published now.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from observatory.analytics.store import AnalyticsStore
from observatory.errors import ObservatoryError
from observatory.publication.catalogue import Published, current
from observatory.publication.flows import TIME_PERIOD, flow
from observatory.publication.keys import (
    DataQuery,
    parse_detail,
    parse_key,
    parse_period,
    parse_updated_after,
)
from observatory.publication.releases import release_published
from observatory.publication.sdmx_data import FORMATS, MAX_OBSERVATIONS, STRUCTURE_TYPE, answer, choose_format
from observatory.publication.sdmx_errors import sdmx_error_xml, wants_xml
from observatory.publication.structures import StructureQuery, query_structures, structure_xml
from observatory.publication.updates import updated_sources
from observatory.web.deps import SettingsDep, get_analytics, reject_unknown_parameters
from observatory.web.formats import cached

router = APIRouter(prefix="/api/v1/sdmx/rest", dependencies=[Depends(reject_unknown_parameters)], tags=["sdmx"])

Resource = Literal["dataflow", "datastructure", "codelist", "conceptscheme"]
Count = Annotated[int, Query(ge=1, le=1_000_000)]


def _published(request: Request, settings: SettingsDep, vintage: str | None) -> Published:
    if vintage:
        return release_published(settings.var_dir, vintage)
    store: AnalyticsStore = get_analytics(request)
    return current(store)


def _sdmx_error(request: Request, error: ObservatoryError) -> Response:
    if not wants_xml(request.headers.get("accept")):
        raise error
    return Response(sdmx_error_xml(error), status_code=error.status, media_type="application/xml")


#: What the data and structure queries answer, as the OpenAPI document declares it (the formats SDMX defines).
DATA_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "An SDMX data message", "content": {f.media_type: {} for f in FORMATS}}
}
STRUCTURE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "An SDMX structure message", "content": {STRUCTURE_TYPE: {}}}
}


@router.get("/data/{flow_ref}", responses=DATA_RESPONSES)
@router.get("/data/{flow_ref}/{key}", responses=DATA_RESPONSES)
@router.get("/data/{flow_ref}/{key}/{provider}", responses=DATA_RESPONSES)
def data(
    request: Request,
    settings: SettingsDep,
    flow_ref: str,
    key: str = "all",
    provider: str = "all",
    start_period: Annotated[str | None, Query(alias="startPeriod")] = None,
    end_period: Annotated[str | None, Query(alias="endPeriod")] = None,
    updated_after: Annotated[str | None, Query(alias="updatedAfter")] = None,
    first_n: Annotated[Count | None, Query(alias="firstNObservations")] = None,
    last_n: Annotated[Count | None, Query(alias="lastNObservations")] = None,
    at_observation: Annotated[str, Query(alias="dimensionAtObservation")] = TIME_PERIOD,
    detail: Annotated[str | None, Query(description="full, dataonly, serieskeysonly, nodata")] = None,
    format: Annotated[str | None, Query(description="genericdata, structurespecificdata, csv, json")] = None,
    vintage: Annotated[str | None, Query(description="a release, e.g. 2026.1; default: published now")] = None,
) -> Response:
    """Observations of one dataflow, selected by series key and periods."""
    del provider  # the observatory is the one data provider: any provider reference names it
    try:
        chosen = choose_format(format, request.headers.get("accept"))
        found = flow(flow_ref.split(",")[1] if "," in flow_ref else flow_ref)
        after = parse_updated_after(updated_after)
        query = DataQuery(
            parts=parse_key(found, key),
            start=parse_period("startPeriod", start_period),
            end=parse_period("endPeriod", end_period),
            first_n=first_n,
            last_n=last_n,
            detail=parse_detail(detail),
            updated_after=after,
            updated_sources=None if after is None else updated_sources(get_analytics(request), after),
        )
        published = _published(request, settings, vintage)
        body = answer(
            published.tables,
            found.id,
            query,
            chosen,
            prepared=published.prepared,
            at_observation=at_observation,
            vintage=vintage,
            limit=getattr(request.app.state, "sdmx_max_observations", MAX_OBSERVATIONS),
        )
    except ObservatoryError as error:
        return _sdmx_error(request, error)
    return cached(request, body, chosen.media_type)


@router.get("/{resource}", responses=STRUCTURE_RESPONSES)
@router.get("/{resource}/{agency}", responses=STRUCTURE_RESPONSES)
@router.get("/{resource}/{agency}/{resource_id}", responses=STRUCTURE_RESPONSES)
@router.get("/{resource}/{agency}/{resource_id}/{version}", responses=STRUCTURE_RESPONSES)
def structure(
    request: Request,
    settings: SettingsDep,
    resource: Resource,
    agency: str = "all",
    resource_id: str = "all",
    version: str = "latest",
    references: Annotated[str, Query(description="none, parents, children, descendants, all, or a resource")] = "none",
    detail: Annotated[Literal["full"], Query(description="full (the only detail served)")] = "full",
    vintage: Annotated[str | None, Query(description="a release, e.g. 2026.1; default: published now")] = None,
) -> Response:
    """SDMX-ML 2.1 structure message: dataflows, data structures, codelists or the concept scheme."""
    del detail  # only full structures are served; the parameter is accepted so that standard clients may send it
    try:
        query = StructureQuery(resource, agency, resource_id, version, references.lower())
        published = _published(request, settings, vintage)
        message = query_structures(published.structures, query, published.prepared)
    except ObservatoryError as error:
        return _sdmx_error(request, error)
    return cached(request, structure_xml(message), STRUCTURE_TYPE)
