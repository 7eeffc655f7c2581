"""The implementation tracker and the national implementation workshops."""

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from observatory.access.policy import ANONYMOUS
from observatory.errors import BadInput, Forbidden, NotFound, Unauthenticated
from observatory.policy import report, tracker, workshops
from observatory.policy.vocabulary import Status
from observatory.policy.workshops import NewWorkshop
from tests.policy.conftest import ANALYST, COLOMBIA_FOCAL_POINT, PERU_FOCAL_POINT, PROVIDER


def test_the_latest_dated_status_of_a_chapter_is_its_current_one(migrated: Engine) -> None:
    tracker.record_status(migrated, ANALYST, "COL", 1, "planned", date(2019, 3, 1), "plan adopted", "decree 1")
    tracker.record_status(migrated, COLOMBIA_FOCAL_POINT, "col", 1, "in_progress", date(2021, 6, 1), "begun", "rpt")
    tracker.record_status(migrated, ANALYST, "COL", 1, "not_started", date(2018, 1, 1), "nothing yet", "rpt")
    current = tracker.current_by_chapter(migrated, "COL")
    assert current[1] is not None and (current[1].status, current[1].as_of) == (Status.IN_PROGRESS, date(2021, 6, 1))
    assert current[2] is None
    assert [entry.status for entry in tracker.history(migrated, "COL", 1)] == [
        Status.IN_PROGRESS,
        Status.PLANNED,
        Status.NOT_STARTED,
    ]


@pytest.mark.parametrize(
    ("principal", "error"),
    [(ANONYMOUS, Unauthenticated), (PROVIDER, Forbidden), (PERU_FOCAL_POINT, Forbidden)],
)
def test_only_reviewers_record_a_status(migrated: Engine, principal: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        tracker.record_status(migrated, principal, "COL", 1, "planned", date(2020, 1, 1), "e", "s")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "done"}, "unknown status 'done'"),
        ({"chapter": 8}, "unknown UNGASS 2016 chapter 8"),
        ({"as_of": date.today() + timedelta(days=2)}, "in the future"),
        ({"evidence": "  "}, "needs its evidence"),
        ({"recommendation": "ch2-commitment"}, "is not a recommendation of chapter 1"),
        ({"country": "Narnia"}, "unknown ISO 3166 alpha-3 code"),
    ],
)
def test_a_bad_status_is_refused(migrated: Engine, changes: dict[str, object], message: str) -> None:
    values: dict[str, object] = {"country": "COL", "chapter": 1, "status": "planned", "as_of": date(2020, 1, 1)}
    values |= {"evidence": "e", "source": "s"} | changes
    with pytest.raises(BadInput, match=message):
        tracker.record_status(migrated, ANALYST, **values)  # type: ignore[arg-type]


def test_a_status_may_name_a_recommendation_of_its_chapter(migrated: Engine) -> None:
    entry = tracker.record_status(
        migrated, ANALYST, "COL", 2, "implemented", date(2020, 1, 1), "law passed", "gazette", "ch2-commitment"
    )
    assert entry.recommendation == "ch2-commitment"


def test_workshops_keep_ministries_chapters_and_assistance_requests_with_follow_up(migrated: Engine) -> None:
    held = workshops.add_workshop(
        migrated,
        COLOMBIA_FOCAL_POINT,
        NewWorkshop("COL", date(2019, 5, 14), ("Ministry of Justice and Law", "Ministry of Health"), (1, 7, 7)),
    )
    request = workshops.add_request(migrated, ANALYST, held["id"], "Training on treatment standards", chapter=1)
    workshops.follow_up(migrated, ANALYST, request["id"], "in_progress", "trainers identified", date(2019, 9, 1))
    workshops.follow_up(migrated, ANALYST, request["id"], "completed", "two courses held", date(2020, 2, 1))
    (found,) = workshops.workshops(migrated, "COL")
    assert found["chapters"] == [1, 7] and found["ministries"][0] == "Ministry of Justice and Law"
    (kept,) = found["requests"]
    assert kept["status"] == "completed" and [step["status"] for step in kept["follow_up"]] == [
        "in_progress",
        "completed",
    ]


def test_workshop_rules(migrated: Engine) -> None:
    with pytest.raises(Forbidden):
        workshops.add_workshop(migrated, PERU_FOCAL_POINT, NewWorkshop("COL", date(2019, 1, 1), ("MoH",), (1,)))
    with pytest.raises(BadInput, match="ministries"):
        workshops.add_workshop(migrated, ANALYST, NewWorkshop("COL", date(2019, 1, 1), (" ",), (1,)))
    with pytest.raises(NotFound):
        workshops.add_request(migrated, ANALYST, 999, "help")
    with pytest.raises(NotFound):
        workshops.follow_up(migrated, ANALYST, 999, "completed", "x", date(2020, 1, 1))


def test_the_seed_gives_countries_statuses_from_their_strategies(seeded: Engine) -> None:
    current = tracker.current_by_chapter(seeded, "AFG")
    assert current[7] is not None and current[7].status is Status.IN_PROGRESS
    assert current[7].date_precision == "year" and "cdpe" not in current[7].evidence
    assert current[2] is None and current[5] is None


def test_the_country_report_shows_status_by_chapter_and_sdg_target(seeded: Engine) -> None:
    found = report.country_report(seeded, "AFG")
    assert [row["number"] for row in found["chapters"]] == [1, 2, 3, 4, 5, 6, 7]
    by_code = {row["code"]: row for row in found["sdg"]}
    assert by_code["3.5"]["chapters"] == [1, 5] and by_code["3.5"]["status"] == "in_progress"
    assert by_code["17.18"]["status"] is None
    assert {row["code"] for row in found["programmes"]} == {"alternative-livelihoods-afghanistan"}


def test_the_global_summary_counts_countries_by_status(seeded: Engine) -> None:
    summary = report.global_summary(seeded)
    assert len(summary["countries"]) == 50
    first = summary["chapters"][0]
    assert sum(first["counts"].values()) + first["no_status"] == 50
    assert summary["chapters"][1]["no_status"] == 50
