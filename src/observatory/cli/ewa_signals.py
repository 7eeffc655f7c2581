"""``observatory ewa evaluate`` and ``observatory ewa group-signals``: the detection methods on simulated outbreaks,
and on the monthly counts of events per substance group."""

import os
import shlex
import time
from pathlib import Path
from typing import Annotated

import typer

from observatory.cli.output import emit_json, err, reports_errors
from observatory.errors import BadInput
from observatory.settings import Settings

DEFAULT_SEED = 2013


@reports_errors
def evaluate(
    full: Annotated[
        bool, typer.Option("--full", help="Publication size: every scenario, 100 series each (minutes).")
    ] = False,
    series: Annotated[
        int | None, typer.Option(min=1, help="Series per scenario (default 2, or 100 with --full).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the random streams.")] = DEFAULT_SEED,
    workers: Annotated[
        int, typer.Option(min=1, help="Processes to spread the series over; the numbers do not depend on it.")
    ] = os.cpu_count() or 1,
    output: Annotated[Path | None, typer.Option(help="Write the Markdown report to this file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON instead of Markdown.")] = False,
) -> None:
    """Simulate weekly series with outbreaks at known times (Noufaily-style scenarios) and report each method's
    false-positive rate, probability of detection, sensitivity and timeliness beside the published range."""
    from observatory.ewa.signals import markdown_report, run_evaluation

    if output is not None and not output.parent.is_dir():
        raise BadInput(f"cannot write the report to {output}: folder {output.parent} does not exist")
    started = time.monotonic()
    with err.status("simulating and scoring…") as status:

        def progress(done: int, total: int) -> None:
            status.update(f"simulating and scoring: {done} of {total} batches of series")

        report = run_evaluation(seed=seed, n_series=series, full=full, workers=workers, progress=progress)
    elapsed = time.monotonic() - started
    command = _command(full, series, seed, output)
    if as_json:
        emit_json({"command": command, **report.to_dict()})
    elif output is None:
        print(markdown_report(report, command), end="")  # noqa: T201
    if output is not None:
        output.write_text(markdown_report(report, command), encoding="utf-8")
        err.print(f"wrote {output}")
    total = report.series_per_scenario * len(report.scenarios)
    err.print(f"{total:,} series scored by {len(report.methods)} methods in {elapsed:.0f} s ({workers} worker(s))")


@reports_errors
def group_signals(
    by: Annotated[str, typer.Option(help="family (chemical family) or group (UNODC NPS group).")] = "family",
    alarms_only: Annotated[bool, typer.Option("--alarms-only", help="Only series with an alarm.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The improved Farrington algorithm on the monthly count of events per substance group and source, over the
    events in the store (loaded by observatory ewa load)."""
    from observatory.cli.bootstrap import open_records
    from observatory.ewa.trends import group_signal_report

    engine = open_records(Settings())
    try:
        report = group_signal_report(engine, by)
    finally:
        engine.dispose()
    if as_json:
        emit_json(report.to_dict(alarms_only))
        return
    for signal in report.signals:
        if alarms_only and not signal.alarm_months:
            continue
        months = ", ".join(f"{month:%Y-%m}" for month in signal.alarm_months) or "no alarm"
        print(f"{signal.source}\t{signal.group}\t{signal.events}\t{months}")  # noqa: T201


def _command(full: bool, series: int | None, seed: int, output: Path | None) -> str:
    words = ["observatory", "ewa", "evaluate"]
    words += ["--full"] if full else []
    words += ["--series", str(series)] if series is not None else []
    words += ["--seed", str(seed)] if seed != DEFAULT_SEED else []
    words += ["--output", str(output)] if output is not None else []
    return shlex.join(words)
