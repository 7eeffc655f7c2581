"""``observatory stats``: the same figures as the API as text, JSON or CSV; ``explain`` prints the same value again."""

import csv
import io
import json
from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from observatory.cli.stats import app
from observatory.settings import Settings


@pytest.fixture
def run(stats_settings: Settings) -> Callable[..., Result]:
    runner = CliRunner()
    env = {"OBSERVATORY_VAR_DIR": str(stats_settings.var_dir), "OBSERVATORY_DATABASE_URL": stats_settings.database_url}

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args), env=env)

    return invoke


def test_capture_recapture_as_json(run: Callable[..., Result]) -> None:
    result = run("capture-recapture", "100", "80", "20", "--json")
    assert result.exit_code == 0, result.output
    chapman, petersen = json.loads(result.stdout)["data"]
    assert round(chapman["value"], 3) == 388.571 and petersen["value"] == 400


def test_the_multiplier_as_csv_keeps_its_flag(run: Callable[..., Result]) -> None:
    result = run("multiplier", "2000", "0.25", "--low", "0.2", "--high", "0.3", "--csv")
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (float(row["value"]), float(row["low"]), float(row["high"])) == (8000, 2000 / 0.3, 10000)
    assert row["flags"] == "unconfirmed-method" and row["method_confirmed"] == "False"


def test_seizure_trend_as_csv_has_a_row_per_figure(run: Callable[..., Result]) -> None:
    result = run("seizures-trend", "--drug-group", "Opioids", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["measure"] for row in rows].count("kilograms") == 5
    assert rows[-1]["id"] == "seizures.cagr/drug_group=Opioids/2019-2023"
    assert rows[-1]["inputs"] == "annual-seizures/submission-1@1"


def test_prevalence_as_json(run: Callable[..., Result]) -> None:
    result = run("prevalence", "--drug", "Cocaine", "--year", "2023", "--level", "region", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert {f["dimensions"]["area"] for f in body["data"]} == {"Africa", "Americas", "Asia", "Europe", "Oceania"}
    assert any("ESP" in note for note in body["meta"]["notes"])


def test_explain_recomputes_and_prints_the_same_value(run: Callable[..., Result]) -> None:
    figure = json.loads(run("seizures-trend", "--drug-group", "Opioids", "--json").stdout)["data"][-1]
    result = run("explain", figure["id"], "--json")
    assert result.exit_code == 0, result.output
    explanation = json.loads(result.stdout)["data"]
    assert explanation["matches"] and explanation["recomputed"]["value"] == figure["value"]
    text = run("explain", figure["id"]).stdout
    assert f"{figure['value']!r} (the same value)" in text
    assert "input annual-seizures/submission-1, vintage 1" in text


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("capture-recapture", "100", "80", "0"), "no overlap"),
        (("multiplier", "2000", "1.5"), "(0, 1]"),
        (("explain", "seizures.total/drug_group=Opioids"), "needs a period"),
        (("capture-recapture", "100", "80", "20", "--json", "--csv"), "not both"),
    ],
)
def test_bad_input_exits_1_naming_the_problem(run: Callable[..., Result], args: tuple[str, ...], named: str) -> None:
    result = run(*args)
    assert result.exit_code == 1
    assert named in result.stderr
