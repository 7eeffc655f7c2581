"""Reading a SMILES string a user typed into a molecule, refusing what cannot or should not be processed.

Every refusal is a ``BadInput`` whose detail names the reason: ``empty``, ``too-long`` (over
:data:`MAX_SMILES_LENGTH` characters, refused before parsing), ``unparseable``, ``too-many-atoms`` (over
:data:`MAX_ATOMS`, counted before sanitising), ``valence`` (an atom with more bonds than it can have, such as
a five-bonded carbon), ``aromaticity`` (a ring that cannot be written in Kekulé form) or ``chemistry``.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from rdkit import Chem, rdBase
from rdkit.Chem.MolStandardize import rdMolStandardize

from observatory.errors import BadInput
from observatory.reference.substances import standardise

MAX_ATOMS = 5_000
MAX_SMILES_LENGTH = 50_000
_PROBLEMS = {
    "AtomValenceException": "valence",
    "AtomKekulizeException": "aromaticity",
    "KekulizeException": "aromaticity",
}


def read_smiles(smiles: str) -> Any:
    """The sanitised molecule of ``smiles``, or ``BadInput`` with the reason it was refused."""
    text = smiles.strip()
    if not text:
        raise _refusal(smiles, "empty", "the SMILES string is empty")
    if len(text) > MAX_SMILES_LENGTH:
        raise _refusal(
            smiles, "too-long", f"the SMILES string has {len(text):,} characters; at most {MAX_SMILES_LENGTH:,}"
        )
    with quiet_rdkit():
        molecule = Chem.MolFromSmiles(text, sanitize=False)
        if molecule is None or molecule.GetNumAtoms() == 0:
            raise _refusal(smiles, "unparseable", f"{_shown(text)} is not a valid SMILES string")
        if molecule.GetNumAtoms() > MAX_ATOMS:
            count = molecule.GetNumAtoms()
            raise _refusal(smiles, "too-many-atoms", f"the molecule has {count:,} atoms; at most {MAX_ATOMS:,}")
        problems = Chem.DetectChemistryProblems(molecule)
        if problems:
            problem = problems[0]
            reason = _PROBLEMS.get(problem.GetType(), "chemistry")
            raise _refusal(smiles, reason, f"{_shown(text)} is not a valid structure: {problem.Message()}")
        Chem.SanitizeMol(molecule)
    return molecule


@dataclass(frozen=True, slots=True)
class Parent:
    molecule: Any
    inchikey: str | None


def read_parent(smiles: str) -> Parent:
    """The parent structure of ``smiles`` as the registry standardises its sources (salts and solvents removed,
    charges neutralised), with its InChIKey; a structure InChI cannot describe (over 1,024 atoms) keeps its
    largest fragment and has no InChIKey. ``BadInput`` as :func:`read_smiles`."""
    molecule = read_smiles(smiles)
    try:
        structure = standardise(smiles)
    except BadInput:
        return Parent(largest_fragment(molecule), None)
    return Parent(read_smiles(structure.smiles), structure.inchikey)


def largest_fragment(molecule: Any) -> Any:
    """The largest organic fragment: the parent of a salt or solvate, as the registry's standardisation keeps."""
    with quiet_rdkit():
        return rdMolStandardize.LargestFragmentChooser().choose(molecule)


@contextmanager
def quiet_rdkit() -> Iterator[None]:
    """RDKit reports problems on stderr; callers turn them into ``BadInput`` instead."""
    blocker = rdBase.BlockLogs()
    try:
        yield
    finally:
        del blocker


def _refusal(smiles: str, reason: str, message: str) -> BadInput:
    return BadInput(message, [{"value": _shown(smiles), "reason": reason}])


def _shown(text: str) -> str:
    return text if len(text) <= 80 else f"{text[:77]}..."
