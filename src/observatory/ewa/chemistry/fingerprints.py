"""Morgan fingerprints (radius 2, 2,048 bits) packed into 32 unsigned 64-bit words, and a Tanimoto index.

The packing is RDKit's own binary layout (bit ``i`` is bit ``i % 8`` of byte ``i // 8``), so a row converts to
an ``ExplicitBitVect`` with ``DataStructs.CreateFromBinaryText(row.tobytes())`` and back.

:class:`FingerprintIndex` keeps the words in one array and scores a query against every row with a
vectorised popcount: Tanimoto = |A∧B| / (|A| + |B| − |A∧B|), in blocks that fit the CPU cache.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
from rdkit import DataStructs
from rdkit.Chem import rdFingerprintGenerator

RADIUS = 2
BITS = 2048
WORDS = BITS // 64
_BLOCK_ROWS = 16_384

Words = npt.NDArray[np.uint64]


@cache
def _generator() -> Any:
    return rdFingerprintGenerator.GetMorganGenerator(radius=RADIUS, fpSize=BITS)


def morgan_fingerprint(molecule: Any) -> Words:
    """One molecule's fingerprint as ``WORDS`` words."""
    bits = _generator().GetFingerprintAsNumPy(molecule).astype(bool)
    return np.packbits(bits, bitorder="little").view(np.uint64)


def morgan_fingerprints(molecules: Sequence[Any], threads: int = 0) -> Words:
    """The fingerprints of ``molecules`` as an ``(n, WORDS)`` array, computed on ``threads`` (0: all cores)."""
    vectors = _generator().GetFingerprints(list(molecules), numThreads=threads)
    packed = b"".join(DataStructs.BitVectToBinaryText(vector) for vector in vectors)
    return np.frombuffer(packed, dtype=np.uint64).reshape(len(vectors), WORDS).copy()


@dataclass(frozen=True, slots=True)
class FingerprintIndex:
    words: Words = field(repr=False)
    counts: npt.NDArray[np.int32] = field(repr=False)

    @classmethod
    def build(cls, words: Words) -> "FingerprintIndex":
        if words.ndim != 2 or words.shape[1] != WORDS or words.dtype != np.uint64:
            raise ValueError(f"expected an (n, {WORDS}) uint64 array, got {words.shape} {words.dtype}")
        words = np.ascontiguousarray(words)
        return cls(words, np.bitwise_count(words).sum(axis=1, dtype=np.int32))

    def __len__(self) -> int:
        return int(self.words.shape[0])

    def similarities(self, query: Words) -> npt.NDArray[np.float32]:
        """The Tanimoto similarity of ``query`` to every row (0 for two empty fingerprints)."""
        query_count = int(np.bitwise_count(query).sum())
        scores = np.empty(len(self), dtype=np.float32)
        for start in range(0, len(self), _BLOCK_ROWS):
            block = self.words[start : start + _BLOCK_ROWS]
            shared = np.bitwise_count(block & query).sum(axis=1, dtype=np.int32)
            union = self.counts[start : start + _BLOCK_ROWS] + query_count - shared
            scores[start : start + len(block)] = shared / np.maximum(union, 1)
        return scores

    def top_k(
        self, query: Words, k: int, threshold: float = 0.0, exclude: npt.NDArray[np.bool_] | None = None
    ) -> list[tuple[int, float]]:
        """The ``k`` rows most similar to ``query`` with similarity ≥ ``threshold``, best first (ties: lower row
        first), leaving out the rows ``exclude`` marks."""
        scores = self.similarities(query)
        if exclude is not None:
            scores[exclude] = -1.0
        candidates = np.flatnonzero(scores >= threshold)
        if len(candidates) > k:
            kth_best = -np.partition(-scores[candidates], k - 1)[k - 1]
            candidates = candidates[scores[candidates] >= kth_best]
        order = np.lexsort((candidates, -scores[candidates]))[:k]
        return [(int(row), float(scores[row])) for row in candidates[order]]
