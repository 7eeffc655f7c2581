"""A registry substance found by a structure search, with what makes it matter: its control status."""

from dataclasses import dataclass
from enum import StrEnum

from observatory.reference.substances import ControlFact, Substance


class MatchKind(StrEnum):
    IDENTICAL = "identical"
    CONNECTIVITY = "connectivity"
    SIMILAR = "similar"
    SUBSTRUCTURE = "substructure"


@dataclass(frozen=True, slots=True)
class StructureHit:
    """``similarity`` is the Tanimoto similarity to the query structure (1 for an identical one; ``None`` for a
    substructure hit, which has no query structure); ``atoms`` the atoms of the structure's SMILES a pattern
    matched."""

    substance_id: str
    name: str
    inchikey: str
    smiles: str
    match: MatchKind
    similarity: float | None
    controls: tuple[ControlFact, ...]
    atoms: tuple[int, ...] = ()

    @property
    def controlled(self) -> bool:
        return bool(self.controls)

    @property
    def control_status(self) -> str:
        """The schedules the substance is in, one per regime ("1961 Single Convention Schedule I; US CSA
        Schedule II"), or that none of the registry's lists controls it."""
        if not self.controls:
            return "not controlled in the registry's lists"
        schedules = dict.fromkeys(f"{fact.regime} {fact.schedule}" for fact in self.controls)
        return "; ".join(schedules)


def hit(substance: Substance, match: MatchKind, similarity: float | None, atoms: tuple[int, ...] = ()) -> StructureHit:
    structure = substance.structure
    return StructureHit(
        substance_id=substance.id,
        name=substance.preferred_name,
        inchikey=structure.inchikey if structure else "",
        smiles=structure.smiles if structure else "",
        match=match,
        similarity=similarity,
        controls=substance.controls,
        atoms=atoms,
    )
