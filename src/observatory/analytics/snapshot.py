"""Parquet snapshots of approved data, one file per submission, refreshed incrementally.

A file is written to a temporary name and renamed into place, so a reader never sees half of one.
"""

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Engine, select

from observatory.analytics.seizures import DATASET as SNAPSHOT_FOLDER
from observatory.reporting.intake import ANNUAL_SEIZURES, APPROVED_STATUSES
from observatory.store.schema import AnnualSeizure, Population, Submission

SEIZURE_SCHEMA = pa.schema(
    [
        ("submission_id", pa.int64()),
        ("source_row", pa.int32()),
        ("region", pa.string()),
        ("subregion", pa.string()),
        ("country", pa.string()),
        ("country_iso3", pa.string()),
        ("drug_group", pa.string()),
        ("drug_subgroup", pa.string()),
        ("drug", pa.string()),
        ("year", pa.int32()),
        ("kilograms", pa.float64()),
        ("value_state", pa.string()),
        ("missing_reason", pa.string()),
    ]
)
#: Seizure rows are written sorted by these columns, in row groups of ``ROW_GROUP_ROWS``: a dashboard question
#: (one drug, one region) then reads the few row groups whose min/max statistics admit it instead of every row.
SEIZURE_ORDER = ("drug_group", "drug", "region", "subregion", "country_iso3", "year")
ROW_GROUP_ROWS = 122_880
LAYOUT = {b"observatory.layout": ("sorted:" + ",".join(SEIZURE_ORDER)).encode()}
POPULATION_SCHEMA = pa.schema([("country_iso3", pa.string()), ("year", pa.int32()), ("persons", pa.int64())])


@dataclass(frozen=True, slots=True)
class SnapshotReport:
    written: list[int]
    removed: list[int]
    kept: list[int]


def seizure_dir(analytics_dir: Path) -> Path:
    return analytics_dir / SNAPSHOT_FOLDER


def refresh_snapshot(engine: Engine, analytics_dir: Path) -> SnapshotReport:
    """Write the approved submissions that have no snapshot yet and drop those no longer approved."""
    folder = seizure_dir(analytics_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with engine.connect() as connection:
        approved = set(
            connection.scalars(
                select(Submission.id).where(
                    Submission.dataset == ANNUAL_SEIZURES, Submission.status.in_(APPROVED_STATUSES)
                )
            )
        )
        present = {int(path.stem.removeprefix("submission-")) for path in folder.glob("submission-*.parquet")}
        for submission_id in sorted(approved - present):
            columns = [getattr(AnnualSeizure, field.name) for field in SEIZURE_SCHEMA]
            rows = connection.execute(select(*columns).where(AnnualSeizure.submission_id == submission_id))
            table = pa.Table.from_pylist([row._asdict() for row in rows], schema=SEIZURE_SCHEMA.with_metadata(LAYOUT))
            ordered = table.sort_by([(name, "ascending") for name in SEIZURE_ORDER])
            _write_atomically(ordered, folder / f"submission-{submission_id}.parquet")
        population = connection.execute(select(Population.country_iso3, Population.year, Population.persons))
        _write_atomically(
            pa.Table.from_pylist([row._asdict() for row in population], schema=POPULATION_SCHEMA),
            analytics_dir / "population.parquet",
        )
    for submission_id in present - approved:
        (folder / f"submission-{submission_id}.parquet").unlink()
    return SnapshotReport(sorted(approved - present), sorted(present - approved), sorted(approved & present))


def _write_atomically(table: pa.Table, target: Path) -> None:
    temporary = target.with_suffix(".parquet.tmp")
    pq.write_table(table, temporary, row_group_size=ROW_GROUP_ROWS)
    temporary.replace(target)
