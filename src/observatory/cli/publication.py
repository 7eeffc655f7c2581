"""``observatory release build|list|verify``: freeze, list and check the releases of the published data."""

from typing import Annotated

import typer

from observatory.cli.output import emit_json, err, reports_errors
from observatory.settings import Settings

app = typer.Typer(help="Releases: immutable, citable vintages of the published data.", no_args_is_help=True)
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


@app.command("build")
@reports_errors
def build(as_json: AsJson = False) -> None:
    """Freeze what is published now as the next release (``<var>/releases/<YYYY.N>/``)."""
    from observatory.analytics.store import AnalyticsStore
    from observatory.publication import build_release
    from observatory.store.engine import make_engine

    settings = Settings()
    engine, store = make_engine(settings.records_url), AnalyticsStore(settings.analytics_dir)
    try:
        with err.status("building the release…"):
            made = build_release(engine, store, settings.var_dir)
    finally:
        store.close()
        engine.dispose()
    if as_json:
        emit_json({"version": made.version, "path": str(made.path.resolve())})
    err.print(f"release {made.version}: {made.observations} observations in {made.path}", markup=False)


@app.command("list")
@reports_errors
def list_(as_json: AsJson = False) -> None:
    """Every release, newest first."""
    from observatory.publication import list_releases
    from observatory.store.engine import make_engine

    settings = Settings()
    found = list_releases(make_engine(settings.records_url), settings.var_dir)
    if as_json:
        emit_json({"releases": [item.to_json() for item in found]})
    for item in found:
        err.print(f"{item.version}  {item.created_at:%Y-%m-%d}  {item.observations} observations", markup=False)


@app.command("verify")
@reports_errors
def verify(
    version: Annotated[str, typer.Argument(help="A release, or latest.")] = "latest", as_json: AsJson = False
) -> None:
    """Rebuild a release from its frozen tables and compare every file byte for byte."""
    from observatory.publication import verify_release
    from observatory.store.engine import make_engine

    settings = Settings()
    differ = verify_release(make_engine(settings.records_url), settings.var_dir, version)
    if as_json:
        emit_json({"version": version, "identical": not differ, "differ": differ})
    if differ:
        err.print(f"release {version}: {len(differ)} file(s) differ: {', '.join(differ)}", markup=False)
        raise typer.Exit(1)
    err.print(f"release {version}: every file rebuilds byte for byte", markup=False)
