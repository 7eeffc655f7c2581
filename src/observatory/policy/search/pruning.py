"""Bounded full-text work on SQLite: rank by a query's essential terms only, and all of the rarest ones first.

FTS5 computes BM25 for every document matching any word of a query (about 5 µs each here), so a question of
eight common words over 100,000 documents scores most of them (150 ms and more). As in MaxScore (Turtle & Flood,
1995), the terms are taken rarest first while the documents they match add up to at most ``WORK``; the others,
frequent and of low inverse document frequency, neither select nor score documents. When the rarest term alone
matches more than ``WORK`` documents, the documents with all three rarest terms are ranked (AND first, as the
issue asked), and if they are too few those with the two rarest, then those with the rarest (``plans``). Below
``WORK`` documents in all nothing changes: the labelled queries over the real records rank as before. Document
frequencies are counted through the index (about 1 ms a term) and remembered for ``FRESH_S`` seconds per
database, as an index keeps its terms' statistics: they decide only which terms are essential, never a score.
"""

import threading
import time

from sqlalchemy import Connection, text

from observatory.policy.search.index import FTS_TABLE
from observatory.policy.search.query import ParsedQuery, Term, to_fts5

#: Documents BM25 scores at most (roughly) per query. [U]
WORK = 2_000
#: Documents FTS5 reads at most (roughly) when BM25 scores only a small filtered set of them (``service``):
#: reading a match costs about a twentieth of scoring it. [U]
WORK_WITHIN = 20_000
FRESH_S = 60.0
#: Terms remembered at most; all are forgotten beyond.
REMEMBERED = 100_000
_LOCK = threading.Lock()
_FREQUENCIES: dict[tuple[str, str], tuple[float, int]] = {}


def plans(connection: Connection, parsed: ParsedQuery, within: bool = False) -> list[str]:
    """FTS5 MATCH expressions to rank ``parsed`` by, in turn while the earlier ones find too few documents: its
    essential terms (matching at most ``WORK`` documents in all, ``WORK_WITHIN`` when BM25 scores only a small
    filtered set ``within``); or, when its rarest term alone matches more than that, its three rarest terms
    together, then its two rarest, then the rarest alone."""
    work = WORK_WITHIN if within else WORK
    if len(parsed.terms) < 2:
        return [to_fts5(parsed)]
    frequencies = {term: frequency(connection, term) for term in parsed.terms}
    rarest = sorted(parsed.terms, key=lambda term: frequencies[term])
    kept: set[Term] = set()
    total = 0
    for term in rarest:
        if kept and total + frequencies[term] > work:
            break
        kept.add(term)
        total += frequencies[term]
    essential = to_fts5(ParsedQuery(tuple(term for term in parsed.terms if term in kept), parsed.excluded))
    if total <= work:
        return [essential]
    together = [to_fts5(ParsedQuery(tuple(rarest[:count]), parsed.excluded), every=True) for count in (3, 2)]
    return [*together[3 - min(3, len(rarest)) :], essential]


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
