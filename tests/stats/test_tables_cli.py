"""``observatory stats wdr-1-1`` and ``observatory stats flows`` (both engines): the same numbers as the API as
text, JSON and CSV, the Markdown report written from the run, and bad options refused with exit code 1 or 2."""

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from observatory.cli.stats import app
from observatory.settings import Settings
from tests.stats.paths import NATIONAL
from tests.stats.stores import prepared
from tests.stores import BACKENDS, fresh_database_url

pytestmark = pytest.mark.skipif(not NATIONAL.is_file(), reason=f"the shared test data is not at {NATIONAL}")


@pytest.fixture(scope="module", params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    folder = tmp_path_factory.mktemp(f"tables-cli-{request.param}")
    for url in fresh_database_url(request.param, folder):
        yield prepared(folder, url)


@pytest.fixture
def run(settings: Settings) -> Callable[..., Result]:
    env = {"OBSERVATORY_VAR_DIR": str(settings.var_dir), "OBSERVATORY_DATABASE_URL": settings.database_url}
    return lambda *args: CliRunner().invoke(app, list(args), env=env)


def test_the_comparison_as_json_and_csv_agree(run: Callable[..., Result]) -> None:
    as_json, as_csv = run("wdr-1-1", "--json"), run("wdr-1-1", "--csv")
    assert as_json.exit_code == 0 and as_csv.exit_code == 0, as_json.output + as_csv.output
    body = json.loads(as_json.stdout)
    cells = body["data"]
    assert body["meta"]["basis"] == "15-64" and "SP.POP.1564.TO" in body["meta"]["basis_source"]
    assert [row["measure"] for row in body["headline"]] == ["prevalence", "users"]
    assert all(row["interval_coverage"] is not None for row in body["summary"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == len(cells) == 864
    for row, cell in zip(rows, cells, strict=True):
        assert (row["drug"], row["area"], row["measure"], row["end"]) == (
            cell["drug"],
            cell["area"],
            cell["measure"],
            cell["end"],
        )
        assert row["published"] == ("" if cell["published"] is None else str(cell["published"]))


def test_the_text_summary_names_each_global_difference(run: Callable[..., Result]) -> None:
    result = run("wdr-1-1", "--basis", "derived-15-64")
    assert result.exit_code == 0, result.output
    assert "WDR table 1.1, 2023, derived-15-64 population basis" in result.stdout
    assert sum(line.strip().startswith("World ") for line in result.stdout.splitlines()) == 12


def test_the_report_is_written_from_the_run(run: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "wdr-1-1-comparison.md"
    result = run("wdr-1-1", "--report", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# WDR table 1.1 rebuilt from the national estimates of table 1.2")
    assert f"observatory stats wdr-1-1 --report {target}" in text
    assert "| total | prevalence | global | 6 |" in text and "| derived-15-64 | users | global | 6 |" in text
    assert "## Headline (15-64 basis, global and regional cells together)" in text
    assert "| 15-64 | prevalence | global | 6 |" in text and "`imputation-range-low-percentile` = 10.0 ([U])" in text
    assert "## The published table itself" in text and "Eastern and South-Eastern Europe" in text


def test_the_flows_as_csv_and_text(run: Callable[..., Result]) -> None:
    result = run("flows", "--unit", "route", "--csv")
    assert result.exit_code == 0, result.output
    rows = {row["route"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["AFG → PAK → ARE → GBR"]["status"] == "new" and rows["ECU → BEL"]["status"] == "growing"
    text = run("flows", "--drug", "Heroin", "--year", "2022")
    assert "routes (leg) in 2022, ranked by seizures" in text.stdout and "AFG → IRN" in text.stdout


@pytest.mark.parametrize(
    ("args", "code", "named"),
    [
        (["wdr-1-1", "--json", "--csv"], 1, "choose one of --json, --csv and --report"),
        (["wdr-1-1", "--basis", "adults"], 2, "adults"),
        (["flows", "--growth-threshold", "1"], 1, "growth_threshold must be > 1"),
        (["flows", "--drug", "Khat"], 1, "no approved individual seizure of Khat"),
        (["flows", "--unit", "country"], 2, "country"),
    ],
)
def test_bad_options_are_refused_naming_them(
    run: Callable[..., Result], args: list[str], code: int, named: str
) -> None:
    result = run(*args)
    assert result.exit_code == code
    assert named in result.output
