"""The API latency benchmark on a small generated table: its JSON (a cold and a cached result per question), and
that our API, raw DuckDB and datasette give the same numbers to every question it times, before and after a fresh
publication, computed and from the cache (correctness only; speed is the benchmark's business)."""

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from observatory.bench.api_latency import Engines, running
from observatory.bench.api_questions import QUESTIONS, Numbers, Question
from observatory.bench.runner import run_benchmarks

ROWS = 20_000
TIMES = {"ours_s", "limit_s", "peer_s", "ours_p95_s", "limit_p95_s", "peer_p95_s"}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bench")


@pytest.fixture(scope="module")
def engines(workdir: Path) -> Iterator[Engines]:
    with running(workdir, ROWS, Console(quiet=True)) as serving:
        yield serving


@pytest.mark.parametrize("question", QUESTIONS, ids=[question.name for question in QUESTIONS])
def test_the_three_engines_answer_the_same(engines: Engines, question: Question) -> None:
    same_numbers(question, *engines.answers(question))


@pytest.mark.parametrize("question", QUESTIONS, ids=[question.name for question in QUESTIONS])
def test_a_publication_makes_the_next_answer_cold_and_the_repeat_cached(engines: Engines, question: Question) -> None:
    engines.publish()
    (cold,) = [engines.ours.get(path) for path in question.requests]
    (cached,) = [engines.ours.get(path) for path in question.requests]
    assert cold == cached
    same_numbers(question, *engines.answers(question))


def same_numbers(question: Question, ours: Numbers, limit: Numbers, peer: Numbers) -> None:
    assert ours and ours.keys() == limit.keys() == peer.keys()
    for key, numbers in ours.items():
        for name, mine, raw, served in zip(question.numbers, numbers, limit[key], peer[key], strict=True):
            if mine is None:
                assert raw is None and served is None, (key, name)
            else:
                assert math.isclose(mine, raw, rel_tol=1e-9), (key, name, mine, raw)
                assert math.isclose(mine, served, rel_tol=1e-9), (key, name, mine, served)


def test_the_runner_prints_p50_and_p95_of_each_engine(workdir: Path) -> None:
    report = run_benchmarks(workdir, "api_latency", rows=ROWS, repeat=2, progress=Console(quiet=True))
    names = [b["name"] for b in report["benchmarks"]]
    assert names == [f"api_latency.{kind}.{q.name}" for q in QUESTIONS for kind in ("cold", "cached")]
    for result in report["benchmarks"]:
        assert set(result) >= TIMES | {"ratio_to_limit", "speedup_vs_peer", "goal", "goal_met"}
        assert all(result[name] > 0 for name in TIMES)
        assert (result["max_ratio_to_limit"], result["min_speedup_vs_peer"]) == (2.0, 3.0)
        assert ("cached" in result["goal"]) == (".cached." in result["name"])
        assert math.isclose(result["ratio_to_limit"], result["ours_s"] / result["limit_s"])
        assert math.isclose(result["speedup_vs_peer"], result["peer_s"] / result["ours_s"])
