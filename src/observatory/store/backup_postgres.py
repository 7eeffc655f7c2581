"""Dumping a PostgreSQL records store with ``pg_dump`` and loading the dump into an empty one with ``psql``.

The dump is plain SQL of the store's schema (``current_schema()``: ``public``, or the one ``search_path`` names),
taken in a snapshot the manifest's row counts are read in too, so that both describe one moment. pg_dump names
every object with its schema; the load renames that schema to the target's own, which may differ (a store made in
one schema of a shared database restored into another), and runs in one transaction that ends by checking every
table's rows against the manifest: a load that fails leaves the target as empty as it was.

The password of the URL goes to the tools as ``PGPASSWORD``, never on a command line, and is never printed.
"""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL, make_url

from observatory.store.archive import BackupFailed

#: Where Debian and Ubuntu install each major version's client tools.
PG_BIN = Path("/usr/lib/postgresql")


@dataclass(frozen=True, slots=True)
class Dumped:
    schema: str
    revision: str
    tables: dict[str, int]


def without_password(url: str) -> URL:
    """``url`` with neither a password nor a ``password`` query parameter (``URL.set`` keeps a password on None)."""
    parsed = make_url(url)
    query = {key: value for key, value in parsed.query.items() if key != "password"}
    return URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database, query)


def dump(engine: Engine, target: Path) -> Dumped:
    """pg_dump of the store's schema into ``target``, with its revision and row counts from the same snapshot."""
    isolated = engine.execution_options(isolation_level="REPEATABLE READ")
    with isolated.connect() as connection:
        snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
        schema = _current_schema(connection)
        revision = ",".join(sorted(connection.scalars(text("SELECT version_num FROM alembic_version"))))
        tables = _table_counts(connection, schema)
        pattern = '"' + schema.replace('"', '""') + '"'
        _run(
            engine,
            _major(connection),
            "pg_dump",
            "--format=plain",
            "--no-owner",
            "--no-privileges",
            f"--schema={pattern}",
            f"--snapshot={snapshot}",
            f"--file={target}",
        )
        connection.rollback()
    return Dumped(schema, revision, tables)


def relations(engine: Engine) -> int:
    """Tables, views and sequences in the store's schema: 0 for an empty database or schema."""
    with engine.connect() as connection:
        schema = _current_schema(connection)
        query = text(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :schema AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
        )
        return int(connection.scalar(query, {"schema": schema}) or 0)


def load(engine: Engine, dumped: Path, source_schema: str, tables: dict[str, int], script: Path) -> None:
    """Run the dump ``dumped`` of ``source_schema`` into the store's own schema, in one transaction."""
    with engine.connect() as connection:
        target = _current_schema(connection)
        quote = text("SELECT quote_ident(:name)")
        source_quoted = str(connection.scalar(quote, {"name": source_schema}))
        target_quoted = str(connection.scalar(quote, {"name": target}))
        major = _major(connection)
    _rewrite(dumped, script, source_quoted, target_quoted, tables)
    _run(
        engine,
        major,
        "psql",
        "--no-psqlrc",
        "--quiet",
        "--single-transaction",
        "--set=ON_ERROR_STOP=1",
        f"--file={script}",
    )


def _rewrite(dumped: Path, script: Path, source: str, target: str, tables: dict[str, int]) -> None:
    """The dump with every ``source.`` qualifier outside COPY data made ``target.``, without ``CREATE SCHEMA``
    (the target's schema exists), followed by the check of every table's rows."""
    qualifier = re.compile(rb'(?<![\w"$.])' + re.escape(source.encode()) + rb"\.")
    replacement = target.encode() + b"."
    in_copy = False
    with dumped.open("rb") as lines, script.open("wb") as out:
        for line in lines:
            if in_copy:
                in_copy = line != b"\\.\n"
                out.write(line)
                continue
            if line.startswith((b"CREATE SCHEMA ", b"COMMENT ON SCHEMA ")):
                continue
            line = qualifier.sub(lambda _: replacement, line)
            in_copy = line.startswith(b"COPY ") and line.rstrip().endswith(b"FROM stdin;")
            out.write(line)
        out.write(_row_check(target, tables).encode())


def _row_check(schema: str, tables: dict[str, int]) -> str:
    """A DO block that aborts the load's transaction when a table has other rows than the manifest says."""
    checks = "".join(
        f"  SELECT count(*) INTO found FROM {schema}.{_quoted(name)};\n"
        f"  IF found <> {int(rows)} THEN RAISE EXCEPTION 'table % has % rows after the load, the manifest says %', "
        f"{_literal(name)}, found, {int(rows)}; END IF;\n"
        for name, rows in sorted(tables.items())
    )
    return f"\nDO $check$\nDECLARE found bigint;\nBEGIN\n{checks}END\n$check$;\n"


def _current_schema(connection: Connection) -> str:
    schema = connection.scalar(text("SELECT current_schema()"))
    if not schema:
        raise BackupFailed("the records store's search_path names no existing schema")
    return str(schema)


def _table_counts(connection: Connection, schema: str) -> dict[str, int]:
    names = connection.scalars(
        text("SELECT tablename FROM pg_tables WHERE schemaname = :schema ORDER BY tablename"), {"schema": schema}
    ).all()
    return {
        name: int(connection.scalar(text(f"SELECT count(*) FROM {_quoted(schema)}.{_quoted(name)}")) or 0)
        for name in names
    }


def _major(connection: Connection) -> int:
    return int(connection.scalar(text("SHOW server_version_num")) or 0) // 10000


def _run(engine: Engine, major: int, tool: str, *arguments: str) -> None:
    """Run a client tool of the server's major version against the store; its errors, without the password."""
    url = engine.url
    password = url.password or url.query.get("password")
    environment = dict(os.environ)
    if isinstance(password, str) and password:
        environment["PGPASSWORD"] = password
    conninfo = without_password(url.render_as_string(hide_password=False)).set(drivername="postgresql")
    command = [_tool(tool, major), *arguments, f"--dbname={conninfo.render_as_string(hide_password=False)}"]
    result = subprocess.run(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", errors="replace").strip()
        if isinstance(password, str) and password:
            message = message.replace(password, "***")
        raise BackupFailed(f"{tool} failed (exit {result.returncode}): {message[-2000:]}")


def _tool(name: str, major: int) -> str:
    """The tool of the server's major version (a newer pg_dump writes SQL an older server may refuse)."""
    versioned = PG_BIN / str(major) / "bin" / name
    if versioned.is_file():
        return str(versioned)
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(
            f"{name} is not installed: install the PostgreSQL {major} client (postgresql-client-{major})"
        )
    return found


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
