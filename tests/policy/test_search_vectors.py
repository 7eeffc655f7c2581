"""Stored embeddings follow the documents: a changed document is embedded again, an unchanged one keeps its
vector through a reindex, a removed one loses it; the shipped vectors are the model's own."""

import numpy as np
from sqlalchemy import Engine, select

from observatory.policy.search import Mode, find, index
from observatory.policy.search.documents import Document, Kind
from observatory.policy.search.embedder import DEFAULT_MODEL, load_embedder
from observatory.policy.search.vectors import digest, embed_pending, passage, pending, shipped_vectors
from observatory.store.engine import transaction
from observatory.store.policy_schema import SearchDocument, SearchVector

NALOXONE = Document(
    Kind.CASE,
    "901",
    "Court of Appeal, 2021: possession",
    "A man carrying a naloxone kit was acquitted; the court held the kit was for overdose rescue.",
    ("PER",),
)
SCHOOL = Document(
    Kind.CASE,
    "901",
    "Court of Appeal, 2021: supply near a school",
    "Sentence raised for selling cannabis to pupils at the gate of a secondary school.",
    ("PER",),
)


def vectors(engine: Engine) -> dict[str, tuple[int, str]]:
    """ref_id → (vector row id, digest)."""
    with transaction(engine) as session:
        rows = session.execute(
            select(SearchDocument.ref_id, SearchVector.id, SearchVector.digest).join(
                SearchVector, SearchVector.document_id == SearchDocument.id
            )
        )
        return {row.ref_id: (row.id, row.digest) for row in rows}


def test_a_changed_document_is_embedded_again_and_found_by_its_new_meaning(migrated: Engine) -> None:
    with transaction(migrated) as session:
        index.put(session, [NALOXONE])
    assert [hit.id for hit in find(migrated, "overdose antidote kit", mode=Mode.SEMANTIC).hits] == ["901"]
    first = vectors(migrated)["901"]
    assert first[1] == digest(passage(NALOXONE.title, NALOXONE.body))

    with transaction(migrated) as session:
        index.put(session, [SCHOOL])
    assert "901" not in vectors(migrated)
    assert [hit.id for hit in find(migrated, "dealing drugs to schoolchildren", mode=Mode.SEMANTIC).hits] == ["901"]
    second = vectors(migrated)["901"]
    assert second[0] > first[0] and second[1] == digest(passage(SCHOOL.title, SCHOOL.body))

    with transaction(migrated) as session:
        index.remove(session, Kind.CASE, "901")
    assert vectors(migrated) == {}
    assert find(migrated, "dealing drugs to schoolchildren", mode=Mode.SEMANTIC).hits == []


def test_reindexing_keeps_the_vectors_of_unchanged_documents(seeded: Engine) -> None:
    before = vectors(seeded)
    index.reindex(seeded)
    assert vectors(seeded) == before
    assert pending(seeded, load_embedder(DEFAULT_MODEL).name) == []


def test_the_shipped_vectors_cover_the_seeded_documents_and_are_the_models_own(seeded: Engine) -> None:
    embedder = load_embedder(DEFAULT_MODEL)
    shipped = shipped_vectors()
    assert shipped is not None and shipped.model == embedder.name
    with transaction(seeded) as session:
        documents = session.scalars(select(SearchDocument).order_by(SearchDocument.id)).all()
        passages = [passage(document.title, document.body) for document in documents]
    assert {digest(text) for text in passages} <= set(shipped.rows)
    sample = passages[:: len(passages) // 4][:4]
    live = embedder.passages(sample)
    stored = np.stack([shipped.vectors[shipped.rows[digest(text)]] for text in sample])
    assert np.all(np.sum(live * stored, axis=1) > 0.999)


def test_embedding_twice_stores_nothing_new(seeded: Engine) -> None:
    assert embed_pending(seeded, load_embedder(DEFAULT_MODEL)) == 0
