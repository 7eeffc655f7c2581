"""Notification mails: one template per event, rendered as text and HTML in the recipient's language, threaded per
query.

Every user-visible string of a template is marked with ``N_`` (Babel extracts it into the catalogues) and translated
with ``gettext`` when the mail is rendered, under ``speaking(language)``: the outbox row keeps the recipient's
language (``store.review_schema.queue_mail``). Placeholders (``{author}``) are filled with the payload's values as
they are, but dates (``due_on``, ``closes``), which are written as the language writes them (``i18n.day``). A
translation whose placeholders are broken falls back to the English message rather than losing the mail.

Headers are built with ``email.message.EmailMessage`` and ``email.headerregistry.Address``: user input (names,
subjects made from a query's text) has its control characters turned into spaces first, so that nobody can add a
header by putting a line break in a name or a subject. ``Content-Language`` says which language the mail is in.
"""

import html
import re
from dataclasses import dataclass
from datetime import date
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

from observatory.i18n import DEFAULT, LANGUAGES, N_, RIGHT_TO_LEFT, current_language, day, gettext, speaking

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")
#: Payload fields holding an ISO date, written in the mail as the recipient's language writes dates.
DATES = ("due_on", "closes")


@dataclass(frozen=True, slots=True)
class Template:
    subject: str
    lead: str
    #: Shown under the lead when the payload has a ``body`` (the message's text).
    quote: str = "{body}"


TEMPLATES: dict[str, Template] = {
    "query-opened": Template(
        N_("[{country} {dataset}] Query {query_id} opened ({priority} priority)"),
        N_("{author} opened a {priority}-priority query on submission {submission_id}; please answer by {due_on}."),
    ),
    "query-answered": Template(
        N_("[{country} {dataset}] Query {query_id}: answered by {author}"),
        N_("{author} answered the query you opened."),
    ),
    "query-reply": Template(
        N_("[{country} {dataset}] Query {query_id}: reply from {author}"), N_("{author} replied on the query.")
    ),
    "query-resolved": Template(
        N_("[{country} {dataset}] Query {query_id} resolved ({resolution})"),
        N_("{author} resolved the query: {resolution}."),
    ),
    "query-reopened": Template(
        N_("[{country} {dataset}] Query {query_id} reopened"), N_("{author} reopened the query.")
    ),
    "query-withdrawn": Template(
        N_("[{country} {dataset}] Query {query_id} withdrawn"), N_("{author} withdrew the query.")
    ),
    "query-due": Template(
        N_("[{country} {dataset}] Query {query_id} is due on {due_on}"),
        N_("The query is due on {due_on} and still {status}."),
        "",
    ),
    "query-overdue": Template(
        N_("[{country} {dataset}] Query {query_id} is overdue"),
        N_("The query was due on {due_on} and is still {status}."),
        "",
    ),
    "submission-rejected": Template(
        N_("[{country} {dataset}] Submission {submission_id} rejected"),
        N_("{actor} rejected submission {submission_id}. The reason:"),
        "{comment}",
    ),
    "submission-approved": Template(
        N_("[{country} {dataset}] Submission {submission_id} approved"),
        N_("{actor} approved submission {submission_id}."),
        "",
    ),
    "submission-published": Template(
        N_("[{country} {dataset}] Submission {submission_id} published"),
        N_("{actor} published submission {submission_id}."),
        "",
    ),
    "round-due": Template(
        N_("Reporting round {dataset} {year} closes on {closes}"),
        N_("{country} has not yet submitted {dataset} for {year}; the round closes on {closes}."),
        "",
    ),
    "round-overdue": Template(
        N_("Reporting round {dataset} {year} closed on {closes}"),
        N_("{country} has not yet submitted {dataset} for {year}; the round closed on {closes}."),
        "",
    ),
}
LINK = N_("Open it: {url}")
FOOTER = N_("You get this mail from the Drug Observatory; you can turn off each kind of mail in your account: {url}")
#: Where a user turns each kind of mail off (``web.session_pages``).
PREFERENCES_PATH = "/account/preferences"


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def one_line(text: str) -> str:
    """``text`` fit for a header: control characters (CR, LF…) become single spaces."""
    return _CONTROL.sub(" ", text).strip()


def link_of(payload: dict[str, Any], site_url: str) -> str:
    if payload.get("query_id"):
        path = f"/review/queries/{payload['query_id']}"
    elif payload.get("submission_id"):
        path = f"/submissions/{payload['submission_id']}"
    else:
        path = "/review"
    return site_url.rstrip("/") + path


def render(
    template: str, payload: dict[str, Any], site_url: str = "", language: str | None = None
) -> tuple[str, str, str]:
    """Subject, text and HTML of a mail, in ``language`` (by default the current one)."""
    with speaking(language or current_language()):
        return _render(template, payload, site_url)


def _render(template: str, payload: dict[str, Any], site_url: str) -> tuple[str, str, str]:
    chosen = TEMPLATES[template]
    values = _Blank({key: _shown(key, value) for key, value in payload.items()})
    subject = one_line(say(chosen.subject, values))
    lead = say(chosen.lead, values)
    quote = chosen.quote.format_map(values).strip()
    url = link_of(payload, site_url)
    link = say(LINK, {"url": url})
    footer = say(FOOTER, {"url": site_url.rstrip("/") + PREFERENCES_PATH})
    text = "\n\n".join(part for part in (lead, _quoted(quote), link, "-- \n" + footer) if part)
    paragraphs = [f"<p>{html.escape(lead)}</p>"]
    if quote:
        paragraphs.append(f"<blockquote>{html.escape(quote).replace(chr(10), '<br>')}</blockquote>")
    paragraphs.append(f'<p><a href="{html.escape(url, quote=True)}">{html.escape(link)}</a></p>')
    paragraphs.append(f"<p><small>{html.escape(footer)}</small></p>")
    language = current_language()
    direction = "rtl" if language in RIGHT_TO_LEFT else "ltr"
    document = f'<!doctype html><html lang="{language}" dir="{direction}"><body>{"".join(paragraphs)}</body></html>'
    return subject, text, document


def say(message: str, values: dict[str, Any]) -> str:
    """``message`` in the current language with ``values`` put in; the English message when the translation's
    placeholders are broken (a catalogue's mistake never loses a mail)."""
    try:
        return gettext(message).format_map(values)
    except (ValueError, IndexError, AttributeError, TypeError, KeyError):
        return message.format_map(values)


def _shown(key: str, value: Any) -> Any:
    if value is None:
        return ""
    if key in DATES and isinstance(value, str):
        try:
            return day(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def thread_id(query_id: int, domain: str) -> str:
    """The Message-ID of a query's first mail, which every later mail of the query refers to."""
    return f"<query-{query_id}@{domain}>"


def build_message(
    row_id: int,
    template: str,
    payload: dict[str, Any],
    recipient: tuple[str, str],
    sender: str,
    *,
    query_id: int | None = None,
    site_url: str = "",
    date: Any = None,
    language: str = DEFAULT,
) -> EmailMessage:
    """The mail of one outbox row in ``language``: ``recipient`` is (display name, address); threaded under its
    query."""
    language = language if language in LANGUAGES else DEFAULT
    subject, text, markup = render(template, payload, site_url, language)
    sender_name, sender_address = parseaddr(sender)
    domain = sender_address.rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["From"] = Address(one_line(sender_name), addr_spec=sender_address)
    message["To"] = Address(one_line(recipient[0]), addr_spec=one_line(recipient[1]))
    message["Subject"] = subject
    if date is not None:
        message["Date"] = format_datetime(date)
    if query_id is not None and template == "query-opened":
        message["Message-ID"] = thread_id(query_id, domain)
    else:
        message["Message-ID"] = f"<mail-{row_id}@{domain}>"
    if query_id is not None and template != "query-opened":
        message["In-Reply-To"] = thread_id(query_id, domain)
        message["References"] = thread_id(query_id, domain)
    message.set_content(text)
    message.add_alternative(markup, subtype="html")
    message["Content-Language"] = language  # after the content: setting the content clears the Content-* headers
    return message


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" for line in text.splitlines()) if text else ""
