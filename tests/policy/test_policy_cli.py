"""``observatory policy load`` and ``observatory search`` on an embedded store."""

import json
import os
import subprocess
import sys
from pathlib import Path

OBSERVATORY = [sys.executable, "-m", "observatory"]


def run(folder: Path, *args: str, model: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {"OBSERVATORY_VAR_DIR": str(folder), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    if model is not None:
        environment["OBSERVATORY_SEARCH_MODEL"] = model
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

    paraphrase = "drug strategy for the Indigenous peoples of Australia"
    hybrid = json.loads(run(tmp_path, "search", paraphrase, "--kind", "strategy", "--top", "3", "--json").stdout)
    assert hybrid["mode"] == hybrid["requested_mode"] == "hybrid" and hybrid["note"] is None
    assert hybrid["results"][0]["id"] == "cdpe-21"
    full_text = json.loads(run(tmp_path, "search", paraphrase, "--mode", "fulltext", "--top", "3", "--json").stdout)
    assert full_text["mode"] == "fulltext" and "cdpe-21" not in [hit["id"] for hit in full_text["results"]]
    off = run(tmp_path, "search", paraphrase, "--top", "3", "--json", model="none")
    assert off.returncode == 0 and "turned off" in off.stderr
    assert json.loads(off.stdout)["mode"] == "fulltext" and json.loads(off.stdout)["results"] == full_text["results"]
    wrong = run(tmp_path, "search", "treatment", "--mode", "vibes")
    assert wrong.returncode == 1 and "unknown search mode 'vibes'" in wrong.stderr


def test_search_says_what_it_understood_and_can_take_the_query_literally(tmp_path: Path) -> None:
    assert run(tmp_path, "policy", "load", "--json").returncode == 0
    query = "Algerian strategy against sexually transmitted infections and HIV"
    found = run(tmp_path, "search", query, "--json")
    assert found.returncode == 0, found.stderr
    understood = json.loads(found.stdout)
    assert understood["understood"] == {"countries": ["DZA"], "kinds": ["strategy"], "label": "Algeria · strategies"}
    assert understood["results"][0]["country"] == "DZA"
    assert {hit["country"] for hit in understood["results"]} == {"DZA"}
    assert "understood: Algeria · strategies (--literal to search the words only)" in found.stderr
    literal = run(tmp_path, "search", query, "--literal", "--json")
    assert literal.returncode == 0, literal.stderr
    assert json.loads(literal.stdout)["understood"] is None and "understood:" not in literal.stderr
    assert json.loads(literal.stdout)["results"][0]["country"] != "DZA"
    plain = run(tmp_path, "search", "needle and syringe programmes in prisons", "--json")
    assert json.loads(plain.stdout)["understood"] == {"countries": [], "kinds": ["programme"], "label": "programmes"}
    table = run(tmp_path, "search", query, "--top", "2")
    assert table.returncode == 0 and table.stdout.splitlines()[0].split("\t")[2] == "DZA"
    assert "understood: Algeria · strategies" in table.stderr


def test_embed_reports_what_it_embedded_and_a_missing_model(tmp_path: Path) -> None:
    assert run(tmp_path, "policy", "load", "--json", model="none").returncode == 0
    embedded = run(tmp_path, "policy", "embed", "--json")
    assert embedded.returncode == 0, embedded.stderr
    assert json.loads(embedded.stdout)["embedded"] == 283
    assert json.loads(run(tmp_path, "policy", "embed", "--json").stdout)["embedded"] == 0
    off = run(tmp_path, "policy", "embed", model="none")
    assert off.returncode == 1 and "semantic search is turned off" in off.stderr and "Traceback" not in off.stderr
