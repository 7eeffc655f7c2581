"""The statistics pages: seizure trends by drug group (a chart drawn from its table), the capture–recapture and
benchmark–multiplier calculators, the explanation of any figure, WDR table 1.1 rebuilt beside the published one,
and the trafficking routes of individual seizures."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from observatory.analytics import figures
from observatory.analytics.prevalence_comparison import compare_wdr_1_1
from observatory.analytics.seizure_figures import Trend
from observatory.analytics.seizure_flows import seizure_flows
from observatory.analytics.snapshot import DATASET as SEIZURES
from observatory.errors import BadInput, NoData
from observatory.stats.flows import FlowOptions, Measure, Unit
from observatory.stats.population_basis import DEFAULT_BASIS, Basis, parse_basis
from observatory.stats.provenance import Identified
from observatory.stats.published_prevalence import DRUGS
from observatory.web.audience import Analytics
from observatory.web.deps import Records, reject_unknown_parameters
from observatory.web.pivot import pivot_by_year
from observatory.web.stats_views import comparison_view, flows_view

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
        "snapshot": [path.name for path in analytics.files(SEIZURES)],
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


@router.get("/statistics/prevalence-comparison", response_class=HTMLResponse)
def prevalence_comparison_page(
    request: Request,
    analytics: Analytics,
    basis: Annotated[str, Query()] = DEFAULT_BASIS,
    drug: Annotated[str, Query()] = DRUGS[0].id,
) -> HTMLResponse:
    chosen = parse_basis(basis)
    known = [d.id for d in DRUGS]
    if drug not in known:
        raise BadInput(f"unknown drug {drug!r}; table 1.1 has {', '.join(known)}", [{"parameter": "drug"}])
    context: dict[str, Any] = {"basis": str(chosen), "drug": drug, "bases": [str(b) for b in Basis], "error": None}
    context["drugs"] = [(d.id, d.title) for d in DRUGS]
    try:
        result = compare_wdr_1_1(analytics, figures.population_for(analytics, 2023), basis=chosen)
    except BadInput as problem:
        context |= {"error": problem.message, "view": None, "notes": [], "result": None}
    else:
        context |= {"view": comparison_view(result, drug), "notes": result.notes, "result": result}
    return request.app.state.templates.TemplateResponse(request, "stats/prevalence_comparison.html", context)  # type: ignore[no-any-return]


@router.get("/statistics/flows", response_class=HTMLResponse)
def flows_page(
    request: Request,
    analytics: Analytics,
    drug: Field = None,
    year: Field = None,
    unit: Annotated[str, Query()] = Unit.LEG,
    measure: Annotated[str, Query()] = Measure.SEIZURES,
) -> HTMLResponse:
    options, chosen = FlowOptions.of(unit, measure), _whole_year(year)
    context: dict[str, Any] = {"drug": drug or "", "year": chosen, "options": options, "units": list(Unit)}
    context |= {"measures": list(Measure), "error": None, "views": [], "flows": None}
    try:
        found = seizure_flows(analytics, drugs=[drug] if drug else (), year=chosen, options=options)
    except (BadInput, NoData) as problem:
        context["error"] = problem.message
    else:
        context |= {"flows": found, "views": flows_view(found)}
    return request.app.state.templates.TemplateResponse(request, "stats/flows.html", context)  # type: ignore[no-any-return]


def _whole_year(text: str | None) -> int | None:
    if not text or not text.strip():
        return None
    if not text.strip().isdigit() or not 1900 <= int(text) <= 2100:
        raise BadInput(
            f"year must be a year between 1900 and 2100, not {text!r}", [{"parameter": "year", "value": text}]
        )
    return int(text)


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
