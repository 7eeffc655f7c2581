"""Standardised chemical structures: one SMILES in, the parent compound's identifiers out.

Standardisation, with RDKit's ``rdMolStandardize``:

1. clean-up: explicit hydrogens removed, metal bonds broken, functional groups written one way (nitro,
   N-oxides, azides...) and charges placed on the most acidic sites;
2. the largest organic fragment is kept, so salts and solvents go ("MDMA.HCl" is MDMA);
3. charges are neutralised where a neutral form exists (sodium oxybate is GHB).

The canonical tautomer is *not* computed by default: it takes longer than the three steps together, it can
drop stereo-centres, and the standard InChI (hence the InChIKey used to merge records) already treats the
mobile-hydrogen tautomers of a compound as one. Pass ``canonical_tautomer=True`` to add it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from rdkit import Chem, rdBase
from rdkit.Chem import Descriptors, rdMolDescriptors
from rdkit.Chem.MolStandardize import rdMolStandardize

from observatory.errors import BadInput

MASS_DECIMALS = 5
# RDKit's bundled stubs omit the InChI and descriptor functions; they are reached through untyped aliases.
_INCHI: Any = Chem
_DESCRIPTORS: Any = Descriptors


@dataclass(frozen=True, slots=True)
class Structure:
    smiles: str
    inchi: str
    inchikey: str
    formula: str
    monoisotopic_mass: float
    average_mass: float


def standardisation_method(*, canonical_tautomer: bool = False) -> str:
    """A label naming the RDKit version and steps, to tell structures computed differently apart."""
    steps = "cleanup, largest fragment, uncharge" + (", canonical tautomer" if canonical_tautomer else "")
    return f"rdkit {rdBase.rdkitVersion}: {steps}"


def standardise(smiles: str, *, canonical_tautomer: bool = False) -> Structure:
    """The identifiers of the parent compound of ``smiles``, or ``BadInput`` naming a SMILES RDKit cannot read."""
    text = smiles.strip()
    with _quiet_rdkit():
        molecule = Chem.MolFromSmiles(text) if text else None
        if molecule is None or molecule.GetNumAtoms() == 0:
            raise BadInput(f"{smiles!r} is not a valid SMILES string", [{"value": smiles, "reason": "unparseable"}])
        parent = _parent(molecule, canonical_tautomer=canonical_tautomer)
        inchi: str = _INCHI.MolToInchi(parent)
        if not inchi:
            raise BadInput(f"no InChI can be computed for SMILES {smiles!r}", [{"value": smiles, "reason": "no-inchi"}])
        return Structure(
            smiles=Chem.MolToSmiles(parent),
            inchi=inchi,
            inchikey=str(_INCHI.InchiToInchiKey(inchi)),
            formula=rdMolDescriptors.CalcMolFormula(parent),
            monoisotopic_mass=round(float(_DESCRIPTORS.ExactMolWt(parent)), MASS_DECIMALS),
            average_mass=round(float(_DESCRIPTORS.MolWt(parent)), MASS_DECIMALS),
        )


def _parent(molecule: Any, *, canonical_tautomer: bool) -> Any:
    tools = _tools()
    parent = Chem.RemoveHs(molecule)
    parent = tools.metals.Disconnect(parent)
    parent = tools.normalizer.normalize(parent)
    parent = tools.reionizer.reionize(parent)
    parent = tools.fragments.choose(parent)
    parent = tools.uncharger.uncharge(parent)
    if canonical_tautomer:
        parent = tools.tautomers.Canonicalize(parent)
    return parent


@dataclass(frozen=True, slots=True)
class _Tools:
    metals: Any
    normalizer: Any
    reionizer: Any
    fragments: Any
    uncharger: Any
    tautomers: Any


@cache
def _tools() -> _Tools:
    # Built once: a Normalizer reads its transformation list on construction, which is most of Cleanup's cost.
    return _Tools(
        metals=rdMolStandardize.MetalDisconnector(),
        normalizer=rdMolStandardize.Normalizer(),
        reionizer=rdMolStandardize.Reionizer(),
        fragments=rdMolStandardize.LargestFragmentChooser(),
        uncharger=rdMolStandardize.Uncharger(canonicalOrder=True),
        tautomers=rdMolStandardize.TautomerEnumerator(),
    )


@contextmanager
def _quiet_rdkit() -> Iterator[None]:
    """RDKit reports parse errors and InChI warnings on stderr; the caller gets a ``BadInput`` instead."""
    blocker = rdBase.BlockLogs()
    try:
        yield
    finally:
        del blocker
