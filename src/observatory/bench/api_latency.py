"""API latency: dashboard questions over ``rows`` generated seizure rows and a prevalence roll-up of every country
over twenty years (``api_questions``), answered three ways, interleaved round by round:

* ours: our API end to end, ``observatory serve`` in a process of its own, over HTTP on the loopback;
* limit: raw DuckDB in this process on the same Parquet files, no HTTP;
* peer: datasette serving the same rows from SQLite with a covering index per question, opened immutable as
  ``datasette publish`` does, its SQL time limit raised so that it can answer at all, over HTTP with the same
  client (``http_servers.JsonClient``: one kept-alive ``http.client`` connection, the body parsed as JSON).

**Data** (under the workdir; the seizure Parquet is shared with ``seizure_aggregates``, the rest is kept in
``api-latency-{rows}``): the generated seizures, hard-linked as the annual-seizures snapshot of a records store
(``var/``) holding the packaged reference release and population, as ``observatory init`` leaves it; the generated
prevalence table as published observations with the manifest (``prevalence_data``); and a SQLite copy of both for
datasette.
p50 (median) and p95 (nearest rank) are over ``repeat`` timed rounds after one warm-up round. An answer made of
several requests would be timed whole; each question is one request to every engine: the twenty-year roll-up asks
our API for the span (``start``, ``end``), ``prevalence.region_last_year`` for the last year alone.
"""

import os
import shutil
import statistics
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from sqlalchemy import Engine

from observatory.analytics.snapshot import DATASET
from observatory.analytics.store import OBSERVATIONS
from observatory.bench.api_questions import QUESTIONS, SQLITE_INDEXES, Dialect, Numbers, Question, duckdb_dialect
from observatory.bench.http_servers import JsonClient, datasette_command, free_port, our_api_command, serving
from observatory.bench.prevalence_data import (
    PREVALENCE_SUBMISSION,
    counted_countries,
    generated_estimates,
    record_submissions,
    write_snapshot,
    write_sqlite_tables,
)
from observatory.bench.seizure_data import build_sqlite, generate_parquet
from observatory.bench.timing import BenchmarkResult, percentile, timed_samples
from observatory.datasets import POPULATION
from observatory.reference.countries import country_codes
from observatory.reference.release import load_packaged_release
from observatory.reporting.intake import load_population
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.store.migrate import upgrade

GOAL = "API p50 within 2× of raw DuckDB and at least 3× faster than datasette on SQLite with covering indexes"
LIMIT = "raw duckdb (in-process, same Parquet)"
PEER = "datasette (SQLite, covering indexes)"
DATASETTE_SETTINGS = {"sql_time_limit_ms": 600_000, "max_returned_rows": 100_000}
#: Seconds a server may take to start: datasette counts the rows of an immutable database first.
STARTUP_S = 900.0


@dataclass(frozen=True, slots=True)
class Arranged:
    settings: Settings
    #: The SQLite file datasette serves.
    database: Path
    #: Where raw DuckDB finds the same data.
    dialect: Dialect


@dataclass(frozen=True, slots=True)
class Engines:
    ours: JsonClient
    peer: JsonClient
    raw: duckdb.DuckDBPyConnection
    arranged: Arranged

    def ask_ours(self, question: Question) -> list[Any]:
        return [self.ours.get(path) for path in question.requests]

    def ask_limit(self, question: Question) -> pa.Table:
        table: pa.Table = self.raw.execute(
            question.sql(self.arranged.dialect), dict(question.parameters)
        ).to_arrow_table()
        return table

    def ask_peer(self, question: Question) -> Any:
        return self.peer.get(question.datasette_path(self.arranged.database.stem))

    def answers(self, question: Question) -> tuple[Numbers, Numbers, Numbers]:
        """The numbers of each engine's answer: ours, the limit's, the peer's."""
        return (
            question.tabulate(question.api_rows(self.ask_ours(question))),
            question.tabulate(self.ask_limit(question).to_pylist()),
            question.tabulate(self.ask_peer(question)),
        )


def run(workdir: Path, rows: int, repeat: int, progress: Console) -> list[BenchmarkResult]:
    results = []
    with running(workdir, rows, progress) as engines:
        for question in QUESTIONS:
            progress.log(f"timing api_latency.{question.name}")
            ours, limit, peer = timed_samples(
                partial(engines.ask_ours, question),
                partial(engines.ask_limit, question),
                partial(engines.ask_peer, question),
                repeat=repeat,
            )
            p50 = [statistics.median(samples) for samples in (ours, limit, peer)]
            p95 = [percentile(samples, 0.95) for samples in (ours, limit, peer)]
            results.append(
                BenchmarkResult(
                    f"api_latency.{question.name}",
                    *(p50[0], LIMIT, p50[1], PEER, p50[2], GOAL, 2.0, 3.0),
                    ours_p95_s=p95[0],
                    limit_p95_s=p95[1],
                    peer_p95_s=p95[2],
                )
            )
    return results


@contextmanager
def running(workdir: Path, rows: int, progress: Console) -> Iterator[Engines]:
    """The data arranged, our API and datasette serving it and a DuckDB connection, while the block runs."""
    arranged = arrange(workdir, rows, progress)
    folder = arranged.settings.var_dir.parent
    ours_port, peer_port = free_port(), free_port()
    ours_command = our_api_command(arranged.settings.var_dir, ours_port)
    peer_command = datasette_command(arranged.database, peer_port, DATASETTE_SETTINGS)
    with ExitStack() as stack:
        with progress.status("starting our API and datasette…"):
            ours = stack.enter_context(
                serving("our API", *ours_command, ours_port, "/api/v1/health", folder / "our-api.log", STARTUP_S)
            )
            peer = stack.enter_context(
                serving("datasette", *peer_command, peer_port, "/-/versions.json", folder / "datasette.log", STARTUP_S)
            )
        raw = stack.enter_context(closing(duckdb.connect()))
        yield Engines(ours, peer, raw, arranged)


def arrange(workdir: Path, rows: int, progress: Console) -> Arranged:
    """Everything the three engines read, built or refreshed under ``workdir`` (the costly parts are kept)."""
    folder = (workdir / f"api-latency-{rows}").resolve()
    settings = Settings(var_dir=folder / "var", database_url="")
    with progress.status(f"generating {rows:,} seizure rows as Parquet (cached)…"):
        seizure_folder = generate_parquet(workdir / f"seizures-{rows}", rows)
    seizures = settings.analytics_dir / DATASET / "submission-1.parquet"
    _link(seizure_folder / DATASET / "submission-1.parquet", seizures)
    countries = counted_countries()
    estimates = generated_estimates(countries.column("iso3").to_pylist())
    with progress.status("initialising the records store and writing the prevalence snapshot…"):
        engine = _records_store(settings)
        try:
            persons = write_snapshot(settings.analytics_dir, estimates, engine)
            record_submissions(engine)
        finally:
            engine.dispose()
        pq.write_table(countries, folder / "countries.parquet")
    with progress.status("loading the same rows into SQLite with covering indexes (cached; slow the first time)…"):
        database = build_sqlite(seizure_folder, folder / "seizures.db", SQLITE_INDEXES)
        write_sqlite_tables(database, estimates, countries, persons)
    observations = settings.analytics_dir / OBSERVATIONS / f"submission-{PREVALENCE_SUBMISSION}.parquet"
    population = settings.analytics_dir / "population.parquet"
    dialect = duckdb_dialect(str(seizures), str(observations), str(folder / "countries.parquet"), str(population))
    return Arranged(settings, database, dialect)


def _records_store(settings: Settings) -> Engine:
    """A records store at the newest schema holding the packaged reference release and the population table."""
    engine = make_engine(settings.records_url)
    upgrade(engine)
    load_packaged_release(engine)
    load_population(engine, POPULATION, country_codes(), "reference data shipped with the package")
    return engine


def _link(source: Path, target: Path) -> None:
    """``target`` becomes the file ``source`` is, without copying 10M rows when the file system allows."""
    if target.exists() and os.path.samefile(source, target):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".parquet.tmp")
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary)
    except OSError:
        shutil.copyfile(source, temporary)
    temporary.replace(target)
