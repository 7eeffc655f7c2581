"""The trends page (``/ewa/trends``): substances reported and countries reporting per year and group (charts drawn
from their tables), substances by the number of countries reporting them, persistence, the most widely reported
substances, and signals per group."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from observatory.ewa.events import event_source
from observatory.ewa.trends import (
    ALL,
    COUNTRY_BANDS,
    Axis,
    GroupSignalReport,
    axis,
    group_label,
    group_signal_report,
    watched_sightings,
)
from observatory.ewa.trends.views import countries_view, persistence_view, spread_view, substances_view
from observatory.i18n import gettext as _
from observatory.web.deps import Records, reject_unknown_parameters

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])
TOP_SUBSTANCES = 20


@router.get("/ewa/trends", response_class=HTMLResponse)
def trends(
    request: Request,
    records: Records,
    by: str = "family",
    run_years: Annotated[int, Query(ge=1, le=30)] = 3,
    horizon: Annotated[int, Query(ge=1, le=30)] = 5,
) -> HTMLResponse:
    grouping, sightings = axis(by), watched_sightings(records)
    spread = spread_view(sightings, grouping, run_years)
    signals = group_signal_report(records, str(grouping))
    context = {
        "by": str(grouping),
        "axes": [(str(Axis.FAMILY), _("Chemical family")), (str(Axis.GROUP), _("UNODC NPS group"))],
        "run_years": run_years,
        "horizon": horizon,
        "spread": spread,
        "reported": year_table(spread["results"], "reported"),
        "countries": year_table(spread["results"], "countries"),
        "totals": [row for row in spread["results"] if row["group"] == ALL],
        "bands": band_table(countries_view(sightings, grouping)["results"]),
        "persistence": persistence_view(sightings, horizon, by_cohort=False),
        "cohorts": persistence_view(sightings, horizon, by_cohort=True),
        "substances": substances_view(sightings, grouping, TOP_SUBSTANCES),
        "signals": signal_rows(signals),
        "signal_settings": signals.to_dict(alarms_only=True),
    }
    page: HTMLResponse = request.app.state.templates.TemplateResponse(request, "ewa/trends.html", context)
    return page


def year_table(rows: list[dict[str, Any]], column: str) -> dict[str, Any]:
    """One row per group (``all`` first), one cell per year."""
    years = sorted({int(row["year"]) for row in rows})
    cells: dict[str, dict[int, int]] = {}
    labels: dict[str, str] = {}
    for row in rows:
        cells.setdefault(row["group"], {})[int(row["year"])] = int(row[column])
        labels[row["group"]] = row["label"]
    groups = sorted(cells, key=lambda group: (group != ALL, -sum(cells[group].values()), group))
    return {"years": years, "rows": [{"label": labels[g], "values": cells[g]} for g in groups]}


def band_table(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One row per group (``all`` last), one cell per band of reporting countries."""
    bands = [label for _, _, label in COUNTRY_BANDS]
    cells: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = {}
    for row in rows:
        cells.setdefault(row["group"], {})[row["band"]] = int(row["substances"])
        labels[row["group"]] = row["label"]
    groups = sorted(cells, key=lambda group: (group == ALL, -sum(cells[group].values()), group))
    return {"bands": bands, "rows": [{"label": labels[g], "values": cells[g], "all": g == ALL} for g in groups]}


def signal_rows(report: GroupSignalReport) -> list[dict[str, Any]]:
    """The assessed series, alarms first: group, source, events, assessed months, alarm months, latest month."""
    rows = []
    for signal in report.signals:
        latest = signal.latest
        rows.append(
            {
                "group": group_label(report.by, signal.group),
                "source": event_source(signal.source).name,
                "events": signal.events,
                "assessed": (signal.periods[0].period, signal.periods[-1].period) if signal.periods else None,
                "alarms": [f"{month:%Y-%m}" for month in signal.alarm_months],
                "latest": latest,
                "note": signal.note,
            }
        )
    return rows
