"""Review queries on both engines: the permission matrix (internal messages hidden from providers), the approval
guard (409 ``open-review-queries``), the network's regional review as the approval, and the mails each event
queues, once."""

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from observatory.access.policy import Principal
from observatory.errors import BadInput, Conflict, Forbidden, NotFound
from observatory.reporting.workflow import OpenReviewQueries, RegionalReview, apply_step
from observatory.review import (
    InboxFilter,
    list_queries,
    open_query,
    post_message,
    query_detail,
    reopen,
    resolve,
    set_followup,
    withdraw,
)
from observatory.store.review_schema import MailOutbox
from tests.reporting.test_workflow import new_submission
from tests.review.people import ADMIN, ANALYST, FOCAL_POINT, PROVIDER, REVIEWER, SENEGAL, ghana_submission


def mails(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [(r.username, r.template) for r in connection.execute(select(MailOutbox).order_by(MailOutbox.id))]


@pytest.mark.parametrize(
    ("who", "outcome"),
    [
        (REVIEWER, "opened"),
        (ANALYST, "opened"),
        (ADMIN, "opened"),
        (PROVIDER, Forbidden),  # the provider answers queries, never opens them
        (FOCAL_POINT, Forbidden),
        (SENEGAL, NotFound),  # may not see Ghana's submission: answered as absent
    ],
)
def test_who_may_open_a_query(engine: Engine, who: Principal, outcome: object) -> None:
    submission = ghana_submission(engine)
    if isinstance(outcome, type):
        with pytest.raises(outcome):
            open_query(engine, who, submission, "why is 2021 ten times 2020?", "high")
        return
    assert open_query(engine, who, submission, "why is 2021 ten times 2020?", "high")["status"] == "open"


def test_bad_input_is_refused_with_a_reason(engine: Engine) -> None:
    submission = ghana_submission(engine)
    with pytest.raises(BadInput, match="priority"):
        open_query(engine, REVIEWER, submission, "a question", "urgent")
    with pytest.raises(BadInput, match="empty"):
        open_query(engine, REVIEWER, submission, "   ", "high")
    with pytest.raises(BadInput, match="not a value of submission"):
        open_query(engine, REVIEWER, submission, "this value?", "low", observation_id=999)


def test_the_thread_hides_internal_messages_from_the_provider(engine: Engine) -> None:
    submission = ghana_submission(engine)
    query = open_query(engine, REVIEWER, submission, "please check the unit of row 4", "medium")["id"]
    post_message(engine, REVIEWER, query, "looks like tonnes, not kg", internal=True)
    with pytest.raises(Forbidden, match="internal"):
        post_message(engine, PROVIDER, query, "let me see", internal=True)
    post_message(engine, PROVIDER, query, "it was tonnes; corrected below")
    for_provider = query_detail(engine, PROVIDER, query)
    for_analyst = query_detail(engine, ANALYST, query)
    assert [m["kind"] for m in for_provider["messages"]] == ["opened", "answered"]
    assert [m["kind"] for m in for_analyst["messages"]] == ["opened", "message", "answered"]
    assert for_analyst["messages"][1]["internal"] and for_provider["status"] == "answered"
    with pytest.raises(NotFound):
        query_detail(engine, SENEGAL, query)


def test_only_the_openers_role_resolves_or_reopens_and_a_closed_query_takes_no_reply(engine: Engine) -> None:
    submission = ghana_submission(engine)
    query = open_query(engine, REVIEWER, submission, "check row 4", "low")["id"]
    with pytest.raises(Forbidden):
        resolve(engine, PROVIDER, query, "explained")
    with pytest.raises(Forbidden):
        resolve(engine, ANALYST, query, "explained")  # an analyst did not open it: the reviewer's role did
    with pytest.raises(BadInput, match="resolution"):
        resolve(engine, REVIEWER, query, "fine")
    assert resolve(engine, REVIEWER, query, "explained")["status"] == "resolved"
    with pytest.raises(Conflict):
        post_message(engine, PROVIDER, query, "one more thing")
    with pytest.raises(Forbidden):
        reopen(engine, PROVIDER, query)
    assert reopen(engine, REVIEWER, query, "new doubts")["status"] == "open"
    assert withdraw(engine, REVIEWER, query)["status"] == "withdrawn"


def test_a_high_priority_query_holds_approval_until_resolved(engine: Engine, tmp_path: Path) -> None:
    submission = ghana_submission(engine)
    query = open_query(engine, REVIEWER, submission, "2021 cannabis herb is 10× 2020", "high")["id"]
    open_query(engine, REVIEWER, submission, "a typo in a note", "low")  # low priority holds nothing
    with pytest.raises(OpenReviewQueries) as refused:
        apply_step(engine, REVIEWER, submission, "approve", analytics=tmp_path)
    assert (refused.value.status, refused.value.code) == (409, "open-review-queries")
    post_message(engine, PROVIDER, query, "a unit error, corrected")
    with pytest.raises(OpenReviewQueries):  # answered still holds: the reviewer has not accepted the answer
        apply_step(engine, REVIEWER, submission, "approve", analytics=tmp_path)
    resolve(engine, REVIEWER, query, "corrected")
    assert apply_step(engine, REVIEWER, submission, "approve", analytics=tmp_path).to_status == "approved"
    assert mails(engine) == [
        ("kofi", "query-opened"),
        ("kofi", "query-opened"),
        ("moussa", "query-answered"),
        ("kofi", "query-resolved"),
        ("kofi", "submission-approved"),
    ]


def test_the_networks_regional_review_is_the_approval_once_it_has_a_reviewer(engine: Engine, tmp_path: Path) -> None:
    submission = ghana_submission(engine)
    with pytest.raises(RegionalReview) as refused:
        apply_step(engine, FOCAL_POINT, submission, "approve", analytics=tmp_path)
    assert (refused.value.status, refused.value.code) == (403, "regional-review")
    apply_step(engine, REVIEWER, submission, "approve", analytics=tmp_path)
    assert apply_step(engine, ANALYST, submission, "accept", analytics=tmp_path).to_status == "accepted"


def test_a_rejection_needs_a_reason_and_the_provider_is_told_it(engine: Engine, tmp_path: Path) -> None:
    submission = ghana_submission(engine)
    with pytest.raises(BadInput, match="comment"):
        apply_step(engine, REVIEWER, submission, "reject", "  ", analytics=tmp_path)
    apply_step(engine, REVIEWER, submission, "reject", "the 2021 totals are in tonnes", analytics=tmp_path)
    with engine.connect() as connection:
        row = connection.execute(select(MailOutbox)).one()
    assert (row.username, row.template, row.payload["comment"]) == (
        "kofi",
        "submission-rejected",
        "the 2021 totals are in tonnes",
    )


def test_the_inbox_filters(engine: Engine) -> None:
    ghana = ghana_submission(engine)
    france = new_submission(engine, country="FRA", submitted_by="pierre")
    open_query(engine, REVIEWER, ghana, "Ghana question", "high")
    open_query(engine, ANALYST, france, "France question", "low")
    assert [q["country"] for q in list_queries(engine, REVIEWER)] == ["GHA"]  # France is outside WENDU
    assert [q["country"] for q in list_queries(engine, ANALYST, InboxFilter(network="WENDU"))] == ["GHA"]
    assert [q["country"] for q in list_queries(engine, ANALYST, InboxFilter(assigned_to_me=True))] == ["FRA"]
    assert [q["country"] for q in list_queries(engine, PROVIDER)] == ["GHA"]
    assert list_queries(engine, ANALYST, InboxFilter(overdue=True)) == []
    with pytest.raises(BadInput):
        list_queries(engine, ANALYST, InboxFilter(status="closed"))


def test_the_follow_up_flag_is_the_reviewers(engine: Engine) -> None:
    submission = ghana_submission(engine)
    from observatory.store.engine import transaction
    from observatory.store.reporting_schema import Observation

    with transaction(engine) as session:
        value = Observation(submission_id=submission, dataset="annual-seizures", element="kilograms")
        value.country_iso3, value.year, value.value_state, value.value = "GHA", 2023, "observed", 12.5
        value.source_row = 2
        session.add(value)
        session.flush()
        observation = value.id
    with pytest.raises(Forbidden):
        set_followup(engine, PROVIDER, observation, True)
    with pytest.raises(NotFound):
        set_followup(engine, SENEGAL, observation, True)
    assert set_followup(engine, REVIEWER, observation, True, "check next round")["followup"] is True
    assert set_followup(engine, REVIEWER, observation, False)["followup"] is False
