"""Exact structure search: the registry substances with the query's InChIKey, then those sharing only its
connectivity block (the first 14 characters: the same skeleton as another stereoisomer, isotopologue or
protonation state; salts are already reduced to their parent by standardisation).
"""

import re

from observatory.errors import BadInput
from observatory.ewa.chemistry.fingerprints import Words, morgan_fingerprint
from observatory.ewa.chemistry.hits import MatchKind, StructureHit, hit
from observatory.ewa.chemistry.library import StructureLibrary, structure_library
from observatory.ewa.chemistry.molecule import read_parent

_INCHIKEY = re.compile(r"[A-Z]{14}-[A-Z]{10}-[A-Z]")


def exact_search(query: str, library: StructureLibrary | None = None) -> list[StructureHit]:
    """Identical substances first, then connectivity matches, each group by name. ``query`` is an InChIKey or a
    SMILES string (``BadInput`` when it is neither). A hit's similarity is its Tanimoto similarity to the query
    structure (to the identical substance's for an InChIKey query; ``None`` when there is none)."""
    library = library or structure_library()
    inchikey, fingerprint = _identify(query, library)
    rows = [int(row) for row in library.same_connectivity(inchikey).nonzero()[0]]
    scores = library.index.similarities(fingerprint) if fingerprint is not None else None
    hits = [
        hit(
            library.substances[row],
            MatchKind.IDENTICAL if library.substances[row].inchikey == inchikey else MatchKind.CONNECTIVITY,
            round(float(scores[row]), 3) if scores is not None else None,
        )
        for row in rows
    ]
    return sorted(hits, key=lambda h: (h.match != MatchKind.IDENTICAL, h.name.casefold()))


def _identify(query: str, library: StructureLibrary) -> tuple[str, Words | None]:
    text = query.strip()
    if _INCHIKEY.fullmatch(text.upper()):
        inchikey = text.upper()
        row = library.row_of_inchikey(inchikey)
        return inchikey, library.index.words[row] if row is not None else None
    parent = read_parent(text)
    if parent.inchikey is None:
        raise BadInput(
            "no InChIKey can be computed for this structure", [{"value": text[:80], "reason": "no-inchikey"}]
        )
    return parent.inchikey, morgan_fingerprint(parent.molecule)
