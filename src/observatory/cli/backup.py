"""``observatory backup``, ``restore`` and ``purge-refused``: the operator's housekeeping of the records store.

They act on the files and databases of the machine they run on, as its operator; the web API offers none of them.
Messages show the store's URL without its password.
"""

from pathlib import Path
from typing import Annotated

import typer

from observatory.cli.output import emit_json, err, reports_errors
from observatory.settings import Settings

AsJson = Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")]


@reports_errors
def backup(
    path: Annotated[Path, typer.Argument(help="The archive to write (a new file, outside the var folder).")],
    as_json: AsJson = False,
) -> None:
    """Write one consistent archive of the records store, its stored files and the settings without secrets."""
    from observatory.store.backup import backup as archive

    settings = Settings()
    with err.status(f"archiving the records store to {path}…"):
        manifest = archive(settings, path)
    if as_json:
        emit_json(manifest.to_json())
    rows = sum(manifest.tables.values())
    err.print(
        f"archived the {manifest.engine} records store (migration {manifest.alembic_revision}, "
        f"{len(manifest.tables)} tables, {rows} rows) to {path} ({path.stat().st_size} bytes)",
        markup=False,
        highlight=False,
    )


@reports_errors
def restore(
    path: Annotated[Path, typer.Argument(help="An archive written by `observatory backup`.")],
    as_json: AsJson = False,
) -> None:
    """Restore an archive into an empty store (empty var folder, empty database), then rebuild the analytics store.

    Every member is checked against its checksum first; a damaged archive changes nothing. The archive must come
    from a store of the same engine (SQLite or PostgreSQL)."""
    from observatory.analytics.refresh import refresh_analytics
    from observatory.store.backup import restore as unpack
    from observatory.store.engine import make_engine

    settings = Settings()
    with err.status(f"restoring {path}…"):
        restored = unpack(settings, path)
    engine = make_engine(settings.records_url)
    try:
        with err.status("rebuilding the analytics store from the records…"):
            snapshot = refresh_analytics(engine, settings.analytics_dir)
    finally:
        engine.dispose()
    manifest = restored.manifest
    if as_json:
        emit_json(
            {
                "manifest": manifest.to_json(),
                "upgraded_to": restored.upgraded_to,
                "analytics_files_written": len(snapshot.written),
            }
        )
    upgraded = f", upgraded to migration {restored.upgraded_to}" if restored.upgraded_to else ""
    err.print(
        f"restored the {manifest.engine} records store of {manifest.created} (migration "
        f"{manifest.alembic_revision}{upgraded}, {sum(manifest.tables.values())} rows); analytics store rebuilt "
        f"({len(snapshot.written)} files). The archive's settings.json holds the settings it was made with, "
        "without secrets: set OBSERVATORY_SECRET_KEY and the database password yourself.",
        markup=False,
        highlight=False,
    )


@reports_errors
def purge_refused(
    days: Annotated[
        int | None,
        typer.Option(min=0, help="Keep refused files this many days (default: OBSERVATORY_REFUSED_FILE_DAYS)."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List the files due, remove nothing.")] = False,
    as_json: AsJson = False,
) -> None:
    """Remove the bytes of files refused long enough ago (invalid or rejected); submissions and reports stay.

    Each purged file is audited. Run it daily, from cron or a systemd timer."""
    from observatory.cli.stats_stores import records
    from observatory.cli.users import cli_actor
    from observatory.reporting.retention import purge_refused_files

    settings = Settings()
    retention = settings.refused_file_days if days is None else days
    with records(settings) as engine:
        report = purge_refused_files(engine, cli_actor(), retention, dry_run=dry_run)
    if as_json:
        emit_json(report.to_json())
    verb = "due (dry run, nothing removed)" if dry_run else "purged"
    size = sum(file.size_bytes for file in report.files)
    err.print(
        f"refused files {verb}: {len(report.files)} ({size} bytes), refused before "
        f"{report.cutoff:%Y-%m-%d %H:%M} UTC, {retention} days kept",
        markup=False,
        highlight=False,
    )
