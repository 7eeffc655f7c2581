"""Reminders, run once a day by cron (``observatory review remind``) with the day given, so a test sets the clock.

- Reporting rounds (``reporting/datasets/rounds.csv``): each provider and focal point of an expected country that
  has not submitted is reminded 14, 7 and 1 days before the round closes, 1 day after, then every 7 days
  (``datasets/review/review.toml``). A missed run is caught up by the latest milestone reached.
- Queries: the opener and the answerer (or the uploader) of a query still open or answered are reminded 2 days before
  its due date and once when it is overdue.

Each reminder's de-duplication key names the milestone, so a second run on the same day (or a later one before the
next milestone) queues nothing: run twice, sent once.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from observatory.access.audit import utc_now
from observatory.access.policy import Role
from observatory.reporting.completeness import Round, round_status, rounds
from observatory.review.queries import PENDING
from observatory.review.rules import rules
from observatory.store.engine import transaction
from observatory.store.reporting_schema import User
from observatory.store.review_schema import ReviewQuery, queue_mail
from observatory.store.schema import Submission

REPORTING_ROLES = (str(Role.PROVIDER), str(Role.FOCAL_POINT))


@dataclass(frozen=True, slots=True)
class Reminded:
    rounds: int
    queries: int


def remind(engine: Engine, today: date, chosen: tuple[Round, ...] | None = None) -> Reminded:
    """Queue the reminders due on ``today``; how many mails were queued (none for a second run)."""
    return Reminded(
        _round_reminders(engine, today, rounds() if chosen is None else chosen), _query_reminders(engine, today)
    )


def round_milestone(round_: Round, today: date) -> int | None:
    """The latest reminder day reached, as days relative to the closing date (−14, −7, −1, +1, +8, …), or none."""
    if today < round_.opens:
        return None
    offset = (today - round_.closes).days
    settings = rules()
    if offset < settings.round_reminder_after_days:
        reached = [-d for d in settings.round_reminders_before_days if -d <= offset]
        return max(reached) if reached else None
    after = offset - settings.round_reminder_after_days
    return settings.round_reminder_after_days + after // settings.round_reminder_every_days * (
        settings.round_reminder_every_days
    )


def _round_reminders(engine: Engine, today: date, chosen: tuple[Round, ...]) -> int:
    queued = 0
    for round_ in chosen:
        milestone = round_milestone(round_, today)
        if milestone is None:
            continue
        status = round_status(engine, round_.dataset, round_.year, today)
        missing = sorted(c.country_iso3 for c in status.countries if c.received_at is None)
        if not missing:
            continue
        template = "round-due" if milestone < 0 else "round-overdue"
        with transaction(engine) as session:
            for user in _reporters(session, missing, round_.dataset):
                for country in sorted(set(user.countries) & set(missing)):
                    payload = {"dataset": round_.dataset, "year": round_.year, "closes": round_.closes.isoformat()}
                    payload |= {"country": country, "milestone": milestone}
                    key = f"round:{round_.dataset}:{round_.year}:{country}:{milestone}"
                    queued += queue_mail(session, user.username, template, payload, key, utc_now())
    return queued


def _reporters(session: Session, countries: list[str], dataset: str) -> list[User]:
    users = session.scalars(select(User).where(User.active, User.role.in_(REPORTING_ROLES)).order_by(User.username))
    return [
        user
        for user in users
        if set(user.countries) & set(countries) and (user.datasets is None or dataset in user.datasets)
    ]


def _query_reminders(engine: Engine, today: date) -> int:
    soon = today + timedelta(days=rules().query_reminder_days_before)
    queued = 0
    with transaction(engine) as session:
        pending = session.execute(
            select(ReviewQuery, Submission)
            .join(Submission, Submission.id == ReviewQuery.submission_id)
            .where(ReviewQuery.status.in_(PENDING), ReviewQuery.due_on <= soon)
            .order_by(ReviewQuery.id)
        )
        for query, submission in pending:
            template = "query-overdue" if query.due_on < today else "query-due"
            payload = {"query_id": query.id, "submission_id": submission.id, "dataset": submission.dataset}
            payload |= {"country": submission.country_iso3, "due_on": query.due_on.isoformat(), "status": query.status}
            for username in dict.fromkeys((query.opened_by, query.answered_by or submission.submitted_by)):
                key = f"query-reminder:{query.id}:{template}:{query.due_on.isoformat()}"
                queued += queue_mail(session, username, template, payload, key, utc_now(), query.id)
    return queued
