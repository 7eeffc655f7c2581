"""Every worked example ("Test:" line) of METHODS.md §1–4 and §7 that the statistics engine covers, as one table.

§3's kilogram-equivalent example and §7's M49 codes belong to ``reference`` and are tested there.
"""

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from observatory.reference.conversion import OpiumHeroinRatio
from observatory.stats.capture_recapture import chapman, chapman_variance, lincoln_petersen
from observatory.stats.distributions import two_sided_normal
from observatory.stats.figure import Figure
from observatory.stats.hiv_coverage import hiv_coverage
from observatory.stats.multiplier import benchmark_multiplier
from observatory.stats.opioid_availability import sddd_per_million_per_day
from observatory.stats.production import CultivatedArea, opium_production, opium_to_heroin
from observatory.stats.proportions import logit_interval, wilson_interval
from observatory.stats.ranges import Range
from observatory.stats.survey import Interval, Variance, kish_design_effect, kish_effective_n, survey_proportion
from observatory.stats.treatment_coverage import Substance, treatment_coverage

METHODS = Path(__file__).resolve().parents[3] / "shared" / "docs" / "METHODS.md"
Y, W = (1, 0, 1, 0), (1, 2, 3, 4)
Z = 1.959964


def survey(interval: Interval) -> tuple[float, ...]:
    estimate = survey_proportion(Y, W, interval=interval, variance=Variance.KISH).estimate
    assert estimate.low is not None and estimate.high is not None
    return estimate.low, estimate.high


def opium_tonnes() -> Figure:
    return opium_production([CultivatedArea("all", Range.point(1000), Range.point(30))])


def heroin_tonnes() -> float:
    return opium_to_heroin(opium_tonnes(), "AFG", 2013).value / 1000


EXAMPLES: list[tuple[str, Callable[[], object], object, float]] = [
    (
        "§1 syringes 1,500,000 / 10,000 PWID = 150",
        lambda: hiv_coverage("syringes-per-pwid", 1_500_000, 10_000).value,
        150,
        1e-12,
    ),
    ("§1 150 syringes → medium", lambda: hiv_coverage("syringes-per-pwid", 1_500_000, 10_000).category, "medium", 0),
    ("§1 OST 1,200 / 4,000 = 30 %", lambda: hiv_coverage("ost-coverage", 1200, 4000).value, 30, 1e-12),
    ("§1 OST 30 % → medium", lambda: hiv_coverage("ost-coverage", 1200, 4000).category, "medium", 0),
    (
        "§2 10 kg morphine, 10 M people → 27.397",
        lambda: sddd_per_million_per_day({"morphine": 10}, 10e6).value,
        27.397,
        5e-4,
    ),
    ("§3 1,000 ha × 30 kg/ha = 30 t opium", lambda: opium_tonnes().value / 1000, 30, 1e-12),
    ("§3 30 t opium at 7:1 → 4.286 t heroin", heroin_tonnes, 4.286, 5e-4),
    ("§4 p̂ = 0.4", lambda: survey_proportion(Y, W, variance=Variance.KISH).estimate.value, 0.4, 1e-12),
    ("§4 n_eff = 3.333", lambda: kish_effective_n(W), 3.333, 5e-4),
    ("§4 deff = 1.2", lambda: kish_design_effect(W), 1.2, 1e-12),
    ("§4 Wilson (0.09110, 0.81598)", lambda: survey(Interval.WILSON), (0.09110, 0.81598), 5e-6),
    ("§4 logit-normal (0.06935, 0.85642)", lambda: survey(Interval.LOGIT), (0.06935, 0.85642), 5e-6),
    (
        "§4 logit-normal from p̂ and SE",
        lambda: logit_interval(0.4, math.sqrt(0.24 / (10 / 3)), Z),
        (0.06935, 0.85642),
        5e-6,
    ),
    ("§4 Wilson p̂=0.05, n=2000, deff=2", lambda: wilson_interval(0.05, 2000 / 2, Z), (0.03813, 0.06531), 5e-6),
    ("§4 z = 1.959964", lambda: two_sided_normal(0.95), 1.959964, 5e-7),
    ("§4 benchmark 2,000 / 0.25 = 8,000", lambda: benchmark_multiplier(2000, 0.25).value, 8000, 1e-9),
    ("§4 Lincoln–Petersen 400", lambda: lincoln_petersen(100, 80, 20).value, 400, 1e-9),
    ("§4 Chapman 388.571", lambda: chapman(100, 80, 20).value, 388.571, 5e-4),
    ("§4 Chapman Var 4047.50", lambda: chapman_variance(100, 80, 20), 4047.50, 5e-3),
    ("§4 Chapman SE 63.62", lambda: math.sqrt(chapman_variance(100, 80, 20)), 63.62, 5e-3),
    (
        "§7 SDG 3.5.1 12,000 / 60,000 = 20 %",
        lambda: treatment_coverage(12_000, 60_000, substance=Substance.DRUGS).value,
        20,
        1e-12,
    ),
]


@pytest.mark.parametrize(("example", "compute", "expected", "tolerance"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_worked_example(example: str, compute: Callable[[], object], expected: object, tolerance: float) -> None:
    result = compute()
    if isinstance(expected, str):
        assert result == expected
    else:
        assert result == pytest.approx(expected, abs=tolerance), example


def test_unconfirmed_examples_carry_their_flags() -> None:
    assert "unconfirmed-constant" in hiv_coverage("syringes-per-pwid", 1_500_000, 10_000).flag_codes
    assert "unconfirmed-constant" in opium_to_heroin(opium_tonnes(), "AFG", 2013).flag_codes
    assert "unconfirmed-constant" in sddd_per_million_per_day({"morphine": 10}, 10e6).flag_codes
    assert "unconfirmed-method" in benchmark_multiplier(2000, 0.25).flag_codes


def test_a_confirmed_custom_ratio_clears_the_flag() -> None:
    ratio = OpiumHeroinRatio("lab-2024", "AFG", 7.0, True, "laboratory study")
    heroin = opium_to_heroin(opium_tonnes(), "AFG", ratio=ratio)
    assert heroin.value == pytest.approx(4285.714, abs=1e-3)
    assert heroin.flags == ()


@pytest.mark.skipif(not METHODS.exists(), reason="the shared METHODS.md is not beside this checkout")
@pytest.mark.parametrize(
    "phrase",
    [
        '= 150 → "medium"',
        "27.397",
        "4.286 t heroin",
        "(0.09110, 0.81598)",
        "(0.06935, 0.85642)",
        "(0.03813, 0.06531)",
        "B=2,000, p=0.25 → 8,000",
        "Chapman 388.571",
        "SE 63.62",
        "= 20 %",
    ],
)
def test_the_examples_are_still_those_of_methods(phrase: str) -> None:
    assert phrase in METHODS.read_text(encoding="utf-8")
