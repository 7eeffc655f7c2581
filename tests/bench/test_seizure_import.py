"""The import benchmark: its generated file, its floor (which must store what ``submit_file`` stores) and its JSON."""

import json
from pathlib import Path

from rich.console import Console
from sqlalchemy import Engine, select

from observatory.access.policy import Principal, Role
from observatory.bench.runner import run_benchmarks
from observatory.bench.seizure_import import (
    DATASET,
    WARM_UP_ROWS,
    floor_import,
    frictionless_validate,
    generate_csv,
    warm_up,
)
from observatory.reference.release import load_packaged_release
from observatory.reporting.observation_table import COLUMNS
from observatory.reporting.submit import submit_file
from observatory.store.migrate import upgrade
from observatory.store.reporting_schema import Observation


def rows_of(engine: Engine, submission: int) -> list[dict[str, object]]:
    columns = [getattr(Observation, name) for name in COLUMNS if name != "submission_id"]
    query = select(*columns).where(Observation.submission_id == submission).order_by(Observation.id)
    with engine.connect() as connection:
        return [{**row._asdict(), "dimensions": json.dumps(row.dimensions)} for row in connection.execute(query)]


def test_the_floor_stores_the_rows_submit_file_stores(tmp_path: Path, engine: Engine, database_url: str) -> None:
    upgrade(engine)
    load_packaged_release(engine)
    path = generate_csv(tmp_path / "seizures.csv", 2_000)
    ours = submit_file(engine, Principal("bench", Role.ADMIN), path.read_bytes(), path.name, DATASET)
    assert ours.report["errors"] == [] and ours.values_stored == 6_000
    assert floor_import(database_url, path) == 6_000
    assert rows_of(engine, ours.submission_id + 1) == rows_of(engine, ours.submission_id)


def test_the_generated_file_is_cached_and_valid_for_frictionless_too(tmp_path: Path) -> None:
    path = generate_csv(tmp_path / "seizures.csv", 500)
    first = path.stat().st_mtime_ns
    assert generate_csv(path, 500).stat().st_mtime_ns == first
    assert len(path.read_text(encoding="utf-8").splitlines()) == 501
    assert frictionless_validate(path) == 500


def test_the_runner_prints_one_result_per_engine_and_one_for_validation(tmp_path: Path) -> None:
    report = run_benchmarks(tmp_path, "seizure_import", rows=1_000, repeat=1, progress=Console(quiet=True))
    names = [result["name"] for result in report["benchmarks"]]
    assert names[:2] == ["seizure_import.validate", "seizure_import.sqlite"]
    for result in report["benchmarks"]:
        assert result["ratio_to_limit"] == result["ours_s"] / result["limit_s"]
        assert result["speedup_vs_peer"] == result["peer_s"] / result["ours_s"]
    sqlite = report["benchmarks"][1]
    assert sqlite["ours_peak_mb"] > 0 and sqlite["max_peak_mb"] == 1024.0 and "3,000 values stored" in sqlite["note"]


def test_the_warm_up_checks_the_first_rows_on_every_side(tmp_path: Path) -> None:
    path = generate_csv(tmp_path / "seizures.csv", WARM_UP_ROWS + 500)
    sample = tmp_path / "warm-up.csv"
    warm_up(path, sample)
    lines = sample.read_text(encoding="utf-8").splitlines()
    assert lines == path.read_text(encoding="utf-8").splitlines()[: WARM_UP_ROWS + 1]
    assert frictionless_validate(sample) == WARM_UP_ROWS
