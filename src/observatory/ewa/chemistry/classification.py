"""Classifying a structure: its chemical family, UNODC NPS group and effect group, with a confidence and an
explanation.

1. **Rules.** The first rule of ``family_rules.toml`` whose SMARTS matches names the family (and the effect
   and group when the rule overrides the family's); the confidence is the rule's.
2. **Nearest neighbours**, when no rule matches. The :data:`NEIGHBOURS` registry substances most similar to the
   structure (Morgan fingerprints, Tanimoto ≥ :data:`MIN_SIMILARITY`) among those whose family is known from a
   rule or a source category vote, each with its similarity as weight. The winning family's confidence is its
   share of the vote times its best similarity. A substance's own entry, and any entry with the same InChIKey
   connectivity block (its stereoisomers), are left out, so a registry substance is never classified by its
   own label.
3. **Nothing**: no rule and no neighbour similar enough. A substance an early-warning list names is counted
   among the "others"; any other structure is out of scope.

Before all of these, and after the neighbour vote, the classifier asks whether the structure is in scope at
all (:mod:`observatory.ewa.chemistry.scope`): an inorganic substance, a medicine, cutting agent, excipient,
sugar or precursor has ``in_scope`` false, no family and no group, and the reason in ``scope``. The
out-of-scope list takes part in the neighbour vote as one more label: a structure whose nearest known
substances are mostly medicines is not drafted as an NPS.
"""

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from observatory.ewa.chemistry.fingerprints import Words, morgan_fingerprint
from observatory.ewa.chemistry.library import structure_library
from observatory.ewa.chemistry.molecule import read_parent
from observatory.ewa.chemistry.references import ReferenceSet, build_references
from observatory.ewa.chemistry.rules import FamilyRule, RuleBook, family_rules
from observatory.ewa.chemistry.scope import (
    KnownSubstance,
    OutOfScopeList,
    Scope,
    out_of_scope_list,
    registry_scope,
    structural_scope,
)
from observatory.ewa.chemistry.source_categories import source_categories
from observatory.ewa.chemistry.vocabulary import Effect, Family, FamilyProfile, NpsGroup, family_profiles
from observatory.reference.substances import substance_registry

NEIGHBOURS = 5
MIN_SIMILARITY = 0.35


class Method(StrEnum):
    RULE = "rule"
    NEIGHBOURS = "neighbours"
    NONE = "none"
    SCOPE = "scope"


@dataclass(frozen=True, slots=True)
class Neighbour:
    substance_id: str
    name: str
    similarity: float
    family: Family
    effect: Effect
    basis: str


@dataclass(frozen=True, slots=True)
class Classification:
    """``family`` and ``nps_group`` are ``None`` exactly when the structure is out of scope (``scope`` says why)."""

    family: Family | None
    nps_group: NpsGroup | None
    effect: Effect
    confidence: float
    method: Method
    explanation: str
    rule: str | None = None
    neighbours: tuple[Neighbour, ...] = ()
    scope: Scope | None = None

    @property
    def in_scope(self) -> bool:
        return self.scope is None


def abstain(scope: Scope, method: Method = Method.SCOPE, confidence: float = 1.0) -> Classification:
    """Out of scope: no family, no group, the reason as the explanation."""
    explanation = f"out of scope: {scope.reason}" + (f" (source: {scope.source})" if scope.source else "")
    return Classification(None, None, Effect.UNKNOWN, confidence, method, explanation, scope=scope)


@dataclass(frozen=True, slots=True)
class Classifier:
    rules: RuleBook
    references: ReferenceSet
    profiles: dict[Family, FamilyProfile]
    outside: OutOfScopeList

    def classify_row(self, row: int) -> Classification:
        """The classification of the library's ``row``, its own label and stereoisomers left out."""
        library = self.references.library
        substance = library.substances[row]
        scope = structural_scope(library.molecules[row], substance.inchikey, self.outside) or registry_scope(substance)
        if scope is not None:
            return abstain(scope)
        rule = self.references.rule_matches[row]
        if rule is not None:
            return by_rule(rule)
        inchikey = substance.inchikey or ""
        listed = self.references.labels[row] is not None
        return self.by_neighbours(library.index.words[row], library.same_connectivity(inchikey), listed=listed)

    def classify_molecule(self, molecule: Any, inchikey: str | None = None) -> Classification:
        scope = structural_scope(molecule, inchikey, self.outside)
        if scope is not None:
            return abstain(scope)
        rule = self.rules.first_match(molecule)
        if rule is not None:
            return by_rule(rule)
        library = self.references.library
        exclude = library.same_connectivity(inchikey) if inchikey else None
        return self.by_neighbours(morgan_fingerprint(molecule), exclude)

    def by_neighbours(
        self, fingerprint: Words, exclude: npt.NDArray[np.bool_] | None, *, listed: bool = False
    ) -> Classification:
        """The vote of the nearest labelled substances, the out-of-scope list among them; ``listed``: an
        early-warning list names the structure as an NPS, so it stays in scope ("others" when nothing is similar)."""
        library = self.references.library
        unusable = ~self.references.labelled if exclude is None else ~self.references.labelled | exclude
        neighbours: list[Neighbour] = []
        for row, similarity in library.index.top_k(fingerprint, NEIGHBOURS, MIN_SIMILARITY, exclude=unusable):
            substance, label = library.substances[row], self.references.labels[row]
            if label is not None:
                name, score = substance.preferred_name, round(similarity, 3)
                neighbours.append(Neighbour(substance.id, name, score, label.family, label.effect, label.basis))
        outside = [] if listed else self._outside(fingerprint)
        if outside and sum(score for _, score in outside) > sum(n.similarity for n in neighbours):
            known, score = outside[0]
            listed_names = "; ".join(f"{k.name} ({s:.2f}, {k.category.replace('_', ' ')})" for k, s in outside)
            scope = Scope(
                known.category,
                f"no family rule matched and the nearest known substances are not NPS: {listed_names}",
                self.outside.scope(known).source,
            )
            weight = sum(s for _, s in outside) / (sum(s for _, s in outside) + sum(n.similarity for n in neighbours))
            return abstain(scope, Method.NEIGHBOURS, round(weight * score, 3))
        if not neighbours and listed:
            return Classification(
                Family.OTHERS,
                self.profiles[Family.OTHERS].nps_group,
                Effect.UNKNOWN,
                0.0,
                Method.NONE,
                f"no family rule matched and no substance of known family has a Tanimoto similarity of "
                f"{MIN_SIMILARITY} or more: an early-warning list names it, so it is counted among the others",
            )
        if not neighbours:
            reason = (
                f"no family rule matched and no substance of known family has a Tanimoto similarity of "
                f"{MIN_SIMILARITY} or more: no NPS family the EWA tracks"
            )
            return abstain(Scope("no_family", reason), Method.NONE, 0.0)
        return self._vote(tuple(neighbours))

    def _outside(self, fingerprint: Words) -> list[tuple[KnownSubstance, float]]:
        nearest = self.outside.nearest(fingerprint, NEIGHBOURS)
        return [(known, score) for known, score in nearest if score >= MIN_SIMILARITY]

    def _vote(self, neighbours: tuple[Neighbour, ...]) -> Classification:
        weights: dict[Family, float] = defaultdict(float)
        for neighbour in neighbours:
            weights[neighbour.family] += neighbour.similarity
        family = max(weights, key=lambda candidate: weights[candidate])
        share = weights[family] / sum(weights.values())
        voters = [neighbour for neighbour in neighbours if neighbour.family == family]
        effects: dict[Effect, float] = defaultdict(float)
        for neighbour in voters:
            effects[neighbour.effect] += neighbour.similarity
        listed = "; ".join(f"{n.name} ({n.similarity:.2f}, {n.family}, by {n.basis})" for n in neighbours)
        return Classification(
            family=family,
            nps_group=self.profiles[family].nps_group,
            effect=max(effects, key=lambda effect: effects[effect]),
            confidence=round(share * max(neighbour.similarity for neighbour in voters), 3),
            method=Method.NEIGHBOURS,
            explanation=(
                f"no family rule matched; {share:.0%} of the similarity-weighted vote of the nearest substances "
                f"of known family is for {family}: {listed}"
            ),
            neighbours=neighbours,
        )


def by_rule(rule: FamilyRule) -> Classification:
    return Classification(
        rule.family, rule.nps_group, rule.effect, rule.confidence, Method.RULE, f"rule {rule.id}: {rule.note}", rule.id
    )


@cache
def classifier() -> Classifier:
    """The classifier over the shipped registry, built on first use."""
    profiles = family_profiles()
    rules = family_rules()
    references = build_references(structure_library(), substance_registry(), rules, source_categories(), profiles)
    return Classifier(rules, references, profiles, out_of_scope_list())


@cache
def registry_classifications() -> dict[str, Classification]:
    """The classification of every registry substance with a structure, by substance identifier."""
    chosen = classifier()
    library = chosen.references.library
    return {substance.id: chosen.classify_row(row) for row, substance in enumerate(library.substances)}


def classify(smiles: str) -> Classification:
    """The classification of the structure ``smiles`` (salts and solvents ignored); a registry substance gets
    its registry classification. ``BadInput`` for a SMILES that is invalid, breaks valence rules or has more
    than 5,000 atoms."""
    parent = read_parent(smiles)
    known = structure_library().row_of_inchikey(parent.inchikey) if parent.inchikey else None
    if known is not None:
        return classifier().classify_row(known)
    return classifier().classify_molecule(parent.molecule, parent.inchikey)
