"""Structure search over the registry: exact, connectivity, similarity and substructure."""

import numpy as np
import pytest
from rdkit import Chem

from observatory.ewa.chemistry import MatchKind, exact_search, similarity_search, substructure_search
from observatory.ewa.chemistry.library import structure_library

MEPHEDRONE = "CNC(C)C(=O)c1ccc(C)cc1"
MEPHEDRONE_KEY = "YELGFTGWJGBAQU-UHFFFAOYSA-N"


def test_exact_search_by_smiles_and_by_inchikey_find_the_same_substance() -> None:
    by_smiles = exact_search(MEPHEDRONE)
    by_key = exact_search(MEPHEDRONE_KEY)
    assert [h.name for h in by_smiles if h.match == MatchKind.IDENTICAL] == ["Mephedrone"]
    assert [(h.substance_id, h.match, h.similarity) for h in by_key] == [
        (h.substance_id, h.match, h.similarity) for h in by_smiles
    ]


def test_a_salt_is_found_as_its_parent() -> None:
    assert exact_search(MEPHEDRONE + ".Cl")[0].inchikey == MEPHEDRONE_KEY


def test_a_stereoisomer_matches_on_the_connectivity_layer() -> None:
    hits = exact_search("CN[C@@H](C)C(=O)c1ccc(C)cc1")
    assert MEPHEDRONE_KEY in {h.inchikey for h in hits if h.match == MatchKind.CONNECTIVITY}
    assert all(h.inchikey.startswith(MEPHEDRONE_KEY[:14]) for h in hits)


def test_hits_carry_the_control_status() -> None:
    (mephedrone,) = [h for h in exact_search(MEPHEDRONE) if h.match == MatchKind.IDENTICAL]
    assert mephedrone.controlled
    assert "1971 Convention Schedule II" in mephedrone.control_status
    assert "US CSA Schedule I" in mephedrone.control_status


def test_similarity_search_ranks_by_tanimoto_and_puts_the_substance_itself_first() -> None:
    hits = similarity_search(MEPHEDRONE, k=10)
    assert len(hits) == 10
    assert (hits[0].name, hits[0].similarity) == ("Mephedrone", 1.0)
    scores = [h.similarity or 0.0 for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(h.match == MatchKind.SIMILAR for h in hits)


@pytest.mark.parametrize("threshold", [0.3, 0.6, 0.9])
def test_similarity_search_keeps_only_hits_above_the_threshold(threshold: float) -> None:
    hits = similarity_search(MEPHEDRONE, k=1_000, threshold=threshold)
    scores = [h.similarity or 0.0 for h in hits]
    assert scores and min(scores) >= threshold
    library = structure_library()
    query = library.index.words[library.row(MEPHEDRONE_KEY)]
    expected = int((library.index.similarities(query) >= threshold).sum())
    assert len(hits) == expected


def test_similarity_scores_agree_with_rdkit() -> None:
    from rdkit import DataStructs
    from rdkit.Chem import rdFingerprintGenerator

    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
    query = generator.GetFingerprint(Chem.MolFromSmiles(MEPHEDRONE))
    for hit in similarity_search(MEPHEDRONE, k=20):
        other = generator.GetFingerprint(Chem.MolFromSmiles(hit.smiles))
        assert hit.similarity == pytest.approx(DataStructs.TanimotoSimilarity(query, other), abs=1e-3)


@pytest.mark.parametrize(
    "smarts",
    [
        "c1ccccc1",
        "[NX3]-[CX4]-[CX4]-c1c[nX3]c2ccccc12",
        "O=C-c1cn(CCCCCF)c2ccccc12",
        "[$(C(=O)O),$(C(=O)N)]-c1cn(-[CX4])c2ccccc12",
        "[#7;R]1~[#6;R]~[#6;R]~[#7;R]~[#6;R]~[#6;R2]~[#6;R2]~1",
        "[Br,I]c",
    ],
)
def test_substructure_search_finds_exactly_what_a_full_scan_finds(smarts: str) -> None:
    library = structure_library()
    query = Chem.MolFromSmarts(smarts)
    expected = [s.id for s, m in zip(library.substances, library.molecules, strict=True) if m.HasSubstructMatch(query)]
    result = substructure_search(smarts, max_hits=5_000)
    assert [h.substance_id for h in result.hits] == expected
    assert not result.truncated
    for hit in result.hits[:20]:
        molecule = Chem.MolFromSmiles(hit.smiles)
        assert set(hit.atoms) <= set(range(molecule.GetNumAtoms())) and len(hit.atoms) == query.GetNumAtoms()


def test_substructure_hits_are_capped() -> None:
    result = substructure_search("c1ccccc1", max_hits=25)
    assert len(result.hits) == 25
    assert result.truncated


def test_the_fingerprint_index_orders_ties_by_row() -> None:
    from observatory.ewa.chemistry.fingerprints import FingerprintIndex

    words = np.zeros((5, 32), dtype=np.uint64)
    words[:, 0] = [0b1, 0b11, 0b1, 0b111, 0b1]
    index = FingerprintIndex.build(words)
    assert index.top_k(words[0], 3) == [(0, 1.0), (2, 1.0), (4, 1.0)]
    assert index.top_k(words[0], 5, threshold=0.5) == [(0, 1.0), (2, 1.0), (4, 1.0), (1, 0.5)]
