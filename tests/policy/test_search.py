"""Full-text search: the query syntax, and one API over SQLite FTS5 and PostgreSQL full text."""

import pytest
from sqlalchemy import Engine

from observatory.errors import BadInput
from observatory.policy.search import search
from observatory.policy.search.query import SearchSyntaxError, parse, to_fts5, to_tsquery


@pytest.mark.parametrize(
    ("query", "fts5", "tsquery"),
    [
        ("harm reduction", '"harm" OR "reduction"', "harm | reduction"),
        (
            '"needle and syringe" programmes',
            '"needle and syringe" OR "programmes"',
            "(needle <-> and <-> syringe) | programmes",
        ),
        ("treat* -cannabis", '("treat"*) NOT ("cannabis")', "(treat:*) & !(cannabis)"),
        ("the role of WOMEN in prisons", '"role" OR "women" OR "prisons"', "role | women | prisons"),
        ("HIV/AIDS; 3.5", '"hiv" OR "aids" OR "3" OR "5"', "hiv | aids | 3 | 5"),
    ],
)
def test_queries_render_for_each_engine(query: str, fts5: str, tsquery: str) -> None:
    parsed = parse(query)
    assert (to_fts5(parsed), to_tsquery(parsed)) == (fts5, tsquery)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("", "empty"),
        ('"harm reduction', "not closed"),
        ('"" prisons', "phrase is empty"),
        ("- prisons", "must be followed"),
        ("*", "'*' must follow a word"),
        ("tr*eat", "'*' may only end a word"),
        ("-cannabis", "only exclusions"),
        ("the of and", "no word to look for"),
        ("x " * 300, "longer than 500"),
    ],
)
def test_a_bad_query_is_bad_input_with_the_reason(query: str, reason: str) -> None:
    with pytest.raises(SearchSyntaxError, match=reason) as caught:
        parse(query)
    assert caught.value.status == 400


@pytest.mark.parametrize(
    ("query", "kind", "country", "expected"),
    [
        ("training parents in parenting skills", None, None, ("programme", "family-skills-training")),
        ("ports and shipping containers inspections", None, None, ("programme", "container-control-programme")),
        ("coffee and tea instead of opium", None, None, ("programme", "sustainable-livelihoods-myanmar")),
        ("sports for young people at risk", None, None, ("programme", "line-up-live-up")),
        ("reducing harms for people who inject", "strategy", "CAN", ("strategy", "cdpe-64")),
        ("fentanyl analogues schedule", "law", None, ("law", "us-csa")),
        ("commitment to human rights in drug policies", "recommendation", None, ("recommendation", "ch4-commitment")),
    ],
)
def test_search_finds_records_described_in_other_words(
    seeded: Engine, query: str, kind: str | None, country: str | None, expected: tuple[str, str]
) -> None:
    hits = search(seeded, query, kind=kind, country=country, top=5)
    assert (str(hits[0].kind), hits[0].id) == expected
    assert "<mark>" in hits[0].snippet and hits[0].score > 0


def test_a_country_strategy_is_found_for_its_policy_named_in_other_words(seeded: Engine) -> None:
    hits = search(seeded, "alternative incomes for farmers who grow poppy", kind="strategy", top=3)
    assert "cdpe-2" in [hit.id for hit in hits]
    assert {hit.country for hit in hits} <= {"AFG", "IND", "MMR"}


def test_filters_by_kind_and_country(seeded: Engine) -> None:
    hits = search(seeded, "treatment", country="CAN", top=20)
    assert hits and all(hit.country == "CAN" for hit in hits)
    assert {str(hit.kind) for hit in search(seeded, "treatment", kind="programme", top=20)} == {"programme"}
    assert [hit.id for hit in search(seeded, "ecowas", country="MRT")] == ["ecowas-partnership"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [({"kind": "novel"}, "unknown kind 'novel'"), ({"top": 0}, "top must be"), ({"country": "XX"}, "unknown ISO")],
)
def test_bad_filters_are_bad_input(seeded: Engine, arguments: dict[str, object], message: str) -> None:
    with pytest.raises(BadInput, match=message):
        search(seeded, "treatment", **arguments)  # type: ignore[arg-type]


def test_no_match_is_an_empty_list(seeded: Engine) -> None:
    assert search(seeded, "zyxwvut") == []
