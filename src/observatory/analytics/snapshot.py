"""The annual-seizures snapshot: one Parquet file per served submission, derived from its observations.

Annual seizures travel the one path every data set travels: a file is submitted, checked, stored as
``observation`` rows, approved and published; ``observations.refresh_observations`` writes each served submission's
values to ``observations/submission-<id>.parquet``. This module derives from that file the seizure rows the figures
read, in ``annual-seizures/submission-<id>.parquet``, one row per reported quantity:

- the dimensions as columns (country code and name, WDR region and sub-region from the reference when the file
  gives none, drug group, sub-group and drug);
- the two marks of the drug hierarchy (``reference.seizure_conventions``): ``reported_total`` and
  ``plant_material``, and what a total ``covers``;
- ``headline``: whether the row counts in a headline figure. Plant material never does; per country × year ×
  what a total covers, either the total or its components do, whichever is larger; ``total_check`` says
  ``total-differs`` when the two differ by more than the tolerance, ``total-only`` or ``components-only``
  otherwise. The query API (``seizures.seizure_totals``) still returns every row as reported.

A file is written to a temporary name and renamed into place, so a reader never sees half of one.
"""

import json
import math
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy import Connection, Engine, func, select

from observatory.analytics.observations import SnapshotReport, approved_rows, refresh_observations
from observatory.analytics.store import OBSERVATIONS, POPULATION
from observatory.reference.geography import Place, UnknownCountry, place
from observatory.reference.seizure_conventions import TOLERANCE, Covers, marks
from observatory.store.schema import Population

#: The data set whose observations the seizure figures read; also the name of its snapshot folder.
DATASET = "annual-seizures"
ELEMENT = "kilograms"
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
        ("reported_total", pa.bool_()),
        ("plant_material", pa.bool_()),
        ("covers", pa.string()),
        ("headline", pa.bool_()),
        ("total_check", pa.string()),
    ]
)
#: Seizure rows are written sorted by these columns, in row groups of ``ROW_GROUP_ROWS``: a dashboard question
#: (one drug, one region) then reads the few row groups whose min/max statistics admit it instead of every row.
SEIZURE_ORDER = ("drug_group", "drug", "region", "subregion", "country_iso3", "year")
ROW_GROUP_ROWS = 122_880
LAYOUT = {b"observatory.layout": ("v2;sorted:" + ",".join(SEIZURE_ORDER)).encode()}
#: The Parquet metadata key of the population file's ``population_identity``.
POPULATION_IDENTITY = b"observatory.population"
POPULATION_SCHEMA = pa.schema([("country_iso3", pa.string()), ("year", pa.int32()), ("persons", pa.int64())])


def seizure_dir(analytics_dir: Path) -> Path:
    return analytics_dir / DATASET


def refresh_snapshot(engine: Engine, analytics_dir: Path) -> SnapshotReport:
    """Bring the observations, the seizure files and the population up to date with the records store."""
    refresh_observations(engine, analytics_dir)
    folder = seizure_dir(analytics_dir)
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {row["submission_id"] for row in approved_rows(analytics_dir) if row["dataset"] == DATASET}
    present = {int(path.stem.removeprefix("submission-")) for path in folder.glob("submission-*.parquet")}
    for submission_id in sorted(wanted - present):
        source = analytics_dir / OBSERVATIONS / f"submission-{submission_id}.parquet"
        _write_atomically(seizure_rows(pq.read_table(source)), folder / f"submission-{submission_id}.parquet")
    for submission_id in present - wanted:
        (folder / f"submission-{submission_id}.parquet").unlink(missing_ok=True)
    write_population(engine, analytics_dir)
    return SnapshotReport(sorted(wanted - present), sorted(present - wanted), sorted(wanted & present))


def write_population(engine: Engine, analytics_dir: Path) -> pa.Table:
    """The records store's total population, written as the snapshot's ``POPULATION`` file with its identity
    (``population_identity``) in the file's metadata; returns it."""
    with engine.connect() as connection:
        identity = _identity(connection)
        population = connection.execute(select(Population.country_iso3, Population.year, Population.persons))
        table = pa.Table.from_pylist([row._asdict() for row in population], schema=POPULATION_SCHEMA)
    table = table.replace_schema_metadata({POPULATION_IDENTITY: identity.encode()})
    _write_atomically(table, analytics_dir / POPULATION)
    return table


def population_identity(engine: Engine) -> str:
    """What the records store's population table holds: its row count and the kept source file of its rows. The
    table is only ever replaced as a whole, from one kept file (``reporting.intake.load_population``), so these two
    name it; one cheap query, not a scan of the values."""
    with engine.connect() as connection:
        return _identity(connection)


def written_population_identity(analytics_dir: Path) -> str | None:
    """``population_identity`` of the records store when the snapshot's population was written; None when there is
    no population file (or one written before the identity was kept)."""
    try:
        metadata = pq.read_schema(analytics_dir / POPULATION).metadata or {}
    except (OSError, pa.ArrowInvalid):  # gone, or not Parquet: written again by the next refresh
        return None
    found = metadata.get(POPULATION_IDENTITY)
    return None if found is None else found.decode()


def _identity(connection: Connection) -> str:
    first = select(Population.source_file_id).limit(1).scalar_subquery()
    count, source = connection.execute(select(func.count(), first).select_from(Population)).one()
    return f"{count}|{source}"


def seizure_rows(observations: pa.Table) -> pa.Table:
    """The seizure rows of one submission's observations (``observations.OBSERVATION_SCHEMA``), sorted."""
    values = observations.filter(pc.equal(observations["element"], ELEMENT))
    rows = [_row(observation) for observation in values.to_pylist()]
    _mark_headline(rows)
    table = pa.Table.from_pylist(rows, schema=SEIZURE_SCHEMA.with_metadata(LAYOUT))
    return table.sort_by([(name, "ascending") for name in SEIZURE_ORDER])


def _row(observation: dict[str, Any]) -> dict[str, Any]:
    dimensions = json.loads(observation["dimensions"] or "{}")
    code = observation["country_iso3"]
    known = _place(code)
    group, subgroup, drug = dimensions.get("drug_group"), dimensions.get("drug_subgroup"), dimensions.get("drug")
    found = marks(group, subgroup, drug)
    return {
        "submission_id": observation["submission_id"],
        "source_row": observation["source_row"],
        "region": dimensions.get("region") or (known.unodc_region if known else None),
        "subregion": dimensions.get("subregion") or (known.unodc_subregion if known else None),
        "country": known.name if known else code,
        "country_iso3": code,
        "drug_group": group,
        "drug_subgroup": subgroup,
        "drug": drug,
        "year": observation["year"],
        "kilograms": observation["value"] if observation["value_state"] in ("value", "zero") else None,
        "value_state": observation["value_state"],
        "missing_reason": observation["missing_reason"],
        "reported_total": found.reported_total,
        "plant_material": found.plant_material,
        "covers": str(found.covers) if found.covers else None,
        "headline": not found.plant_material,
        "total_check": None,
    }


def _place(code: str | None) -> Place | None:
    if not code:
        return None
    try:
        return place(code)
    except UnknownCountry:  # a code the reference no longer knows keeps its code as its name
        return None


@dataclass(slots=True)
class _Scope:
    totals: list[dict[str, Any]]
    components: list[dict[str, Any]]


def _mark_headline(rows: list[dict[str, Any]]) -> None:
    """Set ``headline`` and ``total_check`` on rows that a reported total covers, or that are such a total."""
    scopes: dict[tuple[Any, ...], _Scope] = defaultdict(lambda: _Scope([], []))
    totals = [row for row in rows if row["reported_total"]]
    for row in totals:
        scopes[_scope_key(row, Covers(row["covers"]))].totals.append(row)
    if not scopes:
        return
    for row in rows:
        if row["reported_total"] or row["plant_material"]:
            continue
        for covers in (Covers.DRUG_GROUP, Covers.DRUG_SUBGROUP):
            key = _scope_key(row, covers)
            if key in scopes:
                scopes[key].components.append(row)
                break
    for scope in scopes.values():
        _decide(scope)


def _scope_key(row: dict[str, Any], covers: Covers) -> tuple[Any, ...]:
    level = (row["drug_group"],) if covers is Covers.DRUG_GROUP else (row["drug_group"], row["drug_subgroup"])
    return (row["submission_id"], row["country_iso3"], row["year"], covers, *level)


def _decide(scope: _Scope) -> None:
    """The larger of the largest total and the sum of the components counts; the other side does not."""
    total = max((row["kilograms"] for row in scope.totals if row["kilograms"] is not None), default=None)
    reported = [row["kilograms"] for row in scope.components if row["kilograms"] is not None]
    components = math.fsum(reported) if reported else None
    if total is None or components is None:
        check = "total-only" if components is None else "components-only"
        use_total = components is None
    else:
        larger = max(total, components)
        check = "total-differs" if larger and abs(total - components) / larger > TOLERANCE else "total-agrees"
        use_total = total >= components
    first_total = next((row for row in scope.totals if row["kilograms"] == total), None) if use_total else None
    for row in scope.totals:
        row["headline"] = row is first_total or (total is None and components is None and row is scope.totals[0])
        row["total_check"] = check
    for row in scope.components:
        row["headline"] = not use_total
        row["total_check"] = check


def _write_atomically(table: pa.Table, target: Path) -> None:
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    pq.write_table(table, temporary, row_group_size=ROW_GROUP_ROWS)
    temporary.replace(target)
