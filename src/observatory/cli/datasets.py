"""``observatory datasets``: the data sets in effect, the checks of an observatory's own declarations, and adding one.

An observatory's own data sets are YAML declarations in ``OBSERVATORY_DATASETS_DIR`` (``reporting.catalogue``).
"""

from pathlib import Path
from typing import Annotated

import typer

from observatory.cli.output import emit_json, err, reports_errors
from observatory.settings import Settings

app = typer.Typer(help="Data sets: list them, check declarations, add one.", no_args_is_help=True)


@app.command("list")
@reports_errors
def list_datasets(as_json: Annotated[bool, typer.Option("--json", help="Print them as JSON.")] = False) -> None:
    """Every data set in effect, the package's and the directory's; a file that declares none is listed as a problem
    (the command then exits 1)."""
    from observatory.reporting.catalogue import DatasetCatalogue

    catalogue = DatasetCatalogue.of(Settings())
    rows = [
        {"id": d.id, "title": d.title, "origin": catalogue.origin(d.id), "fields": len(d.all_fields())}
        for d in catalogue.declarations().values()
    ]
    problems = [problem.to_json() for problem in catalogue.problems()]
    if as_json:
        emit_json({"data": rows, "meta": {"directory": catalogue.directory, "problems": problems}})
    else:
        for row in rows:
            typer.echo(f"{row['id']:<28} {row['origin']:<10} {row['title']}")
    _report(problems)


@app.command("check")
@reports_errors
def check(
    path: Annotated[
        Path | None, typer.Argument(help="A declaration file or a directory; default: OBSERVATORY_DATASETS_DIR.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the problems as JSON.")] = False,
) -> None:
    """Check declarations as the platform would load them: each problem with its file, line and field; exits 1 if
    there is any."""
    from observatory.reporting.catalogue import DatasetCatalogue, DeclarationProblem, check_file

    if path is not None and path.is_file():
        found = check_file(path)
        problems = [found.to_json()] if isinstance(found, DeclarationProblem) else []
        good = [] if problems else [path.name]
    else:
        catalogue = DatasetCatalogue(path) if path is not None else DatasetCatalogue.of(Settings())
        if catalogue.directory is None:
            err.print("no data sets directory: set OBSERVATORY_DATASETS_DIR or name a file or directory")
            raise typer.Exit(1)
        problems = [problem.to_json() for problem in catalogue.problems()]
        good = [f"{dataset}.yaml" for dataset in catalogue.own()]
    if as_json:
        emit_json({"data": good, "meta": {"problems": problems}})
    else:
        for name in good:
            typer.echo(f"ok: {name}")
    _report(problems)


@app.command("add")
@reports_errors
def add(
    file: Annotated[Path, typer.Argument(help="The declaration (YAML).")],
    replace: Annotated[bool, typer.Option("--replace", help="Replace the directory's declaration of the same id.")] = (
        False
    ),
) -> None:
    """Check a declaration and write it to OBSERVATORY_DATASETS_DIR as <id>.yaml (audited as the local user)."""
    from observatory.access.policy import Principal, Role
    from observatory.cli.bootstrap import open_records
    from observatory.cli.users import cli_actor
    from observatory.errors import SourceFileError
    from observatory.reporting.catalogue import DatasetCatalogue, add_declaration

    if not file.is_file():
        raise SourceFileError(f"{file}: file not found", [{"file": str(file)}])
    settings = Settings()
    engine = open_records(settings)
    try:
        principal = Principal(cli_actor(), Role.ADMIN)
        declared = add_declaration(engine, principal, DatasetCatalogue.of(settings), file.read_bytes(), replace)
    finally:
        engine.dispose()
    err.print(f"data set {declared.id!r} ({declared.title}) declared in {settings.datasets_dir}")


def _report(problems: list[dict[str, object]]) -> None:
    for problem in problems:
        where = ", ".join(f"{key} {problem[key]}" for key in ("line", "field") if problem.get(key))
        err.print(f"problem: {problem['file']}{f' ({where})' if where else ''}: {problem['message']}", markup=False)
    if problems:
        raise typer.Exit(1)
