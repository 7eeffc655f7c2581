"""Correcting one stored value before approval, with the value-level audit trail: who, when, from, to, why.

A corrected value passes the checks a file's cell passes (``validation.schema.check_batch`` over a one-cell batch:
its type, bounds and vocabulary as the data set declares them), so that a correction cannot store what an upload
would refuse. The correction locks the submission's row and reads its status inside its transaction: once the
submission is approved, no correction changes its values. After acceptance a submission is locked: a correction
then is a new vintage (see ``submit``), not an edit.
"""

import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Engine, select

from observatory.access.policy import Action, Principal, may_read, require
from observatory.errors import BadInput, Conflict, NotFound
from observatory.reporting.declaration import Field, Severity, ValueType, declaration
from observatory.reporting.readers.batches import RecordBatch
from observatory.reporting.readers.records import Record
from observatory.reporting.submissions import visible_submission
from observatory.reporting.validation.schema import Schema, check_batch
from observatory.reporting.values import Missing, MissingReason, Observed, Period, Value, number
from observatory.reporting.workflow import Status, lock_submission
from observatory.store.engine import transaction
from observatory.store.reporting_schema import Observation, ValueAudit

EDITABLE = (Status.SUBMITTED, Status.VALIDATED)
MISSING_REASONS = tuple(reason.value for reason in MissingReason)
#: A corrected value: a number, text as a person typed it, or ``None`` for a value missing (with a reason).
Corrected = float | str | None


@dataclass(frozen=True, slots=True)
class Correction:
    observation_id: int
    old: str
    new: str


def correct_value(
    engine: Engine,
    principal: Principal,
    observation_id: int,
    value: Corrected,
    reason: str,
    missing_reason: str | None = None,
) -> Correction:
    """Set a value (``None`` with a ``missing_reason`` makes it missing); refused once the submission is approved.

    A value the principal may not see is answered as absent (``NotFound``), exactly as one that does not exist.
    """
    if not reason.strip():
        raise BadInput("a correction needs a reason", [{"field": "reason"}])
    if isinstance(value, str) and not value.strip():
        value = None
    if value is None and missing_reason not in MISSING_REASONS:
        raise BadInput(
            f"a missing value needs a reason among {', '.join(MISSING_REASONS)}", [{"field": "missing_reason"}]
        )
    with transaction(engine) as session:
        owner = select(Observation.submission_id).where(Observation.id == observation_id).scalar_subquery()
        submission = lock_submission(session, owner)
        observation = session.get(Observation, observation_id)
        if (
            observation is None
            or submission is None
            or not may_read(principal, submission.status, submission.country_iso3, submission.dataset)
        ):
            raise NotFound(f"no stored value {observation_id}", [{"value": observation_id}])
        require(principal, Action.SUBMIT, observation.country_iso3 or submission.country_iso3, submission.dataset)
        if submission.locked or submission.status not in EDITABLE:
            raise Conflict(
                f"submission {submission.id} is {submission.status}: values can be corrected while it is submitted "
                "or validated; after that, reject or unapprove it first, or send a corrected vintage once published",
                [{"status": submission.status, "submission_id": submission.id}],
            )
        checked = checked_value(submission.dataset, observation.element, value)
        if value is None and missing_reason is not None:
            checked = Missing(MissingReason(missing_reason))
        old = _describe(observation)
        _store(observation, checked)
        new = _describe(observation)
        session.add(
            ValueAudit(
                observation_id=observation_id,
                actor=principal.username,
                field="value",
                old=old,
                new=new,
                reason=reason.strip(),
            )
        )
        return Correction(observation_id, old, new)


def checked_value(dataset: str, element: str, value: Corrected) -> Value:
    """``value`` as the declaration of ``dataset`` types ``element``, checked as a file's cell is; ``BadInput``
    naming the field, the value and what is expected when the check finds an error."""
    plan = declaration(dataset)
    field = next((field for field in plan.elements if field.id == element), None)
    if field is None:
        raise Conflict(
            f"the data set {plan.id} no longer declares the element {element!r}; send a corrected file instead",
            [{"field": element}],
        )
    # The data set's schema narrowed to the one field: its spellings of "no value" as a file's check reads them.
    schema = Schema((field,), {field.id: Schema.of(plan).markers[field.id]}, ())
    record = Record(sheet="", row=1, cells={field.id: value}, positions={})
    checked, problems = check_batch(schema, RecordBatch([record]))
    errors = [problem for problem in problems if problem.severity is Severity.ERROR]
    if errors:
        shown, expected = _shown(value), expected_value(field)
        raise BadInput(
            f"{field.id}: {shown} is refused: {errors[0].message} (expected {expected})",
            [
                {
                    "field": field.id,
                    "value": shown,
                    "code": problem.code,
                    "reason": problem.message,
                    "expected": expected,
                }
                for problem in errors
            ],
        )
    result = checked.value(field.id, 0)
    assert result is not None  # a value neither invalid nor refused by its vocabulary: no error was found
    return result


def expected_value(field: Field) -> str:
    """What ``field`` takes, in words: "a number from 0 to 100", "one of: Low; High"."""
    if field.type in (ValueType.NUMBER, ValueType.INTEGER):
        kind = "a whole number" if field.type is ValueType.INTEGER else "a number"
        if field.min is not None and field.max is not None:
            return f"{kind} from {field.min:g} to {field.max:g}"
        if field.min is not None:
            return f"{kind} of at least {field.min:g}"
        return f"{kind} of at most {field.max:g}" if field.max is not None else kind
    if field.levels:
        return f"one of: {'; '.join(field.levels)}"
    if field.vocabulary is not None:
        return f"a {field.vocabulary.value.replace('-', ' ')} the reference vocabularies know"
    return {ValueType.DATE: "a date written year-month-day", ValueType.YEAR: "a year"}.get(field.type, "text")


def audit_trail(engine: Engine, principal: Principal, observation_id: int) -> list[dict[str, object]]:
    """Every correction of one stored value, oldest first; ``NotFound`` for a value the principal may not see."""
    with engine.connect() as connection:
        submission_id = connection.scalar(select(Observation.submission_id).where(Observation.id == observation_id))
    try:
        visible_submission(engine, principal, submission_id)
    except NotFound as exc:
        raise NotFound(f"no stored value {observation_id}", [{"value": observation_id}]) from exc
    return _audit(engine, ValueAudit.observation_id == observation_id)


def submission_audit(engine: Engine, principal: Principal, submission_id: int) -> list[dict[str, object]]:
    """Every value correction of a submission the principal may see, oldest first."""
    visible_submission(engine, principal, submission_id)
    ids = select(Observation.id).where(Observation.submission_id == submission_id)
    return _audit(engine, ValueAudit.observation_id.in_(ids))


def _audit(engine: Engine, condition: ColumnElement[bool]) -> list[dict[str, object]]:
    query = select(ValueAudit).where(condition).order_by(ValueAudit.id)
    with engine.connect() as connection:
        return [
            {
                "observation_id": row.observation_id,
                "actor": row.actor,
                "field": row.field,
                "old": row.old,
                "new": row.new,
                "reason": row.reason,
                "at": row.at,
            }
            for row in connection.execute(query)
        ]


def _store(observation: Observation, value: Value) -> None:
    """Write ``value`` into the observation's columns as ``observation_table`` writes a file's value."""
    observation.value = number(value)
    observation.value_state = value.state
    observation.missing_reason = value.reason.value if isinstance(value, Missing) else None
    observation.value_text = None
    if isinstance(value, Observed) and observation.value is None:
        inner = value.value
        observation.value_text = inner.label if isinstance(inner, Period) else str(inner)


def _describe(observation: Observation) -> str:
    state, value = observation.value_state, observation.value
    if value is not None:
        return f"{state}: {value:g}"
    shown = observation.value_text if observation.value_text is not None else observation.missing_reason
    return f"{state}: {shown}" if shown is not None else state


def _shown(cell: Corrected) -> str:
    """The value as the caller gave it, for a message (JSON has no NaN or infinity: those are written out)."""
    if isinstance(cell, float) and not math.isfinite(cell):
        return str(cell)
    return repr(cell) if isinstance(cell, str) else "empty" if cell is None else f"{cell:g}"
