"""A screen in front of substructure matching: RDKit pattern fingerprints of every library structure.

A structure can contain a pattern only if its pattern fingerprint has every bit the pattern's has, so one
vectorised test over the packed fingerprints leaves the few candidates worth matching atom by atom (on the
registry, from ~1,500 structures to a few hundred for a typical class core). The screen never drops a true
match; it only saves work.
"""

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
from rdkit import Chem, DataStructs

from observatory.ewa.chemistry.fingerprints import BITS, WORDS, Words
from observatory.ewa.chemistry.library import StructureLibrary, structure_library
from observatory.ewa.chemistry.molecule import quiet_rdkit


def pattern_words(molecule: Any) -> Words:
    """The pattern fingerprint of a molecule or query, as ``WORDS`` words."""
    with quiet_rdkit():
        vector = Chem.PatternFingerprint(molecule, BITS)
    return np.frombuffer(DataStructs.BitVectToBinaryText(vector), dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class SubstructureIndex:
    library: StructureLibrary
    patterns: Words = field(repr=False)

    def candidates(self, query: Any) -> npt.NDArray[np.intp]:
        """The rows whose structure may contain ``query``, in order."""
        required = pattern_words(query)
        used = np.flatnonzero(required)
        columns = self.patterns[:, used]
        return np.flatnonzero(((columns & required[used]) == required[used]).all(axis=1))


def build_substructure_index(library: StructureLibrary) -> SubstructureIndex:
    patterns = np.stack([pattern_words(molecule) for molecule in library.molecules]) if len(library) else None
    return SubstructureIndex(library, patterns if patterns is not None else np.zeros((0, WORDS), dtype=np.uint64))


@cache
def substructure_index() -> SubstructureIndex:
    """The index of the shipped registry's structures, built on first use (about a second)."""
    return build_substructure_index(structure_library())
