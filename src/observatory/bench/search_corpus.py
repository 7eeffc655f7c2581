"""A large search corpus recombined from the real seeded records, for ``search_latency``.

Document ``i`` takes its kind, title and the opening of its body from seeded record ``i mod n`` and a further
stretch of text from record ``(i × 7919) mod n``; its countries are its first record's, or one of the 50 strategy
countries for records of none, so country filters select realistic shares. Its vector is the normalised mix
``0.7 a + 0.3 b`` of the two records' real vectors (the model would take ~1 s per document on two cores here,
28 hours for 100,000), stored with the digest of its passage so that search takes it as current.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine, insert, select

from observatory.policy.search import index, vector_index
from observatory.policy.search.documents import Document, Kind
from observatory.policy.search.vectors import digest, passage
from observatory.store.engine import transaction
from observatory.store.policy_schema import SearchCountry, SearchDocument, SearchVector

OPENING = 800
EXTRA = 400
STRIDE = 7919
MIX = 0.7
BATCH = 1_000


@dataclass(frozen=True, slots=True)
class Source:
    document: Document
    vector: np.ndarray


def seeded_sources(engine: Engine, model: str) -> list[Source]:
    """The seeded documents with their vectors of ``model``."""
    with transaction(engine) as session:
        rows = session.execute(
            select(SearchDocument, SearchVector.vector)
            .join(SearchVector, SearchVector.document_id == SearchDocument.id)
            .where(SearchVector.model == model)
            .order_by(SearchDocument.id)
        ).all()
        countries: dict[int, list[str]] = {}
        for document_id, iso3 in session.execute(select(SearchCountry.document_id, SearchCountry.iso3)):
            countries.setdefault(document_id, []).append(iso3)
        return [
            Source(
                Document(Kind(row.kind), row.ref_id, row.title, row.body, tuple(countries.get(row.id, ()))),
                np.frombuffer(vector, dtype=np.float32),
            )
            for row, vector in rows
        ]


def generated(sources: list[Source], count: int) -> Iterator[tuple[Document, np.ndarray]]:
    strategy_countries = sorted({c for s in sources if s.document.kind is Kind.STRATEGY for c in s.document.countries})
    for i in range(count):
        first, second = sources[i % len(sources)], sources[(i * STRIDE) % len(sources)]
        countries = first.document.countries or (strategy_countries[i % len(strategy_countries)],)
        body = f"{first.document.body[:OPENING]} {second.document.body[OPENING : OPENING + EXTRA]}".strip()
        document = Document(first.document.kind, f"gen-{i}", first.document.title, body, countries)
        vector = MIX * first.vector + (1 - MIX) * second.vector
        yield document, (vector / np.linalg.norm(vector)).astype(np.float32)


def index_documents(engine: Engine, documents: list[Document]) -> None:
    """Put ``documents`` in the search index (rows and full text), a thousand per transaction."""
    for start in range(0, len(documents), BATCH):
        with transaction(engine) as session:
            index.put(session, documents[start : start + BATCH])


def store_vectors(engine: Engine, model: str, vectors: dict[str, np.ndarray]) -> None:
    """Store the vectors of generated documents (``ref_id`` → vector) as current vectors of ``model``."""
    with transaction(engine) as session:
        documents = session.execute(
            select(SearchDocument.id, SearchDocument.ref_id, SearchDocument.title, SearchDocument.body).where(
                SearchDocument.ref_id.like("gen-%")
            )
        ).all()
        rows = [
            {
                "document_id": row.id,
                "model": model,
                "digest": digest(passage(row.title, row.body)),
                "vector": vectors[row.ref_id].tobytes(),
            }
            for row in documents
        ]
        for start in range(0, len(rows), BATCH):
            session.execute(insert(SearchVector), rows[start : start + BATCH])
    vector_index.changed()
