"""The structure-search benchmark on a small generated set: its records and that the three engines agree."""

from pathlib import Path

import numpy as np
import pytest
from rdkit import DataStructs
from rich.console import Console

from observatory.bench import similarity_search as bench
from observatory.ewa.chemistry.fingerprints import WORDS
from observatory.ewa.chemistry.library import structure_library
from observatory.ewa.chemistry.popcount_index import PopcountIndex


def test_the_benchmark_returns_a_record_per_search(tmp_path: Path) -> None:
    results = bench.run(tmp_path, 2_000, 1, Console(quiet=True))
    assert [r.name for r in results] == [
        "similarity_search.top_10",
        "similarity_search.full_scan",
        "similarity_search.substructure_registry",
    ]
    for result in results:
        record = result.as_json()
        assert record["ours_s"] > 0 and record["limit_s"] > 0 and record["peer_s"] > 0
        assert record["ours_s"] < 0.1, "a search on 2,000 fingerprints or the registry takes well under 100 ms"
    assert (tmp_path / "similarity-fingerprints-v1-2000.npy").exists()


def test_the_fingerprints_are_deterministic_and_cached(tmp_path: Path) -> None:
    path = tmp_path / "f.npy"
    first = bench.cached_fingerprints(path, 3_000)
    assert first.shape == (3_000, WORDS)
    assert np.array_equal(first, bench.enumerated_fingerprints(3_000))
    assert np.array_equal(bench.cached_fingerprints(path, 3_000), first)
    assert len({row.tobytes() for row in first}) > 2_900, "the substituted structures are nearly all distinct"


def test_ours_and_raw_rdkit_find_the_same_top_ten(tmp_path: Path) -> None:
    words = bench.cached_fingerprints(tmp_path / "f.npy", 3_000)
    vectors = [bench._vector(row) for row in words]
    index = PopcountIndex.build(words)
    queries = [structure_library().index.words[row] for row in (0, 100, 500)]
    ours = bench._ours_top(index, queries)
    theirs = bench._rdkit_top(vectors, queries)
    assert isinstance(ours, list) and isinstance(theirs, list)
    for query, mine, raw in zip(queries, ours, theirs, strict=True):
        rdkit_scores = DataStructs.BulkTanimotoSimilarity(bench._vector(query), [vectors[int(row)] for row in raw])
        assert len(mine) == len(raw) == bench.TOP
        # the same scores in the same order (rows may differ only between equal scores)
        assert [score for _, score in mine] == pytest.approx(list(rdkit_scores), abs=1e-6)
