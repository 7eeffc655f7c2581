"""Generated annual-seizure rows at benchmark scale, built from the real demo vocabularies.

Countries, regions and drugs come from the WDR 7.1 demo table so that group cardinalities are
realistic; quantities are random (log-normal-like), about 1% of them missing. Each drug carries the marks of the
drug hierarchy (``reference.seizure_conventions``); a row counts in headline figures unless it is plant material
(the snapshot also weighs totals against their components per country and year, which random rows do not need).
"""

import sqlite3
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from observatory.analytics.observations import SUBMISSION_SCHEMA, manifest_path
from observatory.analytics.snapshot import DATASET, LAYOUT, ROW_GROUP_ROWS, SEIZURE_ORDER, SEIZURE_SCHEMA, seizure_dir
from observatory.datasets import DEMO_SEIZURES
from observatory.reference.seizure_conventions import marks
from observatory.reporting.wdr_seizures import SeizureRecord, read_wdr_seizures

SQLITE_INDEXES = {
    "ix_group_year": "drug_group, year, kilograms",
    "ix_country_drug_year": "country_iso3, drug, year, country, kilograms",
}


def generate_parquet(folder: Path, rows: int) -> Path:
    """A snapshot folder holding ``rows`` generated records as published submission 1 (with the manifest that
    says so); reused when it already exists."""
    _write_manifest(folder)
    target = seizure_dir(folder) / "submission-1.parquet"
    if target.exists() and _same_layout(pq.read_metadata(target), rows):
        return folder
    target.parent.mkdir(parents=True, exist_ok=True)
    records = read_wdr_seizures(DEMO_SEIZURES)
    countries = pa.Table.from_pylist(
        [
            {"region": r.region, "subregion": r.subregion, "country": r.country, "country_iso3": r.country_iso3}
            for r in {r.country_iso3: r for r in records}.values()
        ]
    )
    drugs = pa.Table.from_pylist([_drug(r.drug_group, r.drug_subgroup, r.drug) for r in _by_drug(records)])
    columns = ", ".join(field.name for field in SEIZURE_SCHEMA)
    layout = ", ".join(f"'{key.decode()}': '{value.decode()}'" for key, value in LAYOUT.items())
    with duckdb.connect() as con:
        con.register("countries_src", countries)
        con.register("drugs_src", drugs)
        con.execute("CREATE TABLE countries AS SELECT row_number() OVER () - 1 AS k, * FROM countries_src")
        con.execute("CREATE TABLE drugs AS SELECT row_number() OVER () - 1 AS k, * FROM drugs_src")
        con.execute("SELECT setseed(0.42)")
        temporary = target.with_suffix(".tmp")
        con.execute(
            f"""
            COPY (
              SELECT {columns} FROM (
                SELECT 1::BIGINT AS submission_id, (g.i + 3)::INTEGER AS source_row,
                       c.region, c.subregion, c.country, c.country_iso3,
                       d.drug_group, d.drug_subgroup, d.drug,
                       (1990 + g.year_key)::INTEGER AS year,
                       CASE WHEN g.missing THEN NULL ELSE round(exp(random() * 12), 3) END AS kilograms,
                       CASE WHEN g.missing THEN 'missing' ELSE 'value' END AS value_state,
                       CASE WHEN g.missing THEN 'not_available' END AS missing_reason,
                       d.reported_total, d.plant_material, d.covers::VARCHAR AS covers,
                       NOT d.plant_material AS headline, NULL::VARCHAR AS total_check
                FROM (
                  SELECT i, (hash(i, 'country') % {countries.num_rows})::BIGINT AS country_key,
                         (hash(i, 'drug') % {drugs.num_rows})::BIGINT AS drug_key,
                         (hash(i, 'year') % 34)::INTEGER AS year_key, hash(i, 'missing') % 100 = 0 AS missing
                  FROM range({rows}) t(i)
                ) g
                JOIN countries c ON c.k = g.country_key
                JOIN drugs d ON d.k = g.drug_key
              )
              ORDER BY {", ".join(SEIZURE_ORDER)}
            ) TO '{temporary}' (FORMAT parquet, ROW_GROUP_SIZE {ROW_GROUP_ROWS}, KV_METADATA {{{layout}}})
            """
        )
        temporary.replace(target)
    return folder


def _write_manifest(folder: Path) -> None:
    path = manifest_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    row = {"submission_id": 1, "dataset": DATASET, "status": "published", "vintage": 1}
    pq.write_table(pa.Table.from_pylist([row], schema=SUBMISSION_SCHEMA), path)


def _same_layout(metadata: pq.FileMetaData, rows: int) -> bool:
    """The cached file has ``rows`` rows written the way the snapshot writes them (sorted, same row groups)."""
    written = metadata.metadata or {}
    return (
        metadata.num_rows == rows
        and metadata.schema.names == SEIZURE_SCHEMA.names
        and all(written.get(key) == value for key, value in LAYOUT.items())
    )


def _by_drug(records: list[SeizureRecord]) -> list[SeizureRecord]:
    """One record per drug group and drug, in the order they first appear."""
    return list({(r.drug_group, r.drug): r for r in records}.values())


def _drug(group: str, subgroup: str, drug: str) -> dict[str, object]:
    found = marks(group, subgroup, drug)
    return {
        "drug_group": group,
        "drug_subgroup": subgroup,
        "drug": drug,
        "reported_total": found.reported_total,
        "plant_material": found.plant_material,
        "covers": str(found.covers) if found.covers else None,
    }


def build_sqlite(
    parquet_folder: Path, database: Path, indexes: Mapping[str, str] = SQLITE_INDEXES, batch_rows: int = 200_000
) -> Path:
    """The same rows in SQLite with ``indexes`` (name → columns; by default a covering index per query of
    ``seizure_aggregates``); reused when complete."""
    source = seizure_dir(parquet_folder) / "submission-1.parquet"
    expected = pq.read_metadata(source).num_rows
    if database.exists():
        with sqlite3.connect(database) as existing:
            if existing.execute("SELECT count(*) FROM annual_seizure").fetchone() == (expected,):
                _ensure_indexes(existing, indexes)
                return database
        database.unlink()
    temporary = database.with_suffix(".tmp")
    temporary.unlink(missing_ok=True)
    names = [field.name for field in SEIZURE_SCHEMA]
    with sqlite3.connect(temporary) as con:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute(f"CREATE TABLE annual_seizure ({', '.join(names)})")
        insert = f"INSERT INTO annual_seizure VALUES ({', '.join('?' for _ in names)})"
        for batch in pq.ParquetFile(source).iter_batches(batch_size=batch_rows, columns=names):
            con.executemany(insert, zip(*(column.to_pylist() for column in batch.columns), strict=True))
        _ensure_indexes(con, indexes)
    temporary.replace(database)
    return database


def _ensure_indexes(con: sqlite3.Connection, indexes: Mapping[str, str]) -> None:
    """Make the table's indexes exactly ``indexes``, rebuilding only those that differ."""
    present = {
        name: ", ".join(row[2] for row in con.execute(f"PRAGMA index_info({name})"))
        for (name,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'annual_seizure'"
        )
    }
    if present == indexes:
        return
    for name, columns in present.items():
        if indexes.get(name) != columns:
            con.execute(f"DROP INDEX {name}")
    for name, columns in indexes.items():
        if present.get(name) != columns:
            con.execute(f"CREATE INDEX {name} ON annual_seizure ({columns})")
    con.execute("ANALYZE")
