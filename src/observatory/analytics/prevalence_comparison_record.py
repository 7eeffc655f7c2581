"""The table 1.1 comparison as JSON-ready data and as CSV rows: cells, areas, the summary per level and measure
(median absolute relative difference, interval coverage, width ratio), the same pooled over global and regional
cells, the populations used, and the run's meta (``meta.basis`` names the population basis; ``meta.constants``
lists every constant the methods used, each with its source and whether it is confirmed)."""

from collections.abc import Iterable
from typing import Any

from observatory.analytics.prevalence_comparison import PUBLISHED_TABLE, TableComparison
from observatory.reference.population_15_64 import INDICATOR, SOURCE_ID, population_15_64
from observatory.reference.wdr_definitions import DEFINITIONS_FILE, table_definitions
from observatory.stats.comparison_coverage import pooled
from observatory.stats.drug_definitions import UNION, UNION_BEST
from observatory.stats.figure import Constant, Method
from observatory.stats.imputation import RANGE_CONSTANTS
from observatory.stats.population_ages import SHARE_RULE
from observatory.stats.population_basis import AreaPopulation, Basis
from observatory.stats.published_prevalence import published_sums
from observatory.stats.wdr_comparison import summary

Row = dict[str, Any]
CSV_AREA_COLUMNS = ("coverage", "share_imputed", "reporting", "countries", "first_year", "last_year")
MEASURES = ("prevalence", "users")


def comparison_record(result: TableComparison) -> Row:
    """Cells, areas, summary, the populations used and the published table's own sums, with the run's meta."""
    comparison = result.comparison
    return {
        "data": comparison.cells.to_pylist(),
        "areas": list(comparison.areas),
        "summary": [row for measure in MEASURES for row in summary(comparison, measure)],
        "headline": [pooled(comparison.cells, measure) for measure in MEASURES],
        "populations": [_population(area) for area in comparison.populations.areas],
        "published_checks": published_sums(result.published),
        "meta": {
            "table": "WDR 2025 annex table 1.1",
            "year": comparison.year,
            "basis": str(comparison.populations.basis),
            "basis_source": basis_source(result),
            "constants": [_constant(constant) for constant in constants(result)],
            "methods": [_method(method) for method in (UNION,)],
            "drug_definitions": definitions(),
            "national_rows": result.national.num_rows,
            "inputs": sorted(set(inputs(result))),
            "published_file": PUBLISHED_TABLE.name,
            "notes": list(result.notes),
        },
    }


def comparison_csv_rows(result: TableComparison) -> list[Row]:
    """One row per cell, with its area's coverage, years and reason codes."""
    areas = {(row["drug"], row["level"], row["area"]): row for row in result.comparison.areas}
    rows = []
    for cell in result.comparison.cells.to_pylist():
        area = areas[(cell["drug"], cell["level"], cell["area"])]
        rows.append(
            cell
            | {name: area[name] for name in CSV_AREA_COLUMNS}
            | {
                "basis": str(result.comparison.populations.basis),
                "reasons": "; ".join(reason["code"] for reason in area["reasons"]),
            }
        )
    return rows


def basis_source(result: TableComparison) -> str:
    """Where the basis's population comes from, with its vintage."""
    basis = result.comparison.populations.basis
    if basis is Basis.AGED:
        return f"{SOURCE_ID} (World Bank WDI {INDICATOR}, {population_15_64().vintage}), reference release"
    if basis is Basis.TOTAL:
        return "records store: World Bank total population (SP.POP.TOTL)"
    return "derived from the published table 1.1 itself (users ÷ prevalence): circular, for diagnosis only"


def constants(result: TableComparison) -> list[Constant]:
    """Every constant the comparison's methods used."""
    found = [result.comparison.populations.constant, *RANGE_CONSTANTS, UNION_BEST]
    if any(result.geography.column("population_15_64_estimated").to_pylist()):
        found.append(SHARE_RULE)
    return found


def definitions() -> list[Row]:
    """The drug definitions of table 1.1 as shipped (reference data)."""
    return [
        {
            "drug": drug,
            "series": [part.national_drug for part in definition.series],
            "components": [part.national_drug for part in definition.components],
            "includes_notes": {p.national_drug: p.includes_note for p in definition.components if p.includes_note},
            "only_other_notes": {
                p.national_drug: p.only_other_note for p in definition.components if p.only_other_note
            },
            "file": DEFINITIONS_FILE.name,
        }
        for drug, definition in table_definitions().items()
    ]


def inputs(result: TableComparison) -> Iterable[str]:
    sources, vintages = result.national.column("source").to_pylist(), result.national.column("vintage").to_pylist()
    yield from (f"{source}@{vintage}" for source, vintage in zip(sources, vintages, strict=True))
    if result.comparison.populations.basis is Basis.AGED:
        yield f"{SOURCE_ID}@{population_15_64().vintage}"


def _constant(constant: Constant) -> Row:
    return {"id": constant.id, "value": constant.value, "source": constant.source, "confirmed": constant.confirmed}


def _method(method: Method) -> Row:
    return {"id": method.id, "description": method.description, "confirmed": method.confirmed, "source": method.source}


def _population(area: AreaPopulation) -> Row:
    implied = area.implied
    return {
        "level": area.level,
        "area": area.area,
        "total": area.total,
        "aged_15_64": area.total * area.factor,
        "implied": implied.persons if implied else None,
        "implied_from": implied.drug if implied else None,
        "implied_spread": implied.spread if implied else None,
        "factor": area.factor,
        "rule": area.rule,
    }
