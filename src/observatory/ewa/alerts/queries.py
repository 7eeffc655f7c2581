"""Reading alerts as a principal may: members of the network (anyone signed in) see every alert; the public sees
alerts addressed to the public once issued (retracted ones too, as retracted). Unseen alerts are not found."""

import statistics
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, func, select, true
from sqlalchemy.orm import Session

from observatory.access.policy import Principal, Role
from observatory.errors import NotFound
from observatory.ewa.alerts.model import STAGES, Audience, Rule, Stage, Status
from observatory.ewa.alerts.wording import country_name
from observatory.ewa.events import event_views, events_by_id
from observatory.store.ewa_schema import EwaAlert, EwaAlertEvent, EwaAlertRevision, EwaCaseStage, EwaSubstance


@dataclass(frozen=True, slots=True)
class AlertFilter:
    status: Status | None = None
    rule: Rule | None = None
    country: str | None = None
    substance: str | None = None


#: What the public sees of a public alert: once issued, also when updated or retracted; never a draft, nor a
#: draft dismissed at triage.
PUBLISHED = (Status.ISSUED, Status.UPDATED, Status.RETRACTED)


def is_member(principal: Principal) -> bool:
    return principal.role is not Role.PUBLIC


def visible_to(principal: Principal) -> ColumnElement[bool]:
    if is_member(principal):
        return true()
    return and_(EwaAlert.audience == str(Audience.PUBLIC), EwaAlert.status.in_([str(s) for s in PUBLISHED]))


def find_alerts(
    engine: Engine, principal: Principal, wanted: AlertFilter = AlertFilter(), limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """The alerts ``principal`` may see, newest first event first, and how many there are."""
    query = select(EwaAlert).where(visible_to(principal))
    for column, value in (
        (EwaAlert.status, wanted.status),
        (EwaAlert.rule, wanted.rule),
        (EwaAlert.country_iso3, wanted.country),
        (EwaAlert.substance_key, wanted.substance),
    ):
        if value is not None:
            query = query.where(column == str(value))
    with Session(engine) as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(
            query.order_by(EwaAlert.first_event_on.desc(), EwaAlert.id.desc()).limit(limit).offset(offset)
        ).all()
        return [alert_view(row) for row in rows], total


def alert_view(alert: EwaAlert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "key": alert.key,
        "rule": alert.rule,
        "status": alert.status,
        "audience": alert.audience,
        "title": alert.title,
        "summary": alert.summary,
        "substance": alert.substance_key,
        "country": alert.country_iso3,
        "country_name": country_name(alert.country_iso3) if alert.country_iso3 else None,
        "first_event_on": alert.first_event_on.isoformat(),
        "created_at": alert.created_at.isoformat() if alert.created_at else None,
        "issued_at": alert.issued_at.isoformat() if alert.issued_at else None,
        "updated_at": alert.updated_at.isoformat() if alert.updated_at else None,
        "retracted_at": alert.retracted_at.isoformat() if alert.retracted_at else None,
        "retraction_reason": alert.retraction_reason,
        "details": alert.details,
    }


def case_file(engine: Engine, alert_id: int, principal: Principal) -> dict[str, Any]:
    """The alert, its substance, its stages with the days each took from the event, its workflow history and the
    events it rests on (as ``principal`` may see them)."""
    with Session(engine) as session:
        alert = session.scalar(select(EwaAlert).where(EwaAlert.id == alert_id, visible_to(principal)))
        if alert is None:
            raise NotFound(f"no alert {alert_id}", [{"value": alert_id}])
        substance = session.get(EwaSubstance, alert.substance_key) if alert.substance_key else None
        reached = {
            row.stage: row for row in session.scalars(select(EwaCaseStage).where(EwaCaseStage.alert_id == alert_id))
        }
        revisions = session.scalars(
            select(EwaAlertRevision).where(EwaAlertRevision.alert_id == alert_id).order_by(EwaAlertRevision.id)
        ).all()
        event_ids = list(session.scalars(select(EwaAlertEvent.event_id).where(EwaAlertEvent.alert_id == alert_id)))
        events = events_by_id(session, event_ids)
    start = reached.get(str(Stage.EVENT))
    stages = [
        {
            "stage": str(stage),
            "label": stage.label,
            "reached_on": row.reached_on.isoformat() if row else None,
            "days_from_event": (row.reached_on - start.reached_on).days if row and start else None,
            "note": row.note if row else None,
            "recorded_by": row.recorded_by if row else None,
        }
        for stage in STAGES
        for row in [reached.get(str(stage))]
    ]
    history = [
        {
            "action": r.action,
            "from": r.from_status,
            "to": r.to_status,
            "actor": r.actor,
            "note": r.note,
            "at": r.at.isoformat() if r.at else None,
        }
        for r in revisions
    ]
    return {
        "alert": alert_view(alert),
        "substance": _substance(substance),
        "stages": stages,
        "history": history,
        "events": event_views(engine, events, principal),
    }


def time_to_stage(engine: Engine, principal: Principal) -> list[dict[str, Any]]:
    """Per stage after the event: how many visible alerts reached it, and the median, shortest and longest
    number of days it took from the event."""
    query = (
        select(EwaCaseStage.alert_id, EwaCaseStage.stage, EwaCaseStage.reached_on)
        .join(EwaAlert, EwaAlert.id == EwaCaseStage.alert_id)
        .where(visible_to(principal))
    )
    with engine.connect() as connection:
        rows = [(alert_id, stage, day) for alert_id, stage, day in connection.execute(query)]
    events = {alert_id: day for alert_id, stage, day in rows if stage == str(Stage.EVENT)}
    result = []
    for stage in STAGES[1:]:
        days = [(day - events[alert]).days for alert, name, day in rows if name == str(stage) and alert in events]
        result.append(
            {
                "stage": str(stage),
                "alerts": len(days),
                "median_days": statistics.median(days) if days else None,
                "min_days": min(days, default=None),
                "max_days": max(days, default=None),
            }
        )
    return result


def _substance(row: EwaSubstance | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "key": row.key,
        "name": row.name,
        "origin": row.origin,
        "inchikey": row.inchikey,
        "smiles": row.smiles,
        "family": row.family,
        "nps_group": row.nps_group,
        "effect": row.effect,
        "confidence": row.confidence,
        "explanation": row.explanation,
        "controls": row.controls,
        "sources": row.sources,
    }
