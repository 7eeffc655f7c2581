"""The reference vocabularies the platform publishes, each as (code, label, record) entries."""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from observatory.datasets import DATASETS
from observatory.i18n import N_
from observatory.reference import conversion, geography, sdg, ungass, units
from observatory.reference.substances.registry import substance_registry

Entry = tuple[str, str, object]
WDR_DRUGS = DATASETS / "reference" / "conversion_factors_wdr_drugs.csv"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    name: str
    description: str
    entries: Callable[[], Iterable[Entry]]


def _places() -> Iterable[Entry]:
    return ((place.iso3, place.name, place) for place in geography.places())


def _drugs() -> Iterable[Entry]:
    with WDR_DRUGS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = f"{row['drug_group']} / {row['drug_subgroup']} / {row['drug_name']}"
            yield code, row["drug_name"], row


def _units() -> Iterable[Entry]:
    return ((unit.code, unit.label, unit) for unit in units.units())


def _factors() -> Iterable[Entry]:
    return ((factor.id, factor.id, factor) for factor in conversion.default_factors().factors)


def _sdg() -> Iterable[Entry]:
    entries = (*sdg.goals(), *sdg.targets(), *sdg.indicators())
    return ((f"{entry.level}:{entry.code}", entry.titles.en, entry) for entry in entries)


def _substances() -> Iterable[Entry]:
    return ((substance.id, substance.preferred_name, substance) for substance in substance_registry().substances)


def _chapters() -> Iterable[Entry]:
    return ((str(chapter.number), chapter.title, chapter) for chapter in ungass.chapters())


def _recommendations() -> Iterable[Entry]:
    return ((item.code, item.text[:80], item) for item in ungass.recommendations())


VOCABULARIES = {
    vocabulary.name: vocabulary
    for vocabulary in (
        Vocabulary(
            "places", N_("Countries, territories and historical states: ISO 3166, UN M49, WDR regions"), _places
        ),
        Vocabulary("drugs", N_("The drug group / sub-group / drug hierarchy of the World Drug Report tables"), _drugs),
        Vocabulary(
            "substances", N_("Substances with names, identifiers, structures and dated control status"), _substances
        ),
        Vocabulary("units", N_("Units of quantity and their base units"), _units),
        Vocabulary("conversion_factors", N_("Factors to kilogram-equivalents, with source and confirmation"), _factors),
        Vocabulary("sdg", N_("SDG goals, targets and indicators in the six UN languages"), _sdg),
        Vocabulary("ungass_chapters", N_("The 7 thematic chapters of the UNGASS 2016 outcome document"), _chapters),
        Vocabulary(
            "ungass_recommendations", N_("Operational recommendations and quoted commitments"), _recommendations
        ),
    )
}
