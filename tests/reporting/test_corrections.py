from pathlib import Path

import pytest
from sqlalchemy import Engine

from observatory.access.policy import Principal, Role
from observatory.errors import BadInput, Conflict, Forbidden
from observatory.reference.release import load_packaged_release
from observatory.reporting.corrections import audit_trail, correct_value
from observatory.reporting.submissions import observations
from observatory.reporting.submit import submit_file
from observatory.reporting.workflow import apply_step
from observatory.store.migrate import upgrade

GHANA = Principal("ama", Role.FOCAL_POINT, frozenset({"GHA"}))
SENEGAL = Principal("sy", Role.FOCAL_POINT, frozenset({"SEN"}))
CSV = b"country,drug_group,drug_subgroup,drug,year,kilograms\nGhana,Cocaine-type,Cocaine,Cocaine,2023,12.5\n"


@pytest.fixture
def stored(engine: Engine) -> tuple[Engine, int, int]:
    upgrade(engine)
    load_packaged_release(engine)
    submission = submit_file(engine, GHANA, CSV, "gha.csv", "annual-seizures", "GHA").submission_id
    (value,) = observations(engine, GHANA, submission)
    return engine, submission, value["id"]


def test_a_correction_changes_the_value_and_records_who_what_and_why(stored: tuple[Engine, int, int]) -> None:
    engine, submission, value = stored
    done = correct_value(engine, GHANA, value, 1.25, "decimal point misplaced in the source file")
    assert (done.old, done.new) == ("value: 12.5", "value: 1.25")
    assert observations(engine, GHANA, submission)[0]["value"] == 1.25
    (entry,) = audit_trail(engine, value)
    assert (entry["actor"], entry["old"], entry["new"]) == ("ama", "value: 12.5", "value: 1.25")
    assert entry["reason"] == "decimal point misplaced in the source file"


def test_a_value_can_become_missing_with_its_reason_and_a_zero_stays_a_zero(stored: tuple[Engine, int, int]) -> None:
    engine, submission, value = stored
    correct_value(engine, GHANA, value, None, "not collected this year", missing_reason="not-collected")
    (row,) = observations(engine, GHANA, submission)
    assert (row["value"], row["value_state"], row["missing_reason"]) == (None, "missing", "not-collected")
    correct_value(engine, GHANA, value, 0.0, "a true zero")
    assert observations(engine, GHANA, submission)[0]["value_state"] == "zero"


@pytest.mark.parametrize(
    ("principal", "value", "reason", "missing", "error"),
    [
        (SENEGAL, 1.0, "x", None, Forbidden),
        (GHANA, 1.0, " ", None, BadInput),
        (GHANA, None, "gone", None, BadInput),
        (GHANA, float("nan"), "nan", None, BadInput),
    ],
)
def test_corrections_that_must_not_happen(
    stored: tuple[Engine, int, int],
    principal: Principal,
    value: float | None,
    reason: str,
    missing: str | None,
    error: type[Exception],
) -> None:
    engine, submission, observation = stored
    with pytest.raises(error):
        correct_value(engine, principal, observation, value, reason, missing)
    assert observations(engine, GHANA, submission)[0]["value"] == 12.5 and audit_trail(engine, observation) == []


def test_an_approved_submission_is_not_edited_in_place(stored: tuple[Engine, int, int], tmp_path: Path) -> None:
    engine, submission, value = stored
    apply_step(engine, GHANA, submission, "approve", analytics=tmp_path / "analytics")
    with pytest.raises(Conflict):
        correct_value(engine, GHANA, value, 1.0, "late fix")
