"""Early-warning alerts: rules draft them from the events, analysts issue, update or retract them, and each has a
case file following the EU early-warning stages, so that the time to each stage can be measured.

    from observatory.ewa.alerts import run_rules, find_alerts, case_file
    run_rules(engine)                                   # first detections, analogues, signals, adulterants
    alerts, total = find_alerts(engine, principal)      # what the principal may see
    change_alert(engine, alert_id, Change(Step.ISSUE), analyst)
    groups, total = triage_queue(engine, TriageFilter(), limit=25)   # drafts, most severe first, grouped
    bulk_triage(engine, [alert_id], Step.DISMISS, "duplicate of a national alert", analyst)

The rules' parameters and the list of dangerous adulterants are data, in ``observatory/datasets/ewa_events``.
"""

from observatory.ewa.alerts.drafting import RULES, keep_drafts, run_rules
from observatory.ewa.alerts.model import STAGES, TRANSITIONS, AlertDraft, Audience, Rule, Stage, Status, Step
from observatory.ewa.alerts.queries import AlertFilter, alert_view, case_file, find_alerts, is_member, time_to_stage
from observatory.ewa.alerts.settings import Adulterant, RuleSettings, adulterants, rule_settings
from observatory.ewa.alerts.triage import TriageFilter, bulk_triage, issue_top, score_alerts, triage_queue
from observatory.ewa.alerts.workflow import Change, change_alert, change_alerts, record_stage

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
    "TriageFilter",
    "adulterants",
    "alert_view",
    "bulk_triage",
    "case_file",
    "change_alert",
    "change_alerts",
    "find_alerts",
    "is_member",
    "issue_top",
    "keep_drafts",
    "record_stage",
    "rule_settings",
    "run_rules",
    "score_alerts",
    "time_to_stage",
    "triage_queue",
]
