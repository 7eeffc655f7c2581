"""Loading the shipped policy knowledge into a records store: programmes, national strategies and the statuses
they evidence, laws from the national schedules; then the search index is rebuilt and the documents embedded
for semantic search. Loading again updates in place; statuses and practices recorded by people are kept."""

from typing import Any

from sqlalchemy import Engine

from observatory.policy import laws, programmes, strategies, tracker
from observatory.policy.search import index, vectors
from observatory.policy.search.embedder import DEFAULT_MODEL
from observatory.reference.substances.registry import substance_registry
from observatory.store.engine import transaction

SEED_ACTOR = "policy seed (CDPE Drug Policy Metrics Map, coded by domain)"


def load_policy_seed(engine: Engine, search_model: str = DEFAULT_MODEL) -> dict[str, Any]:
    """Load everything shipped; the store must be migrated (``observatory init``). Documents are embedded with
    ``search_model`` unless it is unavailable."""
    programme_records = programmes.read_programmes()
    strategy_records = strategies.read_strategies()
    registry = substance_registry()
    with transaction(engine) as session:
        loaded_programmes = programmes.load_programmes(session, programme_records)
        loaded_strategies = strategies.load_strategies(session, strategy_records)
        statuses = tracker.load_strategy_statuses(session, strategy_records, SEED_ACTOR)
        loaded_laws = laws.load_laws(session, registry)
    documents = index.reindex(engine)
    embedded = vectors.embed_with(engine, search_model)
    return {
        "programmes": loaded_programmes,
        "strategies": loaded_strategies,
        "strategy_countries": len({record.country_iso3 for record in strategy_records}),
        "statuses": statuses,
        "laws": loaded_laws,
        "search_documents": documents,
        "search_vectors": embedded,
    }
