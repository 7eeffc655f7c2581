"""Reminders with an injected clock, on both engines: run twice, queued once; the milestones of a round."""

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, func, select

from observatory.reporting.completeness import Round
from observatory.review import open_query, remind, round_milestone
from observatory.store.review_schema import MailOutbox
from tests.review.people import REVIEWER, ghana_submission

CLOSES = date(2025, 6, 30)
ROUND = Round("treatment", 2024, date(2025, 1, 1), CLOSES, frozenset({"GHA", "SEN"}))


@pytest.mark.parametrize(
    ("days", "milestone"),
    [(-30, None), (-14, -14), (-10, -14), (-7, -7), (-1, -1), (0, -1), (1, 1), (7, 1), (8, 8), (15, 15), (16, 15)],
)
def test_round_milestones(days: int, milestone: int | None) -> None:
    assert round_milestone(ROUND, CLOSES + timedelta(days=days)) == milestone


def test_a_round_reminder_twice_run_is_sent_once(engine: Engine) -> None:
    ghana_submission(engine)  # the accounts; a submission without values reports nothing for the round
    seven_before = CLOSES - timedelta(days=7)
    first = remind(engine, seven_before, (ROUND,))
    assert first.rounds == 3  # kofi and ama for Ghana, sy for Senegal
    assert remind(engine, seven_before, (ROUND,)).rounds == 0
    assert remind(engine, seven_before + timedelta(days=1), (ROUND,)).rounds == 0  # same milestone
    assert remind(engine, CLOSES + timedelta(days=1), (ROUND,)).rounds == 3  # overdue now
    with engine.connect() as connection:
        templates = dict(
            connection.execute(select(MailOutbox.template, func.count()).group_by(MailOutbox.template)).all()
        )
    assert templates == {"round-due": 3, "round-overdue": 3}


def test_query_reminders_before_the_due_date_and_when_overdue(engine: Engine) -> None:
    submission = ghana_submission(engine)
    opened = date(2025, 3, 3)  # a Monday: due ten working days later, on 2025-03-17
    query = open_query(engine, REVIEWER, submission, "please check", "medium", today=opened)
    assert query["due_on"] == "2025-03-17"
    assert remind(engine, date(2025, 3, 10), ()).queries == 0
    assert remind(engine, date(2025, 3, 15), ()).queries == 2  # the opener and the uploader
    assert remind(engine, date(2025, 3, 16), ()).queries == 0
    assert remind(engine, date(2025, 3, 18), ()).queries == 2  # overdue
    assert remind(engine, date(2025, 3, 25), ()).queries == 0
