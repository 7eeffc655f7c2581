"""``observatory stats``: figures from the approved data and the calculators, as text, JSON or CSV.

Commands that read data refresh the observations snapshot first (only new approved submissions are written).
"""

import csv
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from observatory.analytics import figures
from observatory.analytics.refresh import refresh_analytics
from observatory.cli.output import emit_json, err, reports_errors
from observatory.cli.stats_flows import flows
from observatory.cli.stats_stores import records, stores
from observatory.cli.stats_wdr import wdr_1_1
from observatory.errors import BadInput
from observatory.reference.formula_text import inert
from observatory.settings import Settings
from observatory.stats.provenance import Identified, explanation_record, figure_record

app = typer.Typer(help="Statistics with intervals, methods, flags and provenance.", no_args_is_help=True)

app.command("wdr-1-1")(wdr_1_1)
app.command("flows")(flows)

AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
AsCsv = Annotated[bool, typer.Option("--csv", help="Print the figures as CSV, one row each.")]
Year = Annotated[int | None, typer.Option(min=1900, max=2100)]
CSV_COLUMNS = ("id", "value", "low", "high", "unit", "method", "method_confirmed", "flags", "inputs", "constants")


@app.command()
@reports_errors
def refresh() -> None:
    """Rebuild the analytics store from the records store: write served submissions, drop those no longer served."""
    settings = Settings()
    with records(settings) as engine:
        report = refresh_analytics(engine, settings.analytics_dir)
    err.print(
        f"analytics snapshot: {len(report.written)} written, {len(report.removed)} removed, {len(report.kept)} kept"
    )


@app.command("seizures-trend")
@reports_errors
def seizures_trend(
    drug_group: Annotated[list[str] | None, typer.Option(help="Repeat for several; all groups when omitted.")] = None,
    region: Annotated[str | None, typer.Option(help="Only this UNODC region.")] = None,
    start: Year = None,
    end: Year = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Kilograms by year, year-on-year change and compound annual growth by drug group."""
    with stores() as (store, _):
        area = ("region", region) if region else None
        trends = figures.seizure_trends(store, drug_group or (), area=area, start=start, end=end)
    items = [item for trend in trends for item in trend.figures]
    table = [{"drug_group": trend.drug_group, **row} for trend in trends for row in trend.table.to_pylist()]
    notes = [note for trend in trends for note in trend.notes]
    _emit(items, {"table": table, "meta": {"notes": notes}}, as_json, as_csv)


@app.command("seizure-totals")
@reports_errors
def seizure_totals(
    drug_group: Annotated[str, typer.Option()],
    year: Annotated[int, typer.Option(min=1900, max=2100)],
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Subregional, regional and global kilograms, each checked against the sum of its countries' rows."""
    with stores() as (store, _):
        items, checks = figures.seizure_area_totals(store, drug_group, year)
    rows = [{"level": c.level, "area": c.area, "total": c.total, "equal": c.equal} for c in checks]
    _emit(items, {"checks": rows, "meta": {"all_equal": all(c.equal for c in checks)}}, as_json, as_csv)


@app.command()
@reports_errors
def prevalence(
    drug: Annotated[str, typer.Option()],
    year: Annotated[int, typer.Option(min=1900, max=2100)],
    level: Annotated[list[str] | None, typer.Option(help="country, subregion, region, global (repeat)")] = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Past-year prevalence, users and population covered, from national estimates up to the world."""
    wanted = level or ["subregion", "region", "global"]
    with stores() as (store, _engine):
        result = figures.prevalence(store, figures.population_for(store, year), drug, year)
    items = [item for item in result.figures if dict(item.figure.dimensions)["level"] in wanted]
    _emit(items, {"meta": {"drug": drug, "year": year, "notes": list(result.notes)}}, as_json, as_csv)


@app.command("capture-recapture")
@reports_errors
def capture_recapture(
    n1: Annotated[int, typer.Argument(help="People in list 1.")],
    n2: Annotated[int, typer.Argument(help="People in list 2.")],
    m: Annotated[int, typer.Argument(help="People in both lists.")],
    interval: Annotated[str, typer.Option(help="suggested, binomial, normal or poisson")] = "suggested",
    confidence: float = 0.95,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Chapman's population size with its interval, and Lincoln–Petersen's, from two overlapping lists."""
    items = figures.capture_recapture(n1, n2, m, interval=interval, confidence=confidence)
    _emit(items, {"meta": {"n1": n1, "n2": n2, "m": m}}, as_json, as_csv)


@app.command()
@reports_errors
def multiplier(
    benchmark: Annotated[float, typer.Argument(help="Benchmark count, e.g. people in treatment.")],
    proportion: Annotated[float, typer.Argument(help="Proportion of the population in the benchmark, in (0, 1].")],
    low: Annotated[float | None, typer.Option(help="Low end of the proportion.")] = None,
    high: Annotated[float | None, typer.Option(help="High end of the proportion.")] = None,
    benchmark_low: float | None = None,
    benchmark_high: float | None = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Population size = benchmark ÷ proportion, with the interval from the ends of both."""
    ends = {
        "proportion_low": low,
        "proportion_high": high,
        "benchmark_low": benchmark_low,
        "benchmark_high": benchmark_high,
    }
    item = figures.multiplier(benchmark, proportion, **ends)
    _emit([item], {"meta": {}}, as_json, as_csv)


@app.command()
@reports_errors
def explain(
    figure_id: Annotated[str, typer.Argument(help="e.g. seizures.cagr/drug_group=Cocaine-type/2019-2023")],
    as_json: AsJson = False,
) -> None:
    """The inputs, vintages, constants and steps behind a figure, and its value recomputed from those inputs."""
    with stores() as (store, engine):
        explanation = figures.explain_figure(store, engine, figure_id)
    if as_json:
        emit_json({"data": explanation_record(explanation)})
        return
    _print_text([Identified(explanation.id, explanation.figure)])
    for number, step in enumerate(explanation.steps, start=1):
        typer.echo(f"  {number}. {step}")
    for ref in explanation.inputs:
        typer.echo(f"  input {ref.id}, vintage {ref.vintage or 'unknown'}")
    verdict = "the same value" if explanation.matches else "A DIFFERENT VALUE"
    typer.echo(f"recomputed from {len(explanation.rows)} listed row(s): {explanation.recomputed.value!r} ({verdict})")


def _emit(items: Sequence[Identified], extra: dict[str, Any], as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise BadInput("choose --json or --csv, not both")
    if as_json:
        emit_json({"data": [figure_record(item) for item in items], **extra})
    elif as_csv:
        _print_csv(items)
    else:
        _print_text(items)
        for note in extra.get("meta", {}).get("notes", []):
            err.print(f"note: {note}", markup=False, highlight=False)


def _print_csv(items: Sequence[Identified]) -> None:
    records = [figure_record(item) for item in items]
    dimensions = list(dict.fromkeys(name for record in records for name in record["dimensions"]))
    writer = csv.DictWriter(sys.stdout, [*CSV_COLUMNS[:1], *dimensions, *CSV_COLUMNS[1:]], lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = {
            **{name: record[name] for name in ("id", "value", "low", "high", "unit")},
            **record["dimensions"],
            "method": record["method"]["id"],
            "method_confirmed": record["method"]["confirmed"],
            "flags": "; ".join(flag["code"] for flag in record["flags"]),
            "inputs": "; ".join(f"{i['id']}@{i['vintage']}" for i in record["inputs"]),
            "constants": "; ".join(
                f"{c['id']}={c['value']}{'' if c['confirmed'] else ' (unconfirmed)'}" for c in record["constants"]
            ),
        }
        writer.writerow({name: inert(cell) for name, cell in row.items()})


def _print_text(items: Sequence[Identified]) -> None:
    for item in items:
        figure = item.figure
        interval = (
            f" [{figure.low:.6g} – {figure.high:.6g}]" if figure.low is not None and figure.high is not None else ""
        )
        flags = f"  flags: {', '.join(sorted(map(str, figure.flag_codes)))}" if figure.flags else ""
        typer.echo(f"{item.id}: {figure.value:.6g}{interval} {figure.unit} ({figure.method.id}){flags}")
