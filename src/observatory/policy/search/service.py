"""``search``: one API over SQLite FTS5 (BM25 ranking) and PostgreSQL full text (``ts_rank_cd``), with filters
by kind and country and a highlighted snippet per hit.

Snippets are HTML: the document text escaped, matched words in ``<mark>``. Scores rank hits within one
engine; they are not comparable between engines.
"""

import html
import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Engine, bindparam, text

from observatory.errors import BadInput
from observatory.policy import vocabulary
from observatory.policy.search.documents import Kind
from observatory.policy.search.facets import facets
from observatory.policy.search.index import FTS_TABLE, PG_VECTOR, TEXT_CONFIG, TOKENIZE, ensure_index
from observatory.policy.search.pruning import plans
from observatory.policy.search.query import ParsedQuery, parse, to_fts5, to_tsquery

MAX_TOP = 100
#: Ranked documents read at a time to find those passing the filters.
_BATCH = 500
#: Documents passing the filters at most for FTS5 to rank only them, over all the query's terms. [U]
WITHIN = 8_000
SNIPPET_TABLE = "policy_search_snippets"
_START, _STOP = "\x02", "\x03"
_KIND_FILTER = " AND d.kind = :kind"
_COUNTRY_FILTER = " AND EXISTS (SELECT 1 FROM policy_search_country c WHERE c.document_id = d.id AND c.iso3 IN ({}))"


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: Kind
    id: str
    title: str
    country: str | None
    score: float
    snippet: str


@dataclass(frozen=True, slots=True)
class Ranked:
    """A document matching a query, before its snippet is made."""

    document_id: int
    kind: Kind
    id: str
    title: str
    country: str | None
    score: float


def search(
    engine: Engine, query: str, kind: str | None = None, country: str | None = None, top: int = 10
) -> list[SearchHit]:
    """The ``top`` documents best matching ``query`` (syntax in ``policy.search.query``), best first."""
    parsed = parse(query)
    ranked = rank(engine, parsed, checked_filters(kind, country, top))
    marked = snippets(engine, parsed, [hit.document_id for hit in ranked])
    return [
        SearchHit(hit.kind, hit.id, hit.title, hit.country, hit.score, marked.get(hit.document_id, ""))
        for hit in ranked
    ]


def rank(engine: Engine, parsed: ParsedQuery, parameters: dict[str, Any]) -> list[Ranked]:
    """The ``parameters["top"]`` best matches of ``parsed`` within the filters (``checked_filters``)."""
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            rows = _sqlite(connection, parsed, parameters)
        else:
            rows = _postgresql(connection, parsed, parameters)
    return [Ranked(row.id, Kind(row.kind), row.ref_id, row.title, row.country_iso3, float(row.score)) for row in rows]


def snippets(engine: Engine, parsed: ParsedQuery, document_ids: list[int]) -> dict[int, str]:
    """Document id → its text around the words of ``parsed``, as HTML with the matches in ``<mark>``."""
    if not document_ids:
        return {}
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            statement = text(
                f"SELECT rowid, snippet({SNIPPET_TABLE}, -1, :start, :stop, ' … ', 24) FROM {SNIPPET_TABLE} "
                f"WHERE {SNIPPET_TABLE} MATCH :match"
            )
            values: dict[str, Any] = {"match": to_fts5(parsed), "start": _START, "stop": _STOP}
            _copy_for_snippets(connection, document_ids)
        else:
            options = (
                f'StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
            )
            statement = text(
                "SELECT id, ts_headline(CAST(:config AS regconfig), title || ' — ' || body, "
                "to_tsquery(CAST(:config AS regconfig), :tsquery), :options) FROM policy_search_document "
                "WHERE id IN :ids"
            ).bindparams(bindparam("ids", expanding=True))
            values = {"config": TEXT_CONFIG, "tsquery": to_tsquery(parsed), "options": options, "ids": document_ids}
        return {int(row[0]): _marked(row[1]) for row in connection.execute(statement, values)}


def _copy_for_snippets(connection: Connection, document_ids: list[int]) -> None:
    """The documents ``document_ids`` in this connection's own small FTS5 table. FTS5 makes a snippet from the
    document alone, but finding a few documents' rows among a query's matches in the whole index read every
    matching term's postings at each of them (2-25 ms a query); a copy of ten documents takes 1 ms."""
    connection.execute(
        text(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{SNIPPET_TABLE} USING fts5(title, body, tokenize = '{TOKENIZE}')"
        )
    )
    connection.execute(text(f"DELETE FROM temp.{SNIPPET_TABLE}"))
    connection.execute(
        text(
            f"INSERT INTO temp.{SNIPPET_TABLE} (rowid, title, body) "
            "SELECT id, title, body FROM policy_search_document WHERE id IN :ids"
        ).bindparams(bindparam("ids", expanding=True)),
        {"ids": document_ids},
    )


def checked_filters(kind: str | None, country: str | None, top: int) -> dict[str, Any]:
    """The filters as query parameters, or ``BadInput`` naming the one that is wrong."""
    if not 1 <= top <= MAX_TOP:
        raise BadInput(f"top must be between 1 and {MAX_TOP}", [{"field": "top", "value": top}])
    return {
        "kind": str(_kind(kind)) if kind is not None else None,
        "countries": (vocabulary.country(country).iso3,) if country is not None else (),
        "top": top,
    }


def matching_documents(engine: Engine, parsed: ParsedQuery) -> set[int]:
    """Ids of the documents containing any term of ``parsed``."""
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            ensure_index(connection)
            statement = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match"
            rows = connection.execute(text(statement), {"match": to_fts5(parsed)})
        else:
            statement = (
                f"SELECT d.id FROM policy_search_document d "
                f"WHERE {PG_VECTOR} @@ to_tsquery(CAST(:config AS regconfig), :tsquery)"
            )
            rows = connection.execute(text(statement), {"config": TEXT_CONFIG, "tsquery": to_tsquery(parsed)})
        return {int(row[0]) for row in rows}


def _filters(parameters: dict[str, Any]) -> str:
    countries = ", ".join(f":country{i}" for i in range(len(parameters["countries"])))
    return (_KIND_FILTER if parameters["kind"] else "") + (_COUNTRY_FILTER.format(countries) if countries else "")


def _values(parameters: dict[str, Any]) -> dict[str, Any]:
    """The filters' bound values: the kind, ``country0``… and ``top``."""
    countries = {f"country{i}": iso3 for i, iso3 in enumerate(parameters["countries"])}
    return {"kind": parameters["kind"], "top": parameters["top"]} | countries


def _sqlite(connection: Connection, parsed: ParsedQuery, parameters: dict[str, Any]) -> list[Any]:
    """BM25 inside FTS5, best first, then the ``top`` documents' rows. The filters come from memory
    (``facets``): a set of at most ``WITHIN`` documents goes into the FTS5 query, so that BM25 scores only the
    documents in it; otherwise the ranked documents are read until ``top`` pass the filters. Either way the
    query's terms are bounded (``pruning.plans``), less tightly when BM25 scores a small set."""
    ensure_index(connection)
    allowed = facets(connection).allowed(parameters["kind"], parameters["countries"])
    top = parameters["top"]
    within = allowed is not None and len(allowed) <= WITHIN
    scores: dict[int, float] = {}
    for match in plans(connection, parsed, within):
        scores = _ranked(connection, match, top, allowed, within)
        if len(scores) >= top:
            break
    return _rows(connection, scores)


def _ranked(
    connection: Connection, match: str, top: int, allowed: NDArray[np.int64] | None, within: bool
) -> dict[int, float]:
    """Document id → BM25 score of the ``top`` best matches of ``match`` among the ids ``allowed`` (any if
    ``None``), best first: FTS5 checks them ``within`` the query (handed as JSON), else they are checked here."""
    restriction = " AND +rowid IN (SELECT value FROM json_each(:within))" if within else ""
    values = {"match": match} | ({"within": json.dumps(allowed.tolist())} if within and allowed is not None else {})
    ranked = connection.execute(
        text(
            f"SELECT rowid, -bm25({FTS_TABLE}, 4.0, 1.0) AS score FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match"
            f"{restriction} ORDER BY bm25({FTS_TABLE}, 4.0, 1.0), rowid"
        ),
        values,
    )
    scores: dict[int, float] = {}
    while len(scores) < top and (rows := ranked.fetchmany(_BATCH)):
        if allowed is not None and not within:
            ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
            passing = np.isin(ids, allowed, assume_unique=True)
            rows = [row for row, passes in zip(rows, passing.tolist(), strict=True) if passes]
        scores |= {int(row[0]): float(row[1]) for row in rows}
    ranked.close()
    return dict(list(scores.items())[:top])


def _rows(connection: Connection, scores: dict[int, float]) -> list[Any]:
    if not scores:
        return []
    statement = text(
        "SELECT id, kind, ref_id, title, country_iso3 FROM policy_search_document WHERE id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    rows = connection.execute(statement, {"ids": list(scores)}).all()
    return sorted(
        (_Row(row.id, row.kind, row.ref_id, row.title, row.country_iso3, scores[row.id]) for row in rows),
        key=lambda row: (-row.score, row.id),
    )


@dataclass(frozen=True, slots=True)
class _Row:
    id: int
    kind: str
    ref_id: str
    title: str
    country_iso3: str | None
    score: float


def _postgresql(connection: Connection, parsed: ParsedQuery, parameters: dict[str, Any]) -> list[Any]:
    """PostgreSQL ranks without corpus statistics, so each word's ``ts_rank`` (normalised by document length)
    is weighted by its BM25 inverse document frequency, counted here through the GIN index. The GIN index picks
    the matching rows; their vector is computed once per row for all the words' ranks."""
    terms = [to_tsquery(ParsedQuery((term,))) for term in parsed.terms]
    weights = _idf(connection, terms)
    rank = " + ".join(
        f":w{i} * ts_rank(m.vector, to_tsquery(CAST(:config AS regconfig), :t{i}), 1)" for i in range(len(terms))
    )
    statement = text(
        "WITH q AS (SELECT to_tsquery(CAST(:config AS regconfig), :tsquery) AS query), "
        f"m AS MATERIALIZED (SELECT d.id, d.kind, d.ref_id, d.title, d.country_iso3, {PG_VECTOR} AS vector "
        f"FROM policy_search_document d, q WHERE {PG_VECTOR} @@ q.query{_filters(parameters)}) "
        f"SELECT m.id, m.kind, m.ref_id, m.title, m.country_iso3, ({rank}) AS score FROM m "
        "ORDER BY score DESC, m.id LIMIT :top"
    )
    values = {**_values(parameters), "tsquery": to_tsquery(parsed), "config": TEXT_CONFIG}
    values |= {f"t{i}": term for i, term in enumerate(terms)} | {f"w{i}": weight for i, weight in enumerate(weights)}
    return list(connection.execute(statement, values))


def _idf(connection: Connection, terms: list[str]) -> list[float]:
    total = connection.execute(text("SELECT count(*) FROM policy_search_document")).scalar_one()
    count = text(
        f"SELECT count(*) FROM policy_search_document d WHERE {PG_VECTOR} @@ to_tsquery(CAST(:config AS regconfig), :t)"
    )
    frequencies = [connection.execute(count, {"config": TEXT_CONFIG, "t": term}).scalar_one() for term in terms]
    return [math.log(1 + (total - found + 0.5) / (found + 0.5)) for found in frequencies]


def _marked(snippet: str | None) -> str:
    escaped = html.escape(snippet or "", quote=False)
    return escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")


def _kind(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        raise BadInput(
            f"unknown kind {value!r}; accepted: {', '.join(Kind)}", [{"field": "kind", "value": value}]
        ) from None
