"""The approximate vector scan: a projected copy of the vectors, then exact re-ranking, against exact search."""

import numpy as np
from numpy.typing import NDArray

from observatory.policy.search.vector_index import RERANK, VectorIndex, principal_axes


def index_of(matrix: NDArray[np.float32], approximate: bool) -> VectorIndex:
    ids = np.arange(1, len(matrix) + 1, dtype=np.int64)
    kinds = np.array(["strategy", "programme"] * (len(matrix) // 2), dtype=np.str_)
    axes = principal_axes(matrix) if approximate else None
    return VectorIndex(
        "model",
        (len(matrix), len(matrix)),
        ids,
        {int(i): row for row, i in enumerate(ids)},
        kinds,
        matrix,
        {"CAN": np.arange(0, len(matrix), 25, dtype=np.int64)},
        axes,
        None if axes is None else np.ascontiguousarray(matrix @ axes),
    )


def anisotropic(rows: int, seed: int = 7) -> NDArray[np.float32]:
    """Vectors like a text model's: most of their length in a few directions, plus noise."""
    generator = np.random.default_rng(seed)
    signal = generator.normal(size=(rows, 48)) @ generator.normal(size=(48, 384))
    matrix = (signal + 0.3 * generator.normal(size=(rows, 384))).astype(np.float32)
    normalised: NDArray[np.float32] = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    return normalised


def test_the_projected_scan_finds_the_exact_top_ten_and_their_exact_similarities() -> None:
    matrix = anisotropic(6_000)
    approximate, exact = index_of(matrix, True), index_of(matrix, False)
    queries = anisotropic(40, seed=11)
    found = 0
    for query in queries:
        for kind, countries in ((None, ()), ("strategy", ()), (None, ("CAN",))):
            mask = exact.allowed(kind, countries, set())
            truth = exact.nearest(exact.similarities(query), mask, 10, query)
            similarity = approximate.similarities(query)
            near = approximate.nearest(similarity, mask, 10, query)
            found += len(set(near.tolist()) & set(truth.tolist()))
            assert np.allclose(similarity[near], matrix[near] @ query, atol=1e-5)
    assert found / (len(queries) * 3 * 10) >= 0.95


def test_refine_makes_asked_rows_exact_and_filters_hold() -> None:
    matrix = anisotropic(2 * RERANK)
    index = index_of(matrix, True)
    query = matrix[3]
    similarity = index.similarities(query)
    rows = np.array([3, 5, 8], dtype=np.int64)
    index.refine(similarity, query, rows)
    assert np.allclose(similarity[rows], matrix[rows] @ query, atol=1e-5)
    near = index.nearest(similarity, index.allowed("programme", ("CAN",), {4}), 5, query)
    assert len(near) == 5 and set(near.tolist()) <= set(range(0, len(matrix), 25))
    assert all(index.kinds[near] == "programme")
