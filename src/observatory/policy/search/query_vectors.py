"""Query vectors made while full text runs, and remembered for repeated queries.

``background`` runs the embedding and the cosine scan in a worker thread (the model's C engine and numpy's
matrix product run outside Python's lock) while ``find`` ranks by words; ``vector`` keeps the last ``CACHED``
(model, text) pairs, so a query asked again, paged, or refined by a filter costs no embedding.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from observatory.policy.search.embedder import Embedder, Vectors

CACHED = 4096
WORKERS = 2
_T = TypeVar("_T")
_LOCK = threading.Lock()
_CACHE: OrderedDict[tuple[str, str], Vectors] = OrderedDict()
_POOL: list[ThreadPoolExecutor] = []


def vector(embedder: Embedder, text: str) -> Vectors:
    """The vector of the query ``text``, made once per (model, text) while it stays among the ``CACHED``."""
    key = (embedder.name, text)
    with _LOCK:
        known = _CACHE.get(key)
        if known is not None:
            _CACHE.move_to_end(key)
            return known
    made = embedder.query(text)
    made.setflags(write=False)
    with _LOCK:
        _CACHE[key] = made
        while len(_CACHE) > CACHED:
            _CACHE.popitem(last=False)
    return made


def background(work: Callable[[], _T]) -> "Future[_T]":
    """``work`` running in a worker thread."""
    return _pool().submit(work)


def _pool() -> ThreadPoolExecutor:
    """The workers, made on first use (nothing is built at import time)."""
    with _LOCK:
        if not _POOL:
            _POOL.append(ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="query-embedding"))
        return _POOL[0]


def forget() -> None:
    """Empty the cache (tests, and a model changed in place)."""
    with _LOCK:
        _CACHE.clear()
