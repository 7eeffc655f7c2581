"""Query-time vector work stays on the calling thread: the matrix-vector product without BLAS threads, and the
model's query on one OpenMP thread while batches of passages keep all of them (issue 18, search latency)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.policy.search.e5 import QUERY_THREADS, E5Small
from observatory.policy.search.embedder import DEFAULT_MODEL, load_embedder
from observatory.policy.search.vector_index import product


@settings(max_examples=30, deadline=None)
@given(rows=st.integers(0, 300), dimensions=st.integers(1, 64), seed=st.integers(0, 2**32 - 1))
def test_product_is_the_matrix_vector_product(rows: int, dimensions: int, seed: int) -> None:
    generator = np.random.default_rng(seed)
    matrix = generator.standard_normal((rows, dimensions)).astype(np.float32)
    vector = generator.standard_normal(dimensions).astype(np.float32)
    found = product(matrix, vector)
    assert found.dtype == np.float32
    assert found.shape == (rows,)
    np.testing.assert_allclose(found, matrix @ vector, rtol=1e-4, atol=1e-4)


def test_product_of_a_transposed_view() -> None:
    axes = np.random.default_rng(1).standard_normal((384, 128)).astype(np.float32)
    vector = np.random.default_rng(2).standard_normal(384).astype(np.float32)
    np.testing.assert_allclose(product(axes.T, vector), vector @ axes, rtol=1e-4, atol=1e-4)


def test_queries_use_one_thread_and_passages_all() -> None:
    embedder = load_embedder(DEFAULT_MODEL)
    assert isinstance(embedder, E5Small)
    assert QUERY_THREADS == 1
    assert embedder._threads >= 1  # the engine's own default, read when it loaded
    before = embedder.query("programme for Indigenous teenagers sniffing glue")
    passages = embedder.passages(["a national strategy against drugs", "a prevention programme in schools"])
    after = embedder.query("programme for Indigenous teenagers sniffing glue")
    # The thread count changes how the work is split, not the vectors.
    np.testing.assert_allclose(before, after, atol=1e-6)
    np.testing.assert_allclose(
        passages[0], embedder.passages(["a national strategy against drugs"])[0], rtol=1e-3, atol=1e-3
    )
