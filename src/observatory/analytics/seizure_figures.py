"""Seizure figures from the annual-seizures snapshot: trends by drug group (total, year-on-year change, compound
annual growth) and subregional, regional and global totals checked against the sum of their countries.

Every figure here is a headline figure: it counts only the rows the WDR conventions count (``headline``: no plant
material, a reported total never beside its own components; ``reference.seizure_conventions``). ``explain`` lists
every row of the group, counted or not, and the notes say what was left out.

DuckDB selects and sums; the methods are ``observatory.stats``'s. Inputs are cited as submissions with vintages.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pyarrow as pa
from sqlalchemy import Engine

from observatory.analytics.exact_sums import summed
from observatory.analytics.observations import vintages
from observatory.analytics.seizure_scan import Group, LeftOut, nulls_first, trend_scan
from observatory.analytics.seizures import DIMENSIONS, check_filter_values, dimension_values
from observatory.analytics.snapshot import DATASET as SEIZURES
from observatory.analytics.store import AnalyticsStore
from observatory.errors import BadInput
from observatory.reference.seizure_conventions import RULE, TOLERANCE, conventions
from observatory.stats.figure import Constant, Figure, Flag, FlagCode, InputRef, Method
from observatory.stats.provenance import FigureId, Identified
from observatory.stats.trends import compound_annual_growth, year_on_year

Area = tuple[str, str]
GLOBAL: Area = ("global", "World")
Rows = list[dict[str, Any]]
TOTAL = Method(
    "seizures/total",
    "Σ kg of the served records that count in a headline figure (no plant material; a reported total never beside "
    "its own components); a record not reported is left out, not read as 0",
)
#: The rule for a total reported beside its components, unconfirmed (``reference.seizure_conventions``).
TOTAL_RULE = Constant("seizures/total-rule", RULE, "METHODS.md §3 (our choice where both are reported)", False)
CHANGE = Method("trends/year-on-year", "(Σ kg in the year − Σ kg the year before) ÷ Σ kg the year before")
#: Per group, besides the kilograms' exact sum (``exact_sums``, rounded once as ``math.fsum`` rounds, so the same
#: rows give the same total whatever the grouping or order, here and in ``provenance.recompute``).
COUNTS = (
    "count(*) AS records, count(kilograms) AS reported, "
    "count(*) FILTER (WHERE total_check = 'total-differs') AS differing, count(covers) AS covered"
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
    groups = list(drug_groups) or dimension_values(store, "drug_group")
    if store.source(SEIZURES) is None or not groups:
        check_filter_values(store, filters)
        return []
    where, parameters = _where(groups, area)
    # A single group is only filtered on, not grouped by: DuckDB then groups on whole numbers alone, much faster.
    keys = ("year",) if len(groups) == 1 else ("drug_group", "year")
    scan = trend_scan(store, keys, where, parameters)
    if not set(groups) <= scan.groups_seen():
        # A value the data hold has rows, so every filter value is known when every group has some; otherwise
        # say which value is unknown (a group without rows in a known area is a trend with no records).
        check_filter_values(store, filters)
    rows = [{"drug_group": groups[0]} | group.row() for group in scan.sums]
    known = vintages(store)
    left_out = _left_out(groups, scan.left_out)
    return [
        _trend(
            _Series((("drug_group", group), *([area] if area else [])), _by_year(rows, group), known),
            start,
            end,
            left_out.get(group, []),
        )
        for group in groups
    ]


def seizure_area_totals(store: AnalyticsStore, drug_group: str, year: int) -> tuple[list[Identified], list[AreaCheck]]:
    """Subregional, regional and global kilograms of a drug group in a year, each checked against the sum of its
    countries' rows."""
    check_filter_values(store, {"drug_group": (drug_group,), "year": (year,)})
    where = "headline AND drug_group = ? AND year = ?"
    groups = _sums(store, ("region", "subregion", "country_iso3"), where, [drug_group, year])
    countries, known = [group.row() for group in groups], vintages(store)
    figures, checks = [], []
    for row in _areas(groups):
        level, area = _level(row)
        members = [c["kilograms"] for c in countries if _within(c, level, row) and c["kilograms"] is not None]
        checks.append(AreaCheck(level, area, row["kilograms"], math.fsum(members) if members else None))
        if row["kilograms"] is not None:
            selectors = (("drug_group", drug_group), *([] if level == "global" else [(level, area)]))
            figure = _total(row, year)
            figures.append(_Series(selectors, {year: row}, known).figure("seizures.total", (year, year), figure))
    return figures, checks


def seizure_figure_source(
    store: AnalyticsStore, _: Engine, figure_id: FigureId
) -> tuple[Sequence[Identified], Sequence[str], Rows]:
    """The trend the seizure figure ``figure_id`` belongs to, and the snapshot rows it is computed from."""
    group, years = figure_id.get("drug_group") or "", figure_id.years
    area = next(((name, value) for name, value in figure_id.selectors if name != "drug_group"), None)
    span = (years[0], years[-1]) if figure_id.kind == "seizures.cagr" else (None, None)
    (trend,) = seizure_trends(store, [group], area=area, start=span[0], end=span[1])
    where, parameters = _where([group], area)
    first = years[0] - 1 if figure_id.kind == "seizures.yoy" else years[0]
    rows = store.arrow(
        "SELECT submission_id, source_row, region, subregion, country_iso3 AS country, country AS country_name, "
        "drug_group, drug_subgroup, drug, year, kilograms, value_state, reported_total, plant_material, headline, "
        f"total_check FROM {store.source(SEIZURES)} WHERE {where} AND year BETWEEN ? AND ? "
        "ORDER BY year, country_iso3, drug_subgroup, drug",
        [*parameters, first, years[-1]],
    ).to_pylist()
    known = vintages(store)
    return trend.figures, trend.notes, [row | {"vintage": known.get(row["submission_id"])} for row in rows]


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


def _trend(series: _Series, start: int | None, end: int | None, left_out: Sequence[str] = ()) -> Trend:
    group = dict(series.selectors)["drug_group"]
    if not series.by_year:
        return Trend(group, pa.table({"year": pa.array([], pa.int64())}), (), (f"{group}: no records", *left_out))
    figures = [
        series.figure("seizures.total", (year, year), _total(row, year))
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
    return Trend(group, table, (*figures, *growth), (*notes, *left_out))


def _left_out(groups: Sequence[str], found: Mapping[tuple[str, Any], LeftOut]) -> dict[str, list[str]]:
    """Per drug group, what its headline figures include and leave out: the conventions that apply to it, and per
    year the plant material left out and the reported totals set against their components."""
    notes: dict[str, list[str]] = {}
    for entry in conventions():
        if entry.drug_group in groups:
            notes.setdefault(entry.drug_group, []).append(f"{entry.drug_group}: convention: {entry.describe()}")
    for (group, year), year_out in found.items():
        plants, used, skipped = year_out.plant_kilograms, year_out.totals_used, year_out.totals_left_out
        parts = []
        if plants is not None:
            parts.append(f"{plants:,.0f} kg of plant material left out ({year_out.names})")
        if used or skipped:
            parts.append(f"{used} reported total(s) counted instead of their components, {skipped} left out for them")
        if year_out.differing:
            parts.append(
                f"{year_out.differing} total(s) differ from the sum of their components by more than {TOLERANCE:.0%}"
            )
        if parts:
            notes.setdefault(group, []).append(f"{group} {year}: " + "; ".join(parts))
    return notes


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


def _total(row: Mapping[str, Any], year: int) -> Figure:
    """The headline total of a group's ``row``: it rests on the total rule where a total covers any of its rows,
    and is flagged where a total and its components differ by more than the tolerance."""
    figure = _measure(row["kilograms"], "kg", TOTAL, "kilograms", year)
    if row.get("covered"):
        figure = figure.depending_on(TOTAL_RULE)
    if row.get("differing"):
        message = f"a reported total and the sum of its components differ by more than {TOLERANCE:.0%}; larger used"
        figure = replace(figure, flags=(*figure.flags, Flag(FlagCode.TOTAL_DIFFERS, message)))
    return figure


def _measure(value: float, unit: str, method: Method, measure: str, year: int) -> Figure:
    return Figure(value=value, unit=unit, method=method, dimensions=(("measure", measure), ("year", str(year))))


def _sums(store: AnalyticsStore, keys: Sequence[str], where: str, parameters: Sequence[Any]) -> list[Group]:
    """The snapshot rows matching ``where``, summed by ``keys`` (in the order of the keys)."""
    columns = ", ".join((*keys, "submission_id"))
    source = store.source(SEIZURES)
    table, sums = summed(
        lambda kilograms: store.arrow(
            f"SELECT {columns}, {kilograms}, {COUNTS} FROM {source} WHERE {where} GROUP BY ALL", parameters
        ),
        "kilograms",
    )
    groups: dict[tuple[Any, ...], Group] = {}
    for index, total in enumerate(sums):
        key = tuple(table[name][index] for name in keys)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(dict(zip(keys, key, strict=True)))
        counts = {name: table[name][index] for name in ("records", "reported", "differing", "covered")}
        group.add(Group({}, total, submissions={table["submission_id"][index]}, **counts))
    return [groups[key] for key in sorted(groups, key=nulls_first)]


def _areas(countries: Sequence[Group]) -> Rows:
    """The world, each region and each subregion of the ``countries``, world first and each region before its
    subregions, their kilograms added up exactly from the countries' exact sums."""
    totals: dict[tuple[str | None, str | None], Group] = {}
    for country in countries:
        region, subregion = country.keys["region"], country.keys["subregion"]
        for key in ((None, None), (region, None), (region, subregion)):
            if key not in totals:
                totals[key] = Group({"region": key[0], "subregion": key[1]})
            totals[key].add(country)
    return [totals[key].row() for key in sorted(totals, key=nulls_first)]


def _by_year(rows: Rows, group: str) -> dict[int, dict[str, Any]]:
    return {int(row["year"]): row for row in rows if row["drug_group"] == group}


def _where(groups: Sequence[str], area: Area | None) -> tuple[str, list[Any]]:
    clauses, parameters = [f"drug_group IN ({', '.join('?' for _ in groups)})"], list(groups)
    if area is not None:
        clauses.append(f"{DIMENSIONS[area[0]]} = ?")
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


def _vintage(vintage: int | None) -> str | None:
    return None if vintage is None else str(vintage)
