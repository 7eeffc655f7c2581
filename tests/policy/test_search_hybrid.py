"""Hybrid and semantic search over the seeded records, on both engines: records named in other words or in
another language are found where full text alone misses them; filters, exclusions and snippets hold; without
the model, search falls back to full text and says so."""

import pytest
from sqlalchemy import Engine

from observatory.errors import BadInput
from observatory.policy.search import Mode, find, search
from observatory.policy.search.embedder import NONE

#: A national strategy named in other words: (query, the strategy, its country). Full text misses each (not in
#: its top 3) on both engines.
STRATEGY_PARAPHRASES = [
    ("drug strategy for the Indigenous peoples of Australia", "cdpe-21", "AUS"),
    ("Canadian programme for Indigenous teenagers sniffing glue and inhalants", "cdpe-63", "CAN"),
    ("how many Canadians died from opioid overdoses", "cdpe-67", "CAN"),
]
#: Programmes described in other words, which full text misses on both engines.
OTHER_PARAPHRASES = [
    ("inspecting cargo boxes at seaports to stop smuggling", "container-control-programme"),
    ("treatment instead of prison for people who use drugs", "alternatives-to-imprisonment"),
    ("drug control cooperation among South-East Asian countries", "mekong-mou"),
]
#: Records asked for in French, Spanish, Russian and Arabic; the records are in English.
TRANSLATIONS = [
    (
        "programmes de renforcement des compétences familiales pour prévenir la consommation de drogues",
        "family-skills-training",
    ),
    ("control de contenedores en los puertos marítimos", "container-control-programme"),
    ("lavado de dinero procedente del narcotráfico", "money-laundering-programme"),
    ("программа контроля контейнеров в морских портах", "container-control-programme"),
    ("التدريب على المهارات الأسرية للوقاية من تعاطي المخدرات", "family-skills-training"),
]


def ids(engine: Engine, query: str, mode: Mode, top: int, country: str | None = None) -> list[str]:
    return [hit.id for hit in find(engine, query, top=top, mode=mode, country=country).hits]


@pytest.mark.parametrize(("query", "strategy", "country"), STRATEGY_PARAPHRASES)
def test_a_strategy_named_in_other_words_is_found_by_hybrid_search_and_missed_by_full_text(
    seeded: Engine, query: str, strategy: str, country: str
) -> None:
    found = find(seeded, query, top=3)
    assert found.mode is Mode.HYBRID and found.note is None
    assert strategy in [hit.id for hit in found.hits]
    assert next(hit for hit in found.hits if hit.id == strategy).country == country
    literal = find(seeded, query, top=3, mode=Mode.FULLTEXT, understand=False)
    assert strategy not in [hit.id for hit in literal.hits]


@pytest.mark.parametrize(("query", "record"), OTHER_PARAPHRASES)
def test_a_programme_described_in_other_words_comes_first(seeded: Engine, query: str, record: str) -> None:
    assert ids(seeded, query, Mode.HYBRID, top=3)[0] == record
    assert record not in ids(seeded, query, Mode.FULLTEXT, top=3)


@pytest.mark.parametrize(("query", "programme"), TRANSLATIONS)
def test_a_query_in_another_un_language_finds_the_english_record(seeded: Engine, query: str, programme: str) -> None:
    assert programme in ids(seeded, query, Mode.HYBRID, top=3)
    assert programme not in ids(seeded, query, Mode.FULLTEXT, top=3)


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        ({"kind": "strategy", "country": "CAN"}, lambda hit: str(hit.kind) == "strategy" and hit.country == "CAN"),
        ({"kind": "programme"}, lambda hit: str(hit.kind) == "programme"),
        ({"country": "AFG"}, lambda hit: hit.country in ("AFG", None)),
    ],
)
@pytest.mark.parametrize("mode", [Mode.HYBRID, Mode.SEMANTIC])
def test_filters_hold_in_every_mode(seeded: Engine, mode: Mode, filters: dict[str, str], check: object) -> None:
    hits = find(seeded, "helping people who use drugs", top=20, mode=mode, **filters).hits  # type: ignore[arg-type]
    assert hits and all(check(hit) for hit in hits)  # type: ignore[operator]


def test_a_multi_country_record_is_found_under_each_of_its_countries(seeded: Engine) -> None:
    assert ids(seeded, "regional cooperation in West Africa", Mode.SEMANTIC, top=5, country="MRT") == [
        "ecowas-partnership"
    ]


@pytest.mark.parametrize("mode", [Mode.HYBRID, Mode.SEMANTIC])
def test_excluded_words_exclude_documents_found_by_meaning(seeded: Engine, mode: Mode) -> None:
    query = "parents and children drug prevention"
    assert "family-skills-training" in ids(seeded, query, mode, top=10)
    assert "family-skills-training" not in ids(seeded, query + " -parenting -parents", mode, top=10)


@pytest.mark.parametrize("mode", [Mode.HYBRID, Mode.SEMANTIC])
@pytest.mark.parametrize("query", ["zyxwvut", "asdf qwer", "banana bread recipe"])
def test_nonsense_finds_nothing(seeded: Engine, mode: Mode, query: str) -> None:
    assert find(seeded, query, mode=mode).hits == []


def test_snippets_are_escaped_html_marking_the_query_words(seeded: Engine) -> None:
    hits = find(seeded, "sport to keep youngsters away from crime", top=5).hits
    assert hits[0].id == "line-up-live-up"
    assert "<mark>" in hits[0].snippet and "<script" not in hits[0].snippet
    found_by_meaning = find(seeded, "football and sport to keep youngsters away from crime", mode=Mode.SEMANTIC).hits
    assert found_by_meaning[0].id == "line-up-live-up" and "<mark>sport" in found_by_meaning[0].snippet


@pytest.mark.parametrize(
    ("model", "reason"),
    [(NONE, "turned off"), ("bert-base-klingon", "unknown search model 'bert-base-klingon'")],
)
@pytest.mark.parametrize("mode", [Mode.HYBRID, Mode.SEMANTIC])
def test_without_the_model_search_falls_back_to_full_text_and_says_why(
    seeded: Engine, mode: Mode, model: str, reason: str
) -> None:
    found = find(seeded, "parents and children drug prevention", kind="programme", mode=mode, model=model)
    assert (found.mode, found.requested, found.model) == (Mode.FULLTEXT, mode, None)
    assert found.note is not None and reason in found.note
    assert found.hits == search(seeded, "parents and children drug prevention", kind="programme")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"mode": "vibes"}, "unknown search mode 'vibes'"),
        ({"kind": "novel"}, "unknown kind 'novel'"),
        ({"top": 0}, "top must be"),
        ({"country": "XX"}, "unknown ISO"),
    ],
)
def test_bad_arguments_are_bad_input(seeded: Engine, arguments: dict[str, object], message: str) -> None:
    with pytest.raises(BadInput, match=message):
        find(seeded, "treatment", **arguments)  # type: ignore[arg-type]
