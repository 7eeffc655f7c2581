"""The search index: ``policy_search_document`` rows (built by the migrations) plus an engine's own full-text
structure over them, derived and rebuilt here: an FTS5 table on SQLite, a GIN index on PostgreSQL. A document
whose text changes loses its embedding (``policy_search_vector``), which ``vectors.embed_pending`` makes again.

The derived structures stay outside the Alembic schema because they are rebuildable from the documents and
SQLite's FTS5 shadow tables cannot be described to Alembic; migration 0004 drops them on downgrade.
"""

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, delete, select, text
from sqlalchemy.orm import Session

from observatory.policy.search.documents import (
    Document,
    Kind,
    case_document,
    law_document,
    practice_document,
    programme_document,
    recommendation_documents,
    strategy_document,
)
from observatory.policy.search.vector_index import changed
from observatory.policy.search.vectors import drop_if_changed
from observatory.store.engine import transaction
from observatory.store.policy_schema import (
    CourtCase,
    Law,
    Practice,
    Programme,
    ScheduledSubstance,
    SearchCountry,
    SearchDocument,
    SearchVector,
    Strategy,
)

FTS_TABLE = "policy_search_fts"
GIN_INDEX = "ix_policy_search_document_fts"
TEXT_CONFIG = "english"
TOKENIZE = "porter unicode61 remove_diacritics 2"
#: The weighted vector PostgreSQL indexes and ranks; the GIN index is on this exact expression.
PG_VECTOR = (
    f"(setweight(to_tsvector('{TEXT_CONFIG}'::regconfig, coalesce(d.title, '')), 'A') || "
    f"setweight(to_tsvector('{TEXT_CONFIG}'::regconfig, coalesce(d.body, '')), 'B'))"
)
PUBLISHED = "published"


def ensure_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.execute(
            text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, body, tokenize = '{TOKENIZE}')")
        )
    else:
        vector = PG_VECTOR.replace("d.", "")
        connection.execute(
            text(f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON policy_search_document USING gin ({vector})")
        )


def put(session: Session, documents: Iterable[Document]) -> int:
    """Add or replace documents (by kind and id) in the store and the index."""
    connection = session.connection()
    ensure_index(connection)
    written = 0
    for document in documents:
        row = session.scalar(
            select(SearchDocument).where(SearchDocument.kind == document.kind, SearchDocument.ref_id == document.ref_id)
        )
        if row is None:
            row = SearchDocument(kind=str(document.kind), ref_id=document.ref_id)
            session.add(row)
        row.title, row.body, row.country_iso3 = document.title[:512], document.body, document.country
        session.flush()
        drop_if_changed(session, row)
        session.execute(delete(SearchCountry).where(SearchCountry.document_id == row.id))
        session.add_all(SearchCountry(document_id=row.id, iso3=iso3) for iso3 in sorted(set(document.countries)))
        if connection.dialect.name == "sqlite":
            session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": row.id})
            session.execute(
                text(f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (:id, :title, :body)"),
                {"id": row.id, "title": row.title, "body": row.body},
            )
        written += 1
    session.flush()
    changed()
    return written


def remove(session: Session, kind: Kind, ref_id: str) -> None:
    row = session.scalar(select(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.ref_id == ref_id))
    if row is None:
        return
    if session.connection().dialect.name == "sqlite":
        ensure_index(session.connection())
        session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": row.id})
    _forget(session, [row.id])


def reindex(engine: Engine) -> int:
    """Rebuild every document from the records: recommendations, programmes, strategies, published practices,
    laws and cases. Documents whose text is unchanged keep their embeddings."""
    with transaction(engine) as session:
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            connection.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))
        documents = _all_documents(session)
        wanted = {(str(document.kind), document.ref_id) for document in documents}
        stored = session.execute(select(SearchDocument.id, SearchDocument.kind, SearchDocument.ref_id)).all()
        _forget(session, [row.id for row in stored if (row.kind, row.ref_id) not in wanted])
        return put(session, documents)


def _forget(session: Session, document_ids: list[int]) -> None:
    for start in range(0, len(document_ids), 500):
        chunk = document_ids[start : start + 500]
        session.execute(delete(SearchVector).where(SearchVector.document_id.in_(chunk)))
        session.execute(delete(SearchCountry).where(SearchCountry.document_id.in_(chunk)))
        session.execute(delete(SearchDocument).where(SearchDocument.id.in_(chunk)))
    session.flush()
    changed()


def _all_documents(session: Session) -> list[Document]:
    documents = list(recommendation_documents())
    documents += [programme_document(row) for row in session.scalars(select(Programme))]
    documents += [strategy_document(row) for row in session.scalars(select(Strategy))]
    documents += [
        practice_document(row) for row in session.scalars(select(Practice).where(Practice.status == PUBLISHED))
    ]
    for law in session.scalars(select(Law)):
        scheduled = session.scalars(select(ScheduledSubstance).where(ScheduledSubstance.law_id == law.id))
        documents.append(law_document(law, scheduled))
    documents += [case_document(row) for row in session.scalars(select(CourtCase))]
    return documents
