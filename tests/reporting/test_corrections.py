"""Correcting a stored value, on both engines: checked as a file's cell is, refused once approved, answered as
absent for a value one may not see, and every change in the value-level audit trail."""

import math
from pathlib import Path

import pytest
from sqlalchemy import Engine

from observatory.access.policy import ANONYMOUS, Principal, Role
from observatory.errors import BadInput, Conflict, Forbidden, NotFound
from observatory.reference.release import load_packaged_release
from observatory.reporting.corrections import (
    Corrected,
    audit_trail,
    checked_value,
    correct_value,
    submission_audit,
)
from observatory.reporting.submissions import observations
from observatory.reporting.submit import submit_file
from observatory.reporting.values import Missing, MissingReason, Observed, Value, Zero
from observatory.reporting.workflow import apply_step
from observatory.store.migrate import upgrade

GHANA = Principal("ama", Role.FOCAL_POINT, frozenset({"GHA"}))
OTHER_GHANA = Principal("kwame", Role.FOCAL_POINT, frozenset({"GHA"}))
SENEGAL = Principal("sy", Role.FOCAL_POINT, frozenset({"SEN"}))
ANALYST = Principal("ines", Role.ANALYST)
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
    (entry,) = audit_trail(engine, GHANA, value)
    assert (entry["actor"], entry["old"], entry["new"]) == ("ama", "value: 12.5", "value: 1.25")
    assert entry["reason"] == "decimal point misplaced in the source file"
    assert submission_audit(engine, GHANA, submission) == [entry]


def test_a_value_can_become_missing_with_its_reason_and_a_zero_stays_a_zero(stored: tuple[Engine, int, int]) -> None:
    engine, submission, value = stored
    correct_value(engine, GHANA, value, None, "not collected this year", missing_reason="not-collected")
    (row,) = observations(engine, GHANA, submission)
    assert (row["value"], row["value_state"], row["missing_reason"]) == (None, "missing", "not-collected")
    correct_value(engine, GHANA, value, 0.0, "a true zero")
    assert observations(engine, GHANA, submission)[0]["value_state"] == "zero"
    correct_value(engine, GHANA, value, "1,234.5", "typed as the form takes it")
    (row,) = observations(engine, GHANA, submission)
    assert (row["value"], row["value_state"], row["missing_reason"]) == (1234.5, "value", None)


@pytest.mark.parametrize(
    ("principal", "value", "reason", "missing", "error"),
    [
        (SENEGAL, 1.0, "x", None, NotFound),  # Senegal does not see Ghana's submission: as if it did not exist
        (ANONYMOUS, 1.0, "x", None, NotFound),
        (ANALYST, 1.0, "x", None, Forbidden),  # sees it, may not correct it
        (GHANA, 1.0, " ", None, BadInput),
        (GHANA, None, "gone", None, BadInput),
        (GHANA, None, "gone", "lost", BadInput),
        (GHANA, "  ", "blank as a file's cell is: missing, and that needs its reason", None, BadInput),
    ],
)
def test_corrections_that_must_not_happen(
    stored: tuple[Engine, int, int],
    principal: Principal,
    value: Corrected,
    reason: str,
    missing: str | None,
    error: type[Exception],
) -> None:
    engine, submission, observation = stored
    with pytest.raises(error):
        correct_value(engine, principal, observation, value, reason, missing)
    assert observations(engine, GHANA, submission)[0]["value"] == 12.5 and audit_trail(engine, GHANA, observation) == []


#: Values a file's cell of kilograms could not hold either: the check's code, and what the message says.
REFUSED: list[tuple[Corrected, str, str]] = [
    (-5.0, "negative-quantity", "kilograms: -5 is refused: Quantity seized (kg) cannot be below 0, but is -5"),
    ("-5", "negative-quantity", "kilograms: '-5' is refused: Quantity seized (kg) cannot be below 0"),
    (math.inf, "not-a-number", "kilograms: inf is refused: inf is not a number"),
    (-math.inf, "not-a-number", "kilograms: -inf is refused"),
    (math.nan, "not-a-number", "kilograms: nan is refused: nan is not a number"),
    ("1e999", "not-a-number", "kilograms: '1e999' is refused: '1e999' is not a number"),
    ("NaN", "not-a-number", "kilograms: 'NaN' is refused"),
    ("twelve", "not-a-number", "kilograms: 'twelve' is refused: 'twelve' is not a number"),
    ("1\x00", "control-character", "kilograms: '1\\x00' is refused: the cell holds an invisible control character"),
]


@pytest.mark.parametrize(("value", "code", "message"), REFUSED, ids=repr)
def test_a_correction_is_checked_as_a_files_cell_is(
    stored: tuple[Engine, int, int], value: Corrected, code: str, message: str
) -> None:
    engine, submission, observation = stored
    with pytest.raises(BadInput) as refused:
        correct_value(engine, GHANA, observation, value, "a correction")
    assert refused.value.message.startswith(message)
    assert refused.value.message.endswith("(expected a number of at least 0)")
    (detail,) = refused.value.details
    assert (detail["field"], detail["code"], detail["expected"]) == ("kilograms", code, "a number of at least 0")
    assert isinstance(detail["value"], str)  # JSON has no NaN or infinity: the value is written out
    assert observations(engine, GHANA, submission)[0]["value"] == 12.5 and audit_trail(engine, GHANA, observation) == []


#: The declarations' own types, bounds and vocabularies, data set by data set: (data set, element, value) → the
#: value stored, or the code of the check that refuses it and what the message says is expected.
CHECKED: list[tuple[str, str, Corrected, Value | tuple[str, str]]] = [
    ("prevalence", "best", 2.5, Observed(2.5)),
    ("prevalence", "best", 150.0, ("out-of-range", "a number from 0 to 100")),
    ("drug-deaths", "deaths", 12.0, Observed(12)),
    ("drug-deaths", "deaths", 2.5, ("not-an-integer", "a whole number of at least 0")),
    ("drug-deaths", "deaths", "0", Zero(0)),
    ("expert-trends", "overall", "Stable situation (+-5%)", Observed("Stable situation (+-5%)")),
    ("expert-trends", "overall", "Huge rise", ("unknown-level", "one of: Large decrease (>10%); Small decrease")),
    ("expert-trends", "overall", 3.0, ("unknown-level", "one of: Large decrease (>10%)")),
    ("individual-seizures", "unit", "bananas", ("unknown-unit", "a unit the reference vocabularies know")),
    ("individual-seizures", "unit", "=HYPERLINK(1)", ("formula-like-text", "a unit the reference")),
    ("individual-seizures", "quantity", None, ("missing-value", "a number of at least 0")),
    ("individual-seizures", "purity", 101.0, ("out-of-range", "a number from 0 to 100")),
    ("annual-seizures", "kilograms", None, Missing(MissingReason.NOT_AVAILABLE)),
    ("annual-seizures", "kilograms", "..", Missing(MissingReason.NOT_AVAILABLE, "..")),
]


@pytest.mark.parametrize(("dataset", "element", "value", "expected"), CHECKED, ids=repr)
def test_the_declaration_decides_what_a_correction_may_be(
    dataset: str, element: str, value: Corrected, expected: Value | tuple[str, str]
) -> None:
    if not isinstance(expected, tuple):
        assert checked_value(dataset, element, value) == expected
        return
    code, what = expected
    with pytest.raises(BadInput) as refused:
        checked_value(dataset, element, value)
    assert refused.value.details[0]["code"] == code
    assert refused.value.message.startswith(f"{element}: ") and f"(expected {what}" in refused.value.message


def test_an_approved_submission_is_not_edited_in_place(stored: tuple[Engine, int, int], tmp_path: Path) -> None:
    engine, submission, value = stored
    apply_step(engine, OTHER_GHANA, submission, "approve", analytics=tmp_path / "analytics")
    with pytest.raises(Conflict):
        correct_value(engine, GHANA, value, 1.0, "late fix")


def test_a_hidden_value_and_a_missing_one_answer_alike(stored: tuple[Engine, int, int]) -> None:
    engine, submission, value = stored
    missing = value + 1000
    for call in (
        lambda observation: correct_value(engine, SENEGAL, observation, 1.0, "probe"),
        lambda observation: audit_trail(engine, SENEGAL, observation),
    ):
        answers = []
        for observation in (value, missing):
            with pytest.raises(NotFound) as refused:
                call(observation)
            answers.append((refused.value.code, refused.value.message.replace(str(observation), "ID")))
        assert answers == [("not-found", "no stored value ID")] * 2
    with pytest.raises(NotFound):
        submission_audit(engine, SENEGAL, submission)
