"""The benchmark machinery on a small generated table: the JSON it prints and the answers it times."""

import json
import math
import sqlite3
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from typer.testing import CliRunner

from observatory.analytics.seizures import SeizureQuery, seizure_totals
from observatory.analytics.snapshot import seizure_dir
from observatory.analytics.store import AnalyticsStore
from observatory.bench.runner import PEER_MODULES, run_benchmarks
from observatory.bench.seizure_data import SQLITE_INDEXES, build_sqlite, generate_parquet
from observatory.bench.timing import timed_samples
from observatory.cli.main import app

KEYS = {"name", "ours_s", "limit", "limit_s", "peer", "peer_s", "ratio_to_limit", "speedup_vs_peer", "goal"}


def test_the_runner_prints_the_agreed_json(tmp_path: Path) -> None:
    report = run_benchmarks(tmp_path, "seizure_aggregates", rows=5_000, repeat=1, progress=Console(quiet=True))
    assert [b["name"] for b in report["benchmarks"]] == [
        "seizure_aggregates.drug_group_year",
        "seizure_aggregates.country_drug_year",
    ]
    for result in report["benchmarks"]:
        assert set(result) >= KEYS
        assert math.isclose(result["ratio_to_limit"], result["ours_s"] / result["limit_s"])
        assert math.isclose(result["speedup_vs_peer"], result["peer_s"] / result["ours_s"])


def test_the_three_engines_answer_the_same(tmp_path: Path) -> None:
    folder = generate_parquet(tmp_path / "p", 20_000)
    database = build_sqlite(folder, tmp_path / "s.sqlite")
    ours = seizure_totals(AnalyticsStore(folder), SeizureQuery(("drug_group", "year"))).to_pylist()
    parquet = seizure_dir(folder) / "submission-1.parquet"
    raw = duckdb.sql(f"SELECT drug_group, year, sum(kilograms) FROM '{parquet}' GROUP BY ALL ORDER BY ALL").fetchall()
    with sqlite3.connect(database) as connection:
        peer = connection.execute(
            "SELECT drug_group, year, sum(kilograms) FROM annual_seizure GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        indexes = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert indexes == set(SQLITE_INDEXES)
    assert len(ours) == len(raw) == len(peer)
    for mine, theirs, sqlite_row in zip(ours, raw, peer, strict=True):
        assert (mine["drug_group"], mine["year"]) == theirs[:2] == sqlite_row[:2]
        assert math.isclose(mine["kilograms"], theirs[2]) and math.isclose(mine["kilograms"], sqlite_row[2])


def test_a_benchmark_whose_peer_is_missing_is_skipped_naming_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(PEER_MODULES, "seizure_aggregates", ("no_such_peer_module",))
    report = run_benchmarks(tmp_path, "seizure_aggregates", rows=5_000, repeat=1, progress=Console(quiet=True))
    assert report["benchmarks"] == []
    assert report["skipped"] == [
        {"name": "seizure_aggregates", "missing": ["no_such_peer_module"], "install": "pip install -e '.[bench]'"}
    ]


def test_the_command_exits_1_after_listing_what_it_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(PEER_MODULES, "seizure_aggregates", ("no_such_peer_module",))
    env = {"OBSERVATORY_VAR_DIR": str(tmp_path)}
    result = CliRunner().invoke(app, ["bench", "seizure_aggregates", "--json", "--rows", "5000"], env=env)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["skipped"][0]["missing"] == ["no_such_peer_module"]
    assert "pip install -e '.[bench]'" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(("warm_up", "calls"), [(True, 3), (False, 2)])
def test_timed_samples_warm_up_once_unless_told_not_to(warm_up: bool, calls: int) -> None:
    counts = [0, 0]

    def work(index: int) -> None:
        counts[index] += 1

    samples = timed_samples(lambda: work(0), lambda: work(1), repeat=2, warm_up=warm_up)
    assert counts == [calls, calls] and [len(times) for times in samples] == [2, 2]
