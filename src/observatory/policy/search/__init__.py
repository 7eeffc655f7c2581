"""Search over policy knowledge: full text (SQLite FTS5 on the embedded store, PostgreSQL full text on the
server, one API: ``search``), by meaning with an embedding model shipped in a package, and both (``find``)."""

from observatory.policy.search.documents import Kind
from observatory.policy.search.hybrid import Mode, SearchResults, find
from observatory.policy.search.service import SearchHit, search

__all__ = ["Kind", "Mode", "SearchHit", "SearchResults", "find", "search"]
