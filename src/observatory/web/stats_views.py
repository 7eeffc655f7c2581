"""What the table 1.1 comparison and trafficking-flow pages show, arranged for their templates: rows with the
lengths of their bars (as % of the longest), so the templates only draw."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from observatory.analytics.prevalence_comparison import TableComparison
from observatory.stats.comparison_coverage import pooled
from observatory.stats.flows import Flows
from observatory.stats.published_prevalence import DRUGS
from observatory.stats.wdr_comparison import summary

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Bar:
    """A bar from 0 to ``best`` with a whisker from ``low`` to ``high``, each in % of the chart's width."""

    best: float
    low: float
    high: float


def comparison_view(result: TableComparison, drug: str) -> Row:
    """The summary of both measures, and the rows of ``drug``'s areas with their bars."""
    cells: dict[tuple[str, str, str], dict[str, Row]] = {}
    for cell in result.comparison.cells.to_pylist():
        if cell["drug"] == drug:
            cells.setdefault((cell["area"], cell["measure"], cell["end"]), cell)
    prevalence = {area: _ends(cells, area, "prevalence") for area, _, _ in cells}
    longest = max((v for ends in prevalence.values() for side in ends.values() for v in side.values() if v), default=1)
    rows = []
    for area in (row for row in result.comparison.areas if row["drug"] == drug):
        ends = prevalence[area["area"]]
        users = _ends(cells, area["area"], "users")
        rows.append(
            area
            | {
                "prevalence": ends,
                "users": users,
                "difference": cells[(area["area"], "prevalence", "best")]["relative_difference"],
                "users_difference": cells[(area["area"], "users", "best")]["relative_difference"],
                "bars": {side: _bar(values, longest) for side, values in ends.items()},
            }
        )
    return {
        "summary": summary(result.comparison) + summary(result.comparison, "users"),
        "headline": [pooled(result.comparison.cells, measure) for measure in ("prevalence", "users")],
        "rows": rows,
        "drugs": [(d.id, d.title) for d in DRUGS],
        "title": next(d.title for d in DRUGS if d.id == drug),
        "longest": longest,
    }


def _ends(cells: dict[tuple[str, str, str], Row], area: str, measure: str) -> dict[str, dict[str, float | None]]:
    return {
        side: {end: cells[(area, measure, end)][side] for end in ("best", "low", "high")}
        for side in ("published", "ours")
    }


def _bar(values: dict[str, float | None], longest: float) -> Bar | None:
    best = values["best"]
    if best is None:
        return None
    low, high = (
        values["low"] if values["low"] is not None else best,
        values["high"] if values["high"] is not None else best,
    )
    return Bar(100 * best / longest, 100 * low / longest, 100 * high / longest)


def flows_view(flows: Flows) -> list[Row]:
    """Per drug: its top routes with bar lengths (by the ranking measure), and all its routes of the year."""
    measure = str(flows.options.measure)
    by_drug: defaultdict[str, list[Row]] = defaultdict(list)
    for row in flows.routes:
        by_drug[row["drug"]].append(row)
    views = []
    for drug, routes in by_drug.items():
        top = [row for row in routes if row["top"]]
        longest = max((row[measure] for row in top), default=0) or 1
        flagged = [row for row in routes if row["status"] in ("new", "growing") and not row["top"]]
        views.append(
            {
                "drug": drug,
                "routes": routes,
                "top": [row | {"bar": 100 * row[measure] / longest} for row in top],
                "flagged": flagged,
            }
        )
    return views
