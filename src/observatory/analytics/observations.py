"""Parquet snapshot of the approved values of every data set, one file per submission, refreshed incrementally.

``observations/submission-<id>.parquet`` holds a submission's values flattened: the dimensions as a JSON string,
and the dimensions many data sets share as columns of their own. ``submissions/approved.parquet`` lists every
approved submission of every data set (annual seizures included) with its vintage, so that figures can cite the
vintages of their inputs without reading the records store. Superseded submissions are not approved, so a
correction replaces the vintage it corrects.
"""

import json
import os
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy import Connection, Engine, select

from observatory.analytics.store import MANIFEST, OBSERVATIONS, AnalyticsStore
from observatory.errors import BadInput
from observatory.store.reporting_schema import Observation
from observatory.store.schema import Submission
from observatory.store.serving import SNAPSHOT_STATUSES

#: Dimensions several data sets share; each gets a string column (null where a data set lacks it).
COMMON_DIMENSIONS = (
    "region",
    "subregion",
    "drug_group",
    "drug",
    "substance",
    "recall",
    "sex",
    "age",
    "level_of_sale",
    "crop",
    "setting",
)
OBSERVATION_SCHEMA = pa.schema(
    [
        ("observation_id", pa.int64()),
        ("submission_id", pa.int64()),
        ("vintage", pa.int32()),
        ("dataset", pa.string()),
        ("element", pa.string()),
        ("country_iso3", pa.string()),
        ("year", pa.int32()),
        ("value", pa.float64()),
        ("value_text", pa.string()),
        ("value_state", pa.string()),
        ("missing_reason", pa.string()),
        ("unit", pa.string()),
        ("source_row", pa.int32()),
        ("dimensions", pa.string()),
        *[(name, pa.string()) for name in COMMON_DIMENSIONS],
    ]
)
SUBMISSION_SCHEMA = pa.schema(
    [
        ("submission_id", pa.int64()),
        ("dataset", pa.string()),
        ("country_iso3", pa.string()),
        ("status", pa.string()),
        ("vintage", pa.int32()),
        ("supersedes_id", pa.int64()),
        ("created_at", pa.string()),
    ]
)
#: ``latest_prevalence``: one row per country.
LATEST_PREVALENCE_SCHEMA = pa.schema(
    [
        ("country_iso3", pa.string()),
        ("estimate_year", pa.int32()),
        ("submission_id", pa.int64()),
        ("vintage", pa.int32()),
        ("source_row", pa.int32()),
        ("age", pa.string()),
        ("best", pa.float64()),
        ("low", pa.float64()),
        ("high", pa.float64()),
        ("dropped", pa.bool_()),
    ]
)
FILTERABLE = ("element", "country_iso3", "year", "value_state", "submission_id", *COMMON_DIMENSIONS)


@dataclass(frozen=True, slots=True)
class SnapshotReport:
    written: list[int]
    removed: list[int]
    kept: list[int]


def refresh_observations(engine: Engine, analytics_dir: Path) -> SnapshotReport:
    """Write served submissions that have no file yet, drop files of those no longer served, list vintages."""
    folder = analytics_dir / OBSERVATIONS
    folder.mkdir(parents=True, exist_ok=True)
    manifest_path(analytics_dir).parent.mkdir(parents=True, exist_ok=True)
    with engine.connect() as connection:
        approved = _approved(connection)
        wanted = {row["submission_id"]: row["vintage"] for row in approved}
        present = {int(path.stem.removeprefix("submission-")) for path in folder.glob("submission-*.parquet")}
        for submission_id in sorted(set(wanted) - present):
            table = _submission_table(connection, submission_id, wanted[submission_id])
            _write(table, folder / f"submission-{submission_id}.parquet")
    _write(pa.Table.from_pylist(approved, schema=SUBMISSION_SCHEMA), manifest_path(analytics_dir))
    for submission_id in present - set(wanted):
        (folder / f"submission-{submission_id}.parquet").unlink()
    return SnapshotReport(sorted(set(wanted) - present), sorted(present - set(wanted)), sorted(set(wanted) & present))


def manifest_path(analytics_dir: Path) -> Path:
    return analytics_dir / MANIFEST


def approved_rows(analytics_dir: Path) -> list[dict[str, Any]]:
    """The manifest as rows: every served submission with its data set, country, status and vintage."""
    path = manifest_path(analytics_dir)
    return pq.read_table(path).to_pylist() if path.is_file() else []


def _approved(connection: Connection) -> list[dict[str, Any]]:
    query = (
        select(
            Submission.id.label("submission_id"),
            Submission.dataset,
            Submission.country_iso3,
            Submission.status,
            Submission.vintage,
            Submission.supersedes_id,
            Submission.created_at,
        )
        .where(Submission.status.in_(SNAPSHOT_STATUSES))
        .order_by(Submission.id)
    )
    return [
        {**row._asdict(), "created_at": row.created_at.isoformat() if row.created_at else None}
        for row in connection.execute(query)
    ]


def _submission_table(connection: Connection, submission_id: int, vintage: int) -> pa.Table:
    query = select(Observation.__table__).where(Observation.submission_id == submission_id).order_by(Observation.id)
    rows = [_flat(row._asdict(), vintage) for row in connection.execute(query)]
    return pa.Table.from_pylist(rows, schema=OBSERVATION_SCHEMA)


def _flat(row: dict[str, Any], vintage: int) -> dict[str, Any]:
    dimensions: dict[str, Any] = row.pop("dimensions") or {}
    return row | {
        "observation_id": row["id"],
        "vintage": vintage,
        "dimensions": json.dumps(dimensions, ensure_ascii=False, sort_keys=True, default=str),
        **{name: None if dimensions.get(name) is None else str(dimensions[name]) for name in COMMON_DIMENSIONS},
    }


def approved_submissions(store: AnalyticsStore) -> pa.Table:
    """The manifest: every submission the store's audience sees, with its data set, country, status and vintage."""
    found = store.manifest()
    if found is None:
        return SUBMISSION_SCHEMA.empty_table()
    table, served = found
    table = table.sort_by("submission_id")
    return table.filter(pc.is_in(table["submission_id"], pa.array(sorted(served), pa.int64())))


def vintages(store: AnalyticsStore) -> dict[int, int]:
    """Submission id → vintage, for every approved submission the manifest lists."""
    table = approved_submissions(store)
    ids, numbers = table.column("submission_id").to_pylist(), table.column("vintage").to_pylist()
    return dict(zip(ids, numbers, strict=True))


def observation_source(store: AnalyticsStore, dataset: str) -> str | None:
    """A ``read_parquet`` expression over the files of ``dataset``'s submissions, or None when there are none."""
    table = approved_submissions(store)
    wanted = {sid for sid, name in zip(*_columns(table, "submission_id", "dataset"), strict=True) if name == dataset}
    files = [path for path in store.files(OBSERVATIONS) if int(path.stem.removeprefix("submission-")) in wanted]
    return f"read_parquet({[str(path) for path in files]!r})" if files else None


def observations(
    store: AnalyticsStore, dataset: str, filters: Mapping[str, Sequence[str | int]] | None = None
) -> pa.Table:
    """Approved values of ``dataset``, filtered on any of ``FILTERABLE`` (each a list of accepted values)."""
    chosen = dict(filters or {})
    unknown = sorted(set(chosen) - set(FILTERABLE))
    if unknown:
        raise BadInput(
            f"unknown observation filter {unknown[0]!r}; accepted: {', '.join(FILTERABLE)}",
            [{"parameter": name, "accepted": list(FILTERABLE)} for name in unknown],
        )
    source = observation_source(store, dataset)
    if source is None:
        return OBSERVATION_SCHEMA.empty_table()
    clauses = [f"{name} IN ({', '.join('?' for _ in values)})" for name, values in chosen.items()]
    parameters = [value for values in chosen.values() for value in values]
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return store.arrow(f"SELECT * FROM {source}{where} ORDER BY submission_id, observation_id", parameters)


def dataset_summary(store: AnalyticsStore) -> pa.Table:
    """Per data set: approved submissions and the values they hold, of which how many are not reported."""
    source = store.source(OBSERVATIONS)
    if source is None:
        return pa.table({"dataset": pa.array([], pa.string()), "values": pa.array([], pa.int64())})
    return store.arrow(
        f'SELECT dataset, count(DISTINCT submission_id) AS submissions, count(*) AS "values", '
        f"count(*) - count(value) AS not_numeric FROM {source} GROUP BY dataset ORDER BY dataset"
    )


def _write(table: pa.Table, target: Path) -> None:
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    pq.write_table(table, temporary)
    temporary.replace(target)


def _columns(table: pa.Table, *names: str) -> list[list[Any]]:
    return [table.column(name).to_pylist() for name in names]


def latest_prevalence(store: AnalyticsStore, drug: str, year: int) -> pa.Table:
    """Per country, the latest past-year estimate of ``drug`` from ``year`` or before (best, low, high in %).

    Among estimates of the same year the newest vintage wins, then the newest submission, then the first row.
    ``dropped`` marks a range that lacks an end or does not hold the best value, so cannot be used.
    """
    return pa.Table.from_pylist(latest_prevalence_by_year(store, drug, [year])[year], schema=LATEST_PREVALENCE_SCHEMA)


def latest_prevalence_by_year(
    store: AnalyticsStore, drug: str, years: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    """``latest_prevalence`` of each of ``years`` as rows (``LATEST_PREVALENCE_SCHEMA``) by country, from one query
    of the estimates up to the last of them."""
    source = observation_source(store, "prevalence")
    if source is None or not years:
        return {year: [] for year in years}
    records = store.arrow(
        f"""
        SELECT *, (low IS NOT NULL OR high IS NOT NULL) AND NOT coalesce(low <= best AND best <= high, false) AS dropped
        FROM (
            SELECT country_iso3, year AS estimate_year, submission_id, vintage, source_row, age,
                   max(value) FILTER (WHERE element = 'best') AS best,
                   max(value) FILTER (WHERE element = 'low') AS low,
                   max(value) FILTER (WHERE element = 'high') AS high
            FROM {source}
            WHERE drug = ? AND coalesce(recall, 'past-year') = 'past-year' AND year <= ? AND country_iso3 IS NOT NULL
            GROUP BY ALL
        )
        WHERE best IS NOT NULL
        ORDER BY country_iso3, estimate_year, vintage DESC NULLS LAST, submission_id DESC, source_row NULLS LAST
        """,
        [drug, max(years)],
    ).to_pydict()
    # Per country, the preferred record of each estimate year, years ascending.
    preferred: dict[str, tuple[list[int], list[int]]] = {}
    for index, (country, year) in enumerate(zip(records["country_iso3"], records["estimate_year"], strict=True)):
        estimate_years, rows = preferred.setdefault(country, ([], []))
        if not estimate_years or estimate_years[-1] != year:
            estimate_years.append(year)
            rows.append(index)
    names = LATEST_PREVALENCE_SCHEMA.names
    columns = [records[name] for name in names]
    made: dict[int, dict[str, Any]] = {}
    latest: dict[int, list[dict[str, Any]]] = {}
    for year in years:
        latest[year] = []
        for estimate_years, rows in preferred.values():
            position = bisect_right(estimate_years, year) - 1
            if position >= 0:
                index = rows[position]
                if index not in made:
                    made[index] = dict(zip(names, [column[index] for column in columns], strict=True))
                latest[year].append(made[index])
    return latest


def distinct(store: AnalyticsStore, dataset: str, column: str) -> list[Any]:
    """The values ``column`` takes in ``dataset``'s approved observations, in order."""
    if column not in FILTERABLE:
        raise BadInput(f"unknown observation column {column!r}; accepted: {', '.join(FILTERABLE)}")
    source = observation_source(store, dataset)
    if source is None:
        return []
    return [
        row[0] for row in store.rows(f"SELECT DISTINCT {column} FROM {source} WHERE {column} IS NOT NULL ORDER BY 1")
    ]
