"""Exact cosine search over the stored vectors, held in memory as one normalised float32 matrix per store and
model, reloaded when the vectors change (their count or largest id, which only grows).

At 100,000 documents × 384 dimensions the matrix is 150 MB and one query is one matrix-vector product.
"""

import threading
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Engine, text

from observatory.policy.search.embedder import Vectors

_LOCK = threading.Lock()
_INDEXES: dict[tuple[str, str], "VectorIndex"] = {}


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

    @property
    def size(self) -> int:
        return len(self.document_ids)

    def similarities(self, query: Vectors) -> NDArray[np.float32]:
        similarity: NDArray[np.float32] = self.matrix @ query
        return similarity

    def allowed(self, kind: str | None, country: str | None, excluded: set[int]) -> NDArray[np.bool_]:
        mask = np.ones(self.size, dtype=bool) if kind is None else self.kinds == kind
        if country is not None:
            in_country = np.zeros(self.size, dtype=bool)
            in_country[self.by_country.get(country, np.zeros(0, dtype=np.int64))] = True
            mask &= in_country
        if excluded:
            mask &= ~np.isin(self.document_ids, np.fromiter(excluded, dtype=np.int64, count=len(excluded)))
        return mask

    def nearest(self, similarity: NDArray[np.float32], mask: NDArray[np.bool_], top: int) -> NDArray[np.int64]:
        """Rows of the ``top`` most similar allowed documents, best first."""
        rows = np.flatnonzero(mask)
        if len(rows) > top:
            rows = rows[np.argpartition(-similarity[rows], top - 1)[:top]]
        ordered: NDArray[np.int64] = rows[np.argsort(-similarity[rows], kind="stable")]
        return ordered


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
    return VectorIndex(
        model,
        version,
        ids,
        position,
        np.array([row[1] for row in rows], dtype=np.str_),
        matrix,
        {iso3: np.array(found, dtype=np.int64) for iso3, found in by_country.items()},
    )
