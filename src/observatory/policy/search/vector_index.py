"""Cosine search over the stored vectors, held in memory as one normalised float32 matrix per store and model,
reloaded when the vectors change (their count or largest id, which only grows).

At 100,000 documents × 384 dimensions the matrix is 150 MB, and reading it for one matrix-vector product takes
15-40 ms on two busy cores. From ``APPROXIMATE_FROM`` vectors on, a query first scans a copy projected on the
``REDUCED`` principal axes of the vectors (a quarter of the bytes), then ranks the ``RERANK`` best of the
allowed rows, and any row asked for by ``refine``, by their exact cosine. Below, search is exact. The benchmark
reports the recall@10 of this search against the exact one (``search_latency``).
"""

import threading
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Engine, text

from observatory.policy.search.embedder import Vectors

APPROXIMATE_FROM = 20_000
REDUCED = 128
#: Rows ranked exactly after the projected scan, at least; ten times the rows asked for if more. [U]
RERANK = 1_000
#: Allowed rows at most that a filtered query scans exactly instead of the projected matrix. [U]
EXACT_WITHIN = 20_000
#: Rows the principal axes are computed from.
SAMPLE = 10_000
#: Seconds after which the counts are read again though no id moved (another process removed documents).
STATE_FRESH_S = 30.0
_LOCK = threading.Lock()
_INDEXES: dict[tuple[str, str], "VectorIndex"] = {}
_GENERATION = [0]
_STATES: dict[str, tuple[int, tuple[int, ...], float, "StoreState"]] = {}


@dataclass(frozen=True, slots=True)
class StoreState:
    documents: int
    vectors: int
    newest: int


@dataclass(frozen=True, slots=True)
class VectorIndex:
    model: str
    #: The vectors' count and largest id when loaded.
    version: tuple[int, int]
    document_ids: NDArray[np.int64]
    #: Document id → row.
    rows: dict[int, int]
    kinds: NDArray[np.str_]
    matrix: Vectors
    #: ISO3 → rows of documents concerning that country.
    by_country: dict[str, NDArray[np.int64]]
    #: The principal axes (dimensions × ``REDUCED``) and the matrix projected on them; ``None`` when exact.
    axes: Vectors | None = None
    reduced: Vectors | None = None

    @property
    def size(self) -> int:
        return len(self.document_ids)

    def similarities(self, query: Vectors, mask: NDArray[np.bool_] | None = None) -> NDArray[np.float32]:
        """The cosine of ``query`` with every row: exact, or approximate until ``nearest`` and ``refine``. With a
        ``mask`` of at most ``EXACT_WITHIN`` rows, only those: exact, the others -1 (a filter's few thousand
        rows cost less than the projected scan of all)."""
        if mask is not None and self.axes is not None:
            rows = np.flatnonzero(mask)
            if len(rows) <= EXACT_WITHIN:
                some = np.full(self.size, -1.0, dtype=np.float32)
                some[rows] = product(self.matrix[rows], query)
                return some
        if self.axes is None or self.reduced is None:
            return product(self.matrix, query)
        return product(self.reduced, product(self.axes.T, query))

    def refine(self, similarity: NDArray[np.float32], query: Vectors, rows: NDArray[np.int64]) -> None:
        """Make ``similarity`` exact at ``rows``."""
        if self.axes is not None and len(rows):
            similarity[rows] = product(self.matrix[rows], query)

    def allowed(self, kind: str | None, countries: tuple[str, ...], excluded: set[int]) -> NDArray[np.bool_]:
        """Rows of the documents of ``kind`` (any if ``None``) concerning one of ``countries`` (any if none),
        less ``excluded`` document ids."""
        mask = np.ones(self.size, dtype=bool) if kind is None else self.kinds == kind
        if countries:
            in_country = np.zeros(self.size, dtype=bool)
            for country in countries:
                in_country[self.by_country.get(country, np.zeros(0, dtype=np.int64))] = True
            mask &= in_country
        if excluded:
            mask &= ~np.isin(self.document_ids, np.fromiter(excluded, dtype=np.int64, count=len(excluded)))
        return mask

    def nearest(
        self, similarity: NDArray[np.float32], mask: NDArray[np.bool_], top: int, query: Vectors
    ) -> NDArray[np.int64]:
        """Rows of the ``top`` most similar allowed documents, best first (their similarity made exact)."""
        rows = np.flatnonzero(mask)
        if self.axes is not None:
            rows = _best(rows, similarity, max(RERANK, 10 * top))
            self.refine(similarity, query, rows)
        rows = _best(rows, similarity, top)
        ordered: NDArray[np.int64] = rows[np.argsort(-similarity[rows], kind="stable")]
        return ordered


def product(matrix: Vectors, vector: Vectors) -> NDArray[np.float32]:
    """``matrix @ vector`` on the calling thread. numpy's ``@`` hands a large matrix-vector product to
    OpenBLAS's threads, which then spin for a while after it, waiting for more work: on two shared cores they
    took the core the model and full text needed (100,000 × 128: 11 ms of wall time and 7 ms of CPU with the
    threads, 1.9 ms in one; per query, 56 → 33 ms of CPU). ``einsum`` does not use BLAS."""
    result: NDArray[np.float32] = np.einsum("ij,j->i", matrix, vector)
    return result


def _best(rows: NDArray[np.int64], similarity: NDArray[np.float32], top: int) -> NDArray[np.int64]:
    if len(rows) <= top:
        return rows
    best: NDArray[np.int64] = rows[np.argpartition(-similarity[rows], top - 1)[:top]]
    return best


def principal_axes(matrix: Vectors, dimensions: int = REDUCED) -> Vectors:
    """The ``dimensions`` directions that keep most of the rows' dot products (uncentred principal components of
    an evenly spaced sample of ``SAMPLE`` rows), as columns."""
    sample = matrix[:: max(1, len(matrix) // SAMPLE)]
    values, vectors = np.linalg.eigh(sample.T @ sample)
    axes: Vectors = np.ascontiguousarray(vectors[:, np.argsort(values)[::-1][:dimensions]], dtype=np.float32)
    return axes


def current_state(engine: Engine) -> StoreState:
    """``store_state``, counted again only when this process changed the documents or vectors (``changed``), when
    the largest document or vector id moved, or after ``STATE_FRESH_S`` seconds (another process may have
    replaced a vector): the counts read every row, the largest ids one each."""
    key = engine.url.render_as_string(hide_password=True)
    with engine.connect() as connection:
        newest = tuple(
            connection.execute(
                text(
                    "SELECT (SELECT coalesce(max(id), 0) FROM policy_search_document), "
                    "(SELECT coalesce(max(id), 0) FROM policy_search_vector)"
                )
            ).one()
        )
        now = time.monotonic()
        with _LOCK:
            known = _STATES.get(key)
            generation = _GENERATION[0]
        if known is not None and known[:2] == (generation, newest) and now - known[2] < STATE_FRESH_S:
            return known[3]
        state = store_state(connection)
    with _LOCK:
        _STATES[key] = (generation, newest, now, state)
    return state


def generation() -> int:
    """How many times this process wrote documents or vectors (``changed``)."""
    with _LOCK:
        return _GENERATION[0]


def changed() -> None:
    """Documents or vectors were written by this process: count them again before the next search."""
    with _LOCK:
        _GENERATION[0] += 1


def store_state(connection: Connection) -> StoreState:
    row = connection.execute(
        text(
            "SELECT (SELECT count(*) FROM policy_search_document), (SELECT count(*) FROM policy_search_vector), "
            "(SELECT coalesce(max(id), 0) FROM policy_search_vector)"
        )
    ).one()
    return StoreState(int(row[0]), int(row[1]), int(row[2]))


def vector_index(engine: Engine, model: str, dimensions: int, state: StoreState) -> VectorIndex:
    """The index of ``model``'s vectors in ``engine``, loaded again if ``state`` shows they changed."""
    key = (engine.url.render_as_string(hide_password=True), model)
    index = _INDEXES.get(key)
    if index is not None and index.version == (state.vectors, state.newest):
        return index
    with _LOCK, engine.connect() as connection:
        index = _load(connection, model, dimensions, (state.vectors, state.newest))
    _INDEXES[key] = index
    return index


def _load(connection: Connection, model: str, dimensions: int, version: tuple[int, int]) -> VectorIndex:
    rows = connection.execute(
        text(
            "SELECT d.id, d.kind, v.vector FROM policy_search_vector v "
            "JOIN policy_search_document d ON d.id = v.document_id WHERE v.model = :model ORDER BY d.id"
        ),
        {"model": model},
    ).all()
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    matrix = np.frombuffer(b"".join(bytes(row[2]) for row in rows), dtype=np.float32).reshape(len(rows), dimensions)
    position = {document_id: row for row, document_id in enumerate(ids.tolist())}
    by_country: dict[str, list[int]] = {}
    for document_id, iso3 in connection.execute(text("SELECT document_id, iso3 FROM policy_search_country")):
        if document_id in position:
            by_country.setdefault(iso3, []).append(position[document_id])
    axes = principal_axes(matrix) if len(ids) >= APPROXIMATE_FROM else None
    return VectorIndex(
        model,
        version,
        ids,
        position,
        np.array([row[1] for row in rows], dtype=np.str_),
        matrix,
        {iso3: np.array(found, dtype=np.int64) for iso3, found in by_country.items()},
        axes,
        None if axes is None else np.ascontiguousarray(matrix @ axes),
    )
