"""Early Warning Advisory pages: the emergence of new substances, signals per substance group and recent alerts
(``/ewa``), and the structure search (``/ewa/search``). An alert's case file with its workflow forms
(``ewa_alert_pages``) and the trends page (``ewa_trends_pages``) are included here."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from observatory.errors import BadInput
from observatory.ewa.alerts import Stage, find_alerts, is_member, time_to_stage
from observatory.ewa.chemistry import (
    NpsGroup,
    classify,
    emergence_by_group,
    emergence_by_year,
    matching_definitions,
    similarity_search,
)
from observatory.ewa.events.structure_views import classification_view, generic_view, hit_view
from observatory.ewa.trends import Axis, group_label, group_signal_report
from observatory.web import ewa_alert_pages, ewa_intake_pages, ewa_trends_pages, ewa_triage_pages
from observatory.web.auth import CurrentPrincipal
from observatory.web.deps import Records, reject_unknown_parameters
from observatory.web.ewa_trends_pages import signal_rows

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])
RECENT_ALERTS = 10
SIMILAR = 10


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    page: HTMLResponse = request.app.state.templates.TemplateResponse(request, template, context, status_code=status)
    return page


@router.get("/ewa", response_class=HTMLResponse)
def overview(request: Request, records: Records, principal: CurrentPrincipal) -> HTMLResponse:
    alerts, total = find_alerts(records, principal, limit=RECENT_ALERTS)
    signals = group_signal_report(records, str(Axis.FAMILY))
    context = {
        "by_group": emergence_table(emergence_by_group().to_pylist()),
        "by_year": emergence_by_year().to_pylist(),
        "alerts": alerts,
        "alert_total": total,
        "member": is_member(principal),
        "stage_times": time_to_stage(records, principal),
        "stage_label": lambda stage: Stage(stage).label,
        "signals": signal_rows(signals),
        "signal_settings": signals.to_dict(alarms_only=True),
    }
    return _page(request, "ewa/overview.html", context)


@router.get("/ewa/search", response_class=HTMLResponse)
def search(request: Request, smiles: Annotated[str | None, Query(max_length=50_000)] = None) -> HTMLResponse:
    context: dict[str, Any] = {"smiles": smiles or "", "result": None, "error": None}
    if not smiles:
        return _page(request, "ewa/search.html", context)
    try:
        classification = classify(smiles)
        context["result"] = {
            "classification": classification_view(smiles, classification),
            "group_label": classification.nps_group.label if classification.nps_group else None,
            "similar": [hit_view(hit) for hit in similarity_search(smiles, SIMILAR)],
            "generic": [generic_view(match) for match in matching_definitions(smiles)],
        }
    except BadInput as error:
        context["error"] = error.message
        return _page(request, "ewa/search.html", context, status=error.status)
    return _page(request, "ewa/search.html", context)


def emergence_table(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Rows by UNODC group (labelled), one column per year, the substances first identified in each cell."""
    years = sorted({int(row["year"]) for row in rows})
    cells: dict[str, dict[int, int]] = {}
    for row in rows:
        cells.setdefault(row["nps_group"], {})[int(row["year"])] = int(row["new"])
    groups = [
        {"label": group_label(Axis.GROUP, NpsGroup(group)), "values": values, "total": sum(values.values())}
        for group, values in cells.items()
    ]
    return {"years": years, "rows": sorted(groups, key=lambda group: -group["total"])}


router.include_router(ewa_triage_pages.router)
router.include_router(ewa_alert_pages.router)
router.include_router(ewa_trends_pages.router)
router.include_router(ewa_intake_pages.router)
