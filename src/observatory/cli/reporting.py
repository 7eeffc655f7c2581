"""``observatory submit`` and ``observatory submission``: country reporting from the command line."""

from pathlib import Path
from typing import Annotated

import typer

from observatory.access.policy import Principal, Role
from observatory.cli.output import emit_json, err, reports_errors
from observatory.errors import SourceFileError
from observatory.settings import Settings

LOCAL_ADMIN = Principal("local-admin", Role.ADMIN)
submission = typer.Typer(help="Submissions: read them and move them through their lifecycle.", no_args_is_help=True)


def _principal(username: str | None) -> Principal:
    if username is None:
        return LOCAL_ADMIN
    from observatory.access.users import principal_of
    from observatory.cli.bootstrap import open_records

    engine = open_records(Settings())
    try:
        return principal_of(engine, username)
    finally:
        engine.dispose()


@reports_errors
def submit(
    file: Annotated[Path, typer.Argument(help="CSV, XLSX, JSON or SDMX file.")],
    dataset: Annotated[str, typer.Option(help="annual-seizures, individual-seizures, prevalence, drug-prices, ...")],
    country: Annotated[str | None, typer.Option(help="ISO3: every row must be this country.")] = None,
    corrects: Annotated[int | None, typer.Option(help="Id of the published submission this corrects.")] = None,
    layout: Annotated[str | None, typer.Option(help="The data set's layout, when a file fits several.")] = None,
    as_user: Annotated[str | None, typer.Option("--as", help="Act as this user instead of the local admin.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    mapping: Annotated[
        str | None,
        typer.Option(
            help="Read the file through a mapping: auto, saved, or a mapping file (YAML, as `mapping suggest`)."
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only: record nothing.")] = False,
) -> None:
    """Check a file as a data set and record it; exits 1 if anything blocks it."""
    from observatory.cli.bootstrap import open_records
    from observatory.reporting.mapping import chosen_mapping
    from observatory.reporting.submit import submit_file

    if not file.is_file():
        raise SourceFileError(f"{file}: file not found", [{"file": str(file)}])
    principal = _principal(as_user)
    engine = open_records(Settings())
    code = country.upper() if country else None
    data = file.read_bytes()
    try:
        spec = _mapping_text(mapping)
        chosen = chosen_mapping(engine, spec, data, file.name, dataset, code)
        result = submit_file(
            engine, principal, data, file.name, dataset, code, corrects, layout, mapping=chosen, dry_run=dry_run
        )
    finally:
        engine.dispose()
    report = {
        **result.report,
        "dry_run": dry_run,
        "submission_id": result.submission_id,
        "status": result.status,
        "values_stored": result.values_stored,
    }
    if as_json:
        emit_json(report)
    else:
        for problem in [*result.report["errors"], *result.report["warnings"]]:
            err.print(
                f"{problem['severity']}: row {problem['row']}, {problem['column']}: {problem['message']}",
                markup=False,
                highlight=False,
            )
        if dry_run:
            err.print(f"dry run: the file would be {result.status}; nothing was recorded")
        else:
            err.print(f"submission {result.submission_id}: {result.status}, {result.values_stored} values stored")
    if not result.report["ok"]:
        raise typer.Exit(1)


def _mapping_text(mapping: str | None) -> str | None:
    """``auto`` and ``saved`` as they are; anything else is a mapping file, read as text."""
    if mapping is None or mapping in ("auto", "saved"):
        return mapping
    path = Path(mapping)
    if not path.is_file():
        raise SourceFileError(f"{mapping}: no such mapping file (or say auto or saved)", [{"file": mapping}])
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceFileError(f"{mapping}: a mapping file is UTF-8 text", [{"file": mapping}]) from exc


@submission.command("step")
@reports_errors
def step(
    submission_id: int,
    action: Annotated[str, typer.Argument(help="acknowledge, approve, unapprove, reject, accept, publish, unpublish…")],
    comment: Annotated[str | None, typer.Option(help="Why (to reject, unapprove, unpublish, acknowledge).")] = None,
    override: Annotated[
        str | None,
        typer.Option(help="Why you approve or publish a submission you uploaded yourself (four eyes; admins only)."),
    ] = None,
    as_user: Annotated[str | None, typer.Option("--as", help="Act as this user instead of the local admin.")] = None,
) -> None:
    """Move a submission one step in its lifecycle.

    Who uploaded a submission does not approve or publish it. The local admin (no --as) is one person: a file it
    submitted (``observatory submit`` without --as) is approved and published --as another user, or by the local
    admin with --override "why", which the submission's history keeps."""
    from observatory.access.policy import FourEyes
    from observatory.demo import initialise
    from observatory.reporting.workflow import apply_step

    principal = _principal(as_user)
    engine = initialise(Settings())
    try:
        result = apply_step(
            engine, principal, submission_id, action, comment, analytics=Settings().analytics_dir, override=override
        )
    except FourEyes as exc:
        hint = '; or --override "why"' if principal.role is Role.ADMIN else ""
        raise FourEyes(f"{exc.message}. Act --as another user{hint}", exc.details) from exc
    finally:
        engine.dispose()
    emit_json(
        {
            "submission_id": result.submission_id,
            "from": result.from_status,
            "to": result.to_status,
            "four_eyes_override": result.override,
        }
    )


@submission.command("show")
@reports_errors
def show(submission_id: int) -> None:
    """A submission with its report and history, as JSON."""
    from observatory.cli.bootstrap import open_records
    from observatory.reporting.submissions import submission_detail

    engine = open_records(Settings())
    try:
        emit_json(submission_detail(engine, LOCAL_ADMIN, submission_id))
    finally:
        engine.dispose()


@submission.command("export")
@reports_errors
def export(
    submission_id: int,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of to standard output.")
    ] = None,
    as_user: Annotated[str | None, typer.Option("--as", help="Act as this user instead of the local admin.")] = None,
) -> None:
    """The stored values of a submission as CSV: one line per value, with its source cell, state and reason."""
    from observatory.cli.bootstrap import open_records
    from observatory.reporting.export import submission_csv

    principal = _principal(as_user)
    engine = open_records(Settings())
    try:
        text = submission_csv(engine, principal, submission_id)
    finally:
        engine.dispose()
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")


@reports_errors
def template(
    dataset: str,
    country: Annotated[str, typer.Option(help="ISO3 code of the country.")],
    year: Annotated[int, typer.Option(help="The year the template is for.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the .xlsx.")],
    as_user: Annotated[str | None, typer.Option("--as", help="Act as this user instead of the local admin.")] = None,
) -> None:
    """Write an Excel template for a country and year, pre-filled with last year's rows."""
    from observatory.cli.bootstrap import open_records
    from observatory.reporting.templates import country_template

    principal = _principal(as_user)
    engine = open_records(Settings())
    try:
        content = country_template(engine, principal, dataset, country, year)
    finally:
        engine.dispose()
    output.write_bytes(content)
    err.print(f"wrote {output} ({len(content):,} bytes)")
