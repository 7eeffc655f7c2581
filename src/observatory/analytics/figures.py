"""Figures from the analytics snapshots, each with a stable id: seizure trends and area totals, prevalence
aggregates, the two population-size calculators, and the explanation of any figure from its id alone.

DuckDB selects and sums; every method is ``observatory.stats``'s. Inputs are cited as submissions with vintages.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pyarrow as pa
from sqlalchemy import Engine

from observatory.analytics.observations import distinct, latest_prevalence, vintages
from observatory.analytics.seizures import DATASET as SEIZURES
from observatory.analytics.seizures import check_filter_values, dimension_values
from observatory.analytics.store import AnalyticsStore
from observatory.errors import BadInput, NotFound
from observatory.reference.geography import Place, places
from observatory.reference.population import population
from observatory.stats.aggregation import aggregate_prevalence
from observatory.stats.capture_recapture import chapman, lincoln_petersen
from observatory.stats.figure import Constant, Figure, InputRef, Method
from observatory.stats.multiplier import benchmark_multiplier
from observatory.stats.prevalence_table import PrevalenceScale
from observatory.stats.provenance import (
    NATIONAL_SCHEMA,
    SEIZURE_COLUMNS,
    Explanation,
    FigureId,
    Identified,
    chapman_interval,
    explain,
    number,
    whole,
)
from observatory.stats.ranges import Range
from observatory.stats.trends import compound_annual_growth, year_on_year

Area = tuple[str, str]
GLOBAL: Area = ("global", "World")
Rows = list[dict[str, Any]]
TOTAL = Method("seizures/total", "Σ kg of the approved records; a record not reported is left out, not read as 0")
CHANGE = Method("trends/year-on-year", "(Σ kg in the year − Σ kg the year before) ÷ Σ kg the year before")
POPULATION_BASIS = Constant(
    "population-basis",
    "total population",
    "records store (World Bank total population); METHODS.md §4 weights by the population aged 15–64",
    confirmed=False,
)
PREVALENCE_KINDS = {"prevalence": "annual", "users": "users", "population-covered": "coverage"}
#: The reported quantities come back as a list, summed by ``math.fsum``: exactly rounded, so the same rows give
#: the same total whatever the grouping or order, here and in ``provenance.recompute``.
SUMS = (
    "list(kilograms) FILTER (WHERE kilograms IS NOT NULL) AS reported, count(*) AS records, "
    "count(*) - count(kilograms) AS missing_records, list(DISTINCT submission_id ORDER BY submission_id) AS submissions"
)


@dataclass(frozen=True, slots=True)
class Trend:
    drug_group: str
    #: One row per year from the first to the last: kilograms, change, relative change, status, records.
    table: pa.Table
    figures: tuple[Identified, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AreaCheck:
    level: str
    area: str
    total: float | None
    sum_of_countries: float | None

    @property
    def equal(self) -> bool:
        if self.total is None or self.sum_of_countries is None:
            return self.total is self.sum_of_countries
        return math.isclose(self.total, self.sum_of_countries, rel_tol=1e-12)


@dataclass(frozen=True, slots=True)
class Prevalence:
    figures: tuple[Identified, ...]
    #: The national table the figures come from, one row per country: the rows ``explain`` lists.
    national: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]


def seizure_trends(
    store: AnalyticsStore,
    drug_groups: Sequence[str] = (),
    *,
    area: Area | None = None,
    start: int | None = None,
    end: int | None = None,
) -> list[Trend]:
    """Per drug group (all when none given): kilograms by year, year-on-year change and compound annual growth."""
    filters: dict[str, tuple[str | int, ...]] = {"drug_group": tuple(drug_groups)} if drug_groups else {}
    filters |= {area[0]: (area[1],)} if area else {}
    check_filter_values(store, filters)
    groups = list(drug_groups) or dimension_values(store, "drug_group")
    source = store.source(SEIZURES)
    if source is None or not groups:
        return []
    where, parameters = _where(groups, area)
    sql = f"SELECT drug_group, year, {SUMS} FROM {source} WHERE {where} GROUP BY ALL ORDER BY drug_group, year"
    rows, known = _summed(store.arrow(sql, parameters)), vintages(store)
    return [
        _trend(_Series((("drug_group", group), *([area] if area else [])), _by_year(rows, group), known), start, end)
        for group in groups
    ]


def seizure_area_totals(store: AnalyticsStore, drug_group: str, year: int) -> tuple[list[Identified], list[AreaCheck]]:
    """Subregional, regional and global kilograms of a drug group in a year, each checked against the sum of its
    countries' rows."""
    check_filter_values(store, {"drug_group": (drug_group,), "year": (year,)})
    condition = f"FROM {store.source(SEIZURES)} WHERE drug_group = ? AND year = ?"
    sets = "GROUPING SETS ((), (region), (region, subregion)) ORDER BY region NULLS FIRST, subregion NULLS FIRST"
    areas = store.arrow(f"SELECT region, subregion, {SUMS} {condition} GROUP BY {sets}", [drug_group, year])
    country_sql = f"SELECT region, subregion, country_iso3, {SUMS} {condition} GROUP BY ALL"
    countries, known = _summed(store.arrow(country_sql, [drug_group, year])), vintages(store)
    figures, checks = [], []
    for row in _summed(areas):
        level, area = _level(row)
        members = [c["kilograms"] for c in countries if _within(c, level, row) and c["kilograms"] is not None]
        checks.append(AreaCheck(level, area, row["kilograms"], math.fsum(members) if members else None))
        if row["kilograms"] is not None:
            selectors = (("drug_group", drug_group), *([] if level == "global" else [(level, area)]))
            figure = _measure(row["kilograms"], "kg", TOTAL, "kilograms", year)
            figures.append(_Series(selectors, {year: row}, known).figure("seizures.total", (year, year), figure))
    return figures, checks


def population_for(engine: Engine, year: int) -> dict[str, float]:
    """Total population by ISO3 code in ``year``, from the records store."""
    rows = population(engine, years=[year])
    if not rows:
        raise BadInput(f"the records store has no population for {year}", [{"parameter": "year", "value": year}])
    return {row["country_iso3"]: float(row["persons"]) for row in rows}


def prevalence(store: AnalyticsStore, persons: Mapping[str, float], drug: str, year: int) -> Prevalence:
    """National, subregional, regional and global past-year prevalence of ``drug``, with users and coverage."""
    estimates = {row["country_iso3"]: row for row in latest_prevalence(store, drug, year).to_pylist()}
    if not estimates:
        drugs = distinct(store, "prevalence", "drug")
        raise BadInput(
            f"no approved past-year prevalence of {drug!r} in {year} or before; "
            f"drugs with estimates: {', '.join(drugs) or 'none'}",
            [{"parameter": "drug", "value": drug, "accepted": drugs}],
        )
    universe = [place for place in places() if _counted(place) and place.iso3 in persons]
    national = tuple(_national(place, persons[place.iso3], estimates.get(place.iso3)) for place in universe)
    notes = [f"{e['country_iso3']}: range {e['low']}–{e['high']} dropped" for e in estimates.values() if e["dropped"]]
    left_out = sorted(set(estimates) - {place.iso3 for place in universe})
    if left_out:
        notes.append(f"estimates left out (no WDR region or no {year} population): {', '.join(left_out)}")
    table = pa.Table.from_pylist(list(national), NATIONAL_SCHEMA)
    figures = aggregate_prevalence(table, scale=PrevalenceScale.PERCENT)
    return Prevalence(tuple(_prevalence_figure(f, drug, year) for f in figures), national, tuple(notes))


def capture_recapture(
    n1: int, n2: int, m: int, *, interval: str = "suggested", confidence: float = 0.95
) -> list[Identified]:
    """Chapman's estimate with its interval, then Lincoln–Petersen's; sources that do not overlap are refused."""
    if m == 0:
        raise BadInput(
            f"no overlap: no one is in both sources (m = 0, n₁ = {n1}, n₂ = {n2}), so they cannot tell how many "
            "both missed; capture–recapture needs m ≥ 1",
            [{"field": "m", "value": 0, "accepted": "m ≥ 1"}],
        )
    method = chapman_interval(interval)
    estimate = chapman(n1, n2, m, interval=method, confidence=confidence).labelled(estimator="chapman")
    counts = (("m", _text(m)), ("n1", _text(n1)), ("n2", _text(n2)))
    options = (("confidence", _text(confidence)), ("interval", str(method)))
    simple = lincoln_petersen(n1, n2, m).labelled(estimator="lincoln-petersen")
    return [
        Identified(FigureId("capture-recapture.chapman", (*counts, *options)), estimate),
        Identified(FigureId("capture-recapture.lincoln-petersen", counts), simple),
    ]


def multiplier(benchmark: float, proportion: float, **ends: float | None) -> Identified:
    """Benchmark ÷ proportion; the interval comes from ``ends`` (``benchmark_low``, ``benchmark_high``,
    ``proportion_low``, ``proportion_high``), an end not given being the best value."""
    unknown = sorted(set(ends) - {f"{name}_{end}" for name in ("benchmark", "proportion") for end in ("low", "high")})
    if unknown:
        raise BadInput(f"unknown end {unknown[0]!r} of a multiplier range", [{"field": name} for name in unknown])
    ranges = {
        name: Range(best, _or(ends.get(f"{name}_low"), best), _or(ends.get(f"{name}_high"), best))
        for name, best in (("benchmark", benchmark), ("proportion", proportion))
    }
    figure = benchmark_multiplier(ranges["benchmark"], ranges["proportion"])
    selectors = [
        (f"{name}{suffix}", _text(getattr(values, end)))
        for name, values in ranges.items()
        for suffix, end in (("", "best"), ("_low", "low"), ("_high", "high"))
    ]
    return Identified(FigureId("multiplier", tuple(selectors)), figure)


def explain_figure(store: AnalyticsStore, engine: Engine, text: str) -> Explanation:
    """The explanation of the figure ``text`` names: computed again, with the rows it comes from."""
    figure_id = FigureId.parse(text)
    item, rows = RESOLVERS[figure_id.kind.partition(".")[0]](store, engine, figure_id)
    return explain(item, rows)


@dataclass(frozen=True, slots=True)
class _Series:
    """One drug group's yearly sums (in one area, if given) and the vintages to cite them with."""

    selectors: tuple[tuple[str, str], ...]
    by_year: dict[int, dict[str, Any]]
    vintages: Mapping[int, int]

    def figure(self, kind: str, period: tuple[int, int], figure: Figure, since: int | None = None) -> Identified:
        """The figure with its id, its labels and the submissions of the years it reads (from ``since``)."""
        years = range(period[0] if since is None else since, period[1] + 1)
        cited = sorted({sid for year in years for sid in self.by_year.get(year, {}).get("submissions", [])})
        refs = [InputRef(f"annual-seizures/submission-{sid}", _vintage(self.vintages.get(sid))) for sid in cited]
        level, area = next(((name, value) for name, value in self.selectors if name != "drug_group"), GLOBAL)
        labelled = figure.labelled(level=level, area=area, **dict(self.selectors)).citing(*refs)
        return Identified(FigureId(kind, self.selectors, period), labelled)


def _trend(series: _Series, start: int | None, end: int | None) -> Trend:
    group = dict(series.selectors)["drug_group"]
    if not series.by_year:
        return Trend(group, pa.table({"year": pa.array([], pa.int64())}), (), (f"{group}: no records",))
    figures = [
        series.figure("seizures.total", (year, year), _measure(row["kilograms"], "kg", TOTAL, "kilograms", year))
        for year, row in series.by_year.items()
        if row["kilograms"] is not None
    ]
    values = [row["kilograms"] for row in series.by_year.values()]
    table = year_on_year(pa.table({"year": list(series.by_year), "value": values}))
    for change in table.to_pylist():
        if change["status"] == "ok":
            year = change["year"]
            figure = _measure(change["relative_change"], "proportion", CHANGE, "year-on-year", year)
            figures.append(series.figure("seizures.yoy", (year, year), figure, since=year - 1))
    growth, notes = _growth(series, table, start, end)
    counts = [series.by_year.get(year, {}) for year in table.column("year").to_pylist()]
    for name in ("records", "missing_records"):
        table = table.append_column(name, pa.array([row.get(name, 0) for row in counts], pa.int64()))
    return Trend(group, table, (*figures, *growth), tuple(notes))


def _growth(series: _Series, table: pa.Table, start: int | None, end: int | None) -> tuple[list[Identified], list[str]]:
    known = [year for year, row in series.by_year.items() if row["kilograms"] is not None]
    first = start if start is not None else min(known, default=0)
    last = end if end is not None else max(known, default=0)
    try:
        figure = compound_annual_growth(table, start=first, end=last)
    except BadInput as problem:
        if start is not None or end is not None:
            raise
        return [], [f"{dict(series.selectors)['drug_group']}: no compound annual growth: {problem.message}"]
    labelled = figure.labelled(measure="cagr", period=f"{first}-{last}")
    return [series.figure("seizures.cagr", (first, last), labelled)], []


def _measure(value: float, unit: str, method: Method, measure: str, year: int) -> Figure:
    return Figure(value=value, unit=unit, method=method, dimensions=(("measure", measure), ("year", str(year))))


def _summed(table: pa.Table) -> Rows:
    rows: Rows = table.to_pylist()
    for row in rows:
        reported = row.pop("reported") or []
        row["kilograms"] = math.fsum(reported) if reported else None
    return rows


def _by_year(rows: Rows, group: str) -> dict[int, dict[str, Any]]:
    return {int(row["year"]): row for row in rows if row["drug_group"] == group}


def _where(groups: Sequence[str], area: Area | None) -> tuple[str, list[Any]]:
    clauses, parameters = [f"drug_group IN ({', '.join('?' for _ in groups)})"], list(groups)
    if area is not None:
        clauses.append(f"{SEIZURE_COLUMNS[area[0]]} = ?")
        parameters.append(area[1])
    return " AND ".join(clauses), parameters


def _level(row: Mapping[str, Any]) -> Area:
    if row["region"] is None:
        return GLOBAL
    return ("region", row["region"]) if row["subregion"] is None else ("subregion", row["subregion"])


def _within(country: Mapping[str, Any], level: str, area: Mapping[str, Any]) -> bool:
    return level == "global" or (
        country["region"] == area["region"] and (level == "region" or country["subregion"] == area["subregion"])
    )


def _counted(place: Place) -> bool:
    return bool(place.unodc_region and place.unodc_subregion) and place.valid_from is None and place.valid_to is None


def _national(place: Place, persons: float, estimate: Mapping[str, Any] | None) -> dict[str, Any]:
    row = {"country": place.iso3, "subregion": place.unodc_subregion, "region": place.unodc_region}
    if estimate is None:
        return row | {"population": persons}
    low, high = (None, None) if estimate["dropped"] else (estimate["low"], estimate["high"])
    return row | {
        "population": persons,
        "best": estimate["best"],
        "low": low,
        "high": high,
        "source": f"prevalence/submission-{estimate['submission_id']}",
        "vintage": _vintage(estimate["vintage"]),
        "estimate_year": estimate["estimate_year"],
        "submission_id": estimate["submission_id"],
    }


def _prevalence_figure(figure: Figure, drug: str, year: int) -> Identified:
    labels = dict(figure.dimensions)
    selectors = (("drug", drug), ("level", labels["level"]), ("area", labels["area"]))
    figure_id = FigureId(f"prevalence.{PREVALENCE_KINDS[labels['measure']]}", selectors, (year, year))
    based = replace(figure, constants=(*figure.constants, POPULATION_BASIS))
    return Identified(figure_id, based.labelled(drug=drug, year=str(year)))


def _seizure_source(store: AnalyticsStore, _: Engine, figure_id: FigureId) -> tuple[Identified, Rows]:
    group, years = figure_id.get("drug_group") or "", figure_id.years
    area = next(((name, value) for name, value in figure_id.selectors if name != "drug_group"), None)
    span = (years[0], years[-1]) if figure_id.kind == "seizures.cagr" else (None, None)
    (trend,) = seizure_trends(store, [group], area=area, start=span[0], end=span[1])
    where, parameters = _where([group], area)
    first = years[0] - 1 if figure_id.kind == "seizures.yoy" else years[0]
    rows = store.arrow(
        "SELECT submission_id, region, subregion, country, country_iso3, drug_group, drug, year, kilograms, "
        f"value_state FROM {store.source(SEIZURES)} WHERE {where} AND year BETWEEN ? AND ? "
        "ORDER BY year, country_iso3, drug",
        [*parameters, first, years[-1]],
    ).to_pylist()
    known = vintages(store)
    cited = [row | {"vintage": known.get(row["submission_id"])} for row in rows]
    return _find(figure_id, trend.figures, trend.notes), cited


def _prevalence_source(store: AnalyticsStore, engine: Engine, figure_id: FigureId) -> tuple[Identified, Rows]:
    year = figure_id.years[0]
    result = prevalence(store, population_for(engine, year), figure_id.get("drug") or "", year)
    return _find(figure_id, result.figures, result.notes), list(result.national)


def _calculator(_: AnalyticsStore, __: Engine, figure_id: FigureId) -> tuple[Identified, Rows]:
    row = dict(figure_id.selectors)
    if figure_id.kind == "multiplier":
        ends = {name: number(row, name) for name in row}
        figure = multiplier(ends.pop("benchmark"), ends.pop("proportion"), **ends).figure
    else:
        counts = (whole(row, "n1"), whole(row, "n2"), whole(row, "m"))
        interval, confidence = row.get("interval", "suggested"), number(row, "confidence", 0.95)
        chosen, simple = capture_recapture(*counts, interval=interval, confidence=confidence)
        figure = (chosen if figure_id.kind.endswith("chapman") else simple).figure
    return Identified(figure_id, figure), [row]


def _find(figure_id: FigureId, items: Sequence[Identified], notes: Sequence[str]) -> Identified:
    for item in items:
        if item.id == figure_id:
            return item
    why = f": {'; '.join(notes)}" if notes else ""
    raise NotFound(f"no figure {figure_id} in the approved data{why}", [{"id": str(figure_id)}])


def _text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def _vintage(vintage: int | None) -> str | None:
    return None if vintage is None else str(vintage)


RESOLVERS: dict[str, Callable[[AnalyticsStore, Engine, FigureId], tuple[Identified, Rows]]] = {
    "seizures": _seizure_source,
    "prevalence": _prevalence_source,
    "capture-recapture": _calculator,
    "multiplier": _calculator,
}
