"""Run every detection method on simulated series and score it against the known outbreaks (METHODS.md §5).

Measures, over the assessed weeks [P]: false-positive rate = alarms in non-outbreak weeks ÷ non-outbreak
weeks; probability of detection (POD) = outbreaks with at least one alarm in their weeks ÷ outbreaks;
sensitivity = outbreak weeks alarmed ÷ outbreak weeks; POD in the first week; timeliness = mean delay,
in weeks, from an outbreak's start to its first alarm (detected outbreaks only). An outbreak week is a
week that received an outbreak case; an outbreak whose Poisson size came out 0 is not counted.
Each method runs with its own default parameters.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from observatory.errors import BadInput
from observatory.ewa.signals.cusum import cusum
from observatory.ewa.signals.ears import C1, C2, C3, ears
from observatory.ewa.signals.farrington import NOUFAILY, ORIGINAL, farrington
from observatory.ewa.signals.result import Detection
from observatory.ewa.signals.series import CountSeries
from observatory.ewa.signals.simulation import SCENARIOS, Design, Scenario, SimulatedSeries, simulate

#: A method run from a given period on.
Detector = Callable[[CountSeries, int], Detection]

DETECTORS: Mapping[str, Detector] = {
    "farrington-noufaily": lambda series, start: farrington(series, NOUFAILY, start=start),
    "farrington-original": lambda series, start: farrington(series, ORIGINAL, start=start),
    "ears-c1": lambda series, start: ears(series, C1, start=start),
    "ears-c2": lambda series, start: ears(series, C2, start=start),
    "ears-c3": lambda series, start: ears(series, C3, start=start),
    "cusum": lambda series, start: cusum(series, start=start),
}


@dataclass(frozen=True, slots=True)
class PublishedRange:
    """Bédubourg & Le Strat, PLoS One 2017: 21 methods on Noufaily's 42 scenarios at α = 0.01 [C]."""

    source: str = "Bédubourg & Le Strat 2017, PLoS One (21 methods, 42 scenarios, alpha 0.01)"
    false_positive_rate: tuple[float, float] = (0.007, 0.599)
    probability_of_detection: tuple[float, float] = (0.433, 0.887)
    specificity_max: float = 0.994
    sensitivity_max: float = 0.795


PUBLISHED = PublishedRange()

#: The default run fits a unit test; ``full`` runs every scenario this many times.
DEFAULT_SCENARIOS = SCENARIOS[:2]
DEFAULT_SERIES = 2
FULL_SERIES = 100


@dataclass(frozen=True, slots=True)
class Tally:
    """Raw counts behind the measures; tallies add up across series."""

    non_outbreak_weeks: int = 0
    false_alarms: int = 0
    outbreak_weeks: int = 0
    alarmed_outbreak_weeks: int = 0
    outbreaks: int = 0
    detected: int = 0
    detected_first_week: int = 0
    delays: tuple[int, ...] = ()

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.non_outbreak_weeks + other.non_outbreak_weeks,
            self.false_alarms + other.false_alarms,
            self.outbreak_weeks + other.outbreak_weeks,
            self.alarmed_outbreak_weeks + other.alarmed_outbreak_weeks,
            self.outbreaks + other.outbreaks,
            self.detected + other.detected,
            self.detected_first_week + other.detected_first_week,
            self.delays + other.delays,
        )

    def measures(self) -> dict[str, float | None]:
        return {
            "false_positive_rate": _ratio(self.false_alarms, self.non_outbreak_weeks),
            "probability_of_detection": _ratio(self.detected, self.outbreaks),
            "sensitivity": _ratio(self.alarmed_outbreak_weeks, self.outbreak_weeks),
            "pod_first_week": _ratio(self.detected_first_week, self.outbreaks),
            "timeliness_weeks": float(np.mean(self.delays)) if self.delays else None,
        }


@dataclass(frozen=True, slots=True)
class MethodResult:
    method: str
    tally: Tally
    source_confirmed: bool

    def to_dict(self) -> dict[str, Any]:
        measures = self.tally.measures()
        fpr, pod = measures["false_positive_rate"], measures["probability_of_detection"]
        low_fpr, high_fpr = PUBLISHED.false_positive_rate
        low_pod, high_pod = PUBLISHED.probability_of_detection
        return {
            "method": self.method,
            **measures,
            "fpr_within_published_range": None if fpr is None else low_fpr <= fpr <= high_fpr,
            "pod_within_published_range": None if pod is None else low_pod <= pod <= high_pod,
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

    def method(self, name: str) -> MethodResult:
        return next(result for result in self.methods if result.method == name)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able report; ranges are [low, high] lists."""
        return {
            "seed": self.seed,
            "series_per_scenario": self.series_per_scenario,
            "design": asdict(self.design),
            "scenarios": [asdict(scenario) for scenario in self.scenarios],
            "methods": [result.to_dict() for result in self.methods],
            "by_scenario": {name: [r.to_dict() for r in results] for name, results in self.by_scenario.items()},
            "published": asdict(PUBLISHED),
        }


def run_evaluation(
    scenarios: Sequence[Scenario] | None = None,
    seed: int = 2013,
    n_series: int | None = None,
    *,
    full: bool = False,
    design: Design | None = None,
) -> EvaluationReport:
    """Simulate ``n_series`` series per scenario from ``seed`` and score every method in :data:`DETECTORS`.

    The defaults are a quick run (2 scenarios × 2 series); ``full=True`` defaults to every scenario
    in :data:`SCENARIOS` × 100 series.
    """
    chosen = tuple(scenarios if scenarios is not None else (SCENARIOS if full else DEFAULT_SCENARIOS))
    count = n_series if n_series is not None else (FULL_SERIES if full else DEFAULT_SERIES)
    if count < 1 or not chosen:
        raise BadInput(f"an evaluation needs at least one scenario and one series, got {len(chosen)} and {count}")
    layout = design or Design()
    rng = np.random.default_rng(seed)
    by_scenario: dict[str, tuple[MethodResult, ...]] = {}
    for scenario in chosen:
        simulated = [simulate(scenario, layout, rng) for _ in range(count)]
        by_scenario[scenario.name] = tuple(_score_method(name, simulated) for name in DETECTORS)
    pooled = tuple(
        MethodResult(
            name,
            sum((results[i].tally for results in by_scenario.values()), Tally()),
            all(results[i].source_confirmed for results in by_scenario.values()) and layout.source_confirmed,
        )
        for i, name in enumerate(DETECTORS)
    )
    return EvaluationReport(seed, count, layout, chosen, pooled, by_scenario)


def score(simulated: SimulatedSeries, detection: Detection) -> Tally:
    """Compare one method's alarms over the assessed weeks with the series' outbreaks."""
    first = simulated.assessed_from
    alarms = detection.alarms[-(len(simulated.series) - first) :]
    alarmed = {first + offset for offset, alarm in enumerate(alarms) if alarm}
    assessed = set(range(first, len(simulated.series)))
    outbreak_weeks = simulated.outbreak_weeks() & assessed
    tally = Tally(
        non_outbreak_weeks=len(assessed - outbreak_weeks),
        false_alarms=len(alarmed - outbreak_weeks),
        outbreak_weeks=len(outbreak_weeks),
        alarmed_outbreak_weeks=len(alarmed & outbreak_weeks),
    )
    for outbreak in simulated.outbreaks:
        weeks = [week for week in outbreak.weeks if week in assessed]
        if outbreak.start in assessed and weeks:
            hits = [week for week in weeks if week in alarmed]
            tally += Tally(
                outbreaks=1,
                detected=int(bool(hits)),
                detected_first_week=int(weeks[0] in alarmed),
                delays=(hits[0] - outbreak.start,) if hits else (),
            )
    return tally


def _score_method(name: str, simulated: list[SimulatedSeries]) -> MethodResult:
    detections = [DETECTORS[name](item.series, item.assessed_from) for item in simulated]
    tally = sum((score(item, detection) for item, detection in zip(simulated, detections, strict=True)), Tally())
    confirmed = all(d.source_confirmed for d in detections) and all(i.scenario.source_confirmed for i in simulated)
    return MethodResult(name, tally, confirmed)


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None
