"""Engines and sessions for the records store.

``transaction`` is the one way to write. On PostgreSQL it is a plain session; rows and unique keys take care of
concurrent writers. SQLite allows one writer at a time, so this module makes every writer queue for it:

* threads of one process wait for a process-wide lock per database file, first come first served, without holding
  a pooled connection meanwhile;
* the transaction then starts with ``BEGIN IMMEDIATE``, which takes SQLite's write lock before anything is read, so
  that no writer can fail halfway ("database is locked" when a deferred transaction that has read tries to write
  after another writer committed). Another process (the CLI beside the server) waits in SQLite's busy handler, and
  ``BEGIN IMMEDIATE`` is tried again until ``WRITE_WAIT_SECONDS`` have passed; nothing of the transaction has run
  yet, so trying again is safe. Past that wait, ``StoreBusy`` (503, ``store-busy``, Retry-After);
* readers (``engine.connect()``, ``Session(engine)``) begin deferred transactions and, in WAL mode, read the last
  committed state while a writer runs, never waiting for it;
* SQLite checkpoints the WAL into the database as commits go (``wal_autocheckpoint``); after a commit that left a
  large WAL, the writer checkpoints it completely and truncates it (``WAL_TRUNCATE_BYTES``).
"""

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from observatory.errors import Unavailable

#: How long a writer waits for its turn, in this process and then for other processes, before ``StoreBusy``.
WRITE_WAIT_SECONDS = 120.0
#: SQLite's busy handler on every connection: how long a statement waits for a lock held by another process.
BUSY_TIMEOUT_MS = 30_000
#: A commit that leaves the WAL larger than this checkpoints it and truncates it.
WAL_TRUNCATE_BYTES = 64 * 1024 * 1024
#: The execution option that marks a connection as ``transaction``'s: its transactions begin IMMEDIATE.
WRITER = "observatory_writer"


class StoreBusy(Unavailable):
    """503: another writer has held the records store for longer than a writer waits."""

    code = "store-busy"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL journaling, a busy timeout and enforced foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed together or not at all; on SQLite, the one writer of the moment."""
    if engine.dialect.name != "sqlite":
        with sessionmaker(engine, expire_on_commit=False).begin() as session:
            yield session
        return
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    lock = _write_lock(engine)
    if lock.owner == threading.get_ident():
        raise RuntimeError("a write transaction inside another on the same SQLite store would wait for itself")
    if not lock.acquire(timeout=WRITE_WAIT_SECONDS):
        raise _busy()
    lock.owner = threading.get_ident()
    try:
        writer = engine.execution_options(**{WRITER: deadline})
        with sessionmaker(writer, expire_on_commit=False).begin() as session:
            session.connection()  # BEGIN IMMEDIATE now, before the body runs: it may be tried again
            yield session
        _checkpoint_if_large(engine)
    finally:
        lock.owner = None
        lock.release()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # First, so that the pragmas after it wait for a lock too (switching a new file to WAL takes one).
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA journal_size_limit={WAL_TRUNCATE_BYTES}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # The sqlite3 module opens transactions itself, and only before INSERT/UPDATE/DELETE, so DDL (migrations) would
    # commit statement by statement; with its own handling off, every transaction starts with our BEGIN below.
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection: Any) -> None:
    deadline = connection.get_execution_options().get(WRITER)
    if deadline is None:
        connection.exec_driver_sql("BEGIN")
        return
    driver = connection.connection.driver_connection
    while True:
        try:
            driver.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            # SQLITE_BUSY after the busy timeout, or at once in the rare cases SQLite does not wait (recovery).
            if exc.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise
            if time.monotonic() >= deadline:
                raise _busy() from exc
            time.sleep(0.05)


class _WriteLock:
    """A lock that knows which thread holds it, so that a nested write transaction fails at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.owner: int | None = None

    def acquire(self, timeout: float) -> bool:
        return self._lock.acquire(timeout=timeout)

    def release(self) -> None:
        self._lock.release()


_LOCKS: dict[str, _WriteLock] = {}
_LOCKS_GUARD = threading.Lock()


def _write_lock(engine: Engine) -> _WriteLock:
    """The lock every engine of this process on the same SQLite file shares."""
    database = engine.url.database or ""
    key = str(Path(database).resolve()) if database and database != ":memory:" else str(engine.url)
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, _WriteLock())


def _checkpoint_if_large(engine: Engine) -> None:
    """Copy the WAL into the database and truncate it when it has grown past ``WAL_TRUNCATE_BYTES``.

    Readers go on meanwhile; the checkpoint waits a moment for those still reading an older state, and a
    checkpoint they prevent is left to the next writer (``wal_autocheckpoint`` keeps copying as commits go)."""
    database = engine.url.database
    if not database or database == ":memory:":
        return
    wal = Path(f"{database}-wal")
    if not wal.exists() or wal.stat().st_size <= WAL_TRUNCATE_BYTES:
        return
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        driver.execute("PRAGMA busy_timeout=1000")
        try:
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        raw.close()


def _busy() -> StoreBusy:
    return StoreBusy(
        f"the records store is busy with another import; try again in a minute (waited {WRITE_WAIT_SECONDS:.0f} s)",
        [{"waited_seconds": WRITE_WAIT_SECONDS}],
        retry_after=30,
    )
