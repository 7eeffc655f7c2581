"""The kind and countries of every search document, held in memory to filter full-text matches without a join.

SQLite ranks a query's matches inside FTS5; asking the store which of them pass a kind or country filter cost a
query per batch of ranked rows, and the store has no index on a document's countries. ``allowed`` answers from
arrays instead, and ``service`` hands a small allowed set to FTS5 so that BM25 scores only the documents that
pass. The arrays are loaded again when this process writes documents (``vector_index.changed``) or when the
store's largest document id moves (another process added some; counting the documents would read the whole
table on every query). A document another process removed stays allowed, which is harmless: full text no longer
finds it; one whose countries another process changed in place is seen at the next write of this one.
"""

import threading
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, text

from observatory.policy.search.vector_index import generation

_LOCK = threading.Lock()
_LOADED: dict[str, "Facets"] = {}


@dataclass(frozen=True, slots=True)
class Facets:
    #: (``vector_index.generation()``, largest document id) when loaded.
    version: tuple[int, int]
    #: Document ids, ascending, and the kind of each.
    ids: NDArray[np.int64]
    kinds: NDArray[np.str_]
    #: ISO3 → ids of the documents concerning that country, ascending.
    by_country: dict[str, NDArray[np.int64]]

    def allowed(self, kind: str | None, countries: tuple[str, ...]) -> NDArray[np.int64] | None:
        """Ids of the documents of ``kind`` concerning one of ``countries``, ascending; ``None`` without filters."""
        if kind is None and not countries:
            return None
        if countries:
            found = [self.by_country.get(country, np.zeros(0, dtype=np.int64)) for country in countries]
            ids: NDArray[np.int64] = np.unique(np.concatenate(found))
            if kind is None:
                return ids
            rows = np.searchsorted(self.ids, ids)
            kept: NDArray[np.int64] = ids[self.kinds[rows] == kind]
            return kept
        of_kind: NDArray[np.int64] = self.ids[self.kinds == kind]
        return of_kind


def facets(connection: Connection) -> Facets:
    """The facets of the documents of ``connection``'s store, loaded again if they changed."""
    key = connection.engine.url.render_as_string(hide_password=True)
    newest = connection.execute(text("SELECT coalesce(max(id), 0) FROM policy_search_document")).scalar_one()
    version = (generation(), int(newest))
    with _LOCK:
        known = _LOADED.get(key)
    if known is not None and known.version == version:
        return known
    loaded = _load(connection, version)
    with _LOCK:
        _LOADED[key] = loaded
    return loaded


def _load(connection: Connection, version: tuple[int, int]) -> Facets:
    rows = connection.execute(text("SELECT id, kind FROM policy_search_document ORDER BY id")).all()
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    by_country: dict[str, list[int]] = {}
    for document_id, iso3 in connection.execute(
        text("SELECT document_id, iso3 FROM policy_search_country ORDER BY document_id")
    ):
        by_country.setdefault(iso3, []).append(int(document_id))
    return Facets(
        version,
        ids,
        np.array([row[1] for row in rows], dtype=np.str_),
        {iso3: np.array(found, dtype=np.int64) for iso3, found in by_country.items()},
    )
