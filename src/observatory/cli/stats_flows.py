"""``observatory stats flows``: trafficking routes of the approved individual seizures, with the top, new and
growing routes of a year, as text, JSON or CSV."""

import csv
import sys
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

import typer

from observatory.analytics.seizure_flows import flows_record, seizure_flows
from observatory.cli.output import emit_json, err, reports_errors
from observatory.cli.stats_stores import stores
from observatory.errors import BadInput
from observatory.reference.formula_text import inert
from observatory.stats.flows import FlowOptions, Measure, Unit

CSV_COLUMNS = ("drug", "year", "route", "rank", "status", "seizures", "kilograms", "unconverted", "previous_seizures")


@reports_errors
def flows(
    drug: Annotated[list[str] | None, typer.Option(help="Repeat for several; all drugs when omitted.")] = None,
    year: Annotated[int | None, typer.Option(min=1900, max=2100, help="Default: the latest year.")] = None,
    unit: Annotated[Unit, typer.Option(help="Each leg of a route, or the whole route.")] = Unit.LEG,
    measure: Annotated[Measure, typer.Option(help="What ranks routes and measures growth.")] = Measure.SEIZURES,
    growth_threshold: Annotated[float, typer.Option(help="Growth factor from which a route is growing.")] = 2.0,
    minimum_seizures: Annotated[int, typer.Option(help="Seizures a growing route needs in the year.")] = 2,
    top: Annotated[int, typer.Option(help="Routes ranked as top per drug.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print one CSV row per route of the year.")] = False,
) -> None:
    """Trafficking routes (departure → transit → destination) weighted by seizures and kilogram-equivalents, with
    the top routes per drug and the routes new or growing since the year before."""
    if as_json and as_csv:
        raise BadInput("choose --json or --csv, not both")
    options = FlowOptions(unit, measure, growth_threshold, minimum_seizures, top)
    with stores() as (store, _):
        found = seizure_flows(store, drugs=drug or (), year=year, options=options)
    if as_json:
        emit_json(flows_record(found))
        return
    if as_csv:
        _print_csv(found.routes)
        return
    typer.echo(f"routes ({found.options.unit}) in {found.year}, ranked by {found.options.measure}")
    for row in found.routes:
        if row["top"] or row["status"] in ("new", "growing"):
            typer.echo(
                f"  {row['drug']}: #{row['rank']} {row['route']}  {row['seizures']} seizure(s), "
                f"{row['kilograms']:.6g} kg  [{row['status']}]"
            )
    for note in found.notes:
        err.print(f"note: {note}", markup=False, highlight=False)


def _print_csv(routes: Iterable[Mapping[str, Any]]) -> None:
    writer = csv.DictWriter(sys.stdout, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({name: inert(cell) for name, cell in route.items()} for route in routes)
