"""``observatory ewa``: structure search and classification, emergence, and loading with alerts."""

import json
from pathlib import Path

from typer.testing import CliRunner

from observatory.cli.ewa import app
from tests.ewa.conftest import FENTANYL

runner = CliRunner()


def test_similar_prints_the_documented_json() -> None:
    result = runner.invoke(app, ["similar", FENTANYL, "--top", "10", "--json"])
    assert result.exit_code == 0, result.output
    results = json.loads(result.stdout)["results"]
    assert len(results) == 10 and all(set(hit) == {"name", "inchikey", "similarity", "control"} for hit in results)
    assert results[0]["inchikey"] == "PJMPHNIQZUBGLI-UHFFFAOYSA-N" and results[0]["control"]


def test_classify_reads_stdin_and_reports_each_failure() -> None:
    lines = "CNC(C)C(=O)c1ccc(C)cc1\nnot a molecule\nC(C)(C)(C)(C)C\n" + FENTANYL + "\n"
    result = runner.invoke(app, ["classify", "-", "--json"], input=lines)
    assert result.exit_code == 1
    mephedrone, bad, valence, fentanyl = json.loads(result.stdout)
    assert set(mephedrone) == {
        "smiles",
        "in_scope",
        "unodc_group",
        "chemical_family",
        "effect_group",
        "confidence",
        "method",
        "explanation",
        "scope",
    }
    assert (mephedrone["chemical_family"], fentanyl["chemical_family"]) == ("cathinones", "opioids")
    assert bad["error"]["details"][0]["reason"] == "unparseable" and bad["smiles"] == "not a molecule"
    assert valence["error"]["details"][0]["reason"] == "valence"


def test_classify_succeeds_when_every_structure_is_read() -> None:
    result = runner.invoke(app, ["classify", "CNC(C)Cc1ccc2c(c1)OCO2", FENTANYL])
    assert result.exit_code == 0 and result.stdout.count("\n") == 2 and "phenethylamines" in result.stdout


def test_emergence_by_group_as_json() -> None:
    result = runner.invoke(app, ["emergence", "--json"])
    body = json.loads(result.stdout)
    assert body["by"] == "group" and sum(row["new"] for row in body["results"]) > 800
    assert runner.invoke(app, ["emergence", "--by", "decade"]).exit_code == 1


def test_load_is_idempotent_and_alerts_list_what_it_drafted(tmp_path: Path) -> None:
    environment = {"OBSERVATORY_VAR_DIR": str(tmp_path), "OBSERVATORY_DATABASE_URL": ""}
    first = runner.invoke(app, ["load", "--json"], env=environment)
    assert first.exit_code == 0, first.output
    loaded = json.loads(first.stdout)
    assert loaded["events"]["ecstasydata"]["events_inserted"] == 6463
    assert loaded["alerts"]["adulterant"]["drafted"] > 100
    second = json.loads(runner.invoke(app, ["load", "--json"], env=environment).stdout)
    assert all(counts["events_inserted"] == 0 for counts in second["events"].values())
    assert all(counts["drafted"] == 0 for counts in second["alerts"].values())
    listed = runner.invoke(app, ["alerts", "--rule", "adulterant", "--limit", "5", "--json"], env=environment)
    body = json.loads(listed.stdout)
    assert len(body["results"]) == 5 and body["meta"]["total"] == loaded["alerts"]["adulterant"]["drafted"]
    assert runner.invoke(app, ["alerts", "--status", "pending"], env=environment).exit_code == 1


def test_bad_input_is_an_error_message_not_a_traceback() -> None:
    result = runner.invoke(app, ["similar", "C" * 5001, "--json"])
    assert result.exit_code == 1 and "5,001 atoms" in result.output and "Traceback" not in result.output
