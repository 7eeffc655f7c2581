"""``observatory ewa spread | persistence | group-signals`` over the shipped event sources, on each engine."""

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from observatory.cli.main import app
from observatory.settings import Settings

runner = CliRunner()


@pytest.fixture
def environment(events_settings: Settings) -> dict[str, str]:
    return {
        "OBSERVATORY_VAR_DIR": str(events_settings.var_dir),
        "OBSERVATORY_DATABASE_URL": events_settings.records_url,
    }


def run(environment: dict[str, str], *words: str) -> dict[str, Any]:
    result = runner.invoke(app, ["ewa", *words, "--json"], env=environment)
    assert result.exit_code == 0, result.output
    body: dict[str, Any] = json.loads(result.stdout)
    return body


def test_spread_and_countries(environment: dict[str, str]) -> None:
    spread = run(environment, "spread", "--by", "group", "--run-years", "2")
    assert spread["by"] == "group" and spread["run_years"] == 2
    countries = run(environment, "spread", "--countries")
    assert {row["band"] for row in countries["results"]} == {"1", "2", "3–4", "5–9", "10 or more"}


def test_persistence_and_group_signals(environment: dict[str, str]) -> None:
    persistence = run(environment, "persistence", "--horizon", "2", "--by-cohort")
    assert {row["years_after"] for row in persistence["results"]} == {1, 2}
    signals = run(environment, "group-signals", "--alarms-only")
    assert signals["results"] and all(result["alarm_months"] for result in signals["results"])
    text = runner.invoke(app, ["ewa", "group-signals", "--alarms-only"], env=environment)
    assert text.exit_code == 0 and text.stdout.count("\n") == len(signals["results"])


def test_a_bad_grouping_is_an_error(environment: dict[str, str]) -> None:
    result = runner.invoke(app, ["ewa", "spread", "--by", "decade"], env=environment)
    assert result.exit_code == 1 and "'family' or 'group'" in result.output
