"""Early Warning Advisory pages: the emergence of new substances and recent alerts (``/ewa``), the structure
search (``/ewa/search``) and an alert's case file (``/ewa/alerts/{id}``)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from observatory.errors import BadInput
from observatory.ewa.alerts import case_file, find_alerts, is_member, time_to_stage
from observatory.ewa.chemistry import (
    NpsGroup,
    classify,
    emergence_by_group,
    emergence_by_year,
    matching_definitions,
    similarity_search,
)
from observatory.ewa.events.structure_views import classification_view, generic_view, hit_view
from observatory.web.auth import CurrentPrincipal
from observatory.web.deps import Records, reject_unknown_parameters

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])
RECENT_ALERTS = 10
SIMILAR = 10
GROUP_LABELS = {
    NpsGroup.AMINOINDANES: "Aminoindanes",
    NpsGroup.KETAMINE_PCP_TYPE: "Ketamine and phencyclidine-type substances",
    NpsGroup.PHENETHYLAMINES: "Phenethylamines",
    NpsGroup.PIPERAZINES: "Piperazines",
    NpsGroup.PLANT_BASED: "Plant-based substances",
    NpsGroup.SYNTHETIC_CANNABINOIDS: "Synthetic cannabinoids",
    NpsGroup.SYNTHETIC_CATHINONES: "Synthetic cathinones",
    NpsGroup.TRYPTAMINES: "Tryptamines",
    NpsGroup.OTHER: "Other NPS",
}


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    page: HTMLResponse = request.app.state.templates.TemplateResponse(request, template, context, status_code=status)
    return page


@router.get("/ewa", response_class=HTMLResponse)
def overview(request: Request, records: Records, principal: CurrentPrincipal) -> HTMLResponse:
    alerts, total = find_alerts(records, principal, limit=RECENT_ALERTS)
    context = {
        "by_group": emergence_table(emergence_by_group().to_pylist()),
        "by_year": emergence_by_year().to_pylist(),
        "alerts": alerts,
        "alert_total": total,
        "member": is_member(principal),
        "stage_times": time_to_stage(records, principal),
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
            "group_label": GROUP_LABELS[classification.nps_group],
            "similar": [hit_view(hit) for hit in similarity_search(smiles, SIMILAR)],
            "generic": [generic_view(match) for match in matching_definitions(smiles)],
        }
    except BadInput as error:
        context["error"] = error.message
        return _page(request, "ewa/search.html", context, status=error.status)
    return _page(request, "ewa/search.html", context)


@router.get("/ewa/alerts/{alert_id}", response_class=HTMLResponse)
def alert_page(request: Request, records: Records, principal: CurrentPrincipal, alert_id: int) -> HTMLResponse:
    return _page(request, "ewa/alert.html", {"case": case_file(records, alert_id, principal)})


def emergence_table(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Rows by UNODC group (labelled), one column per year, the substances first identified in each cell."""
    years = sorted({int(row["year"]) for row in rows})
    cells: dict[str, dict[int, int]] = {}
    for row in rows:
        cells.setdefault(row["nps_group"], {})[int(row["year"])] = int(row["new"])
    groups = [
        {"label": GROUP_LABELS[NpsGroup(group)], "values": values, "total": sum(values.values())}
        for group, values in cells.items()
    ]
    return {"years": years, "rows": sorted(groups, key=lambda group: -group["total"])}
