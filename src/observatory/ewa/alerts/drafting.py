"""Running the rules over the events the store holds, and keeping what they find as draft alerts.

A finding whose key the store already holds drafts nothing new: the events it rests on that the alert does not
cite yet are added to its evidence, and its status and text stay as the analyst left them. A new alert starts as
a draft, with its first workflow step and its case file's first stage (the event) recorded.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from observatory.ewa.alerts.adulterants import adulterant_alerts
from observatory.ewa.alerts.analogues import analogues
from observatory.ewa.alerts.first_detection import first_detections
from observatory.ewa.alerts.model import AlertDraft, Rule, Stage, Status, Step
from observatory.ewa.alerts.settings import RuleSettings, rule_settings
from observatory.ewa.alerts.signal import signals
from observatory.ewa.alerts.snapshot import Snapshot, take_snapshot
from observatory.ewa.alerts.triage import score_alerts
from observatory.store.engine import transaction
from observatory.store.ewa_schema import EwaAlert, EwaAlertEvent, EwaAlertRevision, EwaCaseStage

RULES: dict[Rule, Callable[[Snapshot, RuleSettings], list[AlertDraft]]] = {
    Rule.FIRST_DETECTION: first_detections,
    Rule.ANALOGUE: analogues,
    Rule.SIGNAL: signals,
    Rule.ADULTERANT: adulterant_alerts,
}


def run_rules(engine: Engine, rules: tuple[Rule, ...] = tuple(Rule)) -> dict[str, Any]:
    """Draft the alerts the ``rules`` find, in one transaction; per rule: findings, alerts drafted, and alerts
    that already existed."""
    settings = rule_settings()
    summary: dict[str, Any] = {}
    with transaction(engine) as session:
        snapshot = take_snapshot(session)
        for rule in rules:
            drafts = RULES[rule](snapshot, settings)
            drafted = keep_drafts(session, drafts, actor=f"rule {rule}")
            summary[str(rule)] = {"found": len(drafts), "drafted": drafted, "already_drafted": len(drafts) - drafted}
    score_alerts(engine)
    return summary


def keep_drafts(session: Session, drafts: list[AlertDraft], actor: str) -> int:
    """Store the new drafts and the new evidence of known ones; how many drafts were new."""
    unique = list({draft.key: draft for draft in drafts}.values())
    known = dict(
        session.execute(select(EwaAlert.key, EwaAlert.id).where(EwaAlert.rule.in_({d.rule for d in unique}))).all()
    )
    fresh = [draft for draft in unique if draft.key not in known]
    alerts = [_alert(draft) for draft in fresh]
    session.add_all(alerts)
    session.flush()
    ids = {**known, **{alert.key: alert.id for alert in alerts}}
    _add_evidence(session, unique, ids)
    if alerts:
        session.execute(
            insert(EwaAlertRevision),
            [
                {
                    "alert_id": alert.id,
                    "action": str(Step.DRAFT),
                    "from_status": None,
                    "to_status": str(Status.DRAFT),
                    "actor": actor,
                    "note": None,
                }
                for alert in alerts
            ],
        )
        session.execute(
            insert(EwaCaseStage),
            [
                {
                    "alert_id": alert.id,
                    "stage": str(Stage.EVENT),
                    "reached_on": alert.first_event_on,
                    "note": "the first event the alert rests on",
                    "recorded_by": actor,
                }
                for alert in alerts
            ],
        )
    return len(fresh)


def _add_evidence(session: Session, drafts: list[AlertDraft], ids: dict[str, int]) -> None:
    cited: dict[int, set[int]] = defaultdict(set)
    links = session.execute(
        select(EwaAlertEvent.alert_id, EwaAlertEvent.event_id).where(
            EwaAlertEvent.alert_id.in_(select(EwaAlert.id).where(EwaAlert.rule.in_({d.rule for d in drafts})))
        )
    )
    for alert_id, event_id in links:
        cited[alert_id].add(event_id)
    rows = [
        {"alert_id": ids[draft.key], "event_id": event_id}
        for draft in drafts
        for event_id in dict.fromkeys(draft.event_ids)
        if event_id not in cited[ids[draft.key]]
    ]
    if rows:
        session.execute(insert(EwaAlertEvent), rows)


def _alert(draft: AlertDraft) -> EwaAlert:
    return EwaAlert(
        key=draft.key,
        rule=str(draft.rule),
        status=str(Status.DRAFT),
        audience=str(draft.audience),
        title=draft.title[:512],
        summary=draft.summary,
        substance_key=draft.substance_key,
        country_iso3=draft.country,
        first_event_on=draft.first_event_on,
        details=draft.details,
    )
