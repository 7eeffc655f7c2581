"""Alerts: what rules draft, the workflow an analyst takes them through, and the EU early-warning stages.

Workflow (``TRANSITIONS``): a rule drafts; an analyst issues a draft, updates an issued alert (as often as
needed), or retracts it (a draft too, when it should never be issued). A retracted alert stays visible to its
audience as retracted, with the reason, as the EU EWS operating guidelines require of retracted information.

Stages (Regulation (EC) 1920/2006 as amended by (EU) 2017/2101; METHODS.md §6): the event (the first detection
the alert rests on), formal notification, intensive monitoring, initial report, risk assessment, control measure.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from observatory.i18n import N_


class Rule(StrEnum):
    FIRST_DETECTION = "first_detection"
    ANALOGUE = "analogue"
    SIGNAL = "signal"
    ADULTERANT = "adulterant"


class Status(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    UPDATED = "updated"
    RETRACTED = "retracted"
    DISMISSED = "dismissed"


class Audience(StrEnum):
    NETWORK = "network"
    PUBLIC = "public"


class Step(StrEnum):
    DRAFT = "draft"
    ISSUE = "issue"
    UPDATE = "update"
    RETRACT = "retract"
    DISMISS = "dismiss"


#: The statuses each step may start from, and the status it leads to.
TRANSITIONS: dict[Step, tuple[frozenset[Status], Status]] = {
    Step.ISSUE: (frozenset({Status.DRAFT}), Status.ISSUED),
    Step.UPDATE: (frozenset({Status.ISSUED, Status.UPDATED}), Status.UPDATED),
    Step.RETRACT: (frozenset({Status.DRAFT, Status.ISSUED, Status.UPDATED}), Status.RETRACTED),
    Step.DISMISS: (frozenset({Status.DRAFT}), Status.DISMISSED),
}


class Stage(StrEnum):
    EVENT = "event"
    FORMAL_NOTIFICATION = "formal_notification"
    INTENSIVE_MONITORING = "intensive_monitoring"
    INITIAL_REPORT = "initial_report"
    RISK_ASSESSMENT = "risk_assessment"
    CONTROL_MEASURE = "control_measure"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]


STAGES = tuple(Stage)
_STAGE_LABELS = {
    Stage.EVENT: N_("Event"),
    Stage.FORMAL_NOTIFICATION: N_("Formal notification"),
    Stage.INTENSIVE_MONITORING: N_("Intensive monitoring"),
    Stage.INITIAL_REPORT: N_("Initial report"),
    Stage.RISK_ASSESSMENT: N_("Risk assessment"),
    Stage.CONTROL_MEASURE: N_("Control measure"),
}


@dataclass(frozen=True, slots=True)
class AlertDraft:
    """What a rule found: ``key`` names the finding, so that a rule run again drafts no second alert."""

    key: str
    rule: Rule
    audience: Audience
    title: str
    summary: str
    first_event_on: date
    event_ids: tuple[int, ...]
    substance_key: str | None = None
    country: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
