"""Importing an individual-seizures CSV end to end: ``submit_file`` (parse, resolve codes, validate, store) on
SQLite and on PostgreSQL, against the floor of this design (Arrow parses the file, the same observation rows go in
by a raw ``executemany`` or ``COPY``) and against ``frictionless validate`` with a Table Schema of the same checks.

The file is generated once (cached in the work folder) from the reference data: real country names, WDR drug names,
unit names and aliases, five years of dates, log-normal quantities, purity for 30% of the seizures, routes for some.
Ours runs in a child process on a fresh store; its peak resident memory is the child's ``VmHWM`` (``ru_maxrss``
would also count the parent, whose memory a child started by fork and exec is charged with until the exec).
PostgreSQL is ``OBSERVATORY_TEST_POSTGRES_URL`` if set, else the configured ``OBSERVATORY_DATABASE_URL`` if it is
PostgreSQL; each run gets a schema of its own, dropped afterwards. Without either, the SQLite result says so.
Validation alone (ours, frictionless, Arrow's parse) runs in ``VALIDATE_ROUNDS`` interleaved rounds (fewer if
``repeat`` is smaller), and the median of each is reported; what ours looks up in the reference data is remembered
from one round to the next, as in a server that checks one file after another. The store import runs once per
engine: at a million rows a run takes minutes, and the ratios hold within one run.
Before validation is timed, each side (frictionless, ours, Arrow's parse) checks the file's first ``WARM_UP_ROWS``
rows once, so that what is timed is the check of the file, not the one-time cost of a process's first check (imports
made on first use, such as pandas by pyarrow, and reference indexes built once): a server pays those once.
The store import's goal is its floor and its memory; frictionless, which stores nothing, is shown beside it only for
reference (the issue asks ≥ 10× of the validation alone).
"""

import json
import multiprocessing
import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from rich.console import Console
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from observatory.access.policy import Principal, Role
from observatory.bench.timing import BenchmarkResult, timed_samples
from observatory.reference.drug_names import drug_hierarchy
from observatory.reference.geography import places
from observatory.reference.release import load_packaged_release
from observatory.reporting.bulk_store import COPY, INSERT
from observatory.reporting.declaration import declaration
from observatory.reporting.submit import submit_file
from observatory.reporting.validation import check_file
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.store.migrate import upgrade

DATASET = "individual-seizures"
GOAL = (
    "ours within 2× of the floor (Arrow parse + raw bulk insert), peak < 1 GB (frictionless stores nothing: reference)"
)
VALIDATE_GOAL = "our validation alone ≥ 10× faster than frictionless validate, within 10× of Arrow's parse"
MAX_PEAK_MB = 1024.0
WARM_UP_ROWS = 1_000
#: Interleaved rounds of validation (frictionless, ours, Arrow's parse) at most; the median of each is reported.
VALIDATE_ROUNDS = 3
POSTGRES_ENV = "OBSERVATORY_TEST_POSTGRES_URL"
COLUMNS = [
    "seizure_date",
    "country",
    "place",
    "drug",
    "quantity",
    "unit",
    "purity",
    "departure_country",
    "transit_countries",
    "destination_country",
    "producing_country",
    "conveyance",
    "concealment",
    "seizing_agency",
]
DIMENSIONS = [name for name in COLUMNS if name not in ("country", "quantity", "unit", "purity")]
UNITS = {"kg": 40, "g": 30, "tablet": 10, "kilograms": 5, "grams": 5, "plant": 3, "l": 2, "ml": 2, "dose": 2}
PLACES = ["Airport", "Seaport", "Border crossing", "Highway", "Postal centre", "City centre", "Train station"]
AGENCIES = ["Customs", "Police", "Gendarmerie", "Drug Control Agency", "Border Guard", "Coast Guard"]
CONCEALMENT = ["luggage", "vehicle", "container", "body", "parcel", "clothing", "cargo"]
CONVEYANCE = ["air", "sea", "land", "rail", "postal", "other"]
TRANSIT = ["Spain; France", "Netherlands", "Belgium; Germany", "Panama", "Türkiye"]
PRODUCERS = ["Colombia", "Peru", "Bolivia (Plurinational State of)", "Afghanistan", "Myanmar", "Morocco"]


def run(workdir: Path, rows: int, repeat: int, progress: Console) -> list[BenchmarkResult]:
    path = workdir / f"{DATASET}-{rows}.csv"
    with progress.status(f"generating {rows:,} individual seizures (cached in {path})…"):
        generate_csv(path, rows)
    progress.log(f"warming up: each side checks the first {WARM_UP_ROWS:,} rows once")
    warm_up(path, workdir / f"{DATASET}-warm-up.csv")
    rounds = min(repeat, VALIDATE_ROUNDS)
    progress.log(f"timing frictionless validate, our validation alone and Arrow's parse: {rounds} rounds")
    works = (partial(frictionless_validate, path), partial(validate_only, path), partial(_parse, path))
    peer_s, ours_s, parse_s = (
        statistics.median(times) for times in timed_samples(*works, repeat=rounds, warm_up=False)
    )
    results = [
        BenchmarkResult(
            "seizure_import.validate",
            ours_s,
            "Arrow parse of the file",
            parse_s,
            "frictionless validate (Table Schema)",
            peer_s,
            VALIDATE_GOAL,
            10.0,
            10.0,
            note=f"{rows:,} rows; check_file (parse, resolve codes, validate; nothing stored), like frictionless; "
            f"median of {rounds} interleaved rounds after the warm-up; {_load()}",
        )
    ]
    for engine, url, note in _engines(workdir):
        progress.log(f"timing ours and the floor on {engine}")
        with _fresh_store(url) as store:
            ours_s, peak_mb, stored = _ours_in_child(store, path)
        with _fresh_store(url) as store:
            floor_s = _seconds(partial(floor_import, store, path))
        results.append(
            BenchmarkResult(
                f"seizure_import.{engine}",
                ours_s,
                f"Arrow parse + raw {'COPY' if engine == 'postgresql' else 'executemany'} of the same rows",
                floor_s,
                "frictionless validate (Table Schema)",
                peer_s,
                GOAL,
                2.0,
                0.0,
                ours_peak_mb=peak_mb,
                max_peak_mb=MAX_PEAK_MB,
                note=f"{rows:,} rows, {stored:,} values stored, one run each; {note}; {_load()}",
            )
        )
    return results


def generate_csv(path: Path, rows: int, seed: int = 7) -> Path:
    """``rows`` generated seizures as a CSV file at ``path``; kept and reused when it already has them."""
    marker = path.with_suffix(".rows")
    if path.exists() and marker.exists() and marker.read_text() == str(rows):
        return path
    rng = np.random.default_rng(seed)
    countries = [place.name for place in places() if place.valid_to is None and place.m49]
    drugs = sorted({drug.drug for drug in drug_hierarchy() if drug.drug})
    weights = np.array(list(UNITS.values()), dtype=float)
    columns = {
        "seizure_date": pc.strftime(
            pa.array(np.datetime64("2019-01-01", "s") + rng.integers(0, 5 * 365, rows) * 86_400), "%Y-%m-%d"
        ),
        "country": _pick(rng, countries, rows),
        "place": _pick(rng, PLACES, rows, blank=0.3),
        "drug": _pick(rng, drugs, rows),
        "quantity": pc.cast(pa.array(np.round(np.exp(rng.normal(0, 3, rows)), 3)), pa.string()),
        "unit": _pick(rng, list(UNITS), rows, weights / weights.sum()),
        "purity": pc.if_else(
            pa.array(rng.random(rows) < 0.7), "", pc.cast(pa.array(np.round(rng.uniform(5, 95, rows), 1)), pa.string())
        ),
        "departure_country": _pick(rng, countries, rows, blank=0.6),
        "transit_countries": _pick(rng, TRANSIT, rows, blank=0.85),
        "destination_country": _pick(rng, countries, rows, blank=0.7),
        "producing_country": _pick(rng, PRODUCERS, rows, blank=0.8),
        "conveyance": _pick(rng, CONVEYANCE, rows, blank=0.3),
        "concealment": _pick(rng, CONCEALMENT, rows, blank=0.6),
        "seizing_agency": _pick(rng, AGENCIES, rows, blank=0.2),
    }
    lines = pc.binary_join_element_wise(*(_quoted(columns[name]) for name in COLUMNS), ",")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write((",".join(COLUMNS) + "\n").encode())
        for start in range(0, rows, 100_000):
            handle.write(("\n".join(lines.slice(start, 100_000).to_pylist()) + "\n").encode())
    marker.write_text(str(rows))
    return path


def _pick(
    rng: np.random.Generator, values: list[str], rows: int, weights: np.ndarray | None = None, blank: float = 0.0
) -> pa.Array:
    picked = pa.array(values).take(pa.array(rng.choice(len(values), rows, p=weights)))
    return pc.if_else(pa.array(rng.random(rows) < blank), "", picked) if blank else picked


def _quoted(column: pa.Array) -> pa.Array:
    """Cells as Python's csv module writes them: quoted only when they hold a comma, a quote or a line break."""
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(column, '"', '""'), '"', "")
    return pc.if_else(pc.match_substring_regex(column, '[,"\\r\\n]'), quoted, column)


def frictionless_validate(path: Path) -> int:
    """``frictionless.validate`` of the file under a Table Schema of the declaration's types and bounds."""
    from frictionless import Resource, Schema, validate

    fields: list[dict[str, Any]] = [{"name": name, "type": "string"} for name in COLUMNS]
    types = {"seizure_date": "date", "quantity": "number", "purity": "number"}
    constraints = {
        "seizure_date": {"required": True},
        "country": {"required": True},
        "drug": {"required": True},
        "quantity": {"required": True, "minimum": 0},
        "unit": {"required": True},
        "purity": {"minimum": 0, "maximum": 100},
        "conveyance": {"enum": CONVEYANCE},
    }
    for field in fields:
        field["type"] = types.get(str(field["name"]), "string")
        if field["name"] in constraints:
            field["constraints"] = constraints[str(field["name"])]
    resource = Resource(path=path.name, basepath=str(path.parent), schema=Schema.from_descriptor({"fields": fields}))
    report = validate(resource)
    if report.stats["errors"]:
        raise RuntimeError(f"frictionless did not validate {path.name}: {report.flatten(['type', 'note'])[:3]}")
    return int(report.tasks[0].stats["rows"])


def warm_up(path: Path, sample: Path) -> None:
    """Each side checks the header and first ``WARM_UP_ROWS`` records of ``path`` (written to ``sample``) once."""
    with path.open("rb") as source:
        head = b"".join(source.readline() for _ in range(WARM_UP_ROWS + 1))
    sample.write_bytes(head)
    frictionless_validate(sample)
    validate_only(sample)
    _parse(sample)


def validate_only(path: Path) -> int:
    """Our check of the file, without storing it; the number of problems."""
    outcome = check_file(path.read_bytes(), path.name, declaration(DATASET))
    return len(outcome.report.problems)


def _parse(path: Path) -> int:
    options = pacsv.ConvertOptions(column_types=dict.fromkeys(COLUMNS, pa.string()))
    return sum(block.num_rows for block in pacsv.open_csv(path, convert_options=options))


def floor_import(url: str, path: Path) -> int:
    """Arrow parses ``path``; the rows ``submit_file`` would store go in raw, in one transaction."""
    countries = {place.name: place.iso3 for place in places()}
    engine = make_engine(url)
    stored = 0
    try:
        with engine.begin() as connection:
            submission = _bare_submission(connection)
            driver: Any = connection.connection.driver_connection
            for line, block in _blocks(path):
                table = _floor_rows(block, line, submission, countries)
                stored += table.num_rows
                if engine.dialect.name == "postgresql":
                    sink = pa.BufferOutputStream()
                    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False))
                    with driver.cursor() as cursor, cursor.copy(COPY) as copy:
                        copy.write(memoryview(sink.getvalue()))
                else:
                    cursor = driver.cursor()
                    cursor.executemany(INSERT, zip(*(column.to_pylist() for column in table.columns), strict=True))
                    cursor.close()
    finally:
        engine.dispose()
    return stored


def _blocks(path: Path) -> Iterator[tuple[int, pa.RecordBatch]]:
    options = pacsv.ConvertOptions(column_types=dict.fromkeys(COLUMNS, pa.string()), strings_can_be_null=True)
    line = 2
    for block in pacsv.open_csv(path, convert_options=options):
        yield line, block
        line += block.num_rows


def _floor_rows(block: pa.RecordBatch, line: int, submission: int, countries: dict[str, str]) -> pa.Table:
    size = block.num_rows
    rows = pa.array(np.arange(line, line + size))
    country = pa.array(list(countries.values())).take(pc.index_in(block.column("country"), pa.array(list(countries))))
    fragments = []
    for name in DIMENSIONS:
        cell = block.column(name)
        escaped = pc.replace_substring(pc.replace_substring(cell, "\\", "\\\\"), '"', '\\"')
        value = pc.if_else(pc.is_null(cell), "null", pc.binary_join_element_wise('"', escaped, '"', ""))
        fragments.append(pc.binary_join_element_wise(f'"{name}": ', value, ""))
    dimensions = pc.binary_join_element_wise("{", pc.binary_join_element_wise(*fragments, ", "), "}", "")
    purity, quantity = block.column("purity"), pc.cast(block.column("quantity"), pa.float64())
    elements = [
        ("quantity", quantity, None, pc.if_else(pc.equal(quantity, 0), "zero", "value"), None, None, "E"),
        ("unit", pa.nulls(size, pa.float64()), block.column("unit"), "value", None, None, "F"),
        (
            "purity",
            pc.cast(purity, pa.float64()),
            None,
            pc.if_else(pc.is_null(purity), "missing", "value"),
            pc.if_else(pc.is_null(purity), "not-available", pa.scalar(None, pa.string())),
            "percent",
            "G",
        ),
    ]
    parts = []
    for element, value, value_text, state, reason, unit, letter in elements:
        parts.append(
            pa.table(
                {
                    "submission_id": pa.array(np.full(size, submission)),
                    "dataset": pa.array([DATASET] * size),
                    "element": pa.array([element] * size),
                    "country_iso3": country,
                    "year": pa.nulls(size, pa.int64()),
                    "dimensions": dimensions,
                    "value": value,
                    "value_text": value_text if value_text is not None else pa.nulls(size, pa.string()),
                    "value_state": state if isinstance(state, pa.Array) else pa.array([state] * size),
                    "missing_reason": reason if reason is not None else pa.nulls(size, pa.string()),
                    "unit": pa.array([unit] * size, pa.string()),
                    "source_row": rows,
                    "source_column": pc.binary_join_element_wise(letter, pc.cast(rows, pa.string()), ""),
                }
            )
        )
    order = (np.arange(size)[:, None] + np.arange(3)[None, :] * size).ravel()
    return pa.concat_tables(parts).take(pa.array(order))


def _bare_submission(connection: Connection) -> int:
    """The least the observation rows need: a submission of a source file, both with placeholder values."""
    connection.execute(
        text("INSERT INTO source_file (name, sha256, size_bytes, content) VALUES ('floor', :digest, 0, :content)"),
        {"digest": uuid.uuid4().hex, "content": b""},
    )
    connection.execute(
        text(
            "INSERT INTO submission (dataset, source_file_id, status, submitted_by, row_count, vintage, report, locked)"
            " VALUES (:dataset, (SELECT max(id) FROM source_file), 'validated', 'bench', 0, 1, '{}', false)"
        ),
        {"dataset": DATASET},
    )
    return int(connection.execute(text("SELECT max(id) FROM submission")).scalar_one())


def _ours_in_child(url: str, path: Path) -> tuple[float, float, int]:
    """Seconds, peak resident MB and values stored of ``submit_file`` in a fresh process."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        seconds, peak_kb, stored = pool.apply(_ours, (url, str(path)))
    return seconds, peak_kb / 1024, stored


def _ours(url: str, path: str) -> tuple[float, int, int]:
    engine = make_engine(url)
    try:
        start = time.perf_counter()
        data = Path(path).read_bytes()
        result = submit_file(engine, Principal("bench", Role.ADMIN), data, Path(path).name, DATASET)
        seconds = time.perf_counter() - start
    finally:
        engine.dispose()
    if result.report["errors"]:
        raise RuntimeError(json.dumps(result.report["errors"][:3]))
    return seconds, _peak_kb(), result.values_stored


def _peak_kb() -> int:
    """The highest resident memory of this process so far (Linux ``/proc/self/status``), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status: the peak memory is measured on Linux")


def _engines(workdir: Path) -> Iterator[tuple[str, str, str]]:
    postgres = os.environ.get(POSTGRES_ENV) or ""
    configured = Settings().database_url
    if not postgres and make_url(configured or "sqlite://").get_backend_name() == "postgresql":
        postgres = configured
    chosen = (
        f"PostgreSQL from {POSTGRES_ENV}"
        if os.environ.get(POSTGRES_ENV)
        else "PostgreSQL from OBSERVATORY_DATABASE_URL"
        if postgres
        else f"PostgreSQL skipped: neither {POSTGRES_ENV} nor a PostgreSQL OBSERVATORY_DATABASE_URL is set"
    )
    yield "sqlite", f"sqlite:///{workdir / 'seizure-import.db'}", chosen
    if postgres:
        yield "postgresql", postgres, chosen


@contextmanager
def _fresh_store(url: str) -> Iterator[str]:
    """An empty store with the reference data: a new SQLite file, or a new schema of the PostgreSQL database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        yield _prepared(url)
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield _prepared(parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False))
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _prepared(url: str) -> str:
    engine = make_engine(url)
    try:
        upgrade(engine)
        load_packaged_release(engine)
    finally:
        engine.dispose()
    return url


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end"


def _seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start
