import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def observatory(var_dir: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OBSERVATORY_VAR_DIR": str(var_dir), "OBSERVATORY_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "observatory", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_a_wdr_table_imports_with_no_error(tmp_path: Path, database_url: str) -> None:
    table = SHARED / "unodc_cultivation" / "wdr2025_6.1.1_coca_bush_cultivation.xlsx"
    result = observatory(tmp_path, database_url, "submit", str(table), "--dataset", "cultivation", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and report["errors"] == [] and report["values_stored"] > 0


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (
            "country,drug_group,drug_subgroup,drug,year,kilograms\nNarnia,Opioids,Opiates,Heroin,2023,1\n",
            "unknown-country",
        ),
        ("%PDF-1.4\n", "unreadable-file"),
    ],
)
def test_a_blocking_problem_exits_non_zero_with_the_report(tmp_path: Path, content: str, code: str) -> None:
    path = tmp_path / "upload.csv"
    path.write_text(content)
    result = observatory(tmp_path, "", "submit", str(path), "--dataset", "annual-seizures", "--json")
    assert result.returncode == 1
    assert [problem["code"] for problem in json.loads(result.stdout)["errors"]] == [code]


def test_an_unknown_data_set_names_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n")
    result = observatory(tmp_path, "", "submit", str(path), "--dataset", "colours")
    assert result.returncode == 1 and "annual-seizures" in result.stderr
