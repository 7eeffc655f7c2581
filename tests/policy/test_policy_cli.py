"""``observatory policy load`` and ``observatory search`` on an embedded store."""

import json
import os
import subprocess
import sys
from pathlib import Path

OBSERVATORY = [sys.executable, "-m", "observatory"]


def run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {"OBSERVATORY_VAR_DIR": str(folder), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run(
        [*OBSERVATORY, *args], capture_output=True, text=True, timeout=300, check=False, env=environment
    )


def test_search_prints_the_results_as_json(tmp_path: Path) -> None:
    loaded = run(tmp_path, "policy", "load", "--json")
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["programmes"] == 23
    found = run(tmp_path, "search", "coffee and tea instead of opium", "--top", "2", "--json")
    assert found.returncode == 0, found.stderr
    results = json.loads(found.stdout)["results"]
    assert len(results) == 2 and set(results[0]) == {"kind", "id", "title", "country", "score", "snippet"}
    assert (results[0]["kind"], results[0]["id"], results[0]["country"]) == (
        "programme",
        "sustainable-livelihoods-myanmar",
        "MMR",
    )
    filtered = run(tmp_path, "search", "treatment", "--kind", "strategy", "--country", "CAN", "--json")
    assert {hit["country"] for hit in json.loads(filtered.stdout)["results"]} == {"CAN"}
    bad = run(tmp_path, "search", '"unclosed', "--json")
    assert bad.returncode == 1 and "not closed" in bad.stderr and "Traceback" not in bad.stderr
