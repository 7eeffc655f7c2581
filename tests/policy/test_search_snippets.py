"""Snippets of documents found by meaning: the stretch with most query words, marked, escaped."""

import pytest

from observatory.policy.search.query import plain_text
from observatory.policy.search.snippets import highlight


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        (
            "Needle and syringe programmes for people who inject.",
            ["injecting"],
            "Needle and syringe programmes for people who <mark>inject</mark>.",
        ),
        ("Sport builds life skills.", ["sports", "the"], "<mark>Sport</mark> builds life skills."),
        ("Cars <b>and</b> vans.", ["vans"], "Cars &lt;b&gt;and&lt;/b&gt; <mark>vans</mark>."),
        ("Coffee and tea.", ["opium"], "Coffee and tea."),
        ("ab abc", ["ab"], "<mark>ab</mark> abc"),
        ("", ["x"], ""),
    ],
)
def test_highlight_marks_words_sharing_a_stem_and_escapes_the_rest(text: str, words: list[str], expected: str) -> None:
    assert highlight(text, words) == expected


def test_the_window_goes_where_the_query_words_are() -> None:
    text = " ".join(["filler"] * 50 + ["customs", "containers", "ports"] + ["filler"] * 50)
    snippet = highlight(text, ["containers", "ports"])
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>containers</mark> <mark>ports</mark>" in snippet and snippet.count("filler") == 27


@pytest.mark.parametrize(
    ("query", "plain"),
    [
        ('"needle and syringe" programmes -cannabis', "needle and syringe programmes"),
        ("treat* for people who use drugs", "treat for people who use drugs"),
        ("стратегия -Россия", "стратегия"),
    ],
)
def test_the_model_reads_the_query_without_its_syntax(query: str, plain: str) -> None:
    assert plain_text(query) == plain
