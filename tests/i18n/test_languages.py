"""Choosing the language of an answer, and catalogues read per language."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.i18n import choose, from_accept_language, gettext, number, speaking
from observatory.i18n.catalogues import LOCALE_DIR, catalogue


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("ar-EG", "ar"),
        ("zh-TW", "zh"),
        ("es-MX,es;q=0.9", "es"),
        ("de-DE,de;q=0.9,fr;q=0.5", "fr"),
        ("de;q=1, ru;q=0.2, fr;q=0", "ru"),
        ("*", None),
        ("", None),
        ("fr;q=abc, en", "en"),
        ("en;q=0.1, zh-Hans-CN;q=0.8", "zh"),
    ],
)
def test_accept_language_is_negotiated_on_the_primary_subtag(header: str, language: str | None) -> None:
    assert from_accept_language(header) == language


@pytest.mark.parametrize(
    ("query", "cookie", "profile", "header", "expected"),
    [
        ("fr", "ru", "es", "ar", ("fr", "query", None)),
        (None, "ru", "es", "ar", ("ru", "cookie", None)),
        (None, None, "es", "ar", ("es", "profile", None)),
        (None, None, None, "ar-EG", ("ar", "accept-language", None)),
        (None, None, None, None, ("en", "default", None)),
        ("klingon", "ru", None, "ar", ("en", "default", "klingon")),
    ],
)
def test_the_order_of_precedence(
    query: str | None,
    cookie: str | None,
    profile: str | None,
    header: str | None,
    expected: tuple[str, str, str | None],
) -> None:
    choice = choose(query, cookie, profile, header)
    assert (choice.language, choice.source, choice.unknown) == expected


@given(st.text(max_size=200), st.text(max_size=50), st.text(max_size=200))
def test_no_header_or_parameter_makes_choosing_fail(header: str, query: str, cookie: str) -> None:
    choice = choose(query or None, cookie or None, None, header)
    assert choice.language in ("ar", "zh", "en", "fr", "ru", "es")


def test_numbers_follow_the_locale() -> None:
    expected = {"en": "1,234,567.5", "fr": "1\u202f234\u202f567,5", "ru": "1\u00a0234\u00a0567,5", "es": "1.234.567,5"}
    for language, text in expected.items():
        with speaking(language):
            assert number(1234567.5, 1) == text


def test_a_message_without_a_translation_is_english_and_an_unknown_language_is_english() -> None:
    with speaking("xx"):
        assert gettext("Submissions") == "Submissions"


@pytest.mark.parametrize("language", ["ar", "es", "fr", "ru", "zh"])
def test_every_catalogue_reads_and_formats_each_of_its_messages(language: str) -> None:
    """A translation with a broken placeholder fails here: each message is formatted with its msgid's names."""
    import re

    assert (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").is_file()
    names = re.compile(r"%\((\w+)\)s")
    for message_id, translated in catalogue(language).messages.items():
        texts = translated if isinstance(translated, tuple) else (translated,)
        wanted = set(names.findall(message_id.split("\x04")[-1]))
        for text in texts:
            assert set(names.findall(text)) == wanted, (language, message_id, text)
            if wanted:
                assert text % dict.fromkeys(wanted, "x")
