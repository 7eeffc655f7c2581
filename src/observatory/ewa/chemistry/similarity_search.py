"""Similarity search: the registry substances nearest a structure by Tanimoto similarity of Morgan fingerprints
(radius 2, 2,048 bits), over the fingerprint index the structure library keeps in memory."""

from observatory.errors import BadInput
from observatory.ewa.chemistry.fingerprints import morgan_fingerprint
from observatory.ewa.chemistry.hits import MatchKind, StructureHit, hit
from observatory.ewa.chemistry.library import StructureLibrary, structure_library
from observatory.ewa.chemistry.molecule import read_parent

MAX_K = 1_000


def similarity_search(
    smiles: str, k: int = 10, threshold: float = 0.0, library: StructureLibrary | None = None
) -> list[StructureHit]:
    """The ``k`` substances most similar to ``smiles`` with similarity ≥ ``threshold``, most similar first (ties
    by registry order). ``BadInput`` for an invalid structure, ``k`` outside 1–1,000 or a threshold outside 0–1."""
    if not 1 <= k <= MAX_K:
        raise BadInput(f"k must be between 1 and {MAX_K:,}, not {k}", [{"value": k, "parameter": "k"}])
    if not 0.0 <= threshold <= 1.0:
        message = f"threshold must be between 0 and 1, not {threshold}"
        raise BadInput(message, [{"value": threshold, "parameter": "threshold"}])
    library = library or structure_library()
    fingerprint = morgan_fingerprint(read_parent(smiles).molecule)
    found = library.index.top_k(fingerprint, k, threshold)
    return [hit(library.substances[row], MatchKind.SIMILAR, round(score, 3)) for row, score in found]
