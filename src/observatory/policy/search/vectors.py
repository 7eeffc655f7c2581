"""The stored embeddings: one per searchable document, made from its passage (title and the opening of its body)
by the search model, and kept in ``policy_search_vector`` with the model's name and the SHA-256 of the passage.

``index.put`` drops a document's vector when its passage changes; ``embed_pending`` embeds every document
without a vector of the current model. Vectors of the shipped records come from ``search_vectors.npz`` (made by
``write_shipped_vectors`` with the shipped model) when model and passage digest match: embedding the 283 seeded
records takes minutes on two cores, reading them milliseconds.
"""

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from sqlalchemy import ColumnElement, Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from observatory.policy import vocabulary
from observatory.policy.search.embedder import Embedder, ModelUnavailable, Vectors, load_embedder
from observatory.policy.search.vector_index import changed
from observatory.store.engine import transaction
from observatory.store.policy_schema import SearchDocument, SearchVector

SHIPPED_VECTORS = vocabulary.POLICY_DATA / "search_vectors.npz"
#: How much of a document the model reads: its title and the opening of its body. Longer passages cost
#: embedding time in proportion and gained little on the labelled queries (docs/search-models.md). [U]
PASSAGE_CHARACTERS = 500
BATCH = 16


@dataclass(frozen=True, slots=True)
class Pending:
    document_id: int
    passage: str
    digest: str


def passage(title: str, body: str) -> str:
    return f"{title}. {body}"[:PASSAGE_CHARACTERS]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def drop_if_changed(session: Session, document: SearchDocument) -> None:
    """Forget the vector of ``document`` when its passage is no longer the one it was made from."""
    session.execute(
        delete(SearchVector).where(
            SearchVector.document_id == document.id,
            SearchVector.digest != digest(passage(document.title, document.body)),
        )
    )


def pending(engine: Engine, model: str) -> list[Pending]:
    """Documents without a vector of ``model``, oldest first."""
    return _passages(engine, (SearchVector.id.is_(None)) | (SearchVector.model != model))


def _passages(engine: Engine, condition: ColumnElement[bool] | None = None) -> list[Pending]:
    query = (
        select(SearchDocument.id, SearchDocument.title, SearchDocument.body)
        .outerjoin(SearchVector, SearchVector.document_id == SearchDocument.id)
        .order_by(SearchDocument.id)
    )
    with transaction(engine) as session:
        rows = session.execute(query if condition is None else query.where(condition)).all()
    return [Pending(row.id, text, digest(text)) for row in rows for text in [passage(row.title, row.body)]]


def embed_with(engine: Engine, model: str) -> int:
    """Embed every document without a vector of the model called ``model``; 0 when that model is unavailable."""
    try:
        embedder = load_embedder(model)
    except ModelUnavailable:
        return 0
    return embed_pending(engine, embedder)


def embed_pending(engine: Engine, embedder: Embedder, limit: int | None = None) -> int:
    """Embed documents without a vector of ``embedder`` (at most ``limit``); how many were stored.

    The model runs outside any transaction; a document whose passage changed meanwhile is left for next time.
    """
    todo = pending(engine, embedder.name)[:limit]
    if not todo:
        return 0
    vectors = _vectors(embedder, todo)
    with transaction(engine) as session:
        current = {
            row.id: digest(passage(row.title, row.body))
            for row in session.execute(
                select(SearchDocument.id, SearchDocument.title, SearchDocument.body).where(
                    SearchDocument.id.in_([item.document_id for item in todo])
                )
            )
        }
        fresh = [
            (item, vector)
            for item, vector in zip(todo, vectors, strict=True)
            if current.get(item.document_id) == item.digest
        ]
        session.execute(
            delete(SearchVector).where(
                SearchVector.document_id.in_([item.document_id for item, _ in fresh]),
                SearchVector.model != embedder.name,
            )
        )
        rows = [
            {"document_id": item.document_id, "model": embedder.name, "digest": item.digest, "vector": vector.tobytes()}
            for item, vector in fresh
        ]
        if rows:
            insert = postgresql.insert if session.connection().dialect.name == "postgresql" else sqlite.insert
            session.execute(insert(SearchVector).values(rows).on_conflict_do_nothing(index_elements=["document_id"]))
    changed()
    return len(fresh)


def _vectors(embedder: Embedder, todo: list[Pending]) -> Vectors:
    known = shipped_vectors()
    usable = known if known is not None and known.model == embedder.name else None
    out = np.empty((len(todo), embedder.dimensions), dtype=np.float32)
    missing: list[int] = []
    for position, item in enumerate(todo):
        row = usable.rows.get(item.digest) if usable is not None else None
        if usable is None or row is None:
            missing.append(position)
        else:
            out[position] = usable.vectors[row]
    for start in range(0, len(missing), BATCH):
        chunk = missing[start : start + BATCH]
        out[chunk] = embedder.passages([todo[position].passage for position in chunk])
    return out


@dataclass(frozen=True, slots=True)
class ShippedVectors:
    model: str
    #: Passage digest → row of ``vectors``.
    rows: dict[str, int]
    vectors: Vectors


@cache
def shipped_vectors(path: Path = SHIPPED_VECTORS) -> ShippedVectors | None:
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        digests = [str(value) for value in data["digests"]]
        return ShippedVectors(
            str(data["model"]), {d: i for i, d in enumerate(digests)}, data["vectors"].astype(np.float32)
        )


def write_shipped_vectors(engine: Engine, embedder: Embedder, path: Path = SHIPPED_VECTORS) -> int:
    """Embed every document of ``engine`` (a store with the shipped records loaded) into ``path``."""
    todo = _passages(engine)
    vectors = np.concatenate(
        [
            embedder.passages([item.passage for item in todo[start : start + BATCH]])
            for start in range(0, len(todo), BATCH)
        ]
    )
    digests = np.array([item.digest for item in todo])
    np.savez_compressed(path, model=np.array(embedder.name), digests=digests, vectors=vectors)
    shipped_vectors.cache_clear()
    return len(todo)
