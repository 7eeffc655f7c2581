"""Notification mails: one template per event, rendered as text and HTML, threaded per query.

Every user-visible string of a template sits in one ``Template`` entry below, so that the catalogue of the language
issue can wrap each in ``gettext`` when it lands; until then every mail is in English (the outbox row keeps the
recipient's language for that day).

Headers are built with ``email.message.EmailMessage`` and ``email.headerregistry.Address``: user input (names,
subjects made from a query's text) has its control characters turned into spaces first, so that nobody can add a
header by putting a line break in a name or a subject.
"""

import html
import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")


@dataclass(frozen=True, slots=True)
class Template:
    subject: str
    lead: str
    #: Shown under the lead when the payload has a ``body`` (the message's text).
    quote: str = "{body}"


QUERY = "[{country} {dataset}] Query {query_id}"
TEMPLATES: dict[str, Template] = {
    "query-opened": Template(
        QUERY + " opened ({priority} priority)",
        "{author} opened a {priority}-priority query on submission {submission_id}; please answer by {due_on}.",
    ),
    "query-answered": Template(QUERY + ": answered by {author}", "{author} answered the query you opened."),
    "query-reply": Template(QUERY + ": reply from {author}", "{author} replied on the query."),
    "query-resolved": Template(QUERY + " resolved ({resolution})", "{author} resolved the query: {resolution}."),
    "query-reopened": Template(QUERY + " reopened", "{author} reopened the query."),
    "query-withdrawn": Template(QUERY + " withdrawn", "{author} withdrew the query."),
    "query-due": Template(QUERY + " is due on {due_on}", "The query is due on {due_on} and still {status}.", ""),
    "query-overdue": Template(QUERY + " is overdue", "The query was due on {due_on} and is still {status}.", ""),
    "submission-rejected": Template(
        "[{country} {dataset}] Submission {submission_id} rejected",
        "{actor} rejected submission {submission_id}. The reason:",
        "{comment}",
    ),
    "submission-approved": Template(
        "[{country} {dataset}] Submission {submission_id} approved", "{actor} approved submission {submission_id}.", ""
    ),
    "submission-published": Template(
        "[{country} {dataset}] Submission {submission_id} published",
        "{actor} published submission {submission_id}.",
        "",
    ),
    "round-due": Template(
        "Reporting round {dataset} {year} closes on {closes}",
        "{country} has not yet submitted {dataset} for {year}; the round closes on {closes}.",
        "",
    ),
    "round-overdue": Template(
        "Reporting round {dataset} {year} closed on {closes}",
        "{country} has not yet submitted {dataset} for {year}; the round closed on {closes}.",
        "",
    ),
}
LINK = "Open it: {url}"
FOOTER = "You get this mail from the Drug Observatory; you can turn off each kind of mail in your account."


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


def render(template: str, payload: dict[str, Any], site_url: str = "") -> tuple[str, str, str]:
    """Subject, text and HTML of a mail."""
    chosen = TEMPLATES[template]
    values = _Blank({key: "" if value is None else value for key, value in payload.items()})
    subject = one_line(chosen.subject.format_map(values))
    lead = chosen.lead.format_map(values)
    quote = chosen.quote.format_map(values).strip()
    link = LINK.format(url=link_of(payload, site_url))
    text = "\n\n".join(part for part in (lead, _quoted(quote), link, "-- \n" + FOOTER) if part)
    paragraphs = [f"<p>{html.escape(lead)}</p>"]
    if quote:
        paragraphs.append(f"<blockquote>{html.escape(quote).replace(chr(10), '<br>')}</blockquote>")
    url = html.escape(link_of(payload, site_url), quote=True)
    paragraphs.append(f'<p><a href="{url}">{html.escape(link)}</a></p>')
    paragraphs.append(f"<p><small>{html.escape(FOOTER)}</small></p>")
    return subject, text, f"<!doctype html><html><body>{''.join(paragraphs)}</body></html>"


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
) -> EmailMessage:
    """The mail of one outbox row: ``recipient`` is (display name, address); threaded under its query."""
    subject, text, markup = render(template, payload, site_url)
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
    return message


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" for line in text.splitlines()) if text else ""
