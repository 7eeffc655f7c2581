"""Potential production from cultivation surveys, and its conversion to heroin and cocaine (METHODS.md §3).

Production = Σ_regions net area (ha) × yield, for best, minimum and maximum separately (the minimum uses the
minimum area and yield of every region). Net area = surveyed area − area eradicated after the survey.
Opium → heroin uses ``reference.conversion``'s country ratios (all [U]) or a ratio the caller gives; coca leaf
→ cocaine hydrochloride (100 % pure) uses leaf-to-base and base-to-hydrochloride factors the caller gives,
since METHODS.md records none.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from observatory.errors import BadInput
from observatory.reference.conversion import OpiumHeroinRatio, heroin_from_opium, potential_production
from observatory.stats.figure import Constant, Figure, Method
from observatory.stats.inputs import computed, non_negative, positive
from observatory.stats.ranges import Range


@dataclass(frozen=True, slots=True)
class CultivatedArea:
    """One survey region: the area (ha) seen at the survey, its yield per hectare, eradication after the survey."""

    region: str
    area_ha: Range
    yield_per_ha: Range
    eradicated_after_survey_ha: float = 0.0

    def __post_init__(self) -> None:
        self.area_ha.at_least(f"area of {self.region}", 0)
        self.yield_per_ha.at_least(f"yield of {self.region}", 0)
        eradicated = non_negative(f"area eradicated after the survey in {self.region}", self.eradicated_after_survey_ha)
        if eradicated > self.area_ha.low:
            raise BadInput(
                f"{self.region}: {eradicated} ha eradicated after the survey exceeds the minimum area "
                f"{self.area_ha.low} ha, so the net area would be negative",
                [{"field": "eradicated_after_survey_ha", "value": eradicated, "accepted": f"≤ {self.area_ha.low}"}],
            )

    @property
    def net_area_ha(self) -> Range:
        less = self.eradicated_after_survey_ha
        return Range(self.area_ha.best - less, self.area_ha.low - less, self.area_ha.high - less)


def opium_production(regions: Sequence[CultivatedArea]) -> Figure:
    """Potential opium production in kg (yields in kg/ha)."""
    method = Method(
        "production/opium",
        "Σ net area (ha, after post-survey eradication) × opium yield (kg/ha); min and max from the extremes",
        source="METHODS.md §3 [P]: the structure is confirmed (yield regressions, an input here, are not)",
    )
    return _production(regions, "kg", method)


def coca_leaf_production(regions: Sequence[CultivatedArea]) -> Figure:
    """Fresh coca leaf in tonnes a year (yields in t/ha/year)."""
    method = Method(
        "production/coca-leaf",
        "Σ net area (ha) × fresh coca leaf yield (t/ha/year); min and max from the extremes",
        confirmed=False,
        source="METHODS.md §3 [U]",
    )
    return _production(regions, "t", method)


def opium_to_heroin(
    opium_kg: Figure, country: str, year: int | None = None, *, ratio: OpiumHeroinRatio | None = None
) -> Figure:
    """Heroin (kg) from opium (kg): ``ratio`` if given, else ``country``'s ratio in force in ``year``."""
    _unit(opium_kg, "kg")
    ends = [opium_kg.value, *((opium_kg.low, opium_kg.high) if opium_kg.low is not None else ())]
    if ratio is None:
        estimates = [heroin_from_opium(amount, country, year) for amount in ends]
        used, heroin = estimates[0].ratio, [estimate.heroin_kg for estimate in estimates]
    else:
        used, heroin = ratio, [non_negative("opium", amount) / ratio.opium_kg_per_heroin_kg for amount in ends]
    constant = Constant(used.id, used.opium_kg_per_heroin_kg, used.source, used.confirmed)
    method = Method("production/opium-to-heroin", f"opium ÷ opium-to-heroin ratio {used.opium_kg_per_heroin_kg:g}:1")
    return _derived(opium_kg, heroin, "kg", method, (constant,))


def coca_leaf_to_cocaine(leaf_t: Figure, *, base_per_leaf: Constant, hydrochloride_per_base: Constant) -> Figure:
    """Cocaine hydrochloride (kg, 100 % pure) = leaf (t) × kg base per t leaf × kg hydrochloride per kg base."""
    _unit(leaf_t, "t")
    factor = positive(base_per_leaf.id, base_per_leaf.number) * positive(
        hydrochloride_per_base.id, hydrochloride_per_base.number
    )
    ends = [leaf_t.value, *((leaf_t.low, leaf_t.high) if leaf_t.low is not None else ())]
    method = Method(
        "production/coca-to-cocaine",
        "fresh leaf (t) × cocaine base per tonne of leaf × hydrochloride per kg base (100 % pure)",
        confirmed=False,
        source="METHODS.md §3 [U]",
    )
    cocaine = [computed("cocaine", amount * factor) for amount in ends]
    return _derived(leaf_t, cocaine, "kg", method, (base_per_leaf, hydrochloride_per_base))


def eradication_share(eradicated_ha: float, gross_area_ha: float) -> Figure:
    """Share of the gross (pre-eradication) cultivated area that was eradicated."""
    eradicated, gross = non_negative("eradicated area", eradicated_ha), positive("gross area", gross_area_ha)
    if eradicated > gross:
        raise BadInput(f"{eradicated} ha eradicated exceeds the gross cultivated area of {gross} ha")
    method = Method("production/eradication-share", "area eradicated ÷ gross cultivated area")
    return Figure(value=eradicated / gross, unit="proportion", method=method)


def _production(regions: Sequence[CultivatedArea], unit: str, method: Method) -> Figure:
    if not regions:
        raise BadInput("no cultivation regions given", [{"field": "regions"}])
    pairs = [(region.net_area_ha, region.yield_per_ha) for region in regions]
    best, low, high = (
        computed("production", potential_production([(getattr(a, end), getattr(y, end)) for a, y in pairs]))
        for end in ("best", "low", "high")
    )
    return Figure(value=best, low=low, high=high, unit=unit, method=method)


def _derived(source: Figure, values: list[float], unit: str, method: Method, constants: tuple[Constant, ...]) -> Figure:
    low, high = (values[1], values[2]) if len(values) == 3 else (None, None)
    return Figure(
        value=values[0],
        low=low,
        high=high,
        unit=unit,
        method=method,
        inputs=source.inputs,
        constants=(*source.constants, *constants),
        flags=source.flags,
    )


def _unit(figure: Figure, unit: str) -> None:
    if figure.unit != unit:
        raise BadInput(f"expected a quantity in {unit}, got one in {figure.unit!r} ({figure.method.id})")
