"""Copying an SQLite records store with SQLite's online backup API, and placing a copy back.

``Connection.backup`` copies every page in one step, under one read transaction: in WAL mode writers go on
meanwhile and the copy is the database as it was when the step began, FTS5 tables and all.
"""

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from observatory.errors import BadInput


def database_file(url: str) -> Path:
    """The file of an SQLite URL; an in-memory store has nothing to archive or restore into."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BadInput(f"the records store {url} is in memory: there is no file to back up or restore into")
    return Path(database)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of the live database ``source`` at ``target``, as one self-contained file."""
    if not source.is_file():
        raise BadInput(f"no records store at {source}: nothing to back up", [{"file": str(source)}])
    with closing(sqlite3.connect(source)) as live:
        live.execute("PRAGMA busy_timeout=30000")
        with closing(sqlite3.connect(target)) as copy:
            live.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # no -wal beside the copy: one file is the whole store


def revision(path: Path) -> str:
    with closing(_read_only(path)) as connection:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    return ",".join(sorted(row[0] for row in rows))


def table_counts(path: Path) -> dict[str, int]:
    """Rows of every table of the database file, FTS5 tables included."""
    with closing(_read_only(path)) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                "ORDER BY name"
            )
        ]
        return {name: connection.execute(f"SELECT count(*) FROM {_quoted(name)}").fetchone()[0] for name in names}


def integrity_problems(path: Path) -> list[str]:
    with closing(_read_only(path)) as connection:
        rows = connection.execute("PRAGMA quick_check").fetchall()
    return [] if [row[0] for row in rows] == ["ok"] else [str(row[0]) for row in rows[:10]]


def is_empty(path: Path) -> bool:
    """No database at ``path``, or an empty file with no write-ahead log beside it."""
    sidecars = [path.with_name(path.name + suffix) for suffix in ("-wal", "-journal")]
    if any(sidecar.exists() and sidecar.stat().st_size > 0 for sidecar in sidecars):
        return False
    return not path.exists() or (path.is_file() and path.stat().st_size == 0)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
