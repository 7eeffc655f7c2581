"""The statistics pages: seizure trends by drug group (a chart drawn from its table), the capture–recapture and
benchmark–multiplier calculators, and the explanation of any figure."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from observatory.analytics import figures
from observatory.analytics.figures import Trend
from observatory.errors import BadInput
from observatory.stats.provenance import Identified
from observatory.web.deps import Analytics, Records, reject_unknown_parameters
from observatory.web.pivot import pivot_by_year

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])

Field = Annotated[str | None, Query()]


@router.get("/statistics", response_class=HTMLResponse)
def statistics_page(
    request: Request,
    analytics: Analytics,
    n1: Field = None,
    n2: Field = None,
    m: Field = None,
    interval: Field = None,
    benchmark: Field = None,
    proportion: Field = None,
    proportion_low: Field = None,
    proportion_high: Field = None,
) -> HTMLResponse:
    trends = figures.seizure_trends(analytics)
    capture = {"n1": n1, "n2": n2, "m": m, "interval": interval or "suggested"}
    shares = {"proportion": proportion, "proportion_low": proportion_low, "proportion_high": proportion_high}
    multiplier = {"benchmark": benchmark, **shares}
    context: dict[str, Any] = {
        "by_group": pivot_by_year(_year_rows(trends), "drug_group"),
        "summary": [_summary(trend) for trend in trends],
        "notes": [note for trend in trends for note in trend.notes],
        "snapshot": [path.name for path in analytics.files("annual_seizures")],
        "capture": {name: value or "" for name, value in capture.items()},
        "multiplier": {name: value or "" for name, value in multiplier.items()},
        "capture_result": _attempt(_capture, capture) if n1 or n2 or m else None,
        "multiplier_result": _attempt(_multiplier, multiplier) if benchmark or proportion else None,
    }
    return request.app.state.templates.TemplateResponse(request, "stats/statistics.html", context)  # type: ignore[no-any-return]


@router.get("/statistics/explain", response_class=HTMLResponse)
def explain_page(
    request: Request, analytics: Analytics, records: Records, figure_id: Annotated[str, Query(alias="id", min_length=1)]
) -> HTMLResponse:
    explanation = figures.explain_figure(analytics, records, figure_id)
    columns = list(dict.fromkeys(name for row in explanation.rows for name in row))
    context = {"explanation": explanation, "item": Identified(explanation.id, explanation.figure), "columns": columns}
    return request.app.state.templates.TemplateResponse(request, "stats/explain.html", context)  # type: ignore[no-any-return]


def _year_rows(trends: list[Trend]) -> list[dict[str, Any]]:
    """Rows for the year table: a year with no record at all is left out, so it shows as a gap, not 'n.r.'."""
    return [
        {**row, "drug_group": trend.drug_group, "kilograms": row["value"]}
        for trend in trends
        for row in trend.table.to_pylist()
        if row["records"]
    ]


def _summary(trend: Trend) -> dict[str, Any]:
    """The last total, the last year-on-year change and the growth over the whole period of one drug group."""
    latest: dict[str, Identified] = {}
    for item in trend.figures:
        latest[item.id.kind] = item
    return {
        "drug_group": trend.drug_group,
        "total": latest.get("seizures.total"),
        "change": latest.get("seizures.yoy"),
        "growth": latest.get("seizures.cagr"),
    }


def _attempt(calculate: Callable[[dict[str, str | None]], list[Identified]], form: dict[str, str | None]) -> Any:
    """The calculator's figures, or the message of the input problem to show beside the form."""
    try:
        return {"figures": calculate(form), "error": None}
    except BadInput as problem:
        return {"figures": [], "error": problem.message}


def _capture(form: dict[str, str | None]) -> list[Identified]:
    counts = [_number(form, name) for name in ("n1", "n2", "m")]
    if not all(count.is_integer() for count in counts):
        raise BadInput("n₁, n₂ and m must be whole numbers of people")
    n1, n2, m = (int(count) for count in counts)
    return figures.capture_recapture(n1, n2, m, interval=form["interval"] or "suggested")


def _multiplier(form: dict[str, str | None]) -> list[Identified]:
    ends = {name: _number(form, name) for name in ("proportion_low", "proportion_high") if form[name]}
    return [figures.multiplier(_number(form, "benchmark"), _number(form, "proportion"), **ends)]


def _number(form: dict[str, str | None], name: str) -> float:
    text = (form.get(name) or "").replace(",", "").strip()
    try:
        return float(text)
    except ValueError:
        raise BadInput(f"{name} must be a number, not {form.get(name)!r}", [{"field": name}]) from None
