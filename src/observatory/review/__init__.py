"""Regional review: queries on submitted values, their threads, follow-up flags, mail notifications, reminders.

    from observatory.review import open_query, post_message, resolve, list_queries, InboxFilter, deliver, remind

    query = open_query(engine, reviewer, submission_id, "2021 total is ten times 2020's", "high")
    post_message(engine, provider, query["id"], "a unit error: tonnes, not kilograms")   # answered; mails the opener
    resolve(engine, reviewer, query["id"], "corrected")                                   # mails the provider
    list_queries(engine, reviewer, InboxFilter(status="open", network="WENDU", overdue=True))
    remind(engine, date.today())          # deadlines of rounds and queries; idempotent
    deliver(engine, settings)             # the outbox over SMTP (OBSERVATORY_SMTP_URL), with retries

Approval itself stays in ``reporting.workflow``: it refuses to approve or accept while a high-priority query is open
or answered (409 ``open-review-queries``), and makes the network's regional review the approval of its members'
submissions where the network's data say so. Mails are queued in the records store's outbox in the transaction of
the event they tell of (``store.review_schema.queue_mail``) and delivered by ``deliver``.
"""

from observatory.review.actions import (
    attach,
    attachment_content,
    correct_in_answer,
    post_message,
    reopen,
    resolve,
    withdraw,
)
from observatory.review.followup import followups, set_followup
from observatory.review.mails import build_message, render
from observatory.review.outbox import Delivery, deliver, outbox, parse_smtp_url
from observatory.review.queries import (
    PRIORITIES,
    RESOLUTIONS,
    STATUSES,
    InboxFilter,
    is_reviewer,
    list_queries,
    open_query,
    query_detail,
)
from observatory.review.reminders import Reminded, remind, round_milestone

__all__ = [
    "PRIORITIES",
    "RESOLUTIONS",
    "STATUSES",
    "Delivery",
    "InboxFilter",
    "Reminded",
    "attach",
    "attachment_content",
    "build_message",
    "correct_in_answer",
    "deliver",
    "followups",
    "is_reviewer",
    "list_queries",
    "open_query",
    "outbox",
    "parse_smtp_url",
    "post_message",
    "query_detail",
    "remind",
    "render",
    "reopen",
    "resolve",
    "round_milestone",
    "set_followup",
    "withdraw",
]
