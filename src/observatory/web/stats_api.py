"""Statistics over the API: seizure trends and area totals, prevalence aggregates, the calculators, and the
explanation of any figure. Every figure carries its value, interval, method, inputs, constants and flags.

The trend, the area totals and prevalence answer the public from a cache kept per state of the snapshot (and of the
population, for prevalence), with an ETag (``web.answer_cache``)."""

from functools import partial
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from observatory.analytics import figures
from observatory.analytics.figures import Area
from observatory.analytics.prevalence_comparison import compare_wdr_1_1
from observatory.analytics.prevalence_comparison_record import comparison_record
from observatory.analytics.prevalence_figures import LEVELS, populations_for, prevalence_by_year
from observatory.analytics.seizure_flows import flows_record, seizure_flows
from observatory.analytics.snapshot import DATASET as SEIZURES
from observatory.errors import BadInput
from observatory.stats.flows import FlowOptions, Measure, Unit
from observatory.stats.population_basis import DEFAULT_BASIS
from observatory.stats.provenance import KINDS, explanation_record, figure_record
from observatory.stats.survey import Interval, Variance, survey_proportion
from observatory.web.answer_cache import cached_answer
from observatory.web.audience import Analytics
from observatory.web.deps import Records, reject_unknown_parameters
from observatory.web.params import Count
from observatory.web.params import Year as YearValue

router = APIRouter(prefix="/api/v1/stats", dependencies=[Depends(reject_unknown_parameters)])

E = TypeVar("E", Interval, Variance)
Many = Annotated[list[str] | None, Query()]
Year = Annotated[YearValue | None, Query()]


def area_of(region: str | None, subregion: str | None, country: str | None) -> Area | None:
    """The one area a request is about, if any; asking for two at once is an error."""
    given = [(name, value) for name, value in (("region", region), ("subregion", subregion), ("country", country))]
    chosen = [(name, value) for name, value in given if value]
    if len(chosen) > 1:
        raise BadInput(
            f"choose one area at most, not {', '.join(name for name, _ in chosen)}",
            [{"parameter": name, "value": value} for name, value in chosen],
        )
    return chosen[0] if chosen else None


@router.get("/seizures/trend")
def seizure_trend(
    request: Request,
    analytics: Analytics,
    drug_group: Many = None,
    region: str | None = None,
    subregion: str | None = None,
    country: Annotated[str | None, Query(description="ISO 3166 alpha-3 code")] = None,
    start: Year = None,
    end: Year = None,
) -> Response:
    """Kilograms by year, year-on-year change and compound annual growth per drug group (all when none given)."""
    area = area_of(region, subregion, country)
    return cached_answer(request, analytics, lambda: _trend(analytics, drug_group or [], area, start, end))


def _trend(analytics: Analytics, drug_group: list[str], area: Area | None, start: int | None, end: int | None) -> Any:
    trends = figures.seizure_trends(analytics, drug_group, area=area, start=start, end=end)
    return {
        "data": [figure_record(item) for trend in trends for item in trend.figures],
        "table": [{"drug_group": trend.drug_group, **row} for trend in trends for row in trend.table.to_pylist()],
        "meta": {
            "dataset": "annual-seizures",
            "area": dict([area]) if area else None,
            "notes": [note for trend in trends for note in trend.notes],
            "snapshot": [path.name for path in analytics.files(SEIZURES)],
        },
    }


@router.get("/seizures/totals")
def seizure_totals(request: Request, analytics: Analytics, drug_group: str, year: YearValue) -> Response:
    """Subregional, regional and global kilograms, each checked against the sum of its countries' rows."""
    return cached_answer(request, analytics, lambda: _totals(analytics, drug_group, year))


def _totals(analytics: Analytics, drug_group: str, year: int) -> Any:
    found, checks = figures.seizure_area_totals(analytics, drug_group, year)
    return {
        "data": [figure_record(item) for item in found],
        "checks": [
            {
                "level": c.level,
                "area": c.area,
                "total": c.total,
                "sum_of_countries": c.sum_of_countries,
                "equal": c.equal,
            }
            for c in checks
        ],
        "meta": {"dataset": "annual-seizures", "unit": "kg", "all_equal": all(c.equal for c in checks)},
    }


@router.get("/prevalence")
def prevalence(
    request: Request,
    analytics: Analytics,
    drug: str,
    year: Year = None,
    start: Annotated[YearValue | None, Query(description="first year of a span (with end)")] = None,
    end: Annotated[YearValue | None, Query(description="last year of a span (with start)")] = None,
    level: Annotated[list[str] | None, Query(description=f"any of {', '.join(LEVELS)}")] = None,
) -> Response:
    """Past-year prevalence, users and population covered by subregion, region and world (or the levels asked), in
    one year or in every year from start to end."""
    wanted = level or ["subregion", "region", "global"]
    years = _years(year, start, end)
    # The population is the snapshot's, so the snapshot's state names the answer (``AnalyticsStore.state_key``).
    answer = partial(_prevalence, analytics, drug, years, wanted)
    return cached_answer(request, analytics, answer)


def _prevalence(analytics: Analytics, drug: str, years: list[int], wanted: list[str]) -> Any:
    results = prevalence_by_year(analytics, populations_for(analytics, years), drug, wanted)
    several = len(results) > 1
    return {
        "data": [figure_record(item) for result in results for item in result.figures],
        "meta": {
            "dataset": "prevalence",
            "drug": drug,
            "year": None if several else years[0],
            "years": years,
            "levels": wanted,
            "notes": [f"{r.year}: {note}" if several else note for r in results for note in r.notes],
        },
    }


def _years(year: int | None, start: int | None, end: int | None) -> list[int]:
    """The years a request asks for: ``year``, or every year from ``start`` to ``end``."""
    if year is not None and (start is not None or end is not None):
        raise BadInput("give either year or start and end, not both", [{"parameter": "year", "value": year}])
    if year is not None:
        return [year]
    if start is None or end is None:
        raise BadInput(
            "give a year, or a span from start to end",
            [{"parameter": name, "value": value} for name, value in (("start", start), ("end", end))],
        )
    if start > end:
        raise BadInput(f"start {start} is after end {end}", [{"parameter": "start", "value": start}])
    return list(range(start, end + 1))


@router.get("/capture-recapture")
def capture_recapture(
    n1: Count, n2: Count, m: Count, interval: str = "suggested", confidence: float = 0.95
) -> dict[str, Any]:
    """Chapman's estimate with its interval, and Lincoln–Petersen's, from two overlapping lists."""
    found = figures.capture_recapture(n1, n2, m, interval=interval, confidence=confidence)
    return {"data": [figure_record(item) for item in found], "meta": {"n1": n1, "n2": n2, "m": m}}


@router.get("/multiplier")
def multiplier(
    benchmark: float,
    proportion: float,
    benchmark_low: float | None = None,
    benchmark_high: float | None = None,
    proportion_low: float | None = None,
    proportion_high: float | None = None,
) -> dict[str, Any]:
    """Benchmark ÷ proportion, with the interval from the ends of both (an end not given is the best value)."""
    ends = {
        "benchmark_low": benchmark_low,
        "benchmark_high": benchmark_high,
        "proportion_low": proportion_low,
        "proportion_high": proportion_high,
    }
    return {"data": [figure_record(figures.multiplier(benchmark, proportion, **ends))], "meta": {}}


class SurveyMicrodata(BaseModel):
    """One survey's respondents: outcome y (0 or 1) and weight, with strata and PSUs when the design has them."""

    model_config = ConfigDict(extra="forbid")

    y: list[float]
    weights: list[float]
    strata: list[str | int] | None = None
    psus: list[str | int] | None = None
    interval: str = str(Interval.KORN_GRAUBARD)
    variance: str = str(Variance.DESIGN)
    confidence: float = 0.95


@router.post("/survey-proportion")
def survey(body: SurveyMicrodata) -> dict[str, Any]:
    """The weighted proportion with its interval, Kish's effective sample size and design effect."""
    interval, variance = _choice("interval", body.interval, Interval), _choice("variance", body.variance, Variance)
    result = survey_proportion(
        body.y,
        body.weights,
        strata=body.strata,
        psus=body.psus,
        interval=interval,
        variance=variance,
        confidence=body.confidence,
    )
    meta = {
        "observations": result.observations,
        "weight_sum": result.weight_sum,
        "kish_effective_n": result.kish_effective_n,
        "kish_design_effect": result.kish_design_effect,
        "degrees_of_freedom": result.degrees_of_freedom,
    }
    return {"data": [figure_record(result.estimate)], "meta": meta}


@router.get("/explain")
def explain(
    analytics: Analytics, records: Records, figure_id: Annotated[str, Query(alias="id", min_length=1)]
) -> dict[str, Any]:
    """The inputs, vintages, constants and steps behind a figure, and its value recomputed from those inputs."""
    return {"data": explanation_record(figures.explain_figure(analytics, records, figure_id)), "meta": {}}


@router.get("/kinds")
def kinds() -> dict[str, Any]:
    """The kinds of figure ids: the selectors each needs and accepts, its period, and its formula."""
    return {
        "data": [
            {"kind": name, "required": k.required, "optional": k.optional, "period": k.period, "formula": k.formula}
            for name, k in KINDS.items()
        ],
        "meta": {},
    }


def _choice(name: str, value: str, kind: type[E]) -> E:
    accepted = [str(member) for member in kind]
    if value not in accepted:
        raise BadInput(
            f"unsupported {name} method {value!r}; supported: {', '.join(accepted)}",
            [{"field": name, "value": value, "accepted": accepted}],
        )
    return kind(value)


@router.get("/prevalence/wdr-1-1")
def prevalence_wdr_1_1(
    analytics: Analytics,
    basis: Annotated[
        str,
        Query(description="15-64 (the WDR's, reference data), total, or derived-15-64 (implied by table 1.1 itself)"),
    ] = DEFAULT_BASIS,
) -> dict[str, Any]:
    """WDR table 1.1 (2023) rebuilt from the approved national estimates, cell by cell beside the published table:
    differences, coverage, share imputed and the reasons for each difference."""
    return comparison_record(compare_wdr_1_1(analytics, figures.population_for(analytics, 2023), basis=basis))


@router.get("/seizures/flows")
def seizure_flows_route(
    analytics: Analytics,
    drug: Many = None,
    year: Year = None,
    unit: Annotated[str, Query(description="leg (each step of a route) or route (the whole path)")] = Unit.LEG,
    measure: Annotated[str, Query(description="seizures or kilograms: ranks routes and measures growth")] = (
        Measure.SEIZURES
    ),
    growth_threshold: Annotated[float, Query(description="growth factor from which a route is growing")] = 2.0,
    minimum_seizures: Annotated[Count, Query(description="seizures a growing route needs in the year")] = 2,
    top: Annotated[Count, Query(description="routes ranked as top per drug")] = 10,
) -> dict[str, Any]:
    """Trafficking routes of the approved individual seizures (departure → transit → destination) weighted by
    seizures and kilogram-equivalents, with the top routes per drug and the routes new or growing since the year
    before."""
    options = FlowOptions.of(unit, measure, growth_threshold, minimum_seizures, top)
    return flows_record(seizure_flows(analytics, drugs=drug or (), year=year, options=options))
