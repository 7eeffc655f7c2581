"""Chemistry of the Early Warning Advisory: classifying new psychoactive substances and searching structures.

    from observatory.ewa.chemistry import classify, similarity_search, generic_match
    classify("CNC(C)C(=O)c1ccc(C)cc1").family          # Family.CATHINONES, by rule "cathinone"
    similarity_search("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", k=5)
    generic_match(smiles, "fentanyl-analogue").svg     # the fentanyl core highlighted

Classification rules, family profiles, source-category mappings and generic definitions are data, in
``observatory/datasets/ewa/*.toml``.
"""

from observatory.ewa.chemistry.classification import (
    Classification,
    Method,
    Neighbour,
    classify,
    registry_classifications,
)
from observatory.ewa.chemistry.confusion import ConfusionReport, Disagreement, classification_report
from observatory.ewa.chemistry.emergence import (
    Emergence,
    dated_substances,
    emergence_by_family,
    emergence_by_group,
    emergence_by_year,
)
from observatory.ewa.chemistry.exact_search import exact_search
from observatory.ewa.chemistry.generic_definitions import (
    GenericDefinition,
    GenericMatch,
    generic_definitions,
    generic_match,
    generic_search,
    matching_definitions,
)
from observatory.ewa.chemistry.hits import MatchKind, StructureHit
from observatory.ewa.chemistry.similarity_search import similarity_search
from observatory.ewa.chemistry.substructure_search import SubstructureResult, substructure_search
from observatory.ewa.chemistry.vocabulary import Effect, Family, NpsGroup

__all__ = [
    "Classification",
    "ConfusionReport",
    "Disagreement",
    "Effect",
    "Emergence",
    "Family",
    "GenericDefinition",
    "GenericMatch",
    "MatchKind",
    "Method",
    "Neighbour",
    "NpsGroup",
    "StructureHit",
    "SubstructureResult",
    "classification_report",
    "classify",
    "dated_substances",
    "emergence_by_family",
    "emergence_by_group",
    "emergence_by_year",
    "exact_search",
    "generic_definitions",
    "generic_match",
    "generic_search",
    "matching_definitions",
    "registry_classifications",
    "similarity_search",
    "substructure_search",
]
