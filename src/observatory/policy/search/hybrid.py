"""``find``: search by words (full text), by meaning (the embedding model) or both (hybrid), with the same
filters and highlighted snippets, falling back to full text, and saying so, when the model is unavailable.

Hybrid ranking is a convex combination of the two normalised scores (Bruch et al., 2023, "An analysis of fusion
functions for hybrid retrieval"): ``LEXICAL_WEIGHT × score / best full-text score + (1 − LEXICAL_WEIGHT) ×
(cosine − floor) / (best cosine − floor)``, the floor being the ``CANDIDATES``-th best cosine. On the labelled
queries it beat reciprocal rank fusion, which lets the many weak word matches of a query in another language
push the right record down (docs/search-models.md). Documents found by meaning only must reach the model's
``min_similarity``, so nonsense finds nothing.
"""

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Engine, select

from observatory.errors import BadInput
from observatory.policy.search.documents import Kind
from observatory.policy.search.embedder import DEFAULT_MODEL, Embedder, ModelUnavailable, load_embedder
from observatory.policy.search.query import ParsedQuery, parse, plain_text, words
from observatory.policy.search.service import (
    Ranked,
    SearchHit,
    checked_filters,
    matching_documents,
    rank,
    search,
    snippets,
)
from observatory.policy.search.snippets import highlight
from observatory.policy.search.vector_index import VectorIndex, store_state, vector_index
from observatory.policy.search.vectors import embed_pending, passage
from observatory.store.engine import transaction
from observatory.store.policy_schema import SearchDocument

#: Weight of the full-text score in hybrid ranking; 0.1–0.3 all scored within 0.01 nDCG@10 on the labelled set. [U]
LEXICAL_WEIGHT = 0.2
#: How many documents each ranking contributes before fusion.
CANDIDATES = 50
#: Documents a query embeds at most when some are new or changed (a published practice); the rest wait for
#: ``observatory policy embed`` or the next queries.
EMBED_PER_QUERY = 8


class Mode(StrEnum):
    HYBRID = "hybrid"
    FULLTEXT = "fulltext"
    SEMANTIC = "semantic"


@dataclass(frozen=True, slots=True)
class SearchResults:
    hits: list[SearchHit]
    #: The mode that ranked the hits.
    mode: Mode
    requested: Mode
    #: The embedding model used, if any.
    model: str | None = None
    #: Why ``mode`` is not ``requested``, or what the ranking could not see.
    note: str | None = None


def find(
    engine: Engine,
    query: str,
    kind: str | None = None,
    country: str | None = None,
    top: int = 10,
    mode: str = Mode.HYBRID,
    model: str = DEFAULT_MODEL,
) -> SearchResults:
    """The ``top`` documents best matching ``query`` in ``mode``, best first."""
    parsed = parse(query)
    requested = _mode(mode)
    filters = checked_filters(kind, country, top)
    if requested is Mode.FULLTEXT:
        return SearchResults(search(engine, query, kind, country, top), Mode.FULLTEXT, requested)
    try:
        embedder = load_embedder(model)
    except ModelUnavailable as why:
        return SearchResults(search(engine, query, kind, country, top), Mode.FULLTEXT, requested, note=str(why))
    index, waiting = _current_index(engine, embedder)
    similarity = index.similarities(embedder.query(plain_text(query) or query))
    excluded = matching_documents(engine, ParsedQuery(parsed.excluded)) if parsed.excluded else set()
    mask = index.allowed(filters["kind"], filters["country"], excluded)
    candidates = index.nearest(similarity, mask, CANDIDATES)
    if requested is Mode.SEMANTIC:
        lexical: dict[int, Ranked] = {}
        scores = {
            int(index.document_ids[row]): float(similarity[row])
            for row in candidates
            if similarity[row] >= embedder.min_similarity
        }
    else:
        lexical = {hit.document_id: hit for hit in rank(engine, parsed, filters | {"top": CANDIDATES})}
        scores = _fused(index, lexical, similarity, candidates, embedder.min_similarity)
    best = sorted(scores, key=lambda document_id: (-scores[document_id], document_id))[:top]
    hits = _hits(engine, parsed, best, scores, lexical)
    note = f"{waiting} new or changed documents are not embedded yet: found by their words only" if waiting else None
    return SearchResults(hits, requested, requested, embedder.name, note)


def _current_index(engine: Engine, embedder: Embedder) -> tuple[VectorIndex, int]:
    """The index, with new or changed documents embedded (up to ``EMBED_PER_QUERY``); how many still lack a vector."""
    with engine.connect() as connection:
        state = store_state(connection)
    index = vector_index(engine, embedder.name, embedder.dimensions, state)
    if index.size >= state.documents:
        return index, 0
    embed_pending(engine, embedder, limit=EMBED_PER_QUERY)
    with engine.connect() as connection:
        state = store_state(connection)
    index = vector_index(engine, embedder.name, embedder.dimensions, state)
    return index, max(0, state.documents - index.size)


def _fused(
    index: VectorIndex,
    lexical: dict[int, Ranked],
    similarity: NDArray[np.float32],
    candidates: NDArray[np.int64],
    min_similarity: float,
) -> dict[int, float]:
    """Document id → hybrid score, for the full-text hits and the documents close enough in meaning. A document
    not embedded yet scores by its words only."""
    if len(candidates) == 0:
        return {document_id: hit.score for document_id, hit in lexical.items()}
    best, floor = float(similarity[candidates[0]]), float(similarity[candidates[-1]])
    spread = best - floor if best > floor else 1.0
    top_lexical = max((hit.score for hit in lexical.values()), default=0.0) or 1.0

    def meaning(row: int | None) -> float:
        return 0.0 if row is None else (1 - LEXICAL_WEIGHT) * max(0.0, (float(similarity[row]) - floor) / spread)

    scores = {
        document_id: LEXICAL_WEIGHT * hit.score / top_lexical + meaning(index.rows.get(document_id))
        for document_id, hit in lexical.items()
    }
    for row in candidates:
        document_id = int(index.document_ids[row])
        if document_id not in scores and similarity[row] >= min_similarity:
            scores[document_id] = meaning(int(row))
    return scores


def _hits(
    engine: Engine, parsed: ParsedQuery, ids: list[int], scores: dict[int, float], lexical: dict[int, Ranked]
) -> list[SearchHit]:
    """Hits with snippets: the full-text engine's around the matched words, else the passage's best stretch."""
    marked = snippets(engine, parsed, [document_id for document_id in ids if document_id in lexical])
    with transaction(engine) as session:
        documents = {row.id: row for row in session.scalars(select(SearchDocument).where(SearchDocument.id.in_(ids)))}
    hits = []
    for document_id in ids:
        document = documents[document_id]
        snippet = marked.get(document_id) or highlight(passage(document.title, document.body), words(parsed))
        kind = Kind(document.kind)
        hits.append(
            SearchHit(kind, document.ref_id, document.title, document.country_iso3, scores[document_id], snippet)
        )
    return hits


def _mode(value: str) -> Mode:
    try:
        return Mode(value)
    except ValueError:
        raise BadInput(
            f"unknown search mode {value!r}; accepted: {', '.join(Mode)}", [{"field": "mode", "value": value}]
        ) from None
