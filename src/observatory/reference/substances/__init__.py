"""The substance registry: controlled drugs, precursors and new psychoactive substances from international,
national and early-warning lists, merged into one record per substance.

    from observatory.reference.substances import substance_registry
    mdma = substance_registry().find("ecstasy")
"""

from observatory.reference.substances.identifiers import is_valid_cas, name_key, normalise_name, parse_cas
from observatory.reference.substances.records import ControlFact, SubstanceRecord
from observatory.reference.substances.registry import SubstanceRegistry, build_registry, substance_registry
from observatory.reference.substances.report import Finding, Report
from observatory.reference.substances.structure import Structure, standardise
from observatory.reference.substances.substance import SourceRef, Substance

__all__ = [
    "ControlFact",
    "Finding",
    "Report",
    "SourceRef",
    "Structure",
    "Substance",
    "SubstanceRecord",
    "SubstanceRegistry",
    "build_registry",
    "is_valid_cas",
    "name_key",
    "normalise_name",
    "parse_cas",
    "standardise",
    "substance_registry",
]
