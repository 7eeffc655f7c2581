"""``find``: search by words (full text), by meaning (the embedding model) or both (hybrid), with the same
filters and highlighted snippets, falling back to full text, and saying so, when the model is unavailable.

Hybrid ranking is a convex combination of the two normalised scores (Bruch et al., 2023, "An analysis of fusion
functions for hybrid retrieval"): ``LEXICAL_WEIGHT × score / best full-text score + (1 − LEXICAL_WEIGHT) ×
(cosine − floor) / (best cosine − floor)``, the floor being the ``CANDIDATES``-th best cosine. On the labelled
queries it beat reciprocal rank fusion, which lets the many weak word matches of a query in another language
push the right record down (docs/search-models.md). Documents found by meaning only must reach the model's
``min_similarity``, so nonsense finds nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Engine, func, select

from observatory.errors import BadInput
from observatory.policy.search import query_vectors
from observatory.policy.search.documents import Kind
from observatory.policy.search.embedder import DEFAULT_MODEL, Embedder, ModelUnavailable, Vectors, load_embedder
from observatory.policy.search.languages import detect, ignored_words
from observatory.policy.search.query import ParsedQuery, SearchSyntaxError, parse, plain_text, words
from observatory.policy.search.service import Ranked, SearchHit, checked_filters, matching_documents, rank, snippets
from observatory.policy.search.snippets import highlight
from observatory.policy.search.understanding import Understood
from observatory.policy.search.understanding import understand as understand_query
from observatory.policy.search.vector_index import VectorIndex, changed, current_state, vector_index
from observatory.policy.search.vectors import embed_pending, passage
from observatory.store.engine import transaction
from observatory.store.policy_schema import SearchCountry, SearchDocument

#: Added to the (normalised, at most 1) score of a document of a kind the query names. [U]
KIND_BOOST = 0.1
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
    #: The countries and kinds read from the query and applied (empty when taken literally).
    understood: Understood = field(default_factory=Understood)


def find(
    engine: Engine,
    query: str,
    kind: str | None = None,
    country: str | None = None,
    top: int = 10,
    mode: str = Mode.HYBRID,
    model: str = DEFAULT_MODEL,
    understand: bool = True,
) -> SearchResults:
    """The ``top`` documents best matching ``query`` in ``mode``, best first. With ``understand`` (the default)
    the countries the query names filter the documents and the kinds it names rank first, unless ``country`` or
    ``kind`` say otherwise; ``understand=False`` takes the query literally."""
    requested = _mode(mode)
    filters = checked_filters(kind, country, top)
    applied = _applied(query, understand, filters)
    parsed = _parsed(query, applied)
    filters["countries"] = filters["countries"] or applied.countries
    notes: list[str] = []
    if requested is Mode.FULLTEXT:
        if detect(query) == "zh":
            notes.append("full text does not split Chinese into words: search by meaning (hybrid) reads it")
        scores, lexical = _full_text(engine, parsed, filters, applied)
        return _results(engine, parsed, scores, lexical, filters, applied, (Mode.FULLTEXT, requested, None), notes)
    try:
        embedder = load_embedder(model)
    except ModelUnavailable as why:
        scores, lexical = _full_text(engine, parsed, filters, applied)
        return _results(engine, parsed, scores, lexical, filters, applied, (Mode.FULLTEXT, requested, None), [str(why)])
    index, waiting = _current_index(engine, embedder)
    meant = plain_text(query) or query
    mask = index.allowed(filters["kind"], filters["countries"], set())
    job = query_vectors.background(lambda: _similarities(index, embedder, meant, mask))
    excluded = matching_documents(engine, ParsedQuery(parsed.excluded)) if parsed.excluded else set()
    lexical = {} if requested is Mode.SEMANTIC else _lexical(engine, parsed, filters)
    vector, similarity = job.result()
    if excluded:
        mask = mask & index.allowed(None, (), excluded)
    candidates = index.nearest(similarity, mask, CANDIDATES, vector)
    index.refine(similarity, vector, np.array([index.rows[i] for i in lexical if i in index.rows], dtype=np.int64))
    # The documents of a country the query names need not be close in meaning: the name is the match.
    least = -1.0 if applied.countries else embedder.min_similarity
    if requested is Mode.SEMANTIC:
        scores = {
            int(index.document_ids[row]): float(similarity[row]) for row in candidates if similarity[row] >= least
        }
    else:
        scores = _fused(index, lexical, similarity, candidates, least)
    _boost(scores, applied.kinds, lambda document_id: _kind_of(index, lexical, document_id))
    if waiting:
        notes.append(f"{waiting} new or changed documents are not embedded yet: found by their words only")
    return _results(engine, parsed, scores, lexical, filters, applied, (requested, requested, embedder.name), notes)


def _similarities(
    index: VectorIndex, embedder: Embedder, text: str, mask: NDArray[np.bool_]
) -> tuple[Vectors, NDArray[np.float32]]:
    vector = query_vectors.vector(embedder, text)
    return vector, index.similarities(vector, mask)


def _applied(query: str, understand: bool, filters: dict[str, Any]) -> Understood:
    """What the query names and the explicit filters leave to it: countries without ``country``, kinds without
    ``kind``."""
    if not understand:
        return Understood()
    found = understand_query(query)
    countries = () if filters["countries"] else found.countries
    kinds = () if filters["kind"] else found.kinds
    return Understood(
        countries, kinds, found.place_words if countries else frozenset(), found.kind_words if kinds else frozenset()
    )


def _parsed(query: str, applied: Understood) -> ParsedQuery:
    """The query's terms without the common words of its language nor the words that named a country or a kind
    (full text need not find "Algerian" among Algeria's documents, and a title's "programme" must not outrank the
    topic); with them if nothing else is left."""
    ignored = ignored_words(detect(query))
    understood = applied.place_words | applied.kind_words
    try:
        return parse(query, ignored | understood)
    except SearchSyntaxError:
        if not understood:
            raise
    return parse(query, ignored)


def _lexical(engine: Engine, parsed: ParsedQuery, filters: dict[str, Any]) -> dict[int, Ranked]:
    return {hit.document_id: hit for hit in rank(engine, parsed, filters | {"top": CANDIDATES})}


def _full_text(
    engine: Engine, parsed: ParsedQuery, filters: dict[str, Any], applied: Understood
) -> tuple[dict[int, float], dict[int, Ranked]]:
    """Full-text scores; with kinds to rank first, of the ``CANDIDATES`` best, normalised and boosted."""
    if not applied.kinds:
        hits = rank(engine, parsed, filters)
        return {hit.document_id: hit.score for hit in hits}, {hit.document_id: hit for hit in hits}
    lexical = _lexical(engine, parsed, filters)
    best = max((hit.score for hit in lexical.values()), default=0.0) or 1.0
    scores = {document_id: hit.score / best for document_id, hit in lexical.items()}
    _boost(scores, applied.kinds, lambda document_id: lexical[document_id].kind)
    return scores, lexical


def _boost(scores: dict[int, float], kinds: tuple[Kind, ...], kind_of: Callable[[int], Kind | None]) -> None:
    if kinds:
        for document_id in scores:
            if kind_of(document_id) in kinds:
                scores[document_id] += KIND_BOOST


def _kind_of(index: VectorIndex, lexical: dict[int, Ranked], document_id: int) -> Kind | None:
    if document_id in lexical:
        return lexical[document_id].kind
    row = index.rows.get(document_id)
    return None if row is None else Kind(str(index.kinds[row]))


def _results(
    engine: Engine,
    parsed: ParsedQuery,
    scores: dict[int, float],
    lexical: dict[int, Ranked],
    filters: dict[str, Any],
    applied: Understood,
    modes: tuple[Mode, Mode, str | None],
    notes: list[str],
) -> SearchResults:
    best = sorted(scores, key=lambda document_id: (-scores[document_id], document_id))[: filters["top"]]
    hits = _hits(engine, parsed, best, scores, lexical)
    if not hits and applied.countries:
        notes.append(_no_documents(engine, applied))
    mode, requested, model = modes
    return SearchResults(hits, mode, requested, model, "; ".join(notes) or None, applied)


def _no_documents(engine: Engine, applied: Understood) -> str:
    names = applied.label.split(" · ")[0]
    with engine.connect() as connection:
        count = connection.execute(
            select(func.count()).select_from(SearchCountry).where(SearchCountry.iso3.in_(applied.countries))
        ).scalar_one()
    if count:
        return f"none of the documents of {names} matches; search all countries to see others"
    return f"the knowledge base has no documents of {names}; search all countries to see others"


def _current_index(engine: Engine, embedder: Embedder) -> tuple[VectorIndex, int]:
    """The index, with new or changed documents embedded (up to ``EMBED_PER_QUERY``); how many still lack a vector."""
    state = current_state(engine)
    index = vector_index(engine, embedder.name, embedder.dimensions, state)
    if index.size >= state.documents:
        return index, 0
    embed_pending(engine, embedder, limit=EMBED_PER_QUERY)
    changed()
    state = current_state(engine)
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
