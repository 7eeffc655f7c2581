"""The population aged 15–64 of every place, including the territories the World Bank series lacks.

The WDR's prevalence is a share of the population aged 15–64 (METHODS.md §4 [C]), which the World Bank publishes
for 217 economies (``reference.population_15_64``). A place with a total population but no 15–64 figure (a
territory such as Anguilla or Réunion) is not dropped and not given its total: it gets its total × the 15–64 share
of the places of its group (its subregion) that have both, else of every place that has both. That rule is ours
(``SHARE_RULE``, [U]); each place it estimates is listed with the share used. Front door: ``aged_15_64``.
"""

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from observatory.errors import BadInput
from observatory.stats.figure import Constant

SHARE_RULE = Constant(
    "population-15-64-share",
    "total population × the 15–64 share of the subregion's economies (else the world's) where the series lacks "
    "the place",
    "ours, for territories outside World Bank WDI SP.POP.1564.TO; not from a WDR source",
    confirmed=False,
)


@dataclass(frozen=True, slots=True)
class Estimated:
    """A place whose 15–64 population is estimated: its total, the share applied and where the share comes from."""

    place: str
    total: float
    share: float
    group: str


@dataclass(frozen=True, slots=True)
class AgedPopulations:
    #: Persons aged 15–64 by place: as published, or estimated (``estimated``).
    persons: dict[str, float]
    estimated: tuple[Estimated, ...]

    @property
    def estimated_places(self) -> tuple[str, ...]:
        return tuple(item.place for item in self.estimated)


def aged_15_64(total: Mapping[str, float], aged: Mapping[str, float], group: Mapping[str, str]) -> AgedPopulations:
    """The 15–64 population of every place in ``total`` or ``aged``; ``group`` names each place's subregion."""
    both = [place for place in total if place in aged and total[place] > 0]
    if not both:
        raise BadInput(
            "no place has both a total population and a population aged 15–64, so no share can be applied",
            [{"field": "population"}],
        )
    sums: defaultdict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for place in both:
        pair = sums[group.get(place, "")]
        pair[0] += aged[place]
        pair[1] += total[place]
    world = math.fsum(aged[place] for place in both) / math.fsum(total[place] for place in both)
    persons = {place: float(value) for place, value in aged.items()}
    estimated = []
    for place in sorted(set(total) - set(aged)):
        name = group.get(place, "")
        found = sums.get(name)
        share, where = (found[0] / found[1], name) if found and found[1] > 0 and name else (world, "world")
        persons[place] = float(total[place]) * share
        estimated.append(Estimated(place, float(total[place]), share, where))
    return AgedPopulations(persons, tuple(estimated))
