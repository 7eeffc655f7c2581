"""``observatory review``: queries on submissions, reminders and the mail outbox.

``remind`` and ``notify`` are meant for cron (the README shows the lines): ``remind`` queues the reminders due today
and is idempotent; ``notify`` delivers the outbox over ``OBSERVATORY_SMTP_URL``, retrying later what fails.
"""

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Annotated, TypeVar

import typer
from sqlalchemy import Engine

from observatory.access.policy import Principal, Role
from observatory.cli.output import emit_json, err, reports_errors
from observatory.settings import Settings

app = typer.Typer(help="Regional review: queries, reminders, notification mails.", no_args_is_help=True)
LOCAL_ADMIN = Principal("local-admin", Role.ADMIN)
T = TypeVar("T")
AsUser = Annotated[str | None, typer.Option("--as", help="Act as this user instead of the local admin.")]


def _with_records(work: Callable[[Engine], T]) -> T:
    from observatory.cli.bootstrap import open_records

    engine = open_records(Settings())
    try:
        return work(engine)
    finally:
        engine.dispose()


def _principal(engine: Engine, username: str | None) -> Principal:
    from observatory.access.users import principal_of

    return LOCAL_ADMIN if username is None else principal_of(engine, username)


@app.command("remind")
@reports_errors
def remind_command(
    today: Annotated[str | None, typer.Option(help="The day to remind for (YYYY-MM-DD); default: today.")] = None,
) -> None:
    """Queue the reminders of reporting rounds and query due dates; run twice, it queues once."""
    from observatory.review import remind

    day = date.fromisoformat(today) if today else date.today()
    emit_json(asdict(_with_records(lambda engine: remind(engine, day))))


@app.command("notify")
@reports_errors
def notify_command() -> None:
    """Deliver the mail outbox over SMTP; without OBSERVATORY_SMTP_URL, say how many mails wait."""
    from observatory.review import deliver

    settings = Settings()
    report = _with_records(lambda engine: deliver(engine, settings))
    if not report.configured:
        err.print(f"OBSERVATORY_SMTP_URL is not set: {report.pending} mails wait in the outbox (review outbox)")
    emit_json(asdict(report))


@app.command("outbox")
@reports_errors
def outbox_command(status: Annotated[str | None, typer.Option(help="pending, sending or sent")] = None) -> None:
    """The notification mails, sent or waiting: what would be sent without SMTP settings."""
    from observatory.review import outbox

    emit_json({"mails": _with_records(lambda engine: outbox(engine, LOCAL_ADMIN, status))})


@app.command("queries")
@reports_errors
def queries_command(
    status: Annotated[str | None, typer.Option(help="open, answered, resolved or withdrawn")] = None,
    network: Annotated[str | None, typer.Option(help="e.g. WENDU")] = None,
    country: Annotated[str | None, typer.Option(help="ISO3 code")] = None,
    overdue: Annotated[bool | None, typer.Option("--overdue/--not-overdue")] = None,
    as_user: AsUser = None,
) -> None:
    """The queries the user may see."""
    from observatory.review import InboxFilter, list_queries

    chosen = InboxFilter(status, network, country, overdue, assigned_to_me=as_user is not None)
    emit_json({"queries": _with_records(lambda e: list_queries(e, _principal(e, as_user), chosen))})


@app.command("open")
@reports_errors
def open_command(
    submission_id: int,
    message: Annotated[str, typer.Option(help="The question.")],
    priority: Annotated[str, typer.Option(help="low, medium or high")] = "medium",
    value: Annotated[int | None, typer.Option(help="The value (observation id) it is about.")] = None,
    as_user: AsUser = None,
) -> None:
    """Open a query on a submission."""
    from observatory.review import open_query

    emit_json(_with_records(lambda e: open_query(e, _principal(e, as_user), submission_id, message, priority, value)))


@app.command("show")
@reports_errors
def show_command(query_id: int, as_user: AsUser = None) -> None:
    """A query with its thread."""
    from observatory.review import query_detail

    emit_json(_with_records(lambda e: query_detail(e, _principal(e, as_user), query_id)))


@app.command("reply")
@reports_errors
def reply_command(
    query_id: int,
    body: Annotated[str, typer.Option(help="The message.")],
    internal: Annotated[bool, typer.Option(help="Reviewers and analysts only.")] = False,
    as_user: AsUser = None,
) -> None:
    """Add a message to a query's thread."""
    from observatory.review import post_message

    emit_json(_with_records(lambda e: post_message(e, _principal(e, as_user), query_id, body, internal)))


@app.command("resolve")
@reports_errors
def resolve_command(
    query_id: int,
    resolution: Annotated[str, typer.Option(help="accepted, corrected or explained")],
    comment: Annotated[str | None, typer.Option()] = None,
    as_user: AsUser = None,
) -> None:
    """Resolve a query (the opener's role only)."""
    from observatory.review import resolve

    emit_json(_with_records(lambda e: resolve(e, _principal(e, as_user), query_id, resolution, comment)))


@app.command("reopen")
@reports_errors
def reopen_command(
    query_id: int, comment: Annotated[str | None, typer.Option()] = None, as_user: AsUser = None
) -> None:
    """Reopen a resolved or withdrawn query (the opener's role only)."""
    from observatory.review import reopen

    emit_json(_with_records(lambda e: reopen(e, _principal(e, as_user), query_id, comment)))


@app.command("withdraw")
@reports_errors
def withdraw_command(
    query_id: int, comment: Annotated[str | None, typer.Option()] = None, as_user: AsUser = None
) -> None:
    """Withdraw a query (the opener's role only)."""
    from observatory.review import withdraw

    emit_json(_with_records(lambda e: withdraw(e, _principal(e, as_user), query_id, comment)))


@app.command("followup")
@reports_errors
def followup_command(
    observation_id: int,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the flag.")] = False,
    note: Annotated[str | None, typer.Option()] = None,
    as_user: AsUser = None,
) -> None:
    """Mark a value for follow-up in the next round (or clear the mark)."""
    from observatory.review import set_followup

    emit_json(_with_records(lambda e: set_followup(e, _principal(e, as_user), observation_id, not clear, note)))
