"""Why a rebuilt table 1.1 cell can differ from the published one: each reason computed from the data behind the
area (never written by hand for an area), with a stable code and a message that gives its numbers.

Codes: not-published, no-countries, population-basis, year-mix, imputation, age-group, drug-definition,
area-merged, placement, range-missing, published-range.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from observatory.stats.figure import Figure, FlagCode
from observatory.stats.population_basis import AreaPopulation, Basis, Populations
from observatory.stats.published_prevalence import ENDS, MEASURES, TABLE_AREAS, TableDrug

WDR_AGE = "15-64"
#: Relative gap between our population aged 15–64 and the one table 1.1 implies above which it is a reason.
POPULATION_TOLERANCE = 0.02
Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class AreaFacts:
    drug: TableDrug
    level: str
    area: str
    year: int
    #: The countries of the area (geography rows) and the national estimates of those that have one.
    members: Sequence[Row]
    estimates: Sequence[Row]
    #: measure → the published row.
    published: Mapping[str, Row]
    ours: Figure | None
    populations: Populations
    area_population: AreaPopulation | None


def reasons(facts: AreaFacts) -> list[dict[str, str]]:
    found = [
        _not_published(facts),
        _no_countries(facts),
        _population_basis(facts),
        _year_mix(facts),
        _imputation(facts),
        _age_group(facts),
        _drug_definition(facts),
        _area_merged(facts),
        _placement(facts),
        _range_missing(facts),
        _published_range(facts),
    ]
    return [{"code": code, "message": message} for code, message in (item for item in found if item)]


def _not_published(facts: AreaFacts) -> tuple[str, str] | None:
    if any(facts.published[measure][end] is not None for measure in MEASURES for end in ENDS):
        return None
    covered = "" if not facts.members else f"; {len(facts.estimates)} of its {len(facts.members)} countries report here"
    return "not-published", f"table 1.1 shows '-': UNODC publishes no estimate for this area{covered}"


def _no_countries(facts: AreaFacts) -> tuple[str, str] | None:
    if facts.members:
        return None
    return "no-countries", "no country of the geography lies in this area, so there is nothing to aggregate"


def _population_basis(facts: AreaFacts) -> tuple[str, str] | None:
    if not facts.members:
        return None
    area = facts.area_population
    if facts.populations.basis is Basis.AGED:
        return _aged_basis(facts)
    if facts.populations.basis is Basis.DERIVED and area is not None:
        return (
            "population-basis",
            f"population aged 15–64 derived from table 1.1 itself: {area.factor:.3f} × total population "
            f"({area.rule} factor), so users follow the table's populations by construction",
        )
    total = sum(float(member["population"]) for member in facts.members)
    implied = _implied(facts)
    ratio = "" if implied is None else f"; total ÷ the 15–64 population table 1.1 implies = {total / implied:.2f}"
    return (
        "population-basis",
        "users and weights use total population (World Bank), not the population aged 15–64 the WDR uses: "
        f"users are over-counted by the ratio of the two{ratio}",
    )


def _aged_basis(facts: AreaFacts) -> tuple[str, str] | None:
    """On the 15–64 basis a reason only when our population and the one table 1.1 implies differ by over 2 %."""
    implied = _implied(facts)
    ours = sum(facts.populations.by_country[member["country"]] for member in facts.members)
    if implied is None or abs(ours / implied - 1) <= POPULATION_TOLERANCE:
        return None
    estimated = sorted(m["country"] for m in facts.members if m.get("population_15_64_estimated"))
    listed = f"; estimated from total population: {', '.join(estimated)}" if estimated else ""
    return (
        "population-basis",
        f"our population aged 15–64 (World Bank WDI) is {ours / implied:.3f} × the one table 1.1 implies "
        f"(users ÷ prevalence){listed}",
    )


def _implied(facts: AreaFacts) -> float | None:
    users, prevalence = facts.published["users"]["best"], facts.published["prevalence"]["best"]
    return float(users) / (float(prevalence) / 100) if users and prevalence else None


def _year_mix(facts: AreaFacts) -> tuple[str, str] | None:
    years = sorted(int(e["estimate_year"]) for e in facts.estimates if e["estimate_year"] is not None)
    older = [year for year in years if year < facts.year]
    if not older:
        return None
    return (
        "year-mix",
        f"{len(older)} of {len(years)} national estimates predate {facts.year} (from {years[0]} to {years[-1]}, "
        f"median {years[len(years) // 2]}); they are used as reported, not brought forward to {facts.year}",
    )


def _imputation(facts: AreaFacts) -> tuple[str, str] | None:
    missing = len(facts.members) - len(facts.estimates)
    if not facts.members or missing == 0 or facts.ours is None:
        return None
    reporting = {e["country"] for e in facts.estimates}
    people = sum(facts.populations.by_country[m["country"]] for m in facts.members if m["country"] not in reporting)
    share = people / sum(facts.populations.by_country[m["country"]] for m in facts.members)
    return (
        "imputation",
        f"{missing} of {len(facts.members)} countries ({share:.0%} of the population) have no estimate and take the "
        "population-weighted prevalence of their subregion, region or world (our imputation, unconfirmed)",
    )


def _age_group(facts: AreaFacts) -> tuple[str, str] | None:
    ages = Counter(str(e["age"] or "not stated") for e in facts.estimates if (e["age"] or "") != WDR_AGE)
    if not ages:
        return None
    listed = ", ".join(f"{age} ×{count}" for age, count in sorted(ages.items()))
    return (
        "age-group",
        f"{sum(ages.values())} estimate(s) cover an age group other than 15–64 ({listed}); used as reported, "
        "where the WDR adjusts them to 15–64",
    )


def _drug_definition(facts: AreaFacts) -> tuple[str, str] | None:
    made = Counter(str(e.get("definition") or "").split(":")[0] for e in facts.estimates)
    made.pop("series", None)
    made.pop("", None)
    if not made:
        return ("drug-definition", facts.drug.definition) if facts.drug.definition else None
    listed = ", ".join(f"{kind} ×{count}" for kind, count in sorted(made.items()))
    return (
        "drug-definition",
        f"{sum(made.values())} estimate(s) made from the column's components ({listed}; union: best under "
        "independence [U], range between the Fréchet bounds)",
    )


def _area_merged(facts: AreaFacts) -> tuple[str, str] | None:
    parts = sorted(name for name, area in TABLE_AREAS.items() if area == facts.area)
    if len(parts) < 2:
        return None
    return "area-merged", f"table 1.1 merges {' and '.join(parts)} (national subregions) into this area"


def _placement(facts: AreaFacts) -> tuple[str, str] | None:
    placed = sorted(m["country"] for m in facts.members if m["placement"] != "wdr")
    if not placed:
        return None
    return (
        "placement",
        f"{len(placed)} countr{'y' if len(placed) == 1 else 'ies'} no WDR table names placed here by their M49 "
        f"subregion: {', '.join(placed)}",
    )


def _range_missing(facts: AreaFacts) -> tuple[str, str] | None:
    if facts.ours is None or FlagCode.RANGE_MISSING not in facts.ours.flag_codes:
        return None
    unusable = sorted(e["country"] for e in facts.estimates if e["low"] is None or e["high"] is None or e["dropped"])
    return (
        "range-missing",
        f"{len(unusable)} estimate(s) without a usable low and high ({', '.join(unusable)}): best used for both ends",
    )


def _published_range(facts: AreaFacts) -> tuple[str, str] | None:
    broken = []
    for measure in MEASURES:
        row = facts.published[measure]
        best, low, high = (row[end] for end in ENDS)
        if best is not None and low is not None and high is not None and not low <= best <= high:
            broken.append(f"{measure}: low {low:g}, best {best:g}, high {high:g}")
    if not broken:
        return None
    return "published-range", f"the published range does not hold its best value ({'; '.join(broken)})"
