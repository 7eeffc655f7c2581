"""Timing a callable the same way for every engine, and the result record every benchmark prints."""

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


def median_seconds(*works: Callable[[], object], repeat: int) -> list[float]:
    """Median wall time of each callable over ``repeat`` rounds, after one untimed warm-up round.

    The callables run in turn within each round, so a change in the machine's load during the run
    affects all of them alike and their ratio stays meaningful.
    """
    for work in works:
        work()
    times: list[list[float]] = [[] for _ in works]
    for _ in range(repeat):
        for work, samples in zip(works, times, strict=True):
            start = time.perf_counter()
            work()
            samples.append(time.perf_counter() - start)
    return [statistics.median(samples) for samples in times]


@dataclass(frozen=True, slots=True)
class BenchmarkResult:
    name: str
    ours_s: float
    limit: str
    limit_s: float
    peer: str
    peer_s: float
    goal: str
    max_ratio_to_limit: float
    min_speedup_vs_peer: float

    def as_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["ratio_to_limit"] = self.ours_s / self.limit_s
        record["speedup_vs_peer"] = self.peer_s / self.ours_s
        record["goal_met"] = (
            record["ratio_to_limit"] <= self.max_ratio_to_limit
            and record["speedup_vs_peer"] >= self.min_speedup_vs_peer
        )
        return record
