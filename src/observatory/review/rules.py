"""The review's defaults, as data (``datasets/review/review.toml``): due dates, reminder days, retry delays."""

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from observatory.datasets import DATASETS

RULES = DATASETS / "review" / "review.toml"


@dataclass(frozen=True, slots=True)
class Rules:
    due_working_days: int
    query_reminder_days_before: int
    round_reminders_before_days: tuple[int, ...]
    round_reminder_after_days: int
    round_reminder_every_days: int
    retry_minutes: tuple[int, ...]


@cache
def rules() -> Rules:
    with RULES.open("rb") as handle:
        data = tomllib.load(handle)
    return Rules(
        due_working_days=int(data["due_working_days"]),
        query_reminder_days_before=int(data["query_reminder_days_before"]),
        round_reminders_before_days=tuple(sorted((int(d) for d in data["round_reminders_before_days"]), reverse=True)),
        round_reminder_after_days=int(data["round_reminder_after_days"]),
        round_reminder_every_days=int(data["round_reminder_every_days"]),
        retry_minutes=tuple(int(m) for m in data["retry_minutes"]),
    )


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days (Monday to Friday) after ``start``."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed delivery (the last delay repeats)."""
    delays = rules().retry_minutes
    return timedelta(minutes=delays[min(attempts, len(delays)) - 1])
