"""``observatory stats wdr-1-1``: WDR table 1.1 rebuilt from the approved national estimates, beside the
published table, as text, JSON, CSV or a Markdown report."""

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer

from observatory.analytics.prevalence_comparison import TableComparison, compare_wdr_1_1
from observatory.analytics.prevalence_comparison_record import comparison_csv_rows, comparison_record
from observatory.analytics.prevalence_comparison_report import markdown_report
from observatory.analytics.prevalence_figures import population_for
from observatory.cli.output import emit_json, err, reports_errors
from observatory.cli.stats_stores import stores
from observatory.errors import BadInput
from observatory.reference.formula_text import inert
from observatory.stats.comparison_coverage import pooled
from observatory.stats.population_basis import DEFAULT_BASIS, Basis
from observatory.stats.wdr_comparison import summary

REPORT_COMMAND = "observatory stats wdr-1-1 --report"


@reports_errors
def wdr_1_1(
    basis: Annotated[
        Basis, typer.Option(help="Population prevalence is weighted by (15-64: the WDR's, from reference data).")
    ] = DEFAULT_BASIS,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print one CSV row per cell.")] = False,
    report: Annotated[
        Path | None, typer.Option(help="Write the Markdown report (15-64, beside total and derived) to this file.")
    ] = None,
) -> None:
    """WDR table 1.1 (prevalence and users by region, 2023) rebuilt from the national estimates, cell by cell
    beside the published table, with coverage, share imputed and the reasons for each difference."""
    if sum((as_json, as_csv, report is not None)) > 1:
        raise BadInput("choose one of --json, --csv and --report")
    with stores() as (store, _engine):
        persons = population_for(store, 2023)
        chosen = [basis] if report is None else [DEFAULT_BASIS, Basis.TOTAL, Basis.DERIVED]
        results = [compare_wdr_1_1(store, persons, basis=name) for name in chosen]
    if report is not None:
        report.write_text(markdown_report(results, f"{REPORT_COMMAND} {report}"), encoding="utf-8")
        err.print(f"report written to {report}")
    elif as_json:
        emit_json(comparison_record(results[0]))
    elif as_csv:
        _print_csv(results[0])
    else:
        _print_text(results[0])


def _print_csv(result: TableComparison) -> None:
    rows = comparison_csv_rows(result)
    writer = csv.DictWriter(sys.stdout, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({name: inert(cell) for name, cell in row.items()} for row in rows)


def _print_text(result: TableComparison) -> None:
    comparison = result.comparison
    typer.echo(f"WDR table 1.1, {comparison.year}, {comparison.populations.basis} population basis")
    for row in summary(comparison) + summary(comparison, "users"):
        typer.echo(
            f"  {row['measure']:<10} {row['level']:<9} {row['cells']:>3} cells, median |Δ| "
            f"{_share(row['median_absolute_relative_difference'])}, within 10 %: {row['within_10_percent']}, "
            f"within 25 %: {row['within_25_percent']}, published best in our range: "
            f"{row['published_best_inside_ours']}/{row['range_cells']}, median width ratio "
            f"{_ratio(row['median_width_ratio'])}"
        )
    for row in (pooled(comparison.cells, "prevalence"), pooled(comparison.cells, "users")):
        typer.echo(
            f"  {row['measure']:<10} global and regional: median |Δ| "
            f"{_share(row['median_absolute_relative_difference'])}, "
            f"coverage {row['published_best_inside_ours']}/{row['range_cells']} "
            f"({_share(row['interval_coverage'])}), median width ratio {_ratio(row['median_width_ratio'])}"
        )
    for cell in comparison.cells.to_pylist():
        if cell["level"] == "global" and cell["end"] == "best" and cell["relative_difference"] is not None:
            typer.echo(
                f"  World {cell['drug']:<13} {cell['measure']:<10} ours {cell['ours']:.6g}, published "
                f"{cell['published']:.6g} ({100 * cell['relative_difference']:+.1f} %)"
            )
    for note in result.notes:
        err.print(f"note: {note}", markup=False, highlight=False)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"
