"""The substances events name: registry substances, new structures, and names no registry entry carries.

A registry substance keeps its registry identifier as key. A structure the registry does not hold is a new
substance keyed by its InChIKey and classified from its structure (``observatory.ewa.chemistry.classify``). A
name the registry cannot resolve (a cutting agent such as "Methylsulfonylmethane") is kept as reported, keyed
"reported:" and the name's slug, without structure or classification.
"""

import re
from dataclasses import asdict, dataclass
from typing import Any

from rdkit import Chem

from observatory.errors import BadInput
from observatory.ewa.chemistry import classify, registry_classifications
from observatory.ewa.chemistry.library import structure_library
from observatory.ewa.chemistry.molecule import read_parent
from observatory.ewa.events.model import Origin
from observatory.reference.substances import Substance, normalise_name, substance_registry

REPORTED_PREFIX = "reported:"


@dataclass(frozen=True, slots=True)
class SubstanceEntry:
    key: str
    name: str
    origin: Origin
    registry_id: str | None = None
    inchikey: str | None = None
    smiles: str | None = None
    family: str | None = None
    nps_group: str | None = None
    effect: str | None = None
    confidence: float | None = None
    explanation: str | None = None
    controls: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def controlled(self) -> bool:
        return bool(self.controls)

    def row(self) -> dict[str, Any]:
        """The ``ewa_substance`` row."""
        row = asdict(self)
        row.update(origin=str(self.origin), controls=list(self.controls), sources=list(self.sources))
        return row


def registry_entry(substance: Substance) -> SubstanceEntry:
    classification = registry_classifications().get(substance.id)
    structure = substance.structure
    return SubstanceEntry(
        key=substance.id,
        name=substance.preferred_name,
        origin=Origin.REGISTRY,
        registry_id=substance.id,
        inchikey=structure.inchikey if structure else None,
        smiles=structure.smiles if structure else None,
        family=str(classification.family) if classification and classification.family else None,
        nps_group=str(classification.nps_group) if classification and classification.nps_group else None,
        effect=str(classification.effect) if classification else None,
        confidence=classification.confidence if classification else None,
        explanation=classification.explanation if classification else None,
        controls=tuple(dict.fromkeys(f"{fact.regime} {fact.schedule}" for fact in substance.controls)),
        sources=tuple(dict.fromkeys(ref.source for ref in substance.sources)),
    )


def structure_entry(smiles: str, name: str | None = None) -> SubstanceEntry:
    """The registry substance with this structure, or a new one classified from it. ``BadInput`` for an invalid
    structure or one InChI cannot describe."""
    parent = read_parent(smiles)
    if parent.inchikey is None:
        raise BadInput("no InChIKey can be computed for this structure", [{"value": smiles[:80]}])
    library = structure_library()
    row = library.row_of_inchikey(parent.inchikey)
    if row is not None:
        return registry_entry(library.substances[row])
    classification = classify(smiles)
    return SubstanceEntry(
        key=parent.inchikey,
        name=name or parent.inchikey,
        origin=Origin.STRUCTURE,
        inchikey=parent.inchikey,
        smiles=Chem.MolToSmiles(parent.molecule),
        family=str(classification.family) if classification.family else None,
        nps_group=str(classification.nps_group) if classification.nps_group else None,
        effect=str(classification.effect),
        confidence=classification.confidence,
        explanation=classification.explanation,
    )


def named_entry(name: str) -> SubstanceEntry:
    """The registry substance ``name`` stands for (a name, CAS number, InChIKey or SMILES); ``BadInput`` naming
    the closest names when there is none, ``Conflict`` when several substances share the name."""
    return registry_entry(substance_registry().find(name))


def reported_entry(name: str, alias: str | None = None) -> SubstanceEntry:
    """The registry substance the curated ``alias`` (any registry query), or else ``name``, names; else the name
    kept as reported (also when several registry substances share it)."""
    registry = substance_registry()
    substance = registry.find(alias) if alias else registry.index.resolve(name)
    if substance is not None:
        return registry_entry(substance)
    slug = "-".join(re.findall(r"[a-z0-9]+", normalise_name(name))) or "unnamed"
    return SubstanceEntry(key=REPORTED_PREFIX + slug, name=name.strip(), origin=Origin.NAME)
