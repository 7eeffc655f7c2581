"""Regenerate ``src/observatory/datasets/policy/search_vectors.npz``: the embeddings of the shipped policy records
(recommendations, programmes, strategies, laws) by the shipped search model (a dev tool).

Usage: ``.venv/bin/python scripts/embed_shipped_search_documents.py [OUTPUT]``. Loads the policy seed into a
temporary SQLite store without embedding, then embeds every search document's passage (minutes on two cores).
Run it after changing the shipped records, the passage rule or the model; until then, changed documents are
embedded when a store loads them.
"""

import sys
import tempfile
from pathlib import Path

from observatory.policy.search.embedder import DEFAULT_MODEL, NONE, load_embedder
from observatory.policy.search.vectors import SHIPPED_VECTORS, write_shipped_vectors
from observatory.policy.seed import load_policy_seed
from observatory.store.engine import make_engine
from observatory.store.migrate import upgrade


def main(output: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'seed.db'}")
        try:
            upgrade(engine)
            load_policy_seed(engine, search_model=NONE)
            count = write_shipped_vectors(engine, load_embedder(DEFAULT_MODEL), output)
        finally:
            engine.dispose()
    print(f"wrote {count} vectors to {output}")  # noqa: T201


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SHIPPED_VECTORS)
