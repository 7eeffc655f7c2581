"""Bounded full-text work: filters from memory (``facets``), BM25 over a small filtered set or AND first
(``pruning.plans``), snippets from a copy of the hits, and the exact scan of a filter's rows (``vector_index``)."""

import numpy as np
import pytest
from sqlalchemy import Engine, bindparam, text

from observatory.policy.search import pruning, search, service
from observatory.policy.search.facets import facets
from observatory.policy.search.index import FTS_TABLE
from observatory.policy.search.query import parse, to_fts5
from observatory.policy.search.service import snippets
from tests.policy.test_vector_index import anisotropic, index_of

FILTERS = [("strategy", ()), (None, ("CAN",)), ("programme", ("COL",)), ("law", ("CAN", "USA")), (None, ("NAM",))]


@pytest.mark.parametrize(("kind", "countries"), FILTERS)
def test_facets_allow_the_documents_the_store_says_pass(
    seeded: Engine, kind: str | None, countries: tuple[str, ...]
) -> None:
    clauses = ["1 = 1"] + (["d.kind = :kind"] if kind else [])
    if countries:
        clauses.append(
            "EXISTS (SELECT 1 FROM policy_search_country c WHERE c.document_id = d.id AND c.iso3 IN :countries)"
        )
    statement = text(f"SELECT d.id FROM policy_search_document d WHERE {' AND '.join(clauses)} ORDER BY d.id")
    if countries:
        statement = statement.bindparams(bindparam("countries", expanding=True))
    with seeded.connect() as connection:
        expected = connection.scalars(statement, {"kind": kind, "countries": list(countries)}).all()
        allowed = facets(connection).allowed(kind, countries)
        assert facets(connection).allowed(None, ()) is None
    assert allowed is not None and allowed.tolist() == expected


def sqlite_only(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("FTS5 only")


@pytest.mark.parametrize("query", ["treatment", "harm reduction for people who inject drugs", "treatment -cannabis"])
@pytest.mark.parametrize(("kind", "countries"), FILTERS[:3])
def test_ranking_within_a_small_filtered_set_equals_ranking_then_filtering(
    seeded: Engine, monkeypatch: pytest.MonkeyPatch, query: str, kind: str | None, countries: tuple[str, ...]
) -> None:
    sqlite_only(seeded)
    country = countries[0] if countries else None
    monkeypatch.setattr(service, "WITHIN", 0)
    afterwards = search(seeded, query, kind=kind, country=country, top=20)
    monkeypatch.setattr(service, "WITHIN", 1_000_000)
    within = search(seeded, query, kind=kind, country=country, top=20)
    assert [(hit.id, round(hit.score, 9)) for hit in within] == [(hit.id, round(hit.score, 9)) for hit in afterwards]
    assert within and all(kind is None or hit.kind == kind for hit in within)


def test_a_query_whose_rarest_term_is_too_common_ranks_documents_with_its_rarest_terms_first(
    seeded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite_only(seeded)
    pruning.forget()
    parsed = parse("drug treatment prison services")
    with seeded.connect() as connection:
        assert pruning.plans(connection, parsed) == [to_fts5(parsed)]  # few documents: nothing is left out
        frequencies = {term.words[0]: pruning.frequency(connection, term) for term in parsed.terms}
        monkeypatch.setattr(pruning, "WORK", min(frequencies.values()) - 1)
        plans = pruning.plans(connection, parsed)
    rarest = sorted(frequencies, key=lambda word: frequencies[word])
    assert plans == [
        " AND ".join(f'"{word}"' for word in rarest[:3]),
        " AND ".join(f'"{word}"' for word in rarest[:2]),
        f'"{rarest[0]}"',
    ]
    hits = search(seeded, "drug treatment prison services", top=3)
    assert len(hits) == 3  # the conjunction found enough, or the rarest term alone did
    many = search(seeded, "drug treatment prison services", top=100)
    assert len(many) > 3  # too few with all three: the next plan ranks more


def test_snippets_from_the_copy_equal_those_of_the_whole_index(seeded: Engine) -> None:
    sqlite_only(seeded)
    parsed = parse('"needle and syringe" programmes prisons')
    with seeded.connect() as connection:
        ids = connection.scalars(
            text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match LIMIT 12"), {"match": to_fts5(parsed)}
        ).all()
        whole: dict[int, str] = {
            row[0]: service._marked(row[1])
            for row in connection.execute(
                text(
                    f"SELECT rowid, snippet({FTS_TABLE}, -1, char(2), char(3), ' … ', 24) FROM {FTS_TABLE} "
                    f"WHERE {FTS_TABLE} MATCH :match AND rowid IN ({', '.join(map(str, ids))})"
                ),
                {"match": to_fts5(parsed)},
            )
        }
    made = snippets(seeded, parsed, list(ids))
    assert len(ids) == 12 and set(made) == set(ids)
    assert made == whole and sum("<mark>" in snippet for snippet in made.values()) == 12
    assert snippets(seeded, parsed, list(ids[:2])).keys() == set(ids[:2])  # the copy holds only the hits asked


def test_a_filter_scans_its_rows_exactly() -> None:
    matrix = anisotropic(3_000)
    index = index_of(matrix, True)
    query = anisotropic(1, seed=5)[0]
    mask = index.allowed(None, ("CAN",), set())
    similarity = index.similarities(query, mask)
    rows = np.flatnonzero(mask)
    assert np.allclose(similarity[rows], matrix[rows] @ query, atol=1e-6)
    assert np.all(similarity[~mask] == -1.0)
    exact = np.sort(rows[np.argsort(-(matrix[rows] @ query))[:10]])
    assert np.sort(index.nearest(similarity, mask, 10, query)).tolist() == exact.tolist()
