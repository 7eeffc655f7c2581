"""Timing a callable the same way for every engine, and the result record every benchmark prints."""

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any


def timed_samples(*works: Callable[[], object], repeat: int, warm_up: bool = True) -> list[list[float]]:
    """Wall times of each callable over ``repeat`` rounds, after one untimed warm-up round (unless the caller has
    warmed them up its own way).

    The callables run in turn within each round, so a change in the machine's load during the run
    affects all of them alike and their ratio stays meaningful.
    """
    for work in works if warm_up else ():
        work()
    times: list[list[float]] = [[] for _ in works]
    for _ in range(repeat):
        for work, samples in zip(works, times, strict=True):
            start = time.perf_counter()
            work()
            samples.append(time.perf_counter() - start)
    return times


def median_seconds(*works: Callable[[], object], repeat: int) -> list[float]:
    """Median wall time of each callable over ``repeat`` interleaved rounds (see ``timed_samples``)."""
    return [statistics.median(samples) for samples in timed_samples(*works, repeat=repeat)]


def percentile(samples: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest sample at or above ``share`` of them (0 < share ≤ 1)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass(frozen=True, slots=True)
class BenchmarkResult:
    """``*_s`` are medians (p50); the optional ``*_p95_s`` are printed only by benchmarks that measure them."""

    name: str
    ours_s: float
    limit: str
    limit_s: float
    peer: str
    peer_s: float
    goal: str
    max_ratio_to_limit: float
    min_speedup_vs_peer: float
    ours_p95_s: float | None = None
    limit_p95_s: float | None = None
    peer_p95_s: float | None = None
    #: Peak resident memory of ours and its ceiling, for benchmarks that measure it; a note on how it was run.
    ours_peak_mb: float | None = None
    max_peak_mb: float | None = None
    note: str | None = None
    #: Ceiling on ours' p95, for benchmarks whose goal is a tail latency.
    max_p95_s: float | None = None
    #: A quality score where higher is better (nDCG@10...), ours and the peer's, and the least ratio ours must reach.
    ours_quality: float | None = None
    peer_quality: float | None = None
    min_quality_ratio_vs_peer: float | None = None

    def as_json(self) -> dict[str, Any]:
        record = {key: value for key, value in asdict(self).items() if value is not None}
        record["ratio_to_limit"] = self.ours_s / self.limit_s
        record["speedup_vs_peer"] = self.peer_s / self.ours_s
        memory_met = self.ours_peak_mb is None or self.max_peak_mb is None or self.ours_peak_mb <= self.max_peak_mb
        tail_met = self.max_p95_s is None or self.ours_p95_s is None or self.ours_p95_s <= self.max_p95_s
        quality_met = True
        if self.ours_quality is not None and self.peer_quality is not None and self.min_quality_ratio_vs_peer:
            record["quality_ratio_vs_peer"] = self.ours_quality / self.peer_quality
            quality_met = record["quality_ratio_vs_peer"] >= self.min_quality_ratio_vs_peer
        record["goal_met"] = (
            record["ratio_to_limit"] <= self.max_ratio_to_limit
            and record["speedup_vs_peer"] >= self.min_speedup_vs_peer
            and memory_met
            and tail_met
            and quality_met
        )
        return record
