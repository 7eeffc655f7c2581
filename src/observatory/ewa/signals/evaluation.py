"""Run every detection method on simulated series and score it against the known outbreaks (METHODS.md §5).

Every method that takes a significance level runs at α = 0.01, as in Bédubourg & Le Strat 2017, whose range
over 21 methods is the published yardstick; the other parameters are each method's defaults. Series ``i`` of
a scenario is drawn from its own random stream, seeded by (seed, the scenario's name, i): a run gives the same
numbers whatever the number of worker processes, and a scenario the same numbers whatever other scenarios run.
"""

import zlib
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from multiprocessing import get_context
from typing import Any

import numpy as np

from observatory.errors import BadInput
from observatory.ewa.signals.cusum import CUSUM, CusumConfig, cusum
from observatory.ewa.signals.ears import C1, C2, C3, EarsConfig, ears
from observatory.ewa.signals.farrington import NOUFAILY, ORIGINAL, FarringtonConfig, farrington
from observatory.ewa.signals.result import Detection
from observatory.ewa.signals.scoring import Tally, score
from observatory.ewa.signals.series import CountSeries
from observatory.ewa.signals.simulation import SCENARIOS, Design, Scenario, simulate

MethodConfig = FarringtonConfig | EarsConfig | CusumConfig
#: Called after each finished batch of series with (batches done, batches in all).
Progress = Callable[[int, int], None]

ALPHA = 0.01
#: The default run fits a unit test; ``full`` runs every scenario this many times.
DEFAULT_SCENARIOS = SCENARIOS[:2]
DEFAULT_SERIES = 2
FULL_SERIES = 100
#: Series per task handed to a worker process: small enough to keep both cores busy to the end.
BATCH = 10


@dataclass(frozen=True, slots=True)
class Method:
    name: str
    config: MethodConfig

    def detect(self, series: CountSeries, start: int) -> Detection:
        """Assess ``series`` from period ``start`` on."""
        if isinstance(self.config, FarringtonConfig):
            return farrington(series, self.config, start=start)
        if isinstance(self.config, EarsConfig):
            return ears(series, self.config, start=start)
        return cusum(series, self.config, start=start)

    @property
    def parameters(self) -> dict[str, Any]:
        return asdict(self.config)


def methods(alpha: float = ALPHA) -> tuple[Method, ...]:
    """The methods evaluated, at significance level ``alpha`` where they take one."""
    return (
        Method("farrington-noufaily", replace(NOUFAILY, alpha=alpha)),
        Method("farrington-original", replace(ORIGINAL, alpha=alpha)),
        Method("ears-c1", replace(C1, alpha=alpha)),
        Method("ears-c2", replace(C2, alpha=alpha)),
        Method("ears-c3", replace(C3, alpha=alpha)),
        Method("cusum", CUSUM),
    )


METHODS = methods()


@dataclass(frozen=True, slots=True)
class PublishedRange:
    """Bédubourg & Le Strat, PLoS One 2017: 21 methods on Noufaily's 42 scenarios at α = 0.01 [C]."""

    source: str = "Bédubourg & Le Strat 2017, PLoS One (21 methods, 42 scenarios, alpha 0.01)"
    false_positive_rate: tuple[float, float] = (0.007, 0.599)
    probability_of_detection: tuple[float, float] = (0.433, 0.887)
    specificity_max: float = 0.994
    sensitivity_max: float = 0.795


PUBLISHED = PublishedRange()


@dataclass(frozen=True, slots=True)
class MethodResult:
    method: str
    tally: Tally
    source_confirmed: bool

    def to_dict(self) -> dict[str, Any]:
        measures = self.tally.measures()
        fpr, pod = measures["false_positive_rate"], measures["probability_of_detection"]
        return {
            "method": self.method,
            **measures,
            "fpr_within_published_range": within(fpr, PUBLISHED.false_positive_rate),
            "pod_within_published_range": within(pod, PUBLISHED.probability_of_detection),
            "counts": {k: v for k, v in asdict(self.tally).items() if k != "delays"},
            "source_confirmed": self.source_confirmed,
        }


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    seed: int
    series_per_scenario: int
    design: Design
    scenarios: tuple[Scenario, ...]
    methods: tuple[MethodResult, ...]
    by_scenario: Mapping[str, tuple[MethodResult, ...]] = field(default_factory=dict)
    parameters: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def method(self, name: str) -> MethodResult:
        return next(result for result in self.methods if result.method == name)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able report; ranges are [low, high] lists."""
        return {
            "seed": self.seed,
            "series_per_scenario": self.series_per_scenario,
            "design": asdict(self.design),
            "scenarios": [asdict(scenario) for scenario in self.scenarios],
            "parameters": {name: dict(values) for name, values in self.parameters.items()},
            "methods": [result.to_dict() for result in self.methods],
            "by_scenario": {name: [r.to_dict() for r in results] for name, results in self.by_scenario.items()},
            "published": asdict(PUBLISHED),
        }


@dataclass(frozen=True, slots=True)
class _Batch:
    """Series ``first`` … ``first + count − 1`` of one scenario, scored by every method."""

    scenario: Scenario
    design: Design
    seed: int
    first: int
    count: int
    methods: tuple[Method, ...]


def run_evaluation(
    scenarios: Sequence[Scenario] | None = None,
    seed: int = 2013,
    n_series: int | None = None,
    *,
    full: bool = False,
    design: Design | None = None,
    alpha: float = ALPHA,
    workers: int = 1,
    progress: Progress | None = None,
) -> EvaluationReport:
    """Simulate ``n_series`` series per scenario and score every method of :func:`methods` on them.

    The defaults are a quick run (2 scenarios × 2 series); ``full=True`` defaults to every scenario in
    :data:`SCENARIOS` × 100 series. ``workers`` > 1 spreads batches of series over as many processes.
    """
    chosen = tuple(scenarios if scenarios is not None else (SCENARIOS if full else DEFAULT_SCENARIOS))
    count = n_series if n_series is not None else (FULL_SERIES if full else DEFAULT_SERIES)
    if count < 1 or not chosen or workers < 1:
        raise BadInput(
            f"an evaluation needs at least one scenario, one series and one worker, got {len(chosen)}, {count} "
            f"and {workers}"
        )
    layout, evaluated = design or Design(), methods(alpha)
    batches = [
        _Batch(scenario, layout, seed, first, min(BATCH, count - first), evaluated)
        for scenario in chosen
        for first in range(0, count, BATCH)
    ]
    scored = _run(batches, workers, progress)
    by_scenario: dict[str, tuple[MethodResult, ...]] = {}
    for scenario in chosen:
        mine = [result for batch, result in zip(batches, scored, strict=True) if batch.scenario == scenario]
        by_scenario[scenario.name] = tuple(
            _pooled(method.name, [r[i] for r in mine]) for i, method in enumerate(evaluated)
        )
    pooled = tuple(
        _pooled(method.name, [results[i] for results in by_scenario.values()], layout.source_confirmed)
        for i, method in enumerate(evaluated)
    )
    parameters = {method.name: method.parameters for method in evaluated}
    return EvaluationReport(seed, count, layout, chosen, pooled, by_scenario, parameters)


def series_stream(seed: int, scenario: Scenario, index: int) -> np.random.Generator:
    """The random stream series ``index`` of ``scenario`` is drawn from."""
    return np.random.default_rng([seed, zlib.crc32(scenario.name.encode()), index])


def within(value: float | None, bounds: tuple[float, float]) -> bool | None:
    return None if value is None else bounds[0] <= value <= bounds[1]


def _run(batches: list[_Batch], workers: int, progress: Progress | None) -> list[tuple[MethodResult, ...]]:
    results: list[tuple[MethodResult, ...]] = []
    if workers == 1 or len(batches) == 1:
        for batch in batches:
            results.append(_score_batch(batch))
            if progress:
                progress(len(results), len(batches))
        return results
    with ProcessPoolExecutor(min(workers, len(batches)), mp_context=get_context("spawn")) as pool:
        for result in pool.map(_score_batch, batches):
            results.append(result)
            if progress:
                progress(len(results), len(batches))
    return results


def _score_batch(batch: _Batch) -> tuple[MethodResult, ...]:
    simulated = [
        simulate(batch.scenario, batch.design, series_stream(batch.seed, batch.scenario, index))
        for index in range(batch.first, batch.first + batch.count)
    ]
    results = []
    for method in batch.methods:
        detections = [method.detect(item.series, item.assessed_from) for item in simulated]
        tally = sum((score(item, found) for item, found in zip(simulated, detections, strict=True)), Tally())
        confirmed = all(d.source_confirmed for d in detections) and batch.scenario.source_confirmed
        results.append(MethodResult(method.name, tally, confirmed))
    return tuple(results)


def _pooled(name: str, results: list[MethodResult], confirmed: bool = True) -> MethodResult:
    tally = sum((result.tally for result in results), Tally())
    return MethodResult(name, tally, confirmed and all(result.source_confirmed for result in results))
