"""Triage of draft alerts: ranked by severity, near-duplicates grouped, the queue paged and filtered, and bulk
issue or dismissal with a reason.

Severity and groups are defined in ``triage.toml`` (potency class of the family, controlled analogue, cluster
size, signal strength); they are computed once per alert and kept in ``ewa_alert.severity`` and
``ewa_alert.group_key`` (:func:`score_alerts`, run by the rules and before the queue is read).
"""

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from observatory.access.policy import Principal
from observatory.errors import BadInput
from observatory.ewa.alerts.model import Audience, Rule, Status, Step
from observatory.ewa.alerts.queries import alert_view
from observatory.ewa.alerts.workflow import Change, change_alerts
from observatory.ewa.chemistry.data_files import entry_error, read_toml
from observatory.ewa.events.sources import EVENT_DATA
from observatory.store.engine import transaction
from observatory.store.ewa_schema import EwaAlert, EwaAlertEvent, EwaAlertRevision, EwaSubstance

TRIAGE = EVENT_DATA / "triage.toml"


@dataclass(frozen=True, slots=True)
class TriageSettings:
    weights: dict[str, float]
    potency: dict[str, float]
    cluster_full: int


@cache
def triage_settings(path: Path = TRIAGE) -> TriageSettings:
    content = read_toml(path)
    try:
        weights = {str(k): float(v) for k, v in content["weights"].items()}
        settings = TriageSettings(
            weights, {str(k): float(v) for k, v in content["potency"].items()}, int(content["cluster_full"])
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise entry_error(path, "top level", f"bad or missing field ({error})") from error
    if set(weights) != {"potency", "control", "cluster", "signal"} or "unknown" not in settings.potency:
        raise entry_error(path, "weights", "weights of potency, control, cluster and signal, and an unknown potency")
    return settings


def severity(alert: EwaAlert, substance: EwaSubstance | None, events: int, settings: TriageSettings) -> float:
    """The severity of ``alert`` (0-1), from its substance, rule, details and number of events."""
    family = substance.family if substance is not None and substance.family else "unknown"
    parts = {
        "potency": settings.potency.get(family, settings.potency["unknown"]),
        "control": _control(alert, substance),
        "cluster": min(1.0, math.log10(1 + events) / math.log10(1 + settings.cluster_full)),
        "signal": _signal(alert),
    }
    total = sum(settings.weights.values())
    return round(sum(settings.weights[name] * value for name, value in parts.items()) / total, 4)


def group_key(alert: EwaAlert) -> str:
    """Drafts of one rule about one substance are near-duplicates; an alert about no substance stands alone."""
    return f"{alert.rule}:{alert.substance_key}" if alert.substance_key else f"{alert.rule}:{alert.key}"


def _control(alert: EwaAlert, substance: EwaSubstance | None) -> float:
    if alert.rule == str(Rule.ANALOGUE):
        return 1.0
    return 0.5 if substance is not None and substance.controls else 0.0


def _signal(alert: EwaAlert) -> float:
    if alert.rule == str(Rule.ADULTERANT):
        return 1.0
    periods = (alert.details or {}).get("periods") or []
    if alert.rule != str(Rule.SIGNAL) or not periods:
        return 0.0
    last = periods[-1]
    bound = last.get("upper_bound") or 0.0
    return 1.0 if bound <= 0 else max(0.0, min(1.0, float(last.get("observed") or 0) / bound - 1.0))


def score_alerts(engine: Engine) -> int:
    """Score and group the alerts not scored yet; how many were scored."""
    settings = triage_settings()
    with transaction(engine) as session:
        alerts = session.scalars(select(EwaAlert).where(EwaAlert.severity.is_(None))).all()
        if not alerts:
            return 0
        counts = dict(
            session.execute(select(EwaAlertEvent.alert_id, func.count()).group_by(EwaAlertEvent.alert_id)).all()
        )
        keys = {alert.substance_key for alert in alerts if alert.substance_key}
        substances = {row.key: row for row in session.scalars(select(EwaSubstance).where(EwaSubstance.key.in_(keys)))}
        for alert in alerts:
            substance = substances.get(alert.substance_key or "")
            alert.severity = severity(alert, substance, int(counts.get(alert.id, 0)), settings)
            alert.group_key = group_key(alert)
    return len(alerts)


@dataclass(frozen=True, slots=True)
class TriageFilter:
    status: Status = Status.DRAFT
    rule: Rule | None = None
    country: str | None = None
    min_severity: float = 0.0


def triage_queue(
    engine: Engine, wanted: TriageFilter = TriageFilter(), limit: int = 25, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Groups of near-duplicate alerts in ``wanted.status``, most severe first; each with its alerts (most severe
    first), its size and severity; and how many groups there are."""
    if not 0.0 <= wanted.min_severity <= 1.0:
        raise BadInput(f"min_severity is between 0 and 1, not {wanted.min_severity}", [{"parameter": "min_severity"}])
    score_alerts(engine)
    conditions = [EwaAlert.status == str(wanted.status), EwaAlert.severity >= wanted.min_severity]
    if wanted.rule is not None:
        conditions.append(EwaAlert.rule == str(wanted.rule))
    if wanted.country is not None:
        conditions.append(EwaAlert.country_iso3 == wanted.country)
    top = func.max(EwaAlert.severity).label("top")
    grouped = (
        select(EwaAlert.group_key, top, func.count().label("size")).where(*conditions).group_by(EwaAlert.group_key)
    )
    with Session(engine) as session:
        total = session.scalar(select(func.count()).select_from(grouped.subquery())) or 0
        page = session.execute(grouped.order_by(top.desc(), EwaAlert.group_key).limit(limit).offset(offset)).all()
        members = session.scalars(
            select(EwaAlert)
            .where(*conditions, EwaAlert.group_key.in_([row.group_key for row in page]))
            .order_by(EwaAlert.severity.desc(), EwaAlert.id)
        ).all()
        by_group: dict[str, list[dict[str, Any]]] = {}
        for alert in members:
            by_group.setdefault(alert.group_key or "", []).append({**alert_view(alert), "severity": alert.severity})
    groups = [
        {"group": row.group_key, "severity": row.top, "size": row.size, "alerts": by_group.get(row.group_key, [])}
        for row in page
    ]
    return groups, total


def group_members(session: Session, alert_ids: list[int], status: Status) -> list[EwaAlert]:
    """The alerts in ``status`` of the groups the alerts ``alert_ids`` belong to."""
    groups = set(session.scalars(select(EwaAlert.group_key).where(EwaAlert.id.in_(alert_ids))))
    found = session.scalars(
        select(EwaAlert).where(EwaAlert.group_key.in_(groups), EwaAlert.status == str(status)).order_by(EwaAlert.id)
    )
    return list(found)


BULK_STEPS = (Step.ISSUE, Step.DISMISS)


def bulk_triage(
    engine: Engine, alert_ids: list[int], step: Step, reason: str, principal: Principal, *, whole_groups: bool = True
) -> dict[str, Any]:
    """Issue or dismiss the drafts ``alert_ids`` (with every draft of their groups when ``whole_groups``), with
    ``reason`` recorded on each: all or none. ``BadInput`` for another step, no reason or no alerts."""
    if step not in BULK_STEPS:
        raise BadInput(f"a bulk action issues or dismisses, not {step!r}", [{"parameter": "step", "value": str(step)}])
    if not reason.strip():
        raise BadInput("a bulk action needs its reason", [{"parameter": "reason"}])
    if not alert_ids:
        raise BadInput("choose at least one alert", [{"parameter": "ids"}])
    score_alerts(engine)
    targets = alert_ids
    if whole_groups:
        with Session(engine) as session:
            targets = sorted({*alert_ids, *(alert.id for alert in group_members(session, alert_ids, Status.DRAFT))})
    changed = change_alerts(engine, targets, Change(step, note=reason.strip()), principal)
    return {"step": str(step), "changed": changed, "ids": targets, "reason": reason.strip(), "by": principal.username}


def issue_top(engine: Engine, principal: Principal, count: int, reason: str) -> dict[str, Any]:
    """Issue the most severe draft of each of the ``count`` most severe groups of public drafts, as ``principal``
    (recorded on each alert's history with ``reason``). Once: nothing more is issued when ``principal`` already
    issued alerts with this ``reason`` (so that the demo can run again)."""
    score_alerts(engine)
    with Session(engine) as session:
        done = session.scalar(
            select(func.count()).where(
                EwaAlertRevision.actor == principal.username,
                EwaAlertRevision.note == reason.strip(),
                EwaAlertRevision.action == str(Step.ISSUE),
            )
        )
        if done:
            return {"step": str(Step.ISSUE), "changed": 0, "ids": [], "reason": reason, "by": principal.username}
        top = func.max(EwaAlert.severity).label("top")
        groups = session.execute(
            select(EwaAlert.group_key, top)
            .where(EwaAlert.status == str(Status.DRAFT), EwaAlert.audience == str(Audience.PUBLIC))
            .group_by(EwaAlert.group_key)
            .order_by(top.desc(), EwaAlert.group_key)
            .limit(count)
        ).all()
        chosen = [
            session.scalars(
                select(EwaAlert.id)
                .where(EwaAlert.group_key == group, EwaAlert.status == str(Status.DRAFT))
                .order_by(EwaAlert.severity.desc(), EwaAlert.id)
                .limit(1)
            ).one()
            for group, _ in groups
        ]
    if not chosen:
        return {"step": str(Step.ISSUE), "changed": 0, "ids": [], "reason": reason, "by": principal.username}
    return bulk_triage(engine, chosen, Step.ISSUE, reason, principal, whole_groups=False)
