import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from observatory.store.engine import make_engine
from observatory.store.schema import AnnualSeizure, Submission
from tests.wdr_table import DRUG_GROUP, YEAR, independent_totals

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
    expected = independent_totals(DRUG_GROUP, YEAR)
    assert ours.keys() == expected.keys()
    assert all(math.isclose(ours[key], value, rel_tol=1e-12) for key, value in expected.items())
    assert summary["population"]["rows"] > 10_000


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "file not found"), (b"PK\x03\x04 broken", "not a readable Excel workbook")],
    ids=["missing", "corrupt"],
)
def test_a_missing_or_corrupt_demo_file_fails_cleanly(
    tmp_path: Path, database_url: str, content: bytes | None, message: str
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
        if "submission" in inspect(engine).get_table_names():
            with engine.connect() as connection:
                assert connection.scalar(select(func.count()).select_from(Submission)) == 0
                assert connection.scalar(select(func.count()).select_from(AnnualSeizure)) == 0
    finally:
        engine.dispose()


def test_an_unknown_benchmark_is_an_error_naming_the_available_ones(tmp_path: Path) -> None:
    result = observatory(tmp_path / "var", "", "bench", "--json", "no_such_benchmark")
    assert result.returncode == 1 and "seizure_aggregates" in result.stderr
