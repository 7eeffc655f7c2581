"""Correcting one stored value before approval, with the value-level audit trail: who, when, from, to, why.

After acceptance a submission is locked: a correction then is a new vintage (see ``submit``), not an edit.
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Engine, select

from observatory.access.policy import Action, Principal, require
from observatory.errors import BadInput, Conflict, NotFound
from observatory.reporting.workflow import Status
from observatory.store.engine import transaction
from observatory.store.reporting_schema import Observation, ValueAudit
from observatory.store.schema import Submission

EDITABLE = (Status.SUBMITTED, Status.VALIDATED)
MISSING_REASONS = ("not-collected", "not-available", "confidential")


@dataclass(frozen=True, slots=True)
class Correction:
    observation_id: int
    old: str
    new: str


def correct_value(
    engine: Engine,
    principal: Principal,
    observation_id: int,
    value: float | None,
    reason: str,
    missing_reason: str | None = None,
) -> Correction:
    """Set a value (``None`` with a ``missing_reason`` makes it missing); refused once the submission is approved."""
    if not reason.strip():
        raise BadInput("a correction needs a reason", [{"field": "reason"}])
    if value is None and missing_reason not in MISSING_REASONS:
        raise BadInput(
            f"a missing value needs a reason among {', '.join(MISSING_REASONS)}", [{"field": "missing_reason"}]
        )
    if value is not None and value != value:  # NaN is never a value
        raise BadInput("the value must be a number", [{"field": "value", "value": str(value)}])
    with transaction(engine) as session:
        observation = session.get(Observation, observation_id, with_for_update=True)
        if observation is None:
            raise NotFound(f"no stored value {observation_id}", [{"value": observation_id}])
        submission = session.scalars(select(Submission).where(Submission.id == observation.submission_id)).one()
        require(principal, Action.SUBMIT, observation.country_iso3 or submission.country_iso3, submission.dataset)
        if submission.locked or submission.status not in EDITABLE:
            raise Conflict(
                f"submission {submission.id} is {submission.status}: values can be corrected while it is submitted "
                "or validated; after that, reject or unapprove it first, or send a corrected vintage once published"
            )
        old = _describe(observation.value, observation.value_state, observation.missing_reason)
        observation.value = value
        observation.value_state = "missing" if value is None else "zero" if value == 0 else "value"
        observation.missing_reason = missing_reason if value is None else None
        new = _describe(observation.value, observation.value_state, observation.missing_reason)
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


def audit_trail(engine: Engine, observation_id: int) -> list[dict[str, object]]:
    return _audit(engine, ValueAudit.observation_id == observation_id)


def submission_audit(engine: Engine, submission_id: int) -> list[dict[str, object]]:
    """Every value correction of a submission, oldest first (the caller checks the principal may see it)."""
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


def _describe(value: float | None, state: str, missing_reason: str | None) -> str:
    return f"{state}: {missing_reason}" if value is None else f"{state}: {value:g}"
