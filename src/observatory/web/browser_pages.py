"""The data browser (``/data``) and the API under it (``/api/v1/published/{flow}``): published data, selected.

Pick a data set, codes of its dimensions, years and what to group by; see a table, a chart and, grouped by country,
a map; download exactly that selection as CSV, XLSX or Parquet (the API's ``format=``) or as SDMX (the same key on
the SDMX API). The selection lives in the URL, so it can be shared. Only what is published is shown
(``publication.current``: the public's view, the one SDMX and the releases publish).

    GET /api/v1/published/ANNUAL_SEIZURES?key=A.COL+PER...&start=2019&end=2023&group_by=REF_AREA,DRUG_GROUP
"""

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from observatory.errors import BadInput
from observatory.i18n import gettext as _
from observatory.publication.catalogue import current
from observatory.web.deps import get_analytics, reject_unknown_parameters
from observatory.web.map_pages import DrawnMap, choropleth
from observatory.web.params import Year
from observatory.web.published_view import (
    PAGE_ROWS,
    Selection,
    aggregate,
    check_codes,
    default_group_by,
    form_codes,
    key_of,
    options,
    pivot,
    selection,
    years,
)

api_router = APIRouter(prefix="/api/v1", dependencies=[Depends(reject_unknown_parameters)], tags=["publication"])
router = APIRouter(include_in_schema=False)
#: Most rows drawn as small multiples (the table holds them all).
CHART_ROWS = 36


@api_router.get("/published/{flow}")
def published(
    request: Request,
    flow: str,
    key: Annotated[str, Query(description="SDMX series key, e.g. A.COL+PER... (all: everything)")] = "all",
    start: Annotated[Year | None, Query()] = None,
    end: Annotated[Year | None, Query()] = None,
    group_by: Annotated[str, Query(description="comma-separated dimensions, e.g. REF_AREA,DRUG_GROUP")] = "",
) -> dict[str, Any]:
    """Published observations of a dataflow, selected by an SDMX key and years, grouped and (where the data set's
    values add up) summed; as CSV, XLSX or Parquet with ``format=``."""
    parts = tuple(part.strip().upper() for part in group_by.split(",") if part.strip())
    view = selection(flow, key=key, start=start, end=end, group_by=parts)
    tables = current(get_analytics(request)).tables
    check_codes(tables, view)
    if not parts:
        view = selection(flow, key=key, start=start, end=end, group_by=default_group_by(tables, view))
    rows = aggregate(tables, view)
    return {
        "data": rows,
        "meta": {
            "dataflow": view.flow.id,
            "title": view.flow.name,
            "source": view.flow.source,
            "key": view.key or "all",
            "group_by": list(view.group_by),
            "summed": view.additive,
            "status": "SDMX OBS_STATUS (CL_OBS_STATUS 2.0): A reported; O, L, Q missing and why; M not applicable",
            "sdmx": view.sdmx_url(),
            "rows": len(rows),
        },
    }


def _view(request: Request, tables: dict[str, Any]) -> Selection:
    params = request.query_params
    dataset = params.get("dataset") or "ANNUAL_SEIZURES"
    flow_ = selection(dataset).flow
    chosen = form_codes(flow_, list(params.multi_items()))
    start, end = (_year(params.get(name)) for name in ("start", "end"))
    asked = tuple(params.getlist("group_by"))
    view = selection(dataset, key=key_of(flow_, chosen), start=start, end=end, group_by=asked)
    if not asked:
        fallback = ("DRUG_GROUP",) if "DRUG_GROUP" in flow_.key_dimensions and view.additive else ()
        view = selection(dataset, key=view.key or None, start=start, end=end, group_by=fallback)
        view = selection(dataset, key=view.key or None, start=start, end=end, group_by=default_group_by(tables, view))
    return view


def _year(text: str | None) -> int | None:
    if not text:
        return None
    if not text.isdigit() or not 1900 <= int(text) <= 2100:
        raise BadInput(f"{text!r} is not a year", [{"parameter": "year", "value": text}])
    return int(text)


def _map(rows: list[dict[str, Any]], view: Selection) -> DrawnMap | None:
    if view.group_by != ("REF_AREA",) or not rows:
        return None
    last = max(row["year"] for row in rows)
    values = {row["ref_area"]: row["value"] for row in rows if row["year"] == last}
    unit = next((row["unit"] for row in rows if row["unit"]), "")
    return choropleth(values, unit, _("%(flow)s, %(year)s") % {"flow": view.flow.name, "year": last})


@router.get("/data", response_class=HTMLResponse)
def browser_page(request: Request) -> HTMLResponse:
    """The data browser: the selection in the URL, its table, chart, map and downloads."""
    published_now = current(get_analytics(request))
    tables = published_now.tables
    view = _view(request, tables)
    context: dict[str, Any] = {
        "view": view,
        "flows": {identifier: table.num_rows for identifier, table in tables.items()},
        "options": options(tables[view.flow.id], view.flow),
        "years": years(tables[view.flow.id]),
        "picked": form_codes(view.flow, list(request.query_params.multi_items())),
        "dimensions": [dimension for dimension in view.flow.dimensions if dimension.id != "FREQ"],
        "error": None,
        "table": None,
        "map": None,
        "chart_rows": CHART_ROWS,
        "page_rows": PAGE_ROWS,
    }
    status = 200
    try:
        check_codes(tables, view)
        rows = aggregate(tables, view)
        names = {dimension.id: dimension.name for dimension in view.flow.dimensions}
        table = pivot(rows, view.group_by, tuple(names[name] for name in view.group_by) or (_("All"),))
        shown = replace(table, rows=table.rows[:PAGE_ROWS])
        context |= {"table": shown, "total_rows": len(table.rows), "map": _map(rows, view)}
    except BadInput as error:
        context["error"] = error.message
        status = error.status
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request, "publication/browser.html", context, status_code=status
    )
