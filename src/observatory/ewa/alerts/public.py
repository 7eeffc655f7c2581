"""Issued alerts with their history, as the public list shows them: who issued each, when and why."""

from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from observatory.access.policy import Principal
from observatory.ewa.alerts.queries import PUBLISHED, alert_view, visible_to
from observatory.store.ewa_schema import EwaAlert, EwaAlertRevision


def issued_alerts(
    engine: Engine, principal: Principal, limit: int = 25, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """The issued (also updated or retracted) alerts ``principal`` may see, most recently issued first, each with
    its ``history`` (step, actor, note, time); and how many there are."""
    query = select(EwaAlert).where(visible_to(principal), EwaAlert.status.in_([str(s) for s in PUBLISHED]))
    with Session(engine) as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        alerts = session.scalars(
            query.order_by(EwaAlert.issued_at.desc(), EwaAlert.id.desc()).limit(limit).offset(offset)
        ).all()
        revisions = session.scalars(
            select(EwaAlertRevision)
            .where(EwaAlertRevision.alert_id.in_([alert.id for alert in alerts]))
            .order_by(EwaAlertRevision.id)
        ).all()
    history: dict[int, list[dict[str, Any]]] = {}
    for revision in revisions:
        history.setdefault(revision.alert_id, []).append(
            {
                "action": revision.action,
                "to": revision.to_status,
                "actor": revision.actor,
                "note": revision.note,
                "at": revision.at.isoformat() if revision.at else None,
            }
        )
    return [
        {**alert_view(alert), "severity": alert.severity, "history": history.get(alert.id, [])} for alert in alerts
    ], total
