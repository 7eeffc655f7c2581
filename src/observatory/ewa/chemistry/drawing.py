"""SVG drawings of a structure with part of it highlighted (a generic definition's core, a search pattern)."""

from collections.abc import Collection
from typing import Any

from rdkit.Chem.Draw import rdMolDraw2D

from observatory.ewa.chemistry.molecule import quiet_rdkit

MAX_DRAWN_ATOMS = 250


def highlighted_svg(molecule: Any, atoms: Collection[int], width: int = 450, height: int = 350) -> str | None:
    """The molecule drawn with ``atoms`` and the bonds between them highlighted, or ``None`` for a molecule of
    more than :data:`MAX_DRAWN_ATOMS` atoms, too large to draw legibly (or quickly)."""
    if molecule.GetNumAtoms() > MAX_DRAWN_ATOMS:
        return None
    marked = set(atoms)
    bonds = [
        bond.GetIdx()
        for bond in molecule.GetBonds()
        if bond.GetBeginAtomIdx() in marked and bond.GetEndAtomIdx() in marked
    ]
    drawer = rdMolDraw2D.MolDraw2DSVG(width, height)
    with quiet_rdkit():
        rdMolDraw2D.PrepareAndDrawMolecule(drawer, molecule, highlightAtoms=sorted(marked), highlightBonds=bonds)
    drawer.FinishDrawing()
    return str(drawer.GetDrawingText())
