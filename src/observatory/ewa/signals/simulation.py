"""Simulated weekly series with outbreaks at known times, after Noufaily et al. 2013 (METHODS.md §5).

Baseline [P]: μₜ = exp(θ + βt + Σⱼ₌₁..ₘ [γ₁cos(2πjt/52) + γ₂sin(2πjt/52)]), t = 1, 2, …, with counts
negative binomial of variance φμ (size μ/(φ − 1), prob 1/φ; Poisson when φ = 1). An outbreak starting
at week s adds Poisson(k·√(φμₛ)) cases, each placed d − 1 weeks after s with probability
(F(d) − F(d − 1))/F(20), d = 1 … 20, F the lognormal(0, 0.5) distribution function. Cases keep their
week: R's ``sts_creation`` closes up the weeks that drew no case, which we do not copy.

Every scenario parameter and the layout of a run (624 weeks, the last 49 assessed, four outbreaks in
the baseline, ranges of k) are [U]: recalled, not read in Noufaily et al., hence ``source_confirmed``
false. Scenario 14's values come from third-party code, unverified against the paper.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import stats

from observatory.errors import BadInput
from observatory.ewa.signals.glm import FloatArray
from observatory.ewa.signals.series import CountSeries, Frequency, SeriesKey

START = date(2000, 1, 3)


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    theta: float
    beta: float = 0.0
    gamma1: float = 0.0
    gamma2: float = 0.0
    harmonics: int = 0
    phi: float = 1.0
    source_confirmed: bool = False

    def __post_init__(self) -> None:
        if self.phi < 1 or self.harmonics not in (0, 1, 2):
            raise BadInput(f"scenario {self.name!r} needs φ ≥ 1 and m in 0, 1, 2")

    def mean(self, weeks: FloatArray) -> FloatArray:
        """μₜ at the 1-based week numbers ``weeks``."""
        season = sum(
            self.gamma1 * np.cos(2 * np.pi * j * weeks / 52) + self.gamma2 * np.sin(2 * np.pi * j * weeks / 52)
            for j in range(1, self.harmonics + 1)
        )
        return np.asarray(np.exp(self.theta + self.beta * weeks + season), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Design:
    """The layout of one simulated series [U]; k is drawn uniformly from the integer ranges given."""

    weeks: int = 624
    assessed_weeks: int = 49
    baseline_outbreaks: int = 4
    baseline_k: tuple[int, int] = (2, 10)
    current_k: tuple[int, int] = (1, 10)
    spread_sdlog: float = 0.5
    spread_max: int = 20
    source_confirmed: bool = False

    @property
    def assessed_from(self) -> int:
        return self.weeks - self.assessed_weeks

    def __post_init__(self) -> None:
        if not 0 < self.assessed_weeks < self.weeks - self.spread_max:
            raise BadInput(f"a design of {self.weeks} weeks cannot assess the last {self.assessed_weeks}")


@dataclass(frozen=True, slots=True)
class Outbreak:
    """Cases added from week ``start`` on (index 0 = ``start``)."""

    start: int
    cases: tuple[int, ...]

    @property
    def weeks(self) -> tuple[int, ...]:
        """The weeks that received at least one outbreak case."""
        return tuple(self.start + offset for offset, n in enumerate(self.cases) if n > 0)


@dataclass(frozen=True, slots=True)
class SimulatedSeries:
    scenario: Scenario
    series: CountSeries
    outbreaks: tuple[Outbreak, ...]
    assessed_from: int

    def outbreak_weeks(self) -> frozenset[int]:
        return frozenset(week for outbreak in self.outbreaks for week in outbreak.weeks)


#: Illustrative scenarios spanning Noufaily's dimensions (level, trend, seasonality, overdispersion) [U].
SCENARIOS = (
    Scenario("noufaily-14", theta=1.5, gamma1=0.2, gamma2=-0.4, harmonics=1, phi=1.0),
    Scenario("low-count", theta=0.1),
    Scenario("low-count-overdispersed", theta=0.5, phi=2.0),
    Scenario("seasonal-overdispersed", theta=2.0, gamma1=0.6, gamma2=0.6, harmonics=1, phi=1.5),
    Scenario("two-harmonics", theta=2.5, gamma1=0.5, gamma2=-0.3, harmonics=2, phi=2.0),
    Scenario("trend", theta=1.0, beta=0.002, gamma1=0.3, gamma2=0.3, harmonics=1, phi=1.0),
    Scenario("trend-overdispersed", theta=3.0, beta=0.001, gamma1=0.4, gamma2=-0.4, harmonics=1, phi=3.0),
    Scenario("high-count", theta=4.0, gamma1=0.3, gamma2=0.2, harmonics=2, phi=5.0),
)


def simulate(scenario: Scenario, design: Design, rng: np.random.Generator) -> SimulatedSeries:
    """One series of ``design.weeks`` weeks: baseline counts plus outbreaks."""
    mu = scenario.mean(np.arange(1, design.weeks + 1, dtype=np.float64))
    counts = _baseline_counts(mu, scenario.phi, rng)
    latest_baseline_start = design.assessed_from - design.spread_max
    starts = [
        (int(rng.integers(0, latest_baseline_start)), design.baseline_k) for _ in range(design.baseline_outbreaks)
    ]
    starts.append((int(rng.integers(design.assessed_from, design.weeks)), design.current_k))
    outbreaks = tuple(_outbreak(start, k_range, mu, scenario.phi, design, rng) for start, k_range in starts)
    for outbreak in outbreaks:
        end = min(design.weeks, outbreak.start + len(outbreak.cases))
        counts[outbreak.start : end] += np.array(outbreak.cases[: end - outbreak.start], dtype=np.int64)
    key = SeriesKey(substance=f"simulated:{scenario.name}")
    series = CountSeries(Frequency.WEEKLY, START, tuple(int(c) for c in counts), key)
    return SimulatedSeries(scenario, series, outbreaks, design.assessed_from)


def spread_probabilities(sdlog: float, longest: int) -> FloatArray:
    """P(case in week d − 1 after the start), d = 1 … ``longest``: the discretised lognormal(0, sdlog)."""
    cumulative = stats.lognorm.cdf(np.arange(longest + 1, dtype=np.float64), s=sdlog)
    return np.asarray(np.diff(cumulative) / cumulative[-1], dtype=np.float64)


def _baseline_counts(
    mu: FloatArray, phi: float, rng: np.random.Generator
) -> np.ndarray[tuple[int], np.dtype[np.int64]]:
    if phi == 1:
        return rng.poisson(mu).astype(np.int64)
    return rng.negative_binomial(mu / (phi - 1), 1 / phi).astype(np.int64)


def _outbreak(
    start: int, k_range: tuple[int, int], mu: FloatArray, phi: float, design: Design, rng: np.random.Generator
) -> Outbreak:
    k = int(rng.integers(k_range[0], k_range[1] + 1))
    size = int(rng.poisson(k * np.sqrt(phi * mu[start])))
    cases = rng.multinomial(size, spread_probabilities(design.spread_sdlog, design.spread_max))
    return Outbreak(start, tuple(int(n) for n in cases))
