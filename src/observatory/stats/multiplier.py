"""Benchmark–multiplier estimate of a hidden population (METHODS.md §4; EMCDDA problem-drug-use protocol).

N̂ = B / p = B × M: B people in a benchmark (treatment entrants, overdose deaths...), p the proportion of the
target population in that benchmark (from a survey), M = 1/p. The interval takes the extremes of both inputs:
N ∈ [B_low / p_high, B_high / p_low]. The identity is standard; its wording in the protocol is unconfirmed.
"""

from observatory.errors import BadInput
from observatory.stats.figure import Figure, Method
from observatory.stats.inputs import computed
from observatory.stats.ranges import Range

METHOD = Method(
    "high-risk-use/benchmark-multiplier",
    "benchmark count ÷ proportion of the population in the benchmark; interval from the extremes of both",
    confirmed=False,
    source="METHODS.md §4 [U wording; standard identity]",
)


def benchmark_multiplier(benchmark: float | Range, proportion: float | Range) -> Figure:
    counts = benchmark if isinstance(benchmark, Range) else Range.point(benchmark)
    shares = proportion if isinstance(proportion, Range) else Range.point(proportion)
    counts.at_least("benchmark", 0)
    if not (shares.low > 0 and shares.high <= 1):
        raise BadInput(
            f"the proportion in the benchmark must lie in (0, 1] at every end of its range, not "
            f"{shares.low}–{shares.high} (best {shares.best}); p = 0 would make the population unbounded",
            [{"field": "proportion", "value": [shares.low, shares.best, shares.high], "accepted": "0 < p ≤ 1"}],
        )
    return Figure(
        value=computed("N", counts.best / shares.best),
        low=computed("N low", counts.low / shares.high),
        high=computed("N high", counts.high / shares.low),
        unit="persons",
        method=METHOD,
    )
