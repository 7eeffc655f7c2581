"""Popcount-sorted search with BitBound pruning answers exactly as the exhaustive scan, ties included."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.ewa.chemistry.fingerprints import WORDS, FingerprintIndex
from observatory.ewa.chemistry.library import structure_library
from observatory.ewa.chemistry.popcount_index import BLOCK_ROWS, THREADED_ROWS, PopcountIndex


def _random_words(rows: int, density: float, seed: int) -> np.ndarray:
    generator = np.random.default_rng(seed)
    bits = generator.random((rows, WORDS * 64)) < density
    return np.packbits(bits, axis=1, bitorder="little").view(np.uint64)


@pytest.fixture(scope="module")
def registry_words() -> np.ndarray:
    return structure_library().index.words


@pytest.mark.parametrize("k", [1, 10, 100])
def test_top_k_over_the_registry_is_the_exhaustive_answer(registry_words: np.ndarray, k: int) -> None:
    full, fast = FingerprintIndex.build(registry_words), PopcountIndex.build(registry_words)
    for row in range(0, len(registry_words), 97):
        query = registry_words[row]
        assert fast.top_k(query, k) == full.top_k(query, k)
        assert fast.top_k(query, k, threshold=0.4) == full.top_k(query, k, threshold=0.4)


def test_ties_are_ranked_by_row_exactly_as_the_scan_ranks_them() -> None:
    base = _random_words(1, 0.02, 1)[0]
    words = np.stack([base] * 30 + list(_random_words(200, 0.02, 2)))  # thirty rows tie at similarity 1
    words[5] = 0  # an empty fingerprint among them
    full, fast = FingerprintIndex.build(words), PopcountIndex.build(words)
    for k in (1, 10, 29, 30, 31, 230):
        assert fast.top_k(base, k) == full.top_k(base, k)
    empty = np.zeros(WORDS, dtype=np.uint64)
    assert fast.top_k(empty, 5) == full.top_k(empty, 5)


def test_exclusions_and_threshold_search(registry_words: np.ndarray) -> None:
    full, fast = FingerprintIndex.build(registry_words), PopcountIndex.build(registry_words)
    exclude = np.zeros(len(registry_words), dtype=bool)
    exclude[::3] = True
    query = registry_words[10]
    assert fast.top_k(query, 10, exclude=exclude) == full.top_k(query, 10, exclude=exclude)
    expected = full.top_k(query, len(registry_words), threshold=0.3)
    assert fast.threshold_search(query, 0.3) == expected and all(score >= 0.3 for _, score in expected)
    with pytest.raises(ValueError, match="threshold"):
        fast.threshold_search(query, 0.0)


def test_large_blocks_are_scored_on_threads_with_the_same_answers() -> None:
    rows = THREADED_ROWS + BLOCK_ROWS + 17
    generator = np.random.default_rng(3)
    bits = np.zeros((rows, WORDS * 64), dtype=bool)
    places = np.argsort(generator.random((rows, 96)), axis=1)[:, :12]
    bits[np.arange(rows)[:, None], places] = True  # twelve bits in every row: one block of them all
    words = np.packbits(bits, axis=1, bitorder="little").view(np.uint64)
    full, fast = FingerprintIndex.build(words), PopcountIndex.build(words)
    assert np.diff(fast.starts).max() >= THREADED_ROWS
    for row in (0, 1234, rows - 1):
        assert fast.top_k(words[row], 10) == full.top_k(words[row], 10)
    assert np.array_equal(np.sort(fast.scores_all(words[7])), np.sort(full.similarities(words[7])))


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=1, max_value=300),
    st.floats(min_value=0.001, max_value=0.2),
    st.integers(min_value=0, max_value=2**31),
    st.integers(min_value=1, max_value=40),
    st.floats(min_value=0.0, max_value=1.0),
)
def test_any_data_any_k_any_threshold(rows: int, density: float, seed: int, k: int, threshold: float) -> None:
    words = _random_words(rows, density, seed)
    words[::4] = words[0]  # duplicates make ties
    full, fast = FingerprintIndex.build(words), PopcountIndex.build(words)
    query = _random_words(1, density, seed + 1)[0] if seed % 2 else words[rows // 2]
    assert fast.top_k(query, k, threshold) == full.top_k(query, k, threshold)
