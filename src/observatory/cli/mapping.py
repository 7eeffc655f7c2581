"""``observatory mapping``: propose, list and show the mappings that read providers' own files."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from observatory.cli.output import emit_json, err, reports_errors
from observatory.errors import SourceFileError
from observatory.settings import Settings

app = typer.Typer(help="Mappings of providers' own file layouts to data sets.", no_args_is_help=True)


@app.command("suggest")
@reports_errors
def suggest(
    file: Annotated[Path, typer.Argument(help="The file to read (CSV, XLSX, JSON).")],
    dataset: Annotated[str, typer.Option(help="The data set the file reports.")],
    country: Annotated[str | None, typer.Option(help="ISO3 of a national file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the proposal as JSON.")] = False,
    output: Annotated[Path | None, typer.Option(help="Write the mapping (its certain part) to this YAML file.")] = None,
) -> None:
    """Propose a mapping, with the confidence of each item; fuzzy matches are listed to confirm, never applied."""
    from observatory.reporting.declaration import declaration
    from observatory.reporting.mapping import suggest_mapping

    if not file.is_file():
        raise SourceFileError(f"{file}: file not found", [{"file": str(file)}])
    proposal = suggest_mapping(file.read_bytes(), file.name, declaration(dataset), country.upper() if country else None)
    if output is not None:
        output.write_text(proposal.mapping.to_yaml(), encoding="utf-8")
        err.print(f"mapping written to {output}")
    if as_json:
        emit_json(proposal.to_json())
        return
    sys.stdout.write(proposal.mapping.to_yaml())
    for item in proposal.items:
        if not item.applied:
            choices = f": {'; '.join(item.candidates)}?" if item.candidates else ""
            err.print(f"to confirm — {item.kind} {item.source!r} ({item.basis}){choices}", markup=False)


@app.command("list")
@reports_errors
def versions(
    dataset: Annotated[str, typer.Option(help="The data set.")],
    country: Annotated[str | None, typer.Option(help="ISO3; none: files of several countries.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The saved versions of the mapping for a data set and country."""
    from observatory.cli.bootstrap import open_records
    from observatory.cli.reporting import LOCAL_ADMIN
    from observatory.reporting.mapping import mapping_versions

    engine = open_records(Settings())
    try:
        found = mapping_versions(engine, LOCAL_ADMIN, dataset, country.upper() if country else None)
    finally:
        engine.dispose()
    rows = [{"id": s.id, "version": s.version, "saved_by": s.saved_by} for s in found]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        sys.stdout.write(f"mapping {row['id']}: version {row['version']}, saved by {row['saved_by']}\n")


@app.command("show")
@reports_errors
def show(mapping_id: Annotated[int, typer.Argument(help="The mapping's id (from `mapping list`).")]) -> None:
    """A saved mapping, as YAML."""
    from observatory.cli.bootstrap import open_records
    from observatory.cli.reporting import LOCAL_ADMIN
    from observatory.reporting.mapping import saved_mapping

    engine = open_records(Settings())
    try:
        found = saved_mapping(engine, LOCAL_ADMIN, mapping_id)
    finally:
        engine.dispose()
    sys.stdout.write(found.mapping.to_yaml())
