"""Early-warning alerts: rules draft them from the events, analysts issue, update or retract them, and each has a
case file following the EU early-warning stages, so that the time to each stage can be measured.

    from observatory.ewa.alerts import run_rules, find_alerts, case_file
    run_rules(engine)                                   # first detections, analogues, signals, adulterants
    alerts, total = find_alerts(engine, principal)      # what the principal may see
    change_alert(engine, alert_id, Change(Step.ISSUE), analyst)

The rules' parameters and the list of dangerous adulterants are data, in ``observatory/datasets/ewa_events``.
"""

from observatory.ewa.alerts.drafting import RULES, keep_drafts, run_rules
from observatory.ewa.alerts.model import STAGES, TRANSITIONS, AlertDraft, Audience, Rule, Stage, Status, Step
from observatory.ewa.alerts.queries import AlertFilter, alert_view, case_file, find_alerts, is_member, time_to_stage
from observatory.ewa.alerts.settings import Adulterant, RuleSettings, adulterants, rule_settings
from observatory.ewa.alerts.workflow import Change, change_alert, record_stage

__all__ = [
    "RULES",
    "STAGES",
    "TRANSITIONS",
    "Adulterant",
    "AlertDraft",
    "AlertFilter",
    "Audience",
    "Change",
    "Rule",
    "RuleSettings",
    "Stage",
    "Status",
    "Step",
    "adulterants",
    "alert_view",
    "case_file",
    "change_alert",
    "find_alerts",
    "is_member",
    "keep_drafts",
    "record_stage",
    "rule_settings",
    "run_rules",
    "time_to_stage",
]
