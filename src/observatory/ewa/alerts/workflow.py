"""Taking an alert through its workflow (issue, update, retract) and recording the EU stages its case reached.

Both need the ``publish`` permission (analysts and administrators, ``permissions.csv``). Every step is appended
to the alert's revisions; stages must follow one another in time: a stage cannot be dated before the event, nor
before an earlier stage or after a later one already recorded.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from observatory.access.policy import Action, Principal, require
from observatory.errors import BadInput, Conflict, NotFound
from observatory.ewa.alerts.model import STAGES, TRANSITIONS, Audience, Stage, Status, Step
from observatory.store.engine import transaction
from observatory.store.ewa_schema import EwaAlert, EwaAlertRevision, EwaCaseStage


@dataclass(frozen=True, slots=True)
class Change:
    """What an analyst does to an alert: the step, why, and for an update the new text or audience."""

    step: Step
    note: str | None = None
    title: str | None = None
    summary: str | None = None
    audience: Audience | None = None


def change_alert(engine: Engine, alert_id: int, change: Change, principal: Principal) -> None:
    """Apply ``change``; ``Forbidden`` without the permission, ``Conflict`` for a step the alert's status does not
    allow, ``BadInput`` for a retraction or dismissal without a reason or an update that changes nothing."""
    with transaction(engine) as session:
        _change(session, _alert(session, alert_id), change, principal)


def change_alerts(engine: Engine, alert_ids: list[int], change: Change, principal: Principal) -> int:
    """Apply ``change`` to every alert of ``alert_ids``, all or none, in one transaction; how many changed."""
    with transaction(engine) as session:
        for alert_id in alert_ids:
            _change(session, _alert(session, alert_id), change, principal)
    return len(alert_ids)


_PAST = {Step.ISSUE: "issued", Step.UPDATE: "updated", Step.RETRACT: "retracted", Step.DISMISS: "dismissed"}


def _change(session: Session, alert: EwaAlert, change: Change, principal: Principal) -> None:
    if change.step not in TRANSITIONS:
        raise BadInput(f"an alert cannot be given the step {change.step!r} by hand", [{"value": str(change.step)}])
    require(principal, Action.PUBLISH, alert.country_iso3)
    sources, target = TRANSITIONS[change.step]
    if Status(alert.status) not in sources:
        raise Conflict(
            f"a {alert.status} alert cannot be {_PAST[change.step]}", [{"alert": alert.id, "status": alert.status}]
        )
    _apply(alert, change)
    session.add(
        EwaAlertRevision(
            alert_id=alert.id,
            action=str(change.step),
            from_status=alert.status,
            to_status=str(target),
            actor=principal.username,
            note=change.note,
        )
    )
    alert.status = str(target)


def record_stage(
    engine: Engine, alert_id: int, stage: Stage, reached_on: date, principal: Principal, note: str | None = None
) -> None:
    """Record (or correct) the date the alert's case reached ``stage``."""
    if stage is Stage.EVENT:
        raise BadInput("the event stage is the date of the first event the alert rests on; it is not recorded by hand")
    with transaction(engine) as session:
        alert = _alert(session, alert_id)
        require(principal, Action.PUBLISH, alert.country_iso3)
        recorded = {
            Stage(row.stage): row
            for row in session.scalars(select(EwaCaseStage).where(EwaCaseStage.alert_id == alert_id))
        }
        _check_order(stage, reached_on, {name: row.reached_on for name, row in recorded.items() if name != stage})
        row = recorded.get(stage)
        if row is None:
            session.add(
                EwaCaseStage(
                    alert_id=alert_id,
                    stage=str(stage),
                    reached_on=reached_on,
                    note=note,
                    recorded_by=principal.username,
                )
            )
        else:
            row.reached_on, row.note, row.recorded_by = reached_on, note, principal.username


def _apply(alert: EwaAlert, change: Change) -> None:
    now = datetime.now(UTC)
    if change.step is Step.DISMISS and not (change.note or "").strip():
        raise BadInput("a dismissal needs the reason, in the note", [{"field": "note"}])
    if change.step is Step.DISMISS:
        return
    if change.step is Step.ISSUE:
        alert.issued_at = now
    elif change.step is Step.RETRACT:
        if not (change.note or "").strip():
            raise BadInput("a retraction needs the reason, in the note", [{"field": "note"}])
        alert.retracted_at, alert.retraction_reason = now, change.note
    else:
        if not (change.title or change.summary or change.audience or (change.note or "").strip()):
            raise BadInput("an update needs a new title, summary or audience, or a note", [{"field": "note"}])
        alert.updated_at = now
    if change.step is not Step.RETRACT:
        alert.title = change.title or alert.title
        alert.summary = change.summary or alert.summary
        alert.audience = str(change.audience or alert.audience)


def _check_order(stage: Stage, reached_on: date, others: dict[Stage, date]) -> None:
    position = STAGES.index(stage)
    for other, day in others.items():
        earlier = STAGES.index(other) < position
        if (earlier and day > reached_on) or (not earlier and day < reached_on):
            relation = "before" if earlier else "after"
            raise BadInput(
                f"{stage.label} on {reached_on.isoformat()} cannot come {relation} {other.label.lower()} "
                f"({day.isoformat()})",
                [{"stage": str(stage), "reached_on": reached_on.isoformat(), "conflicts_with": str(other)}],
            )


def _alert(session: Session, alert_id: int) -> EwaAlert:
    alert = session.get(EwaAlert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}", [{"value": alert_id}])
    return alert
