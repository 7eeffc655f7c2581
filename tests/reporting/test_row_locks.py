"""Steps and corrections at the same time, on both engines: each locks the submission's row and reads its status
inside its transaction, so exactly one of two steps from one status wins (the other is a conflict, never a server
error or a second transition), and no value changes once its submission is approved.

To make the two overlap, the first to reach a chosen statement inside its transaction (``held``) waits there for a
moment, its transaction open, while the other starts.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine, event, select

from observatory.access.policy import Principal, Role
from observatory.analytics.observations import approved_rows
from observatory.analytics.store import OBSERVATIONS
from observatory.errors import Conflict
from observatory.reference.release import load_packaged_release
from observatory.reporting.corrections import audit_trail, correct_value
from observatory.reporting.submissions import observations
from observatory.reporting.submit import submit_file
from observatory.reporting.workflow import StepResult, apply_step, history
from observatory.store.migrate import upgrade
from observatory.store.schema import Submission
from tests.reporting.test_workflow import new_submission

GHANA = Principal("ama", Role.FOCAL_POINT, frozenset({"GHA"}))
OTHER_GHANA = Principal("kwame", Role.FOCAL_POINT, frozenset({"GHA"}))
ANALYST = Principal("ines", Role.ANALYST)
ADMIN = Principal("root", Role.ADMIN)
HOLD_SECONDS = 0.5
CSV = b"country,drug_group,drug_subgroup,drug,year,kilograms\nGhana,Cocaine-type,Cocaine,Cocaine,2023,12.5\n"


@contextmanager
def held(engine: Engine, statement: str) -> Iterator[threading.Event]:
    """While open, the first transaction to execute ``statement`` (the start of its SQL) waits ``HOLD_SECONDS``
    before it; the event is set when it starts waiting."""
    reached = threading.Event()

    def hold(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if sql.lstrip().upper().startswith(statement.upper()) and not reached.is_set():
            reached.set()
            time.sleep(HOLD_SECONDS)

    event.listen(engine, "before_cursor_execute", hold)
    try:
        yield reached
    finally:
        event.remove(engine, "before_cursor_execute", hold)


def race(*calls: Callable[[], object], after: threading.Event | None = None) -> list[object]:
    """Run ``calls`` in threads, the first at once and the others when ``after`` is set (or all at once); what each
    returned or raised, in order."""
    outcomes: list[object] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int, call: Callable[[], object]) -> None:
        start.wait()
        if index and after is not None:
            assert after.wait(10), "the first call never reached the statement it is held at"
        try:
            outcomes[index] = call()
        except Exception as exc:  # every outcome is asserted by the test, errors included
            outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def kinds(outcomes: list[object]) -> list[str]:
    return sorted("conflict" if isinstance(o, Conflict) else type(o).__name__ for o in outcomes)


@pytest.mark.parametrize(
    ("status", "first", "second"),
    [
        ("validated", (GHANA, "approve", None), (OTHER_GHANA, "approve", None)),
        ("approved", (ANALYST, "accept", None), (GHANA, "reject", "2021 total is ten times 2020's")),
        ("approved", (GHANA, "reject", "wrong unit"), (ANALYST, "accept", None)),
        ("accepted", (ANALYST, "publish", None), (ADMIN, "publish", None)),
    ],
    ids=["approve-approve", "accept-reject", "reject-accept", "publish-publish"],
)
def test_of_two_steps_at_once_exactly_one_wins(
    engine: Engine,
    tmp_path: Path,
    status: str,
    first: tuple[Principal, str, str | None],
    second: tuple[Principal, str, str | None],
) -> None:
    submission = new_submission(engine, status, locked=status == "accepted")
    steps = [
        lambda who=who, action=action, comment=comment: apply_step(
            engine, who, submission, action, comment, analytics=tmp_path
        )
        for who, action, comment in (first, second)
    ]
    with held(engine, "INSERT INTO submission_event") as inside:
        outcomes = race(*steps, after=inside)
    winner, loser = outcomes
    assert isinstance(winner, StepResult) and isinstance(loser, Conflict), outcomes
    assert f"it is {winner.to_status}" in loser.message
    events = history(engine, submission)
    assert [(e["action"], e["from"]) for e in events] == [(first[1], status)]
    with engine.connect() as connection:
        assert connection.scalar(select(Submission.status).where(Submission.id == submission)) == events[0]["to"]


@pytest.fixture
def stored(engine: Engine) -> tuple[Engine, int, int]:
    upgrade(engine)
    load_packaged_release(engine)
    submission = submit_file(engine, GHANA, CSV, "gha.csv", "annual-seizures", "GHA").submission_id
    (value,) = observations(engine, GHANA, submission)
    return engine, submission, value["id"]


def test_a_correction_started_after_an_approval_began_is_refused(
    stored: tuple[Engine, int, int], tmp_path: Path
) -> None:
    engine, submission, value = stored
    approve = lambda: apply_step(engine, OTHER_GHANA, submission, "approve", analytics=tmp_path)  # noqa: E731
    correct = lambda: correct_value(engine, GHANA, value, 1.25, "decimal point misplaced")  # noqa: E731
    with held(engine, "INSERT INTO submission_event") as inside:
        outcomes = race(approve, correct, after=inside)
    assert kinds(outcomes) == ["StepResult", "conflict"], outcomes
    assert "is approved" in str(outcomes[1])
    assert observations(engine, GHANA, submission)[0]["value"] == 12.5
    assert audit_trail(engine, GHANA, value) == []
    assert served_kilograms(tmp_path, submission) == [12.5]


def test_an_approval_started_during_a_correction_approves_the_corrected_value(
    stored: tuple[Engine, int, int], tmp_path: Path
) -> None:
    engine, submission, value = stored
    correct = lambda: correct_value(engine, GHANA, value, 1.25, "decimal point misplaced")  # noqa: E731
    approve = lambda: apply_step(engine, OTHER_GHANA, submission, "approve", analytics=tmp_path)  # noqa: E731
    with held(engine, "INSERT INTO value_audit") as inside:
        outcomes = race(correct, approve, after=inside)
    assert kinds(outcomes) == ["Correction", "StepResult"], outcomes
    assert observations(engine, GHANA, submission)[0]["value"] == 1.25
    # What the approval approved, and the analytics store serves, is the value as corrected.
    assert served_kilograms(tmp_path, submission) == [1.25]


def served_kilograms(analytics: Path, submission: int) -> list[float]:
    """The values of ``submission`` as the analytics store keeps them, written after its approval committed."""
    assert [row["submission_id"] for row in approved_rows(analytics)] == [submission]
    values: list[float] = pq.read_table(analytics / OBSERVATIONS / f"submission-{submission}.parquet")[
        "value"
    ].to_pylist()
    return values
