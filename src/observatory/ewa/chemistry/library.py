"""The registry's structures held in memory for searching: one row per substance with a structure.

Built once per process from the shipped registry (:func:`structure_library`, about two seconds): the parsed
molecules of the standardised parent structures, their Morgan fingerprint index, and the first block of each
InChIKey (the connectivity layer, shared by stereoisomers and isotopologues).
"""

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
from rdkit import Chem

from observatory.errors import NotFound
from observatory.ewa.chemistry.fingerprints import FingerprintIndex, morgan_fingerprints
from observatory.ewa.chemistry.molecule import quiet_rdkit
from observatory.reference.substances import Substance, SubstanceRegistry, substance_registry


def connectivity_key(inchikey: str) -> str:
    """The first block of an InChIKey: the skeleton without stereochemistry, isotopes or protonation."""
    return inchikey.split("-", 1)[0]


@dataclass(frozen=True, slots=True)
class StructureLibrary:
    substances: tuple[Substance, ...]
    molecules: tuple[Any, ...] = field(repr=False)
    index: FingerprintIndex = field(repr=False)
    connectivity: npt.NDArray[np.str_] = field(repr=False)
    rows: dict[str, int] = field(repr=False)
    inchikeys: dict[str, int] = field(repr=False)

    def __len__(self) -> int:
        return len(self.substances)

    def row(self, substance_id: str) -> int:
        """The row of a substance, or ``NotFound`` when it has no structure in the registry."""
        try:
            return self.rows[substance_id]
        except KeyError:
            raise NotFound(f"no structure for substance {substance_id!r}", [{"value": substance_id}]) from None

    def row_of_inchikey(self, inchikey: str) -> int | None:
        return self.inchikeys.get(inchikey)

    def same_connectivity(self, inchikey: str) -> npt.NDArray[np.bool_]:
        return np.asarray(self.connectivity == connectivity_key(inchikey))


def build_library(registry: SubstanceRegistry) -> StructureLibrary:
    substances: list[Substance] = []
    molecules: list[Any] = []
    with quiet_rdkit():
        for substance in registry.substances:
            if substance.structure is None:
                continue
            molecule = Chem.MolFromSmiles(substance.structure.smiles)
            if molecule is not None:
                substances.append(substance)
                molecules.append(molecule)
    keys = np.array([connectivity_key(s.structure.inchikey) for s in substances if s.structure], dtype=np.str_)
    return StructureLibrary(
        substances=tuple(substances),
        molecules=tuple(molecules),
        index=FingerprintIndex.build(morgan_fingerprints(molecules)),
        connectivity=keys,
        rows={substance.id: row for row, substance in enumerate(substances)},
        inchikeys={
            substance.structure.inchikey: row for row, substance in enumerate(substances) if substance.structure
        },
    )


@cache
def structure_library() -> StructureLibrary:
    """The library of the shipped registry, built on first use."""
    return build_library(substance_registry())
