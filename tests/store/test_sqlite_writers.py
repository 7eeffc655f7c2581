"""SQLite takes one writer at a time: writers of a process and of other processes queue for it (``transaction``),
none fails halfway, and readers read on meanwhile. PostgreSQL needs none of this, so these tests are SQLite's."""

import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from observatory.store import engine as store_engine
from observatory.store.engine import StoreBusy, make_engine, transaction

#: Each writer reads the counter, then writes it plus one: the pattern that fails on SQLite when a deferred
#: transaction that has read tries to write after another writer committed.
INCREMENT = "UPDATE counter SET n = :n"
PROCESS = """
import sys
from sqlalchemy import text
from observatory.store.engine import make_engine, transaction
engine = make_engine(sys.argv[1])
for _ in range(int(sys.argv[2])):
    with transaction(engine) as session:
        n = session.scalar(text("SELECT n FROM counter"))
        session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
"""


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def store(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (n INTEGER NOT NULL)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))
        connection.execute(text("CREATE TABLE filler (payload BLOB NOT NULL)"))
    yield engine
    engine.dispose()


def increment(engine: Engine, times: int) -> None:
    for _ in range(times):
        with transaction(engine) as session:
            n = session.scalar(text("SELECT n FROM counter"))
            session.execute(text(INCREMENT), {"n": n + 1})


def counter(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text("SELECT n FROM counter")) or 0)


class Reads:
    """Reads in a loop on another thread until stopped; counts those that succeeded and those that failed."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.done, self.failures = engine, threading.Event(), list[Exception]()
        self.count = 0
        self.thread = threading.Thread(target=self._run)

    def __enter__(self) -> "Reads":
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.done.set()
        self.thread.join()

    def _run(self) -> None:
        while not self.done.is_set():
            try:
                counter(self.engine)
                self.count += 1
            except Exception as exc:
                self.failures.append(exc)


def test_writers_in_threads_take_turns_while_readers_read(store: Engine) -> None:
    with Reads(store) as reads, ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: increment(store, 25), range(8)))
    assert counter(store) == 8 * 25
    assert reads.failures == [] and reads.count > 0


def test_writers_in_separate_processes_take_turns_while_readers_read(store: Engine, url: str) -> None:
    with Reads(store) as reads:
        processes = [subprocess.Popen([sys.executable, "-c", PROCESS, url, "40"]) for _ in range(3)]
        increment(store, 40)
        assert [process.wait(timeout=120) for process in processes] == [0, 0, 0]
    assert counter(store) == 4 * 40
    assert reads.failures == [] and reads.count > 0


@pytest.mark.usefixtures("store")
def test_a_writer_kept_waiting_too_long_is_told_the_store_is_busy_and_readers_still_read(
    tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_engine, "WRITE_WAIT_SECONDS", 0.5)
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 100)
    engine = make_engine(url)
    other = sqlite3.connect(tmp_path / "store.db", isolation_level=None)  # another process's writer, as SQLite sees it
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusy) as refused:
            increment(engine, 1)
        assert counter(engine) == 0
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert (refused.value.status, refused.value.code, refused.value.headers()) == (
        503,
        "store-busy",
        {"retry-after": "30"},
    )
    increment(engine, 1)
    assert counter(engine) == 1
    engine.dispose()


def test_a_write_transaction_inside_another_fails_at_once(store: Engine) -> None:
    with transaction(store), pytest.raises(RuntimeError, match="inside another"), transaction(store):
        pass


def test_a_large_commit_leaves_the_wal_checkpointed_and_truncated(
    tmp_path: Path, store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_engine, "WAL_TRUNCATE_BYTES", 256 * 1024)
    wal = tmp_path / "store.db-wal"
    with transaction(store) as session:
        session.execute(text("INSERT INTO filler VALUES (:payload)"), [{"payload": bytes(4096)}] * 200)
    assert wal.stat().st_size == 0
    with store.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM filler")) == 200


def test_every_connection_waits_for_locks_and_journals_ahead(store: Engine) -> None:
    with store.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar() for name in ("busy_timeout", "journal_mode")
        }
    assert pragmas == {"busy_timeout": store_engine.BUSY_TIMEOUT_MS, "journal_mode": "wal"}
