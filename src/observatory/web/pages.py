"""Server-rendered pages."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from observatory.analytics.seizures import SeizureQuery, check_filter_values, dimension_values, seizure_totals
from observatory.analytics.snapshot import DATASET as SEIZURES
from observatory.web.audience import Analytics
from observatory.web.deps import reject_unknown_parameters
from observatory.web.pivot import pivot_by_year

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])


@router.get("/", response_class=HTMLResponse)
def seizures_overview(
    request: Request, analytics: Analytics, drug_group: Annotated[str | None, Query()] = None
) -> HTMLResponse:
    filters: dict[str, tuple[str | int, ...]] = {"drug_group": (drug_group,)} if drug_group else {}
    check_filter_values(analytics, filters)
    by_group = seizure_totals(analytics, SeizureQuery(("drug_group", "year"), filters, headline=True)).to_pylist()
    by_region = seizure_totals(analytics, SeizureQuery(("region", "year"), filters, headline=True)).to_pylist()
    context = {
        "drug_groups": dimension_values(analytics, "drug_group"),
        "selected": drug_group,
        "by_group": pivot_by_year(by_group, "drug_group"),
        "by_region": pivot_by_year(by_region, "region"),
        "snapshot": [path.name for path in analytics.files(SEIZURES)],
    }
    return request.app.state.templates.TemplateResponse(request, "seizures.html", context)  # type: ignore[no-any-return]
