"""``observatory ewa import``: bulk intake of a laboratory's or drug-checking service's event file."""

from pathlib import Path
from typing import Annotated

import typer

from observatory.cli.output import emit_json, err, reports_errors
from observatory.errors import BadInput
from observatory.settings import Settings


@reports_errors
def import_file(
    file: Annotated[Path, typer.Argument(help="The CSV file: one row per sample and substance found.")],
    kind: Annotated[str, typer.Option(help="drug-checking, toxicology, seizure-lab or first-identification.")],
    mapping: Annotated[str, typer.Option(help="'auto' (only certain headers) or a YAML mapping file.")] = "auto",
    source: Annotated[
        str | None, typer.Option(help="Event source key (default: the source whose site the file's URLs are on).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report; write nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import events from FILE: names resolved through the registry and its aliases, dates with their precision,
    samples already in the store matched, not duplicated; all written in one transaction, or nothing."""
    from observatory.cli.bootstrap import open_records
    from observatory.ewa.intake import import_events

    if not file.is_file():
        raise BadInput(f"{file} is not a file", [{"value": str(file)}])
    text = "auto" if mapping == "auto" else _mapping_text(Path(mapping))
    engine = open_records(Settings())
    try:
        with err.status(f"importing {file.name}…"):
            report = import_events(engine, file.read_bytes(), kind=kind, source=source, mapping=text, dry_run=dry_run)
    finally:
        engine.dispose()
    if as_json:
        emit_json(report)
        return
    err.print(
        f"{report['rows']} rows, {report['samples']} samples: {report['new_events']} new, "
        f"{report['matched_existing']} already recorded ({report['source']}); "
        f"{report['unresolved_rows']} rows with an unresolved name" + (" (dry run: nothing written)" if dry_run else "")
    )
    for name in report["unresolved"]:
        suggestions = ", ".join(name["suggestions"]) or "no close name"
        err.print(f"  unresolved {name['name']!r}: {suggestions}", markup=False, highlight=False)
    for column in report["unknown_columns"]:
        err.print(f"  column {column['column']!r} left out (closest fields: {column['suggestions']})", markup=False)


def _mapping_text(path: Path) -> str:
    if not path.is_file():
        raise BadInput(f"the mapping {path} is not a file; use 'auto' or a YAML file", [{"value": str(path)}])
    return path.read_text(encoding="utf-8")
