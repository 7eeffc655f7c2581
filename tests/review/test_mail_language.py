"""Mails in the recipient's language: the outbox row keeps it, the sender renders subject, text and HTML with the
catalogue of that language, dates as the language writes them, and says which language with ``Content-Language``.

The catalogues are translated by hand after the messages are extracted, so the assertions on words hold against
whatever the catalogue says today: each rendered message equals the catalogue's translation (and differs from the
English one wherever the catalogue has a translation); the dates, written by CLDR, are French or Arabic at once."""

import re
from datetime import date, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, select

from observatory.access.audit import utc_now
from observatory.access.preferences import set_preferences
from observatory.i18n import day, gettext, speaking
from observatory.i18n.catalogues import Catalogue, catalogue
from observatory.review import build_message, deliver, open_query, post_message, render
from observatory.review.mails import FOOTER, LINK, TEMPLATES, say
from observatory.store.review_schema import MailOutbox, ReviewQuery
from tests.review.people import ADMIN, PROVIDER, REVIEWER, ghana_submission
from tests.review.test_outbox import Inbox, settings_for, smtp  # noqa: F401  (the fixture)

PAYLOAD = {
    "query_id": 7,
    "submission_id": 3,
    "country": "GHA",
    "dataset": "annual-seizures",
    "priority": "high",
    "status": "open",
    "resolution": None,
    "due_on": "2026-01-12",
    "author": "moussa",
    "body": "why is 2021 ten times 2020?",
}
#: January 12, 2026 as CLDR writes it (the medium format): French abbreviates the month, Arabic writes figures with
#: right-to-left marks.
JANUARY = {"fr": "12 janv. 2026", "ar": "12\u200f/01\u200f/2026", "en": "Jan 12, 2026"}


def expected(message: str, language: str, **values: object) -> str:
    with speaking(language):
        return gettext(message).format(**values)


def translated(message: str, language: str) -> bool:
    return isinstance(catalogue(language).messages.get(message), str)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_mail_is_rendered_from_the_catalogue_of_its_language(language: str) -> None:
    subject, text, markup = render("query-opened", PAYLOAD, "https://obs.test", language)
    with speaking(language):
        due = day(date(2026, 1, 12))
    assert due == JANUARY[language]
    template = TEMPLATES["query-opened"]
    assert subject == expected(template.subject, language, **PAYLOAD)
    lead = expected(template.lead, language, **{**PAYLOAD, "due_on": due})
    assert text.startswith(lead) and due in lead and "2026-01-12" not in text
    assert expected(LINK, language, url="https://obs.test/review/queries/7") in text
    assert expected(FOOTER, language, url="https://obs.test/account/preferences") in text
    assert f'lang="{language}"' in markup
    assert ('dir="rtl"' in markup) is (language == "ar")
    for message in (template.subject, template.lead, LINK, FOOTER):
        if translated(message, language):  # once the catalogue has it, the mail no longer says it in English
            with speaking(language):
                assert gettext(message) != message


def test_every_template_renders_in_every_language_without_losing_a_placeholder() -> None:
    for language in ("ar", "zh", "en", "fr", "ru", "es"):
        for name in TEMPLATES:
            subject, text, _ = render(
                name, {**PAYLOAD, "year": 2025, "closes": "2026-03-31", "actor": "ama"}, "", language
            )
            assert subject and text and "{" not in subject and "{" not in text


def test_a_translation_with_a_broken_placeholder_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    french = catalogue("fr")
    broken = Catalogue({**french.messages, LINK: "Ouvrez-la : {adresse"}, french.plural)
    monkeypatch.setattr("observatory.i18n.catalogues.catalogue", lambda _language: broken)
    with speaking("fr"):
        assert say(LINK, {"url": "https://obs.test/x"}) == "Open it: https://obs.test/x"


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_message_says_its_language_and_keeps_its_headers_safe(language: str) -> None:
    evil = "Kofi\r\nBcc: thief@evil.example"
    message = build_message(
        1,
        "query-opened",
        {**PAYLOAD, "author": evil},
        (evil, "kofi@example.org"),
        "Obs <r@obs.test>",
        language=language,
    )
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    assert parsed["Content-Language"] == language and parsed["Bcc"] is None
    assert str(parsed["Subject"]) == render("query-opened", {**PAYLOAD, "author": evil}, "", language)[0]
    html_part = parsed.get_body(("html",))
    assert html_part is not None and JANUARY[language] in html_part.get_content()


def test_an_unknown_language_on_a_row_is_english() -> None:
    message = build_message(1, "query-opened", PAYLOAD, ("Kofi", "kofi@example.org"), "r@obs.test", language="xx")
    assert message["Content-Language"] == "en" and "Jan 12, 2026" in plain(message)


def test_the_outbox_keeps_each_recipients_language_and_the_sender_writes_in_it(
    engine: Engine,
    smtp: tuple[Inbox, int],  # noqa: F811
) -> None:
    inbox, port = smtp
    submission = ghana_submission(engine)
    set_preferences(engine, PROVIDER, PROVIDER.username, language="fr")
    set_preferences(engine, ADMIN, REVIEWER.username, language="ar")
    query = open_query(engine, REVIEWER, submission, "why is 2021 ten times 2020?", "high")["id"]
    post_message(engine, PROVIDER, query, "a unit error, corrected")
    with engine.connect() as connection:
        rows = {row.username: (row.language, row.payload) for row in connection.execute(select(MailOutbox))}
    assert {username: language for username, (language, _) in rows.items()} == {"kofi": "fr", "moussa": "ar"}
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert deliver(engine, settings_for(port), utc_now() + timedelta(minutes=1)).sent == 2
    finally:
        controller.stop()
    by_address = {mail["To"].addresses[0].addr_spec: mail for mail in inbox.received}
    french, arabic = by_address["kofi@example.org"], by_address["moussa@example.org"]
    assert (french["Content-Language"], arabic["Content-Language"]) == ("fr", "ar")
    opened, answered = TEMPLATES["query-opened"], TEMPLATES["query-answered"]
    assert str(french["Subject"]) == expected(opened.subject, "fr", **rows["kofi"][1])
    assert str(arabic["Subject"]) == expected(answered.subject, "ar", **rows["moussa"][1])
    assert expected(answered.lead, "ar", author="kofi") in plain(arabic)
    with engine.connect() as connection:
        due = connection.scalar(select(ReviewQuery.due_on).where(ReviewQuery.id == query))
    with speaking("fr"):
        assert day(due) in plain(french)


def plain(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_a_user_without_a_language_gets_the_default(engine: Engine) -> None:
    submission = ghana_submission(engine)
    open_query(engine, REVIEWER, submission, "a question", "low")
    with engine.connect() as connection:
        assert connection.scalar(select(MailOutbox.language)) == "en"


BRACES = re.compile(r"\{(\w*)\}")


@pytest.mark.parametrize("language", ["ar", "zh", "fr", "ru", "es"])
def test_translations_of_the_mails_keep_their_placeholders(language: str) -> None:
    """A translator's misspelt ``{author}`` fails here, not in a mail (where it would fall back to English)."""
    messages = {FOOTER, LINK} | {text for template in TEMPLATES.values() for text in (template.subject, template.lead)}
    for message in messages:
        translation = catalogue(language).messages.get(message)
        if isinstance(translation, str):
            wanted = set(BRACES.findall(message))
            assert set(BRACES.findall(translation)) == wanted, (language, message, translation)
            translation.format_map(dict.fromkeys(wanted, "x"))
