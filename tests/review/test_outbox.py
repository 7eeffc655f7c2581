"""The outbox over a real SMTP server (aiosmtpd on 127.0.0.1), on both engines: down then up, pending then sent
once; threading headers per query; no header injection through names or subjects."""

import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, select

from observatory.access.audit import utc_now
from observatory.review import build_message, deliver, open_query, post_message, resolve
from observatory.settings import Settings
from observatory.store.review_schema import MailOutbox
from tests.review.people import PROVIDER, REVIEWER, ghana_submission


class Inbox:
    def __init__(self) -> None:
        self.received: list[EmailMessage] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # aiosmtpd's hook
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(parsed)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """An inbox and a free port: nothing listens there until the test starts the server."""
    yield Inbox(), free_port()


def settings_for(port: int) -> Settings:
    return Settings(smtp_url=f"smtp://127.0.0.1:{port}?timeout=2", mail_from="Observatory <review@observatory.test>")


def test_smtp_down_then_up_leaves_pending_then_sends_once(engine: Engine, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    submission = ghana_submission(engine)
    query = open_query(engine, REVIEWER, submission, "why is 2021 ten times 2020?", "high")["id"]
    settings = settings_for(port)
    down = deliver(engine, settings)
    assert (down.sent, down.failed, down.pending) == (0, 1, 1)
    with engine.connect() as connection:
        row = connection.execute(select(MailOutbox)).one()
    assert (row.status, row.attempts) == ("pending", 1) and "Connection refused" in (row.last_error or "")
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert deliver(engine, settings).sent == 0  # not yet due: the retry waits
        later = utc_now() + timedelta(minutes=2)
        assert deliver(engine, settings, later).sent == 1
        assert deliver(engine, settings, later).sent == 0  # never twice
        post_message(engine, PROVIDER, query, "a unit error, corrected")
        resolve(engine, REVIEWER, query, "corrected")
        assert deliver(engine, settings, later).sent == 2
    finally:
        controller.stop()
    opened, reply, resolved = inbox.received
    assert [m["To"].addresses[0].addr_spec for m in inbox.received] == [
        "kofi@example.org",
        "moussa@example.org",
        "kofi@example.org",
    ]
    root = opened["Message-ID"]
    assert root == f"<query-{query}@observatory.test>"
    for later_mail in (reply, resolved):
        assert later_mail["In-Reply-To"] == root and later_mail["References"] == root
    assert "answered" in reply["Subject"] and "resolved (corrected)" in resolved["Subject"]
    assert {part.get_content_type() for part in opened.walk()} >= {"text/plain", "text/html"}


def test_without_smtp_settings_the_outbox_fills_and_nothing_is_sent(engine: Engine) -> None:
    submission = ghana_submission(engine)
    open_query(engine, REVIEWER, submission, "a question", "low")
    report = deliver(engine, Settings())
    assert (report.configured, report.pending, report.sent) == (False, 1, 0)


@pytest.mark.parametrize(
    "evil", ["Kofi\r\nBcc: thief@evil.example", "Kofi\nSubject: pwned", "Kofi\rX-Injected: 1", "K\u2028Bcc: x@y.z"]
)
def test_no_header_can_be_injected_through_a_name_or_a_subject(evil: str) -> None:
    payload = {"query_id": 7, "submission_id": 3, "country": evil, "dataset": evil, "author": evil, "priority": "high"}
    message = build_message(1, "query-opened", payload, (evil, "kofi@example.org"), f"{evil} <review@obs.test>")
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Bcc"] is None and parsed["X-Injected"] is None
    assert len(parsed.get_all("Subject") or []) == 1
    assert "\n" not in str(parsed["Subject"]) and "\r" not in str(parsed["To"])
    assert parsed["To"].addresses[0].addr_spec == "kofi@example.org"
