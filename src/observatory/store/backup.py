"""Backing up the records store into one archive, and restoring an archive into an empty store.

What is archived (``store.archive`` describes the format):

* the records store, as one consistent copy: SQLite's online backup, or pg_dump in a snapshot. Received files,
  good-practice attachments and the policy search index live in it, so they come with it;
* files of the var folder that are not derived (none yet): ``analytics/`` is rebuilt from the records after a
  restore, ``bench/`` is generated; an archive is never written into the var folder, or the next would carry it;
* the settings without secrets (no password in the URL, no secret key), for the operator to read: a restore takes
  its settings from the environment, as every command does.

A restore goes into an empty target only (an empty or absent var folder, and an empty SQLite file or PostgreSQL
database or schema) of the engine the archive was made on; across engines is not supported. Every member is
checked against its checksum before anything is placed; a damaged archive leaves the target as it was. An archive
made at an older migration is restored, then upgraded to this version's schema, as ``observatory init`` would.
"""

import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from pydantic import SecretStr
from sqlalchemy import Engine

from observatory import __version__
from observatory.errors import BadInput, Conflict
from observatory.settings import Settings
from observatory.store import backup_postgres, backup_sqlite
from observatory.store.archive import (
    MANIFEST,
    SETTINGS,
    VAR,
    DamagedArchive,
    Manifest,
    move_into,
    read_archive,
    write_archive,
)
from observatory.store.engine import make_engine
from observatory.store.migrate import alembic_config, upgrade

#: Folders of the var folder that are derived from the records store or generated, and never archived.
DERIVED = ("analytics", "bench")


class RestoreTargetNotEmpty(Conflict):
    code = "restore-target-not-empty"


class EngineMismatch(Conflict):
    code = "restore-engine-mismatch"


class ArchiveTooNew(Conflict):
    code = "archive-from-newer-version"


@dataclass(frozen=True, slots=True)
class Restored:
    manifest: Manifest
    #: The revision the store was upgraded to after the restore; None when the archive was at this version's.
    upgraded_to: str | None
    #: The settings the archive was made with, without secrets.
    settings: dict[str, Any]


def backup(settings: Settings, path: Path) -> Manifest:
    """Write one archive of the store of ``settings`` to ``path``, which must not exist yet."""
    path = path.absolute()
    if path.exists():
        raise Conflict(f"{path} exists: a backup never overwrites a file; choose a new name")
    if path.is_relative_to(settings.var_dir.absolute()):
        raise BadInput(f"{path} is inside the var folder {settings.var_dir}: the next backup would carry it")
    path.parent.mkdir(parents=True, exist_ok=True)
    var_files = _var_files(settings)
    engine = make_engine(settings.records_url)
    try:
        with tempfile.TemporaryDirectory(prefix=f".{path.name}.", dir=path.parent) as folder:
            work = Path(folder)
            manifest, records = _copy_records(settings, engine, work, sorted(var_files))
            (work / MANIFEST).write_text(json.dumps(manifest.to_json(), indent=2) + "\n", "utf-8")
            (work / SETTINGS).write_text(json.dumps(public_settings(settings), indent=2, default=str) + "\n", "utf-8")
            members = {MANIFEST: work / MANIFEST, SETTINGS: work / SETTINGS, manifest.records: records}
            members |= {VAR + name: file for name, file in var_files.items()}
            write_archive(path, members)
    finally:
        engine.dispose()
    return manifest


def restore(settings: Settings, path: Path) -> Restored:
    """Restore the archive ``path`` into the empty store of ``settings``; the caller rebuilds the analytics store."""
    engine = make_engine(settings.records_url)
    try:
        _require_empty(settings, engine)
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=settings.var_dir))
        try:
            manifest, members = read_archive(path, staging)
            archived = _archived_settings(members[SETTINGS])
            _check_compatible(manifest, engine)
            if engine.dialect.name == "sqlite":
                _place_sqlite(settings, members, manifest)
            else:
                script = staging / "restore.sql"
                backup_postgres.load(
                    engine, members[manifest.records], manifest.schema or "public", manifest.tables, script
                )
            for name in manifest.var_files:
                move_into(members[VAR + name], settings.var_dir / name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        upgraded = _upgrade_if_older(engine, manifest.alembic_revision)
    finally:
        engine.dispose()
    return Restored(manifest, upgraded, archived)


def public_settings(settings: Settings) -> dict[str, Any]:
    """Every setting but the secrets; the database URL without its password."""
    values: dict[str, Any] = {}
    left_out: list[str] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            left_out.append(name)
        elif name == "database_url" and value:
            values[name] = backup_postgres.without_password(value).render_as_string(hide_password=False)
        else:
            values[name] = value
    return {"settings": values, "secrets_left_out": left_out}


def _archived_settings(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text("utf-8"))
    except ValueError as error:
        raise DamagedArchive(f"{SETTINGS} is not JSON: {error}") from None
    return document if isinstance(document, dict) else {}


def _copy_records(settings: Settings, engine: Engine, work: Path, var_files: list[str]) -> tuple[Manifest, Path]:
    created = datetime.now(UTC).isoformat(timespec="seconds")
    if engine.dialect.name == "sqlite":
        records = work / "records.sqlite"
        backup_sqlite.copy_database(backup_sqlite.database_file(settings.records_url), records)
        revision, tables = backup_sqlite.revision(records), backup_sqlite.table_counts(records)
        return Manifest(__version__, "sqlite", revision, created, tables, records.name, None, var_files), records
    records = work / "records.sql"
    dumped = backup_postgres.dump(engine, records)
    manifest = Manifest(
        __version__, "postgresql", dumped.revision, created, dumped.tables, records.name, dumped.schema, var_files
    )
    return manifest, records


def _var_files(settings: Settings) -> dict[str, Path]:
    """Files of the var folder that are neither derived nor the SQLite store itself, by their relative name."""
    root = settings.var_dir
    if not root.is_dir():
        return {}
    store = _sqlite_files(settings)
    found: dict[str, Path] = {}
    for file in sorted(root.rglob("*")):
        relative = file.relative_to(root)
        if relative.parts[0] in DERIVED or relative.parts[0].startswith(".") or not file.is_file():
            continue
        if file.absolute() not in store:
            found[relative.as_posix()] = file
    return found


def _sqlite_files(settings: Settings) -> set[Path]:
    if not settings.records_url.startswith("sqlite"):
        return set()
    database = backup_sqlite.database_file(settings.records_url).absolute()
    return {database, *(database.with_name(database.name + suffix) for suffix in ("-wal", "-shm", "-journal"))}


def _require_empty(settings: Settings, engine: Engine) -> None:
    folder = settings.var_dir
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise RestoreTargetNotEmpty(
            f"the var folder {folder} is not empty: a restore starts from nothing; point OBSERVATORY_VAR_DIR at an "
            "empty folder",
            [{"var_dir": str(folder)}],
        )
    if engine.dialect.name == "sqlite":
        database = backup_sqlite.database_file(settings.records_url)
        if not backup_sqlite.is_empty(database):
            raise RestoreTargetNotEmpty(f"the records store {database} exists: restore into a new file")
    elif backup_postgres.relations(engine):
        shown = backup_postgres.without_password(settings.records_url).render_as_string(hide_password=True)
        raise RestoreTargetNotEmpty(
            f"the records store {shown} is not empty: restore into an empty database or schema",
        )


def _check_compatible(manifest: Manifest, engine: Engine) -> None:
    if manifest.engine != engine.dialect.name:
        raise EngineMismatch(
            f"the archive holds a {manifest.engine} store and the target is {engine.dialect.name}: a restore goes "
            "into a store of the engine the archive was made on (across engines is not supported)"
        )
    script = ScriptDirectory.from_config(alembic_config(engine))
    for revision in manifest.alembic_revision.split(","):
        try:
            known = script.get_revision(revision) is not None
        except CommandError:
            known = False
        if not known:
            raise ArchiveTooNew(
                f"the archive is at migration {manifest.alembic_revision}, which this version does not know: it was "
                f"made by a newer version of the observatory (this is {__version__}); restore with that version"
            )


def _place_sqlite(settings: Settings, members: dict[str, Path], manifest: Manifest) -> None:
    staged = members[manifest.records]
    problems = backup_sqlite.integrity_problems(staged)
    counted = backup_sqlite.table_counts(staged)
    if problems or counted != manifest.tables:
        raise DamagedArchive(f"{manifest.records} does not match the manifest: {problems or 'other row counts'}")
    move_into(staged, backup_sqlite.database_file(settings.records_url))


def _upgrade_if_older(engine: Engine, revision: str) -> str | None:
    heads = ScriptDirectory.from_config(alembic_config(engine)).get_heads()
    if sorted(revision.split(",")) == sorted(heads):
        return None
    upgrade(engine)
    return ",".join(sorted(heads))
