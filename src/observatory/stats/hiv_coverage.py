"""HIV prevention coverage for people who inject drugs, with the WHO/UNODC/UNAIDS levels (METHODS.md §1).

Coverage = numerator ÷ estimated people (per person a year for syringes, a percentage otherwise). A PWID
estimate given as a range yields a coverage interval: the numerator over the high and the low estimate. The
level (low / medium / high) is that of the point value. Only the 200-syringe target is confirmed; every other
cut and the boundary rule are defaults flagged as unconfirmed.
"""

from dataclasses import dataclass

from observatory.errors import BadInput
from observatory.stats.bands import Bands, Boundary
from observatory.stats.figure import Constant, Figure, Flag, FlagCode, Method
from observatory.stats.inputs import computed, non_negative
from observatory.stats.ranges import Range

SOURCE = "WHO/UNODC/UNAIDS Technical Guide 2009, rev. 2012"
LEVELS = ("low", "medium", "high")
BOUNDARY = Constant("hiv-coverage-boundary-rule", Boundary.LOWER_INCLUSIVE.value, "METHODS.md §1 [U]", False)


@dataclass(frozen=True, slots=True)
class CoverageIndicator:
    id: str
    description: str
    unit: str
    #: 100 for a percentage, 1 for a rate per person.
    scale: float
    low_cut: Constant
    high_cut: Constant

    def bands(self, boundary: Constant = BOUNDARY) -> Bands:
        return Bands((self.low_cut, self.high_cut), LEVELS, boundary)


def _cut(indicator: str, level: str, value: float, *, confirmed: bool = False) -> Constant:
    tag = "[C]" if confirmed else "[U]"
    return Constant(f"hiv-coverage-{indicator}-{level}-cut", value, f"METHODS.md §1 {tag}; {SOURCE}", confirmed)


INDICATORS = {
    indicator.id: indicator
    for indicator in (
        CoverageIndicator(
            "syringes-per-pwid",
            "needles-syringes distributed by NSPs in the past 12 months ÷ estimated PWID",
            "syringes per PWID per year",
            1,
            _cut("syringes-per-pwid", "medium", 100),
            _cut("syringes-per-pwid", "high", 200, confirmed=True),
        ),
        CoverageIndicator(
            "nsp-regular-reach",
            "PWID reached by NSPs at least once a month ÷ estimated PWID",
            "percent",
            100,
            _cut("nsp-regular-reach", "medium", 20),
            _cut("nsp-regular-reach", "high", 60),
        ),
        CoverageIndicator(
            "ost-coverage",
            "opioid-dependent PWID receiving OST at a given date ÷ estimated opioid-dependent PWID",
            "percent",
            100,
            _cut("ost-coverage", "medium", 20),
            _cut("ost-coverage", "high", 40),
        ),
        CoverageIndicator(
            "hiv-testing",
            "PWID tested for HIV in the last 12 months who know the result ÷ PWID (survey)",
            "percent",
            100,
            _cut("hiv-testing", "medium", 40),
            _cut("hiv-testing", "high", 75),
        ),
        CoverageIndicator(
            "art-coverage",
            "HIV-positive PWID currently on ART ÷ estimated HIV-positive PWID",
            "percent",
            100,
            _cut("art-coverage", "medium", 25),
            _cut("art-coverage", "high", 75),
        ),
    )
}


def hiv_coverage(
    indicator: str | CoverageIndicator, numerator: float, people: float | Range, *, boundary: Constant = BOUNDARY
) -> Figure:
    chosen = _indicator(indicator)
    count = non_negative("numerator", numerator)
    estimate = (people if isinstance(people, Range) else Range.point(people)).at_least("people", 0, strict=True)
    bands = chosen.bands(boundary)
    value = computed("coverage", chosen.scale * count / estimate.best)
    flags = []
    if chosen.unit == "percent" and value > 100:
        flags.append(Flag(FlagCode.ABOVE_FULL_COVERAGE, f"coverage {value:.1f} % exceeds 100 %: check the estimate"))
    return Figure(
        value=value,
        low=computed("coverage low", chosen.scale * count / estimate.high),
        high=computed("coverage high", chosen.scale * count / estimate.low),
        unit=chosen.unit,
        category=bands.classify(value),
        method=Method(f"hiv-coverage/{chosen.id}", chosen.description, source=f"METHODS.md §1; {SOURCE}"),
        constants=bands.constants,
        flags=tuple(flags),
    )


def _indicator(indicator: str | CoverageIndicator) -> CoverageIndicator:
    if isinstance(indicator, CoverageIndicator):
        return indicator
    if indicator not in INDICATORS:
        raise BadInput(
            f"unknown HIV coverage indicator {indicator!r}; accepted: {', '.join(INDICATORS)}",
            [{"field": "indicator", "value": indicator, "accepted": list(INDICATORS)}],
        )
    return INDICATORS[indicator]
