import csv
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from observatory.datasets import DEMO_ANNEX
from observatory.store.engine import make_engine
from observatory.store.reporting_schema import Observation
from observatory.store.schema import Submission
from tests.wdr_table import DRUG_GROUP, YEAR, independent_headline_totals

OBSERVATORY = [sys.executable, "-m", "observatory"]


def observatory(var_dir: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OBSERVATORY_VAR_DIR": str(var_dir), "OBSERVATORY_DATABASE_URL": database_url}
    return subprocess.run([*OBSERVATORY, *args], env=env, capture_output=True, text=True, timeout=300, check=False)


def test_demo_prints_totals_equal_to_the_workbook(tmp_path: Path, database_url: str) -> None:
    result = observatory(tmp_path / "var", database_url, "demo", "--no-serve")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["seizures"]["rows"] == 11_274
    ours: dict[tuple[object, ...], float] = {
        (row["drug_group"], row["year"]): row["kilograms"] for row in summary["seizures"]["by_drug_group_year"]
    }
    # The demo prints headline figures (WDR conventions: no plant material, no reported total beside its own
    # components), so they equal the workbook's headline sums, not its plain sums: cocaine 2023 is 2,274,697.8 kg,
    # the WDR 2025 headline, not the 20.7 Mt that adding the coca bush and the cocaine total gives.
    expected = independent_headline_totals(DRUG_GROUP, YEAR)
    assert ours.keys() == expected.keys()
    assert all(math.isclose(ours[key], value, rel_tol=1e-12) for key, value in expected.items())
    assert math.isclose(ours["Cocaine-type", 2023], 2_274_697.8, rel_tol=1e-8)
    assert summary["population"]["rows"] > 10_000
    with DEMO_ANNEX.open(encoding="utf-8", newline="") as handle:
        annex = list(csv.DictReader(handle))
    loaded = summary["submissions"]
    assert [(item["file"], item["dataset"]) for item in loaded] == [(row["file"], row["dataset"]) for row in annex]
    assert {(item["status"], item["already_loaded"]) for item in loaded} == {("published", False)}


@pytest.mark.parametrize(
    ("content", "message", "kept"),
    [(None, "file not found", 0), (b"PK\x03\x04 broken", "not an Excel .xlsx workbook", 1)],
    ids=["missing", "corrupt"],
)
def test_a_missing_or_corrupt_demo_file_fails_cleanly(
    tmp_path: Path, database_url: str, content: bytes | None, message: str, kept: int
) -> None:
    path = tmp_path / "seizures.xlsx"
    if content is not None:
        path.write_bytes(content)
    result = observatory(tmp_path / "var", database_url, "demo", "--no-serve", "--seizures", str(path))
    assert result.returncode == 1
    assert str(path) in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            # A corrupt file went through the front door: kept as an invalid submission with its report, as any
            # country's would be, with no values; a missing one never got there. Nothing was published.
            statuses = connection.scalars(select(Submission.status)).all()
            assert statuses == ["invalid"] * kept
            assert connection.scalar(select(func.count()).select_from(Observation)) == 0
    finally:
        engine.dispose()


def test_an_unknown_benchmark_is_an_error_naming_the_available_ones(tmp_path: Path) -> None:
    result = observatory(tmp_path / "var", "", "bench", "--json", "no_such_benchmark")
    assert result.returncode == 1 and "seizure_aggregates" in result.stderr
