"""Entry point of the ``observatory`` command."""

from pathlib import Path
from typing import Annotated

import typer

from observatory.cli import backup, datasets, ewa, mapping, policy, publication, reference, reporting, stats, users
from observatory.cli import review as review_commands
from observatory.cli.output import emit_json, err, reports_errors
from observatory.datasets import DEMO_SEIZURES
from observatory.settings import Settings

app = typer.Typer(help="Drug Observatory: open monitoring of the world drug problem.", no_args_is_help=True)
app.add_typer(reference.app, name="ref")
app.add_typer(users.app, name="user")
app.add_typer(policy.app)
app.add_typer(stats.app, name="stats")
app.add_typer(ewa.app, name="ewa")
app.add_typer(reporting.submission, name="submission")
app.add_typer(mapping.app, name="mapping")
app.add_typer(datasets.app, name="datasets")
app.add_typer(publication.app, name="release")
app.add_typer(review_commands.app, name="review")


@app.callback()
def _datasets_in_use() -> None:
    # The observatory's own data sets (OBSERVATORY_DATASETS_DIR) are in effect for the command, beside the package's.
    from observatory.reporting.catalogue import DatasetCatalogue
    from observatory.reporting.declaration import use_catalogue

    use_catalogue(DatasetCatalogue.of(Settings()))


app.command("submit")(reporting.submit)
app.command("template")(reporting.template)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)
app.command("purge-refused")(backup.purge_refused)


@app.command()
@reports_errors
def init() -> None:
    """Create or upgrade the records store to the newest schema."""
    from observatory.demo import initialise

    settings = Settings()
    initialise(settings).dispose()
    err.print(f"records store ready: {settings.records_url}")


@app.command()
@reports_errors
def demo(
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Print a JSON summary and exit.")] = False,
    seizures: Annotated[Path, typer.Option(help="WDR 7.1 seizures workbook to load.")] = DEMO_SEIZURES,
) -> None:
    """Initialise the store, load the real demo data, build the analytics snapshot and serve the portal."""
    from observatory.demo import run_demo

    settings = Settings()
    with err.status("loading the demo data (WDR 2025 seizures, population) and building the snapshot…"):
        summary = run_demo(settings, seizures)
    if no_serve:
        emit_json(summary)
        return
    groups = {row["drug_group"] for row in summary["seizures"]["by_drug_group_year"]}
    err.print(
        f"loaded {summary['seizures']['rows']} seizure records ({len(groups)} drug groups) "
        f"and {summary['population']['rows']} population figures"
    )
    _serve(settings)


@app.command()
@reports_errors
def serve() -> None:
    """Serve the web portal and the API."""
    from observatory.cli.bootstrap import open_records

    settings = Settings()
    open_records(settings).dispose()
    _serve(settings)


def _serve(settings: Settings) -> None:
    import uvicorn

    from observatory.web.app import create_app

    err.print(f"serving on http://{settings.host}:{settings.port}  (Ctrl+C to stop)")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")


@app.command()
@reports_errors
def bench(
    name: Annotated[str | None, typer.Argument(help="Run only this benchmark.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as one JSON object.")] = False,
    rows: Annotated[int | None, typer.Option(min=1000, help="Rows of generated data (default: per benchmark).")] = None,
    repeat: Annotated[int, typer.Option(min=1, help="Timed runs per engine; the median is reported.")] = 5,
) -> None:
    """Run the benchmarks: our layer against the limit (raw DuckDB) and a peer, as ratios.

    A benchmark whose peer is not installed (pip install -e '.[bench]') is listed under "skipped" and the command
    exits 1 after the others have run."""
    from observatory.bench.runner import run_benchmarks

    settings = Settings()
    results = run_benchmarks(settings.var_dir / "bench", name, rows=rows, repeat=repeat, progress=err)
    if as_json:
        emit_json(results)
    else:
        for result in results["benchmarks"]:
            err.print(
                f"{result['name']}: ours {result['ours_s']:.3f}s, {result['limit']} {result['limit_s']:.3f}s, "
                f"{result['peer']} {result['peer_s']:.3f}s; ratio to limit {result['ratio_to_limit']:.2f}, "
                f"speed-up vs peer {result['speedup_vs_peer']:.1f}× ({result['goal']})"
            )
    for skipped in results["skipped"]:
        err.print(
            f"error: {skipped['name']} not run: its peer needs {', '.join(skipped['missing'])}; "
            f"install it with {skipped['install']} (make bench does)",
            markup=False,
            highlight=False,
        )
    if results["skipped"]:
        raise typer.Exit(1)


def run() -> None:
    app()
