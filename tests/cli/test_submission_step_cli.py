"""``observatory submission step`` and four eyes: the local admin (no ``--as``) is one person, so a file it
submitted is approved ``--as`` someone else, or by the local admin with ``--override "why"``, which the history
keeps."""

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from observatory.cli.main import app

CSV = "country,drug_group,drug_subgroup,drug,year,kilograms\nGhana,Cocaine-type,Cocaine,Cocaine,2023,12.5\n"


def test_the_local_admin_overrides_four_eyes_only_with_a_reason(tmp_path: Path, database_url: str) -> None:
    runner = CliRunner()
    env = {"OBSERVATORY_VAR_DIR": str(tmp_path / "var"), "OBSERVATORY_DATABASE_URL": database_url}

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), env=env)

    upload = tmp_path / "gha.csv"
    upload.write_text(CSV)
    submitted = run("submit", str(upload), "--dataset", "annual-seizures", "--country", "GHA", "--json")
    assert submitted.exit_code == 0, submitted.output
    submission = str(json.loads(submitted.stdout)["submission_id"])

    refused = run("submission", "step", submission, "approve")
    assert refused.exit_code == 1
    assert "(four-eyes): local-admin uploaded this submission" in refused.stderr
    assert '--override "why"' in refused.stderr

    reason = "sole operator of this installation; the file is WDR table 7.1 as published"
    approved = run("submission", "step", submission, "approve", "--override", reason)
    assert approved.exit_code == 0, approved.output
    assert json.loads(approved.stdout) == {
        "submission_id": int(submission),
        "from": "validated",
        "to": "approved",
        "four_eyes_override": reason,
    }
    shown = json.loads(run("submission", "show", submission).stdout)
    assert [(e["action"], e["actor"], e["override"]) for e in shown["history"]] == [
        ("upload", "local-admin", None),
        ("approve", "local-admin", reason),
    ]
