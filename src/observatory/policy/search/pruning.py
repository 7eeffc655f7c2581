"""Bounded full-text work on SQLite: rank by a query's essential terms only.

FTS5 computes BM25 for every document matching any word of a query, so a question of eight common words over
100,000 documents scores most of them (150 ms and more). As in MaxScore (Turtle & Flood, 1995), the terms are
taken rarest first while the documents they match add up to at most ``WORK``; the others, frequent and of low
inverse document frequency, neither select nor score documents. A query whose rarest term alone matches more
than ``WORK`` documents keeps that term. Below ``WORK`` documents in all nothing changes: the labelled queries
over the real records rank as before. Document frequencies are counted through the index (about 1 ms a term)
and remembered for ``FRESH_S`` seconds per database: they decide only which terms are essential.
"""

import threading
import time

from sqlalchemy import Connection, text

from observatory.policy.search.index import FTS_TABLE
from observatory.policy.search.query import ParsedQuery, Term, to_fts5

#: Documents BM25 scores at most (roughly) per query. [U]
WORK = 10_000
FRESH_S = 60.0
#: Terms remembered at most; all are forgotten beyond.
REMEMBERED = 100_000
_LOCK = threading.Lock()
_FREQUENCIES: dict[tuple[str, str], tuple[float, int]] = {}


def essential(connection: Connection, parsed: ParsedQuery) -> ParsedQuery:
    """``parsed`` with only its rarest terms whose documents add up to ``WORK`` (at least one term)."""
    if len(parsed.terms) < 2:
        return parsed
    frequencies = {term: frequency(connection, term) for term in parsed.terms}
    kept: set[Term] = set()
    total = 0
    for term in sorted(parsed.terms, key=lambda term: frequencies[term]):
        if kept and total + frequencies[term] > WORK:
            break
        kept.add(term)
        total += frequencies[term]
    return ParsedQuery(tuple(term for term in parsed.terms if term in kept), parsed.excluded)


def frequency(connection: Connection, term: Term) -> int:
    """How many documents contain ``term``."""
    match = to_fts5(ParsedQuery((term,)))
    key = (connection.engine.url.render_as_string(hide_password=True), match)
    now = time.monotonic()
    with _LOCK:
        known = _FREQUENCIES.get(key)
    if known is not None and now - known[0] < FRESH_S:
        return known[1]
    count = connection.execute(
        text(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match"), {"match": match}
    ).scalar_one()
    with _LOCK:
        if len(_FREQUENCIES) >= REMEMBERED:
            _FREQUENCIES.clear()
        _FREQUENCIES[key] = (now, int(count))
    return int(count)


def forget() -> None:
    with _LOCK:
        _FREQUENCIES.clear()
