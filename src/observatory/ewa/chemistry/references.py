"""The registry substances whose family is known, among which an unclassified structure's neighbours are sought.

A substance's family is known when a family rule matches its structure (the rule's family and effect), or
else when one of its source records carries a category label that names a family (``source_categories.toml``;
the first source in the file's order wins, and the effect is the first label's effect that names one, else
the family's usual effect).
"""

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from observatory.ewa.chemistry.library import StructureLibrary
from observatory.ewa.chemistry.rules import FamilyRule, RuleBook
from observatory.ewa.chemistry.source_categories import CategoryMap, CategoryMeaning
from observatory.ewa.chemistry.vocabulary import Effect, Family, FamilyProfile
from observatory.reference.substances import Substance, SubstanceRegistry


@dataclass(frozen=True, slots=True)
class Label:
    family: Family
    effect: Effect
    basis: str


@dataclass(frozen=True, slots=True)
class ReferenceSet:
    library: StructureLibrary
    rule_matches: tuple[FamilyRule | None, ...] = field(repr=False)
    labels: tuple[Label | None, ...] = field(repr=False)
    labelled: npt.NDArray[np.bool_] = field(repr=False)


def build_references(
    library: StructureLibrary,
    registry: SubstanceRegistry,
    rules: RuleBook,
    categories: CategoryMap,
    profiles: dict[Family, FamilyProfile],
) -> ReferenceSet:
    matches = tuple(rules.first_match(molecule) for molecule in library.molecules)
    labels = tuple(
        Label(rule.family, rule.effect, f"rule {rule.id}")
        if rule is not None
        else source_label(substance, registry, categories, profiles)
        for substance, rule in zip(library.substances, matches, strict=True)
    )
    return ReferenceSet(library, matches, labels, np.array([label is not None for label in labels], dtype=bool))


def source_label(
    substance: Substance, registry: SubstanceRegistry, categories: CategoryMap, profiles: dict[Family, FamilyProfile]
) -> Label | None:
    """The family the substance's source categories name, or ``None`` when none does."""
    meanings = _meanings(substance, registry, categories)
    family = next((meaning for meaning in meanings if meaning.family is not None), None)
    if family is None or family.family is None:
        return None
    effect = next((meaning.effect for meaning in meanings if meaning.effect is not None), None)
    return Label(family.family, effect or profiles[family.family].effect, family.basis)


def _meanings(substance: Substance, registry: SubstanceRegistry, categories: CategoryMap) -> list[CategoryMeaning]:
    records = [registry.records[ref] for ref in substance.sources if ref in registry.records]
    rank = {source: position for position, source in enumerate(categories.sources)}
    ordered = sorted(records, key=lambda record: rank.get(record.source, len(rank)))
    return [meaning for record in ordered for meaning in categories.of_record(record)]
