"""An alert's workflow (draft → issued → updated → retracted), its audience, and its case file's EU stages, on
each engine."""

from datetime import date

import pytest
from sqlalchemy import Engine

from observatory.access.policy import ANONYMOUS, Principal, Role
from observatory.errors import BadInput, Conflict, Forbidden, NotFound
from observatory.ewa.alerts import (
    AlertFilter,
    Audience,
    Change,
    Stage,
    Status,
    Step,
    case_file,
    change_alert,
    find_alerts,
    record_stage,
    time_to_stage,
)
from tests.ewa.conftest import own_draft

ANALYST = Principal("analyst-1", Role.ANALYST)
FOCAL_POINT = Principal("fp-svn", Role.FOCAL_POINT, frozenset({"SVN"}))
PROVIDER = Principal("provider-svn", Role.PROVIDER, frozenset({"SVN"}))
EVENT_ON = date(2020, 3, 2)


def test_an_alert_is_issued_updated_and_retracted_with_every_step_recorded(migrated: Engine) -> None:
    alert_id = own_draft(migrated)
    change_alert(migrated, alert_id, Change(Step.ISSUE, "checked against the laboratory report"), ANALYST)
    change_alert(migrated, alert_id, Change(Step.UPDATE, title="Corrected title", summary="More cases."), ANALYST)
    change_alert(migrated, alert_id, Change(Step.UPDATE, note="second update"), ANALYST)
    change_alert(migrated, alert_id, Change(Step.RETRACT, "the laboratory withdrew its result"), ANALYST)
    case = case_file(migrated, alert_id, ANALYST)
    alert = case["alert"]
    assert (alert["status"], alert["title"], alert["summary"]) == ("retracted", "Corrected title", "More cases.")
    assert (
        alert["issued_at"]
        and alert["updated_at"]
        and alert["retraction_reason"] == "the laboratory withdrew its result"
    )
    assert [(step["action"], step["from"], step["to"]) for step in case["history"]] == [
        ("draft", None, "draft"),
        ("issue", "draft", "issued"),
        ("update", "issued", "updated"),
        ("update", "updated", "updated"),
        ("retract", "updated", "retracted"),
    ]
    assert case["history"][1]["actor"] == "analyst-1"


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        ((), Step.UPDATE),
        ((Step.ISSUE,), Step.ISSUE),
        ((Step.ISSUE, Step.RETRACT), Step.UPDATE),
        ((Step.RETRACT,), Step.RETRACT),
    ],
)
def test_a_step_the_status_does_not_allow_is_a_conflict(
    migrated: Engine, steps: tuple[Step, ...], refused: Step
) -> None:
    alert_id = own_draft(migrated)
    for step in steps:
        change_alert(migrated, alert_id, Change(step, "why"), ANALYST)
    with pytest.raises(Conflict):
        change_alert(migrated, alert_id, Change(refused, "why"), ANALYST)


def test_a_retraction_needs_a_reason_and_an_update_a_change(migrated: Engine) -> None:
    alert_id = own_draft(migrated)
    change_alert(migrated, alert_id, Change(Step.ISSUE), ANALYST)
    with pytest.raises(BadInput, match="reason"):
        change_alert(migrated, alert_id, Change(Step.RETRACT, "  "), ANALYST)
    with pytest.raises(BadInput, match="update needs"):
        change_alert(migrated, alert_id, Change(Step.UPDATE), ANALYST)
    with pytest.raises(BadInput, match="by hand"):
        change_alert(migrated, alert_id, Change(Step.DRAFT), ANALYST)


@pytest.mark.parametrize("principal", [FOCAL_POINT, PROVIDER, ANONYMOUS])
def test_only_analysts_and_administrators_take_alerts_through_the_workflow(
    migrated: Engine, principal: Principal
) -> None:
    alert_id = own_draft(migrated)
    with pytest.raises(Forbidden):
        change_alert(migrated, alert_id, Change(Step.ISSUE), principal)
    with pytest.raises(Forbidden):
        record_stage(migrated, alert_id, Stage.FORMAL_NOTIFICATION, EVENT_ON, principal)
    assert case_file(migrated, alert_id, ANALYST)["alert"]["status"] == "draft"


def test_the_public_sees_public_alerts_once_issued_and_retracted_ones_as_retracted(migrated: Engine) -> None:
    public, network = own_draft(migrated), own_draft(migrated, Audience.NETWORK)
    for alert_id in (public, network):
        with pytest.raises(NotFound):
            case_file(migrated, alert_id, ANONYMOUS)
        assert case_file(migrated, alert_id, FOCAL_POINT)["alert"]["status"] == "draft"
        change_alert(migrated, alert_id, Change(Step.ISSUE), ANALYST)
    assert case_file(migrated, public, ANONYMOUS)["alert"]["status"] == "issued"
    with pytest.raises(NotFound):
        case_file(migrated, network, ANONYMOUS)
    change_alert(migrated, public, Change(Step.RETRACT, "wrong substance"), ANALYST)
    seen, total = find_alerts(migrated, ANONYMOUS)
    assert [(a["id"], a["status"], a["retraction_reason"]) for a in seen] == [(public, "retracted", "wrong substance")]
    assert total == 1
    members, _ = find_alerts(migrated, PROVIDER, AlertFilter(status=Status.ISSUED))
    assert [a["id"] for a in members] == [network]


def test_an_update_can_open_a_network_alert_to_the_public(migrated: Engine) -> None:
    alert_id = own_draft(migrated, Audience.NETWORK)
    change_alert(migrated, alert_id, Change(Step.ISSUE), ANALYST)
    change_alert(migrated, alert_id, Change(Step.UPDATE, "risk confirmed", audience=Audience.PUBLIC), ANALYST)
    assert case_file(migrated, alert_id, ANONYMOUS)["alert"]["audience"] == "public"


def test_the_case_file_follows_the_eu_stages_with_days_from_the_event(migrated: Engine) -> None:
    alert_id = own_draft(migrated, event_on=EVENT_ON)
    record_stage(migrated, alert_id, Stage.FORMAL_NOTIFICATION, date(2020, 3, 12), ANALYST, "notified by the NFP")
    record_stage(migrated, alert_id, Stage.INITIAL_REPORT, date(2020, 4, 11), ANALYST)
    record_stage(migrated, alert_id, Stage.RISK_ASSESSMENT, date(2020, 7, 10), ANALYST)
    stages = {row["stage"]: row for row in case_file(migrated, alert_id, ANALYST)["stages"]}
    assert list(stages) == [str(stage) for stage in Stage]
    assert [stages[name]["days_from_event"] for name in stages] == [0, 10, None, 40, 130, None]
    assert stages["formal_notification"]["note"] == "notified by the NFP"
    record_stage(migrated, alert_id, Stage.FORMAL_NOTIFICATION, date(2020, 3, 9), ANALYST, "corrected")
    assert case_file(migrated, alert_id, ANALYST)["stages"][1]["days_from_event"] == 7


@pytest.mark.parametrize(
    ("stage", "day", "message"),
    [
        (Stage.CONTROL_MEASURE, date(2020, 5, 1), "cannot come before risk assessment"),
        (Stage.FORMAL_NOTIFICATION, date(2020, 5, 1), "cannot come after initial report"),
        (Stage.INTENSIVE_MONITORING, date(2020, 3, 1), "cannot come before event"),
        (Stage.EVENT, date(2020, 3, 3), "not recorded by hand"),
    ],
)
def test_stages_follow_one_another_in_time(migrated: Engine, stage: Stage, day: date, message: str) -> None:
    alert_id = own_draft(migrated, event_on=EVENT_ON)
    record_stage(migrated, alert_id, Stage.INITIAL_REPORT, date(2020, 4, 11), ANALYST)
    record_stage(migrated, alert_id, Stage.RISK_ASSESSMENT, date(2020, 7, 10), ANALYST)
    with pytest.raises(BadInput, match=message):
        record_stage(migrated, alert_id, stage, day, ANALYST)


def test_time_to_stage_is_measured_over_the_alerts_that_reached_it(migrated: Engine) -> None:
    for days in (10, 20, 60):
        alert_id = own_draft(migrated, event_on=EVENT_ON)
        record_stage(
            migrated, alert_id, Stage.FORMAL_NOTIFICATION, date.fromordinal(EVENT_ON.toordinal() + days), ANALYST
        )
    summary = {row["stage"]: row for row in time_to_stage(migrated, ANALYST)}
    assert summary["formal_notification"] == {
        "stage": "formal_notification", "alerts": 3, "median_days": 20, "min_days": 10, "max_days": 60,
    }  # fmt: skip
    assert summary["risk_assessment"]["alerts"] == 0
    assert all(row["alerts"] == 0 for row in time_to_stage(migrated, ANONYMOUS))


def test_an_unknown_alert_is_not_found(migrated: Engine) -> None:
    with pytest.raises(NotFound):
        change_alert(migrated, 424242, Change(Step.ISSUE), ANALYST)
