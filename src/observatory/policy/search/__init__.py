"""Full-text search over policy knowledge: SQLite FTS5 on the embedded store, PostgreSQL full text on the server,
one API (``search``)."""

from observatory.policy.search.documents import Kind
from observatory.policy.search.service import SearchHit, search

__all__ = ["Kind", "SearchHit", "search"]
