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

**Cold and cached.** Our API keeps the public's answers per state of the snapshot (``web.answer_cache``). Each round
starts with a fresh publication (``publish``: a new vintage of a small submission the questions do not read is
published in the records store and the analytics store refreshed through ``analytics.refresh``, as the lifecycle
does after a step), which changes the manifest. Then each question is asked of our API twice: *cold*, the first
request after that publication (computed), and *cached*, the same request again (same manifest), with raw DuckDB
and datasette between the two. Each question gives two results, ``api_latency.cold.<question>`` (goal: within 2× of
raw DuckDB and 3× faster than datasette) and ``api_latency.cached.<question>`` (goal: 3× faster than datasette),
over the same DuckDB and datasette samples.
"""

import os
import shutil
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from sqlalchemy import Engine, select

from observatory.analytics.refresh import refresh_analytics
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
from observatory.bench.timing import BenchmarkResult, percentile
from observatory.datasets import POPULATION
from observatory.reference.countries import country_codes
from observatory.reference.release import load_packaged_release
from observatory.reporting.intake import load_population
from observatory.settings import Settings
from observatory.store.engine import make_engine, transaction
from observatory.store.migrate import upgrade
from observatory.store.schema import SourceFile, Submission

GOAL = "API p50 within 2× of raw DuckDB and at least 3× faster than datasette on SQLite with covering indexes"
CACHED_GOAL = (
    "cached API p50 at least 3× faster than datasette on SQLite with covering indexes (and within 2× of raw DuckDB)"
)
#: The submission each round publishes a new vintage of: a data set no question reads.
PUBLICATION = 3
PUBLICATION_DATASET = "bench-publication"
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

    def publish(self) -> int:
        """A fresh publication: the next vintage of ``PUBLICATION`` published, the analytics store refreshed."""
        engine = make_engine(self.arranged.settings.records_url)
        try:
            vintage = publish_vintage(engine)
            refresh_analytics(engine, self.arranged.settings.analytics_dir)
        finally:
            engine.dispose()
        return vintage

    def answers(self, question: Question) -> tuple[Numbers, Numbers, Numbers]:
        """The numbers of each engine's answer: ours, the limit's, the peer's."""
        return (
            question.tabulate(question.api_rows(self.ask_ours(question))),
            question.tabulate(self.ask_limit(question).to_pylist()),
            question.tabulate(self.ask_peer(question)),
        )


def run(workdir: Path, rows: int, repeat: int, progress: Console) -> list[BenchmarkResult]:
    """Cold and cached results of every question (see the module's docstring)."""
    with running(workdir, rows, progress) as engines:
        progress.log(f"timing api_latency: {repeat} rounds, each after a fresh publication")
        samples = cold_and_cached(engines, repeat)
    results = []
    for question in QUESTIONS:
        cold, cached, limit, peer = samples[question.name]
        for kind, ours, goal in (("cold", cold, GOAL), ("cached", cached, CACHED_GOAL)):
            p50 = [statistics.median(times) for times in (ours, limit, peer)]
            p95 = [percentile(times, 0.95) for times in (ours, limit, peer)]
            results.append(
                BenchmarkResult(
                    f"api_latency.{kind}.{question.name}",
                    *(p50[0], LIMIT, p50[1], PEER, p50[2], goal, 2.0, 3.0),
                    ours_p95_s=p95[0],
                    limit_p95_s=p95[1],
                    peer_p95_s=p95[2],
                )
            )
    return results


def cold_and_cached(engines: "Engines", repeat: int) -> dict[str, tuple[list[float], ...]]:
    """Per question: our cold, our cached, raw DuckDB's and datasette's times over ``repeat`` rounds, each round
    after a fresh publication, after one untimed warm-up round."""
    times: dict[str, tuple[list[float], ...]] = {q.name: ([], [], [], []) for q in QUESTIONS}
    for round_number in range(repeat + 1):
        engines.publish()
        for question in QUESTIONS:
            works: list[Callable[[], object]] = [
                partial(engines.ask_ours, question),
                partial(engines.ask_ours, question),
                partial(engines.ask_limit, question),
                partial(engines.ask_peer, question),
            ]
            order = (0, 2, 3, 1)  # cold first, cached last: DuckDB and datasette between them
            for index in order:
                start = time.perf_counter()
                works[index]()
                if round_number:
                    times[question.name][index].append(time.perf_counter() - start)
    return times


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
    # The peers read the 15-64 basis the API computes from the snapshot's total population, kept beside it.
    population = folder / "population-15-64.parquet"
    pq.write_table(persons, population)
    dialect = duckdb_dialect(str(seizures), str(observations), str(folder / "countries.parquet"), str(population))
    return Arranged(settings, database, dialect)


def _records_store(settings: Settings) -> Engine:
    """A records store at the newest schema holding the packaged reference release and the population table."""
    engine = make_engine(settings.records_url)
    upgrade(engine)
    load_packaged_release(engine)
    load_population(engine, POPULATION, country_codes(), "reference data shipped with the package")
    return engine


def publish_vintage(engine: Engine) -> int:
    """Publish the next vintage of ``PUBLICATION`` in the records store (made the first time); returns it."""
    with transaction(engine) as session:
        row = session.get(Submission, PUBLICATION)
        if row is None:
            source = session.scalars(select(SourceFile).order_by(SourceFile.id)).first()
            assert source is not None, "the records store holds the bench's generated source file"
            row = Submission(id=PUBLICATION, source_file_id=source.id, submitted_by="observatory bench", row_count=0)
            row.vintage = 0
            session.add(row)
        row.dataset, row.status, row.vintage = PUBLICATION_DATASET, "published", (row.vintage or 0) + 1
        return int(row.vintage)


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
